import { useEffect, useMemo, useState } from 'react';
import { EChart, useBoxSize } from '../../charts/EChart';
import { loadProvinceMap, provinceGeometry } from '../../charts/geo';
import { highlightedProvinces, mapOption, placeLabels } from '../../charts/options/map';
import { formatNumber } from '../../lib/format';
import { newestOf } from '../../lib/freshness';
import type { MapPanel as MapPanelT } from '../../lib/pages';
import { visibleAlerts } from '../alert-store';
import { useAlerts, useT, useWall } from '../context';
import { useUnitValues } from '../data';
import { PanelFrame, Placeholder } from './PanelFrame';
import { UnitPicker, useProvenance } from '../ProvenanceOverlay';

/** Choropleth of the 34 provinces; provinces without data are shown as such, never as zero. */
export function MapPanel({ panel }: { panel: MapPanelT }) {
  const { catalog, lang, scale, alerts: alertStore } = useWall();
  const { alerts } = useAlerts(alertStore);
  const t = useT();
  const metric = catalog.metric(panel.query.metric);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [mapError, setMapError] = useState(false);
  const { values, state } = useUnitValues(panel.query, metric?.defaultAggregation ?? 'last');
  const provenance = useProvenance();

  useEffect(() => {
    let alive = true;
    loadProvinceMap().then(
      (loaded) => alive && setCodes(loaded),
      () => alive && setMapError(true),
    );
    return () => {
      alive = false;
    };
  }, []);

  const names = useMemo(
    () => Object.fromEntries((codes ?? []).map((code) => [code, catalog.unitName(code, lang)])),
    [codes, catalog, lang],
  );
  const rows = useMemo(() => [...values.entries()].map(([unit, v]) => ({ unit, value: v.value, ts: v.ts })), [values]);
  // named on the map: provinces in alert on this indicator, the three highest and the three lowest
  const inAlert = useMemo(
    () => visibleAlerts(alerts, 'warning').flatMap((a) => (a.metric === panel.query.metric && values.has(a.unit) ? [a.unit] : [])),
    [alerts, panel, values],
  );
  const islands = useMemo(() => ({ hoangSa: t('wall.hoangSa'), truongSa: t('wall.truongSa') }), [t]);
  const [chartBox, setChartBox] = useState<HTMLDivElement | null>(null);
  const size = useBoxSize(chartBox);
  const labelled = useMemo(
    () =>
      codes && size && provinceGeometry
        ? placeLabels(highlightedProvinces(rows, inAlert), names, provinceGeometry, size, scale, islands)
        : [],
    [rows, inAlert, names, size, scale, codes, islands],
  );
  const option = useMemo(
    () =>
      codes
        ? mapOption({
            lang,
            scale,
            values: rows,
            codes,
            names,
            colours: panel.display.colours,
            metricKind: metric?.kind ?? 'gauge',
            decimals: panel.display.decimals,
            labels: { noData: t('wall.mapNoData'), hoangSa: t('wall.hoangSa'), truongSa: t('wall.truongSa'), asOf: t('wall.asOf') },
            labelled,
            geometry: provinceGeometry ?? undefined,
            size: size ?? undefined,
          })
        : null,
    [codes, rows, names, lang, scale, panel, metric, t, labelled, size],
  );
  const withData = codes ? codes.filter((c) => values.has(c)).length : 0;
  const newest = newestOf(rows.map((r) => r.ts));

  return (
    <PanelFrame
      panel={panel}
      freshness={{ asOf: newest, cadence: metric?.cadence ?? null }}
      aside={
        codes ? (
          <span className="muted">
            {formatNumber(withData, lang)}/{formatNumber(codes.length, lang)}
          </span>
        ) : null
      }
    >
      {mapError ? (
        <Placeholder text={t('wall.error')} tone="error" />
      ) : !option || state === 'loading' ? (
        <Placeholder text={t('wall.loading')} loading />
      ) : (
        <div className="map">
          <div
            className="map-chart"
            ref={setChartBox}
            data-testid="province-map"
            data-provinces={codes?.length ?? 0}
            data-with-data={withData}
            data-labelled={labelled.join(',')}
          >
            <EChart
              option={option}
              label={panel.title[lang]}
              onClick={(c) => c.name && provenance.open({ metric: panel.query.metric, unit: c.name })}
            />
            <UnitPicker metric={panel.query.metric} units={codes ?? []} values={values} sortByName />
          </div>
          <div className="map-legend">
            <span className="swatch nodata" /> {t('wall.mapNoData')}: {formatNumber((codes?.length ?? 0) - withData, lang)}
            {state === 'unauthorized' ? <span className="error"> · {t('wall.unauthorized')}</span> : null}
          </div>
        </div>
      )}
    </PanelFrame>
  );
}
