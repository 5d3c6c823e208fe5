import { useEffect, useMemo } from 'react';
import { CADENCE_TEXT, unitOfMeasure } from '../../app/catalog';
import { EChart } from '../../charts/EChart';
import { sparklineOption } from '../../charts/options/sparkline';
import { COLORS } from '../../charts/theme';
import { formatChange, formatCompact, formatDate, formatDateTime, formatNumber, formatValue } from '../../lib/format';
import { durationMs } from '../../lib/aggregate';
import { kpiSummary, referenceLabel, tileMeasure } from '../../lib/kpi';
import { pageOf, type KpiPanel } from '../../lib/pages';
import { bucketStart } from '../../lib/time';
import { useNow, useT, useWall } from '../context';
import { useSeries } from '../data';
import { useFirstFigures } from '../priority';
import { useReference } from '../reference';
import { shortLegalSource } from '../../lib/short-names';
import { PanelBody, PanelFrame, Placeholder } from './PanelFrame';
import { useProvenanceTrigger } from '../ProvenanceOverlay';
import { targetText, tileTargetStatus } from '../../lib/targets';
import { useTargetStatus } from '../target-status';

const TARGET_TONE = { good: COLORS.good, warn: COLORS.warning, bad: COLORS.critical, neutral: COLORS.gold } as const;

/**
 * National value, change over the period, progress to its target (deadline, legal source), sparkline and
 * the as-of time of the data; greyed out, and saying so, when the data are older than the indicator's cadence.
 */
