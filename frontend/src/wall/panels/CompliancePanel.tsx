import { useEffect, useMemo, useRef, useState } from 'react';
import type { ComplianceResponse } from '@dxoc/contracts';
import { metricName } from '../../app/catalog';
import { COLORS } from '../../charts/theme';
import { complianceCounts, mergeCompliance, type UnitCompliance } from '../../lib/compliance';
import { formatDateTime, formatDuration, formatNumber } from '../../lib/format';
import type { CompliancePanel as CompliancePanelT } from '../../lib/pages';
import { useReload, useT, useWall } from '../context';
import { channelUnits, stateOf, unitKindOf, type LoadState } from '../data';
import { PanelBody, PanelFrame } from './PanelFrame';

interface MetricCompliance {
  metric: string;
  units: UnitCompliance[];
  periodStart: string | null;
  dueBy: string | null;
}

const STATUS_COLOUR = { on_time: COLORS.good, late: COLORS.warning, never: COLORS.critical } as const;

/** Which units reported on time for the current period, which are late and by how long. */
export function CompliancePanel({ panel }: { panel: CompliancePanelT }) {
  const { api, live, catalog, lang } = useWall();
  const t = useT();
  const reload = useReload();
  const [data, setData] = useState<MetricCompliance[]>([]);
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
        const results = await Promise.all(
          metrics.map(async (metric): Promise<MetricCompliance> => {
            const response: ComplianceResponse = await api.compliance({ metric, unitKind: kind }, controller.signal);
            return { metric, units: response.units, periodStart: response.periodStart, dueBy: response.dueBy };
          }),
        );
        setData(results);
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

  const rows = useMemo(() => mergeCompliance(data, units), [data, units]);
  const counts = complianceCounts(rows.map((r) => ({ status: r.worst })));
  const period = data.find((d) => d.periodStart);

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
      <PanelBody state={state} hasData={data.length > 0} errorKey="wall.compliance.unavailable">
        {() => (
          <div className="compliance" data-testid="compliance">
            <div className="compliance-summary">
              {(['on_time', 'late', 'never'] as const).map((status) => (
                <div key={status} className={`compliance-count ${status}`}>
                  <span className="n">{formatNumber(counts[status], lang)}</span>
                  <span className="label">{t(`wall.compliance.${status === 'on_time' ? 'onTime' : status}`)}</span>
                </div>
              ))}
              <div className="compliance-metrics">
                {data.map((d, index) => (
                  <div key={d.metric} className="compliance-metric">
                    <span className="metric-index">{index + 1}</span> {metricName(catalog.metric(d.metric), lang)}
                  </div>
                ))}
              </div>
            </div>
            <ul className="compliance-grid">
              {rows.slice(0, panel.display.maxItems).map((row) => (
                <li key={row.unit} className={`compliance-unit ${row.worst}`} data-unit={row.unit} data-status={row.worst}>
                  <span className="unit-name">{catalog.unitName(row.unit, lang)}</span>
                  <span className="late">
                    {row.worst === 'on_time'
                      ? '✓'
                      : row.worst === 'never'
                        ? t('wall.compliance.never')
                        : `${t('console.lateness')} ${formatDuration(row.lateBySeconds, lang)}`}
                  </span>
                  <span className="dots">
                    {data.map((d, index) => {
                      const status = row.byMetric[d.metric];
                      return (
                        <span
                          key={d.metric}
                          className="dot"
                          style={{ background: status ? STATUS_COLOUR[status] : COLORS.noData }}
                          title={`${index + 1}`}
                        >
                          {index + 1}
                        </span>
                      );
                    })}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </PanelBody>
    </PanelFrame>
  );
}
