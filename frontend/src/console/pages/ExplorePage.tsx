import { useMemo, useState } from 'react';
import { metricName } from '../../app/catalog';
import { EChart } from '../../charts/EChart';
import { timeseriesOption } from '../../charts/options/timeseries';
import { toCsv } from '../../lib/csv';
import { aggregationText, durationText } from '../../lib/duration-text';
import { csvRows, formatCell, pivot, type PivotTable } from '../../lib/explore';
import { formatDateTime, formatNumber } from '../../lib/format';
import type { Pt } from '../../lib/series-buffer';
import { permissions, useConsole, useCT } from '../context';
import { download, Field, MetricSelect } from '../ui';
import { indicatorPath } from './UnitIndicatorPage';
import { AGGREGATIONS } from '@dxoc/contracts';

const BUCKETS = ['', '15m', '1h', '1d', '1w', '1mo', '1y'] as const;
const dateInput = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().slice(0, 10);

/** Indicator × unit(s) × range × bucket, as a chart and a table, exported as CSV. */
export function ExplorePage() {
  const { api, catalog, lang, principal, navigate } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const [metric, setMetric] = useState(() => catalog.metric('einvoice.issued')?.code ?? catalog.metrics[0]?.code ?? '');
  const [units, setUnits] = useState<string[]>(() => [perms.onlyUnit ?? 'VN']);
  const [from, setFrom] = useState(() => dateInput(Date.now() - 90 * 86_400_000));
  const [to, setTo] = useState(() => dateInput(Date.now()));
  const [bucket, setBucket] = useState<string>('1d');
  const [agg, setAgg] = useState('');
  const [result, setResult] = useState<{ series: Record<string, Pt[]>; table: PivotTable; metric: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const m = catalog.metric(metric);
  const choices = catalog.units.filter(
    (u) => u.validUntil === null && (m?.unitKinds.includes(u.kind) ?? true) && (!perms.onlyUnit || u.code === perms.onlyUnit),
  );

  const load = async () => {
    setBusy(true);
    setError(null);
    try {
      const fromIso = `${from}T00:00:00+07:00`;
      const toIso = `${dateInput(new Date(`${to}T00:00:00+07:00`).getTime() + 86_400_000)}T00:00:00+07:00`;
      const loaded = await Promise.all(
        units.map(async (unit) => {
          const response = await api.series({
            metric,
            unit,
            from: fromIso,
            to: toIso,
            ...(bucket ? { bucket } : {}),
            ...(agg ? { agg } : {}),
          });
          return [unit, response.points.map((p) => ({ t: new Date(p.ts).getTime(), v: p.value }))] as const;
        }),
      );
      const series = Object.fromEntries(loaded);
      setResult({ series, table: pivot(series, units), metric });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const option = useMemo(() => {
    if (!result) return null;
    const rm = catalog.metric(result.metric);
    return timeseriesOption({
      lang,
      scale: 1,
      compact: true,
      showLegend: true,
      series: result.table.units.map((unit) => ({ name: catalog.unitName(unit, lang), points: result.series[unit] ?? [] })),
      targets: (rm?.targets ?? [])
        .filter((target) => result.table.units.includes(target.unitCode))
        .map((target) => ({ value: target.value, label: `${t('wall.target')} ${target.deadline}` })),
      thresholds: [],
      metricKind: rm?.kind ?? 'gauge',
      decimals: 2,
      xWindow: null,
    });
  }, [result, catalog, lang, t]);

  const exportCsv = () => {
    if (!result) return;
    const header = ['time (Asia/Ho_Chi_Minh)', ...result.table.units.map((u) => `${u} ${catalog.unitName(u, 'vi')}`)];
    download(`dxoc-${result.metric}-${from}-${to}${bucket ? `-${bucket}` : ''}.csv`, toCsv(header, csvRows(result.table)));
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.explore')}</h1>
      </div>
      <div className="filters">
        <Field label={t('console.filter.metric')}>
          <MetricSelect value={metric} onChange={setMetric} />
        </Field>
        <Field label={t('console.explore.units')}>
          <select
            multiple
            size={4}
            value={units}
            onChange={(e) => setUnits([...e.target.selectedOptions].map((o) => o.value).slice(0, 12))}
            name="units"
          >
            {choices.map((u) => (
              <option key={u.code} value={u.code}>
                {lang === 'vi' ? u.nameVi : u.nameEn} ({u.code})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('console.from')}>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} name="from" />
        </Field>
        <Field label={t('console.to')}>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} name="to" />
        </Field>
        <Field label={t('console.bucket')}>
          <select value={bucket} onChange={(e) => setBucket(e.target.value)} name="bucket">
            {BUCKETS.map((b) => (
              <option key={b} value={b}>
                {b ? durationText(b, lang) : t('console.raw')}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('console.agg')}>
          <select value={agg} onChange={(e) => setAgg(e.target.value)} name="agg" disabled={!bucket}>
            <option value="">
              {m ? `${aggregationText(m.defaultAggregation, lang)} (${lang === 'vi' ? 'mặc định' : 'default'})` : ''}
            </option>
            {AGGREGATIONS.map((a) => (
              <option key={a} value={a}>
                {aggregationText(a, lang)}
              </option>
            ))}
          </select>
        </Field>
        <button className="button primary" onClick={load} disabled={busy || units.length === 0} data-testid="explore-load">
          {t('console.load')}
        </button>
        <button className="button" onClick={exportCsv} disabled={!result} data-testid="explore-csv">
          {t('console.csv')}
        </button>
      </div>
      {error ? <div className="form-error">{error}</div> : null}
      {result && option ? (
        <>
          <div className="explore-chart">
            <EChart option={option} label={metricName(catalog.metric(result.metric), lang)} />
          </div>
          <p className="hint">
            {formatNumber(result.table.rows.length, lang)} {t('console.explore.rows')}
          </p>
          <p className="hint" data-testid="explore-provenance">
            {t('prov.explore')}:{' '}
            {result.table.units.map((unit) => (
              <a
                key={unit}
                className="link"
                href={indicatorPath({ unit, metric: result.metric })}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(indicatorPath({ unit, metric: result.metric }));
                }}
              >
                {catalog.unitName(unit, lang)}{' '}
              </a>
            ))}
          </p>
          <div className="table-scroll">
            <table className="table compact" data-testid="explore-table">
              <thead>
                <tr>
                  <th>{t('console.time')}</th>
                  {result.table.units.map((u) => (
                    <th key={u} className="num">
                      {catalog.unitName(u, lang)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {result.table.rows.slice(0, 1000).map((row) => (
                  <tr key={row.t}>
                    <td>{formatDateTime(row.t, lang)}</td>
                    {row.values.map((v, i) => (
                      <td key={i} className="num">
                        {formatCell(v, lang, catalog.metric(result.metric)?.kind === 'ratio')}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
