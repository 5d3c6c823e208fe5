import { useMemo } from 'react';
import { metricName } from '../../app/catalog';
import { COLORS } from '../../charts/theme';
import { formatDate, formatDateTime, formatNumber, formatValue } from '../../lib/format';
import { assessTarget, sortByRisk, type Risk } from '../../lib/targets';
import { mapLimit } from '../../lib/aggregate';
import { permissions, useConsole, useCT } from '../context';
import { LoadedList, useLoad } from '../ui';

const RISK_COLOUR: Record<Risk, string> = {
  missed: COLORS.critical,
  at_risk: COLORS.warning,
  no_data: COLORS.dim,
  on_track: COLORS.info,
  achieved: COLORS.good,
};

/** Every target of every indicator, per unit: progress, linear projection to the deadline, sorted by risk. */
export function TargetsPage() {
  const { api, catalog, lang, principal } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const targets = useMemo(
    () => catalog.metrics.flatMap((m) => m.targets).filter((target) => !perms.onlyUnit || target.unitCode === perms.onlyUnit),
    [catalog, perms.onlyUnit],
  );
  const [rows] = useLoad(
    async (signal) => {
      const now = Date.now();
      const assessed = await mapLimit(targets, 4, async (target) => {
        const response = await api.series({ metric: target.metricCode, unit: target.unitCode, includePredecessors: true }, signal);
        return assessTarget(
          target,
          response.points.map((p) => ({ t: new Date(p.ts).getTime(), v: p.value })),
          now,
        );
      });
      return sortByRisk(assessed);
    },
    [api, targets],
  );

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.targets')}</h1>
      </div>
      <LoadedList value={rows}>
        {(list) => (
          <table className="table" data-testid="targets-table">
            <thead>
              <tr>
                <th>{t('console.risk')}</th>
                <th>{t('console.filter.metric')}</th>
                <th>{t('wall.unit')}</th>
                <th>{t('wall.target')}</th>
                <th>{t('console.targets.latest')}</th>
                <th>{t('console.progress')}</th>
                <th className="num">{t('console.projection')}</th>
                <th>{t('console.legal')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((row) => {
                const metric = catalog.metric(row.target.metricCode);
                const target = row.target as (typeof targets)[number];
                return (
                  <tr key={target.id} data-risk={row.risk}>
                    <td>
                      <span
                        className="pill"
                        style={{ background: RISK_COLOUR[row.risk], color: row.risk === 'no_data' ? '#fff' : '#06101f' }}
                      >
                        {t(`risk.${row.risk}`)}
                      </span>
                    </td>
                    <td className="strong">{metricName(metric, lang)}</td>
                    <td>{catalog.unitName(target.unitCode, lang)}</td>
                    <td>
                      {target.comparator === '>=' ? '≥' : '≤'} {formatValue(target.value, metric, lang)}
                      <div className="muted small">
                        {t('console.targets.deadline')} {formatDate(`${target.deadline}T00:00:00+07:00`, lang)}
                      </div>
                    </td>
                    <td>
                      {formatValue(row.latest, metric, lang)}
                      <div className="muted small">{formatDateTime(row.latestTs, lang)}</div>
                    </td>
                    <td className="progress-cell">
                      <div className="bar">
                        <div style={{ width: `${Math.min(100, row.progress ?? 0)}%`, background: RISK_COLOUR[row.risk] }} />
                      </div>
                      <span className="small">{row.progress === null ? '—' : `${formatNumber(row.progress, lang, 0)}%`}</span>
                    </td>
                    <td className="num">{formatValue(row.projected, metric, lang)}</td>
                    <td className="small legal">{lang === 'vi' ? target.legalSourceVi : target.legalSourceEn}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </LoadedList>
    </section>
  );
}
