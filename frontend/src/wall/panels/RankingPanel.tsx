import { useEffect, useMemo, useState } from 'react';
import { useBoxSize } from '../../charts/EChart';
import { EChart } from '../../charts/EChart';
import { fitRanking, rankingOption, rankingSlots } from '../../charts/options/ranking';
import { formatDate, formatNumber } from '../../lib/format';
import type { RankingPanel as RankingPanelT } from '../../lib/pages';
import { computeRanking, type UnitValue } from '../../lib/ranking';
import { rankingName } from '../../lib/short-names';
import { previousPeriodAsOf } from '../../lib/time';
import { useT, useWall } from '../context';
import { unitKindOf, useUnitValues } from '../data';
import { PanelBody, PanelFrame } from './PanelFrame';
import { UnitPicker, useProvenance } from '../ProvenanceOverlay';

/** Top and bottom provinces or ministries, with their change of rank since the previous period. */
export function RankingPanel({ panel }: { panel: RankingPanelT }) {
  const { api, catalog, lang, scale } = useWall();
  const t = useT();
  const metric = catalog.metric(panel.query.metric);
  const { values, previous: bucketPrevious, state } = useUnitValues(panel.query, metric?.defaultAggregation ?? 'last');
  const provenance = useProvenance();
  const [latestPrevious, setPrevious] = useState<UnitValue[]>([]);
  const previous = useMemo<UnitValue[]>(
    // ranks are compared among the units shown now
    () =>
      bucketPrevious
        ? [...bucketPrevious.entries()].map(([unit, value]) => ({ unit, value }))
        : latestPrevious.filter((v) => values.has(v.unit)),
    [bucketPrevious, latestPrevious, values],
  );
  const current = useMemo<UnitValue[]>(() => [...values.entries()].map(([unit, v]) => ({ unit, value: v.value })), [values]);
  const newestTs = useMemo(() => {
    let max = 0;
    for (const v of values.values()) max = Math.max(max, new Date(v.ts).getTime());
    return max;
  }, [values]);
  const asOf = newestTs && metric && !panel.query.bucket ? previousPeriodAsOf(metric.cadence, newestTs) : null;

  useEffect(() => {
    if (asOf === null || !panel.display.showRankChange) return;
    const controller = new AbortController();
    api
      .latest(
        { metric: panel.query.metric, unitKind: unitKindOf(panel.query.units), asOf: new Date(asOf).toISOString() },
        controller.signal,
      )
      .then((response) => setPrevious(response.values.map((v) => ({ unit: v.unit, value: v.value }))))
      .catch(() => setPrevious([]));
    // the previous period only changes when the newest period does
    return () => controller.abort();
  }, [api, panel, asOf]);

  const ranking = useMemo(
    () =>
      computeRanking(current, previous, {
        betterWhen: metric?.betterWhen ?? 'higher',
        top: panel.display.top,
        bottom: panel.display.bottom,
      }),
    [current, previous, metric, panel],
  );
  const names = useMemo(
    () =>
      Object.fromEntries(
        current.map((row) => {
          const unit = catalog.unit(row.unit);
          return [row.unit, unit ? rankingName(unit, lang) : row.unit];
        }),
      ),
    [current, catalog, lang],
  );
  // as many bars as the panel's height holds with labels at the wall's smallest text, never squeezed together
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const height = useBoxSize(box)?.height ?? null;
  const shown = useMemo(() => (height ? fitRanking(ranking.rows, height, scale) : []), [ranking, height, scale]);
  const option = useMemo(
    () =>
      rankingOption({
        lang,
        scale,
        rows: shown,
        names,
        metricKind: metric?.kind ?? 'gauge',
        decimals: panel.display.decimals,
        showRankChange: panel.display.showRankChange,
      }),
    [shown, names, lang, scale, metric, panel],
  );

  return (
    <PanelFrame
      panel={panel}
      freshness={{ asOf: newestTs || null, cadence: metric?.cadence ?? null }}
      aside={
        ranking.total && asOf && panel.display.showRankChange ? (
          <span className="muted" title={`${formatNumber(ranking.total, lang)}`}>
            {t('wall.previous')}: {formatDate(asOf, lang).slice(0, lang === 'vi' ? 5 : 6)}
          </span>
        ) : null
      }
    >
      <PanelBody state={state} hasData={ranking.rows.length > 0}>
        {() => (
          <div className="ranking" data-testid="ranking" data-rows={shown.length} ref={setBox}>
            <EChart
              option={option}
              label={panel.title[lang]}
              onClick={(c) => {
                const row = c.dataIndex === undefined ? null : rankingSlots(shown)[c.dataIndex];
                if (row) provenance.open({ metric: panel.query.metric, unit: row.unit });
              }}
            />
            <UnitPicker metric={panel.query.metric} units={ranking.rows.map((r) => r.unit)} values={values} />
          </div>
        )}
      </PanelBody>
    </PanelFrame>
  );
}
