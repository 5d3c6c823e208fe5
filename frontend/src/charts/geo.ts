/**
 * The 34 provinces (GeoJSON bundled with the build as a hashed asset, loaded on demand: no tiles, no CDN), as
 * scripts/simplify-map.mjs derives them for the wall's size from geo/vn-34-provinces.geojson.
 * Hoàng Sa is part of feature 48 (Đà Nẵng) and Trường Sa of feature 56 (Khánh Hoà). See geo/SOURCE.md.
 */
import geoUrl from '../geo/vn-34-provinces.wall.geojson?url';
import { loadECharts } from './load-echarts';
import { MAP_NAME, type MapGeometry } from './options/map';

let loading: Promise<string[]> | null = null;

type Ring = Array<[number, number]>;
type Geometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

/** Where each province's name goes and the extent of the whole map (lon/lat), once the map is loaded. */
export let provinceGeometry: MapGeometry | null = null;

/** A province's name sits at the centre of its largest part's bounding box, as ECharts places region labels. */
export function geometryOf(features: Array<{ properties: { code: string }; geometry: Geometry }>): MapGeometry {
  const anchors: Record<string, [number, number]> = {};
  const all = [Infinity, Infinity, -Infinity, -Infinity] as [number, number, number, number];
  for (const feature of features) {
    const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    let best: [number, number, number, number] | null = null;
    let bestArea = -1;
    for (const polygon of polygons) {
      const box = [Infinity, Infinity, -Infinity, -Infinity] as [number, number, number, number];
      for (const [lon, lat] of polygon[0] ?? []) {
        box[0] = Math.min(box[0], lon);
        box[1] = Math.min(box[1], lat);
        box[2] = Math.max(box[2], lon);
        box[3] = Math.max(box[3], lat);
      }
      const area = (box[2] - box[0]) * (box[3] - box[1]);
      if (area > bestArea) [best, bestArea] = [box, area];
      all[0] = Math.min(all[0], box[0]);
      all[1] = Math.min(all[1], box[1]);
      all[2] = Math.max(all[2], box[2]);
      all[3] = Math.max(all[3], box[3]);
    }
    if (best) anchors[feature.properties.code] = [(best[0] + best[2]) / 2, (best[1] + best[3]) / 2];
  }
  return { anchors, bounds: all };
}

/** Registers the map once; resolves to the province codes it holds. */
export function loadProvinceMap(): Promise<string[]> {
  // the shape and the charts' code download side by side
  loading ??= Promise.all([
    fetch(geoUrl).then((response) => {
      if (!response.ok) throw new Error(`province map: ${response.status}`);
      return response.json();
    }),
    loadECharts(),
  ])
    .then(
      ([geo, { registerMap }]: [
        { features: Array<{ properties: { code: string }; geometry: Geometry }> },
        Awaited<ReturnType<typeof loadECharts>>,
      ]) => {
        registerMap(MAP_NAME, geo as never);
        provinceGeometry = geometryOf(geo.features);
        return geo.features.map((f) => f.properties.code);
      },
    )
    .catch((error) => {
      loading = null;
      throw error;
    });
  return loading;
}
