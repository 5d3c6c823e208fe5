import { useEffect, useMemo, useRef, useState } from 'react';
import type { ComplianceOverviewResponse } from '@dxoc/contracts';
import { metricName } from '../../app/catalog';
import { COLORS } from '../../charts/theme';
import { complianceCounts, complianceRows, latenessParts, latenessText } from '../../lib/compliance';
import { formatDateTime, formatNumber } from '../../lib/format';
import type { CompliancePanel as CompliancePanelT } from '../../lib/pages';
import { useNow, useReload, useT, useWall } from '../context';
import { channelUnits, stateOf, unitKindOf, type LoadState } from '../data';
import { shortUnitName } from '../../lib/short-names';
import { FitText } from '../FitText';
import { moreStyle, overflowStyle, useFitting } from '../fitting';
import { PanelBody, PanelFrame } from './PanelFrame';

const STATUS_COLOUR = { on_time: COLORS.good, late: COLORS.warning, never: COLORS.critical } as const;

/** Which units reported on time, which are late: how many periods behind and since when (worst over the indicators). */
export function CompliancePanel({ panel }: { panel: CompliancePanelT }) {
  const { api, live, catalog, lang } = useWall();
  const t = useT();
  const reload = useReload();
  const [data, setData] = useState<ComplianceOverviewResponse | null>(null);
  const [state, setState] = useState<LoadState>('loading');
  const [bump, setBump] = useState(0);
  const kind = unitKindOf(panel.units) ?? 'province';
  const units = useMemo(
    () => (Array.isArray(panel.units) ? panel.units : catalog.current(kind).map((u) => u.code)),
    [panel, catalog, kind],
  );
  const metrics = useMemo(
    () => panel.metrics.filter((code) => catalog.metric(code)?.unitKinds.includes(kind) ?? false),
    [panel, catalog, kind],
  );

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        // the backend judges every indicator and the worst of them per unit in one answer
        const response = metrics.length
          ? await api.complianceOverview({ unitKind: kind, metrics: metrics.join(',') }, controller.signal)
          : null;
        setData(response);
        setState('ready');
      } catch (error) {
        if (!controller.signal.aborted) setState(stateOf(error));
      }
    })();
    return () => controller.abort();
  }, [api, metrics, kind, units, catalog, reload, bump]);

  // a value arriving for a tracked indicator may change who is late: reload, at most every few seconds
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const stops = metrics.map((metric) =>
      live.register({ metric, units: channelUnits(panel.units) }, () => {
        if (pending.current) return;
        pending.current = setTimeout(() => {
          pending.current = null;
          setBump((n) => n + 1);
        }, 3000);
      }),
    );
    return () => {
      stops.forEach((stop) => stop());
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [live, metrics, panel]);

  const rows = useMemo(() => (data ? complianceRows(data, units) : []), [data, units]);
  const listed = useMemo(() => rows.slice(0, panel.display.maxItems), [rows, panel]);
  // the cards the panel holds: when the late ones need more room than usual, the last cards (on time: late units come
  // first) give way to one line that counts them, instead of being cut off at the panel's edge
  const [grid, setGrid] = useState<HTMLUListElement | null>(null);
  const { fits, moreTop } = useFitting(grid, listed);
  const hidden = fits === null ? [] : listed.slice(fits);
  const counts = complianceCounts(rows);
  const perMetric = data?.metrics ?? [];
  const period = perMetric.find((d) => d.periodStart);
  // "since 02/12" needs the year only when it is not this one: a coarse clock is enough
  const now = useNow(60_000);

  return (
    <PanelFrame
      panel={panel}
      aside={
        period?.periodStart ? (
          <span className="muted">
            {t('wall.compliance.period')} {formatDateTime(period.periodStart, lang)}
          </span>
        ) : null
      }
    >
      <PanelBody state={state} hasData={perMetric.length > 0} errorKey="wall.compliance.unavailable">
        {() => (
          <div className="compliance" data-testid="compliance" data-units={listed.length}>
            <div className="compliance-summary">
              {(['on_time', 'late', 'never'] as const).map((status) => (
                <div key={status} className={`compliance-count ${status}`}>
                  <span className="n">{formatNumber(counts[status], lang)}</span>
                  <span className="label">{t(`wall.compliance.${status === 'on_time' ? 'onTime' : status}`)}</span>
                </div>
              ))}
            </div>
            <ol className="compliance-metrics">
              {perMetric.map((d, index) => (
                <li
                  key={d.metric}
                  className="compliance-metric"
                  data-collected={d.collected}
                  title={metricName(catalog.metric(d.metric), lang)}
                >
                  <span className="metric-index">{index + 1}</span>{' '}
                  {panel.display.labels[d.metric]?.[lang] ?? metricName(catalog.metric(d.metric), lang)}
                  {d.collected ? null : <span className="muted"> · {t('compliance.notCollected')}</span>}
                </li>
              ))}
            </ol>
            <ul className={`compliance-grid kind-${kind}`} ref={setGrid}>
              {listed.map((row, index) => {
                const { head, since } = latenessParts(row, lang, now);
                const worst = row.worstMetric ? metricName(catalog.metric(row.worstMetric), lang) : null;
                const unit = catalog.unit(row.unit);
                const name = catalog.unitName(row.unit, lang);
                // a unit that reports every indicator on time is one line, name and tick; a late one says which
                // indicators (numbered as in the legend) and since when
                const onTime = row.judged && row.status === 'on_time';
                return (
                  <li
                    key={row.unit}
                    className={`compliance-unit ${row.judged ? row.status : 'no-data'}`}
                    data-unit={row.unit}
                    data-status={row.judged ? row.status : 'no-data'}
                    data-periods-behind={row.periodsBehind ?? ''}
                    data-late-since={row.lateSince ?? ''}
                    data-overflow={fits !== null && index >= fits ? 'hidden' : undefined}
                    style={fits !== null && index >= fits ? overflowStyle : undefined}
                    title={`${name}: ${row.judged ? latenessText(row, lang, now) : t('wall.noData')}${worst ? ` (${worst})` : ''}`}
                  >
                    <FitText className="unit-name" full={name} short={unit ? shortUnitName(unit, lang) : name} />
                    <span className="late" data-testid="lateness">
                      {!row.judged ? '—' : onTime ? '✓' : head}
                    </span>
                    {onTime ? null : (
                      <span className="dots">
                        {perMetric.map((d, index) => {
                          const status = row.byMetric[d.metric];
                          return (
                            <span
                              key={d.metric}
                              className="dot"
                              data-status={status ?? 'no-data'}
                              style={{ background: status ? STATUS_COLOUR[status] : COLORS.noData }}
                            >
                              {index + 1}
                            </span>
                          );
                        })}
                      </span>
                    )}
                    {since ? <span className="since">{since}</span> : null}
                  </li>
                );
              })}
              {hidden.length ? (
                <li
                  className="compliance-more"
                  data-testid="compliance-more"
                  data-fit-more=""
                  data-hidden={hidden.map((row) => row.unit).join(',')}
                  style={moreStyle(moreTop)}
                >
                  +{formatNumber(hidden.length, lang)} {t('wall.compliance.more')}
                  {hidden.every((row) => row.judged && row.status === 'on_time') ? ` (${t('wall.compliance.moreOnTime')})` : ''}
                </li>
              ) : null}
            </ul>
          </div>
        )}
      </PanelBody>
    </PanelFrame>
  );
}
