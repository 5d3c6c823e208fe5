import { metricName } from '../../app/catalog';
import { COLORS } from '../../charts/theme';
import { formatDate, formatDateTime, formatNumber, formatValue } from '../../lib/format';
import { projectionText, statusText, statusTone, targetText, type StatusTone, type TargetStatusRow } from '../../lib/targets';
import { permissions, useConsole, useCT } from '../context';
import { LoadedList, useLoad } from '../ui';

const TONE_COLOUR: Record<StatusTone, string> = {
  bad: COLORS.critical,
  warn: COLORS.warning,
  neutral: COLORS.dim,
  good: COLORS.good,
};

/**
 * Every target with its status as the backend judges it (GET /api/v1/targets): current targets (deadline ahead)
 * first, with the projection at the deadline, its method and band, or why there is none; past targets apart, each
 * met on time, met late (with the date reached) or missed. Worst first in each.
 */
export function TargetsPage() {
  const { api, principal } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const [rows] = useLoad(
    async (signal) => (await api.targets({ unit: perms.onlyUnit ?? undefined }, signal)).targets,
    [api, perms.onlyUnit],
  );
  const current = rows.state === 'ready' ? { state: 'ready' as const, data: rows.data.filter((r) => r.current) } : rows;
  const past = rows.state === 'ready' ? { state: 'ready' as const, data: rows.data.filter((r) => !r.current) } : rows;

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.targets')}</h1>
      </div>
      <h2>{t('console.targets.current')}</h2>
      <LoadedList value={current}>{(list) => <TargetsTable list={list} current testId="targets-table" />}</LoadedList>
      <h2>{t('console.targets.past')}</h2>
      <LoadedList value={past}>{(list) => <TargetsTable list={list} current={false} testId="targets-past-table" />}</LoadedList>
    </section>
  );
}

function TargetsTable({ list, current, testId }: { list: TargetStatusRow[]; current: boolean; testId: string }) {
  const { catalog, lang } = useConsole();
  const t = useCT();
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('console.targets.status')}</th>
          <th>{t('console.filter.metric')}</th>
          <th>{t('wall.unit')}</th>
          <th>{t('wall.target')}</th>
          <th>{t('console.targets.latest')}</th>
          <th>{t('console.progress')}</th>
          {current ? <th>{t('console.projection')}</th> : null}
          <th>{t('console.legal')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((row) => {
          const metric = catalog.metric(row.target.metricCode);
          const tone = statusTone(row.status);
          const projection = projectionText(row.projection, metric, lang);
          return (
            <tr key={row.target.id} data-status={row.status} data-target-id={row.target.id}>
              <td>
                <span className="pill" style={{ background: TONE_COLOUR[tone], color: tone === 'neutral' ? '#fff' : '#06101f' }}>
                  {statusText(row, lang)}
                </span>
              </td>
              <td className="strong">{metricName(metric, lang)}</td>
              <td>{catalog.unitName(row.target.unitCode, lang)}</td>
              <td>
                {targetText(row.target, metric, lang)}
                {!current && row.atDeadline ? (
                  <div className="muted small">
                    {formatDate(`${row.target.deadline}T00:00:00+07:00`, lang)}: {formatValue(row.atDeadline.value, metric, lang)}
                  </div>
                ) : null}
              </td>
              <td>
                {formatValue(row.latest?.value ?? null, metric, lang)}
                <div className="muted small">{formatDateTime(row.latest?.ts ?? null, lang)}</div>
              </td>
              <td className="progress-cell">
                <div className="bar">
                  <div style={{ width: `${Math.min(100, row.progress ?? 0)}%`, background: TONE_COLOUR[tone] }} />
                </div>
                <span className="small">{row.progress === null ? '—' : `${formatNumber(row.progress, lang, 0)}%`}</span>
              </td>
              {current ? (
                <td className="small" data-testid="projection" data-projection-method={row.projection?.method ?? 'none'}>
                  {projection ?? '—'}
                </td>
              ) : null}
              <td className="small legal">{lang === 'vi' ? row.target.legalSourceVi : row.target.legalSourceEn}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