export function KpiTile({ panel }: { panel: KpiPanel }) {
  const { catalog, lang, scale } = useWall();
  const t = useT();
  const now = useNow(30_000);
  const unit = Array.isArray(panel.query.units) ? panel.query.units[0]! : 'VN';
  const metric = catalog.metric(panel.query.metric);
  const provenance = useProvenanceTrigger({ metric: panel.query.metric, unit });
  // the tile's figures are asked for ahead of the rest of the page, which waits for them (priority.ts)
  const first = useFirstFigures();
  const { series, state } = useSeries(
    {
      metric: panel.query.metric,
      units: [unit],
      range: panel.query.range,
      bucket: panel.query.bucket,
      agg: panel.query.agg,
      includePredecessors: panel.query.includePredecessors,
      maxPoints: 120,
      fallbackToHistory: true,
    },
    first?.api,
  );
  useEffect(() => {
    if (state !== 'loading') first?.settled(panel.id);
  }, [first, state, panel.id]);
  const points = useMemo(() => series[unit] ?? [], [series, unit]);
  // the page's one reference for all its tiles (dashboards/pages/*.yaml `compare:`)
  const compare = pageOf(panel)?.compare ?? 'same-time-previous-day';
  const defaultAgg = metric?.defaultAggregation ?? 'last';
  const { reference } = useReference({
    compare,
    metric: panel.query.metric,
    unit,
    bucket: panel.query.bucket,
    agg: panel.query.agg,
    defaultAgg,
    cadence: metric?.cadence ?? 'irregular',
    includePredecessors: panel.query.includePredecessors,
    now,
  });
  const amountTile = panel.query.bucket !== undefined && tileMeasure(panel.query, defaultAgg) === 'amount';
  const summary = useMemo(
    () =>
      kpiSummary(points, {
        metric: panel.query.metric,
        unit,
        cadence: metric?.cadence ?? 'irregular',
        targets: metric?.targets ?? [],
        thresholds: panel.display.thresholds,
        now,
        reference,
        currentBucketStart: amountTile && panel.query.bucket ? bucketStart(now, panel.query.bucket) : null,
      }),
    [points, metric, panel, unit, now, reference, amountTile],
  );
  const spark = useMemo(() => sparklineOption(points, { lang, scale, stale: summary.stale }), [points, lang, scale, summary.stale]);
  // the current target's status as the backend judges it (GET /api/v1/targets), read again when a newer value arrives
  const targetRows = useTargetStatus(panel.query.metric, unit, summary.asOf, panel.display.showTarget && summary.target !== null);

  if (!metric)
    return (
      <PanelFrame panel={panel}>
        <Placeholder text={`${panel.query.metric}?`} tone="error" />
      </PanelFrame>
    );
  const decimals = panel.display.decimals;
  const uom = unitOfMeasure(metric, lang);
  const big =
    metric.kind === 'ratio' ? formatValue(summary.value, metric, lang, decimals) : formatCompact(summary.value, lang, decimals || 1);
  const exact =
    metric.kind !== 'ratio' && summary.value !== null && Math.abs(summary.value) >= 1e6
      ? formatNumber(summary.value, lang, decimals)
      : null;
  const target = summary.target as (typeof metric.targets)[number] | null;
  const targetRow = target ? (targetRows?.find((r) => r.target.id === target.id) ?? null) : null;
  const targetStatus = target ? tileTargetStatus(target, targetRow, summary.progress, lang) : null;
  // a running amount against a whole period is not better or worse, only different: no colour
  const changeGood =
    summary.change === null || summary.change === 0 || !summary.fairChange ? null : summary.change > 0 === (metric.betterWhen === 'higher');

  return (
    <PanelFrame panel={panel} stale={summary.stale}>
      <PanelBody state={state} hasData={summary.value !== null}>
        {() => (
          <div className="kpi" {...provenance}>
            <div className="kpi-main">
              <div
                className="kpi-value"
                style={summary.thresholdColour && !summary.stale ? { color: summary.thresholdColour } : undefined}
                data-testid="kpi-value"
                data-exact={exact ?? undefined}
                title={exact ?? undefined}
              >
                {big}
                {uom && metric.kind !== 'ratio' ? <span className="kpi-uom"> {uom}</span> : null}
              </div>
            </div>
            <div
              className={`kpi-change ${changeGood === null ? '' : changeGood ? 'good' : 'bad'}`}
              data-testid="kpi-change"
              data-reference={summary.reference?.kind ?? 'none'}
            >
              {summary.reference ? (
                <>
                  {summary.change !== null ? (
                    <>
                      <span className="arrow">{summary.change > 0 ? '▲' : summary.change < 0 ? '▼' : '■'}</span>{' '}
                      {formatChange(summary.change, metric, lang, decimals || 1)}{' '}
                    </>
                  ) : null}
                  {/* the date and kind of the reference fit the tile; its value is kept for a closer look */}
                  <span
                    className="muted"
                    data-testid="kpi-reference"
                    data-reference-value={summary.reference.value}
                    title={formatValue(summary.reference.value, metric, lang, decimals)}
                  >
                    {referenceLabel(summary.reference, lang, now)}
                  </span>
                </>
              ) : null}
            </div>
            <div className="kpi-spark">
              {panel.display.showSparkline && points.length > 1 ? <EChart option={spark} label={panel.title[lang]} /> : null}
            </div>
            {panel.display.showTarget && target ? (
              <div className={`kpi-target ${targetStatus!.className}`} data-target-status={targetRow?.status ?? 'loading'}>
                <div className="kpi-target-line">
                  <span>
                    {t('wall.target')} {targetText(target, metric, lang, decimals)}
                  </span>
                  <span className="kpi-target-status">{targetStatus!.text}</span>
                </div>
                <div className="progress">
                  <div
                    className="progress-fill"
                    style={{
                      width: `${Math.min(100, summary.progress ?? 0)}%`,
                      background: TARGET_TONE[targetStatus!.tone],
                    }}
                  />
                </div>
                {/* cited short on the tile (kind and number), in full on hover and in the drill-down */}
                <div className="kpi-legal" title={lang === 'vi' ? target.legalSourceVi : target.legalSourceEn}>
                  {shortLegalSource(lang === 'vi' ? target.legalSourceVi : target.legalSourceEn)}
                </div>
              </div>
            ) : null}
            {/* a value of a day or longer is dated by its day; stale in a word on the tile, the cadence on hover */}
            <div className="kpi-asof">
              {t('wall.asOf')}{' '}
              {panel.query.bucket && durationMs(panel.query.bucket) >= 86_400_000
                ? formatDate(summary.asOf, lang)
                : formatDateTime(summary.asOf, lang)}
              {summary.stale ? (
                <span className="stale-note" title={`${t('wall.staleDetail')} (${CADENCE_TEXT[metric.cadence][lang]})`}>
                  {' '}
                  · {t('wall.staleShort')}
                </span>
              ) : null}
            </div>
          </div>
        )}
      </PanelBody>
    </PanelFrame>
  );
}
