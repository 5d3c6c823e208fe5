import { useMemo, useState } from 'react';
import { unitOfMeasure } from '../../app/catalog';
import { EChart, useBoxSize } from '../../charts/EChart';
import { liveWindow, timeseriesOption } from '../../charts/options/timeseries';
import { COLORS } from '../../charts/theme';
import { durationMs } from '../../lib/aggregate';
import { formatClock, formatDate, formatValue } from '../../lib/format';
import { newestOf } from '../../lib/freshness';
import type { TimeseriesPanel as TimeseriesPanelT } from '../../lib/pages';
import { pickTarget } from '../../lib/targets';
import { rangeMs } from '../../lib/time';
import { useNow, useT, useWall } from '../context';
import { useSeries } from '../data';
import { PanelBody, PanelFrame } from './PanelFrame';

/** Units a timeseries panel draws: explicit ones (at most 8), else the national series. */
export function seriesUnits(units: TimeseriesPanelT['query']['units']): string[] {
  return Array.isArray(units) ? units.slice(0, 8) : ['VN'];
}

/** Live lines that scroll as values arrive over the socket, with target and threshold lines. */
export function TimeseriesPanel({ panel }: { panel: TimeseriesPanelT }) {
  const { catalog, lang, scale } = useWall();
  const t = useT();
  const now = useNow(5_000);
  const metric = catalog.metric(panel.query.metric);
  const units = useMemo(() => seriesUnits(panel.query.units), [panel]);
  const { series, state, lastLive } = useSeries({
    metric: panel.query.metric,
    units,
    range: panel.query.range,
    bucket: panel.query.bucket,
    agg: panel.query.agg,
    includePredecessors: panel.query.includePredecessors,
    maxPoints: panel.display.maxPoints,
  });
  const windowMs = rangeMs(panel.query.range, now);
  const hasRecent = Object.values(series).some((points) => points.some((p) => p.t >= now - windowMs));
  const total = Object.values(series).reduce((n, points) => n + points.length, 0);
  const first = series[units[0]!] ?? [];
  const newest = first[first.length - 1];
  const [chartBox, setChartBox] = useState<HTMLDivElement | null>(null);
  const chartHeight = useBoxSize(chartBox)?.height ?? null;
  const option = useMemo(() => {
    const target = panel.display.showTarget && metric ? pickTarget(metric.targets, panel.query.metric, units[0]!, now) : null;
    return timeseriesOption({
      lang,
      scale,
      series: units.map((unit, index) => ({
        name: catalog.unitName(unit, lang),
        points: series[unit] ?? [],
        ...(panel.display.colours[index] ? { color: panel.display.colours[index] } : {}),
      })),
      targets: target
        ? [
            {
              value: target.value,
              label: `${t('wall.target')} ${formatValue(target.value, metric, lang)} · ${formatDate(`${target.deadline}T00:00:00+07:00`, lang)}`,
            },
          ]
        : [],
      thresholds: panel.display.thresholds.map((th) => ({
        value: th.value,
        color: th.colour,
        label: th.label ? th.label[lang] : formatValue(th.value, metric, lang),
      })),
      metricKind: metric?.kind ?? 'gauge',
      decimals: 2,
      xWindow: hasRecent ? liveWindow(Object.values(series), now, windowMs) : null,
      heightPx: chartHeight ?? undefined,
    });
    // now moves the window: the chart scrolls every few seconds
  }, [series, units, lang, scale, panel, metric, catalog, hasRecent, now, windowMs, t, chartHeight]);

  const uom = unitOfMeasure(metric, lang);
  // a bucket's point is dated by the bucket's start and holds its values up to the bucket's end
  const bucketMs = panel.query.bucket ? durationMs(panel.query.bucket) : 0;
  const asOf = newestOf(Object.values(series).map((points) => points[points.length - 1]?.t));
  return (
    <PanelFrame
      panel={panel}
      freshness={{ asOf, cadence: metric?.cadence ?? null, periodMs: bucketMs, dateOnly: bucketMs >= 86_400_000 }}
      aside={
        newest ? (
          <span className="ts-latest" data-testid="ts-latest" data-value={newest.v} data-live={lastLive ? 'yes' : 'no'}>
            {lastLive ? <span className="live-dot" /> : null}
            <b>{formatValue(newest.v, metric, lang)}</b> {uom} ·{' '}
            {now - newest.t < 86_400_000 ? formatClock(newest.t, false) : formatDate(newest.t, lang)}
          </span>
        ) : null
      }
    >
      <PanelBody state={state} hasData={total > 0}>
        {() => (
          <div className={units.length > 1 ? 'timeseries with-legend' : 'timeseries'} data-testid="timeseries" data-points={total}>
            {units.length > 1 ? (
              <div className="series-legend">
                {units.map((unit, index) => (
                  <span key={unit}>
                    <span
                      className="swatch"
                      style={{ background: panel.display.colours[index] ?? COLORS.series[index % COLORS.series.length] }}
                    />{' '}
                    {catalog.unitName(unit, lang)}
                  </span>
                ))}
              </div>
            ) : null}
            <div className="timeseries-chart" ref={setChartBox}>
              <EChart option={option} label={panel.title[lang]} />
            </div>
          </div>
        )}
      </PanelBody>
    </PanelFrame>
  );
}
