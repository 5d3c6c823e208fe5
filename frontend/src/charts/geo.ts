/**
 * The 34 provinces (GeoJSON bundled with the build as a hashed asset, loaded on demand: no tiles, no CDN).
 * Hoàng Sa is part of feature 48 (Đà Nẵng) and Trường Sa of feature 56 (Khánh Hoà). See geo/SOURCE.md.
 */
import geoUrl from '../geo/vn-34-provinces.geojson?url';
import { registerMap } from './echarts';
import { MAP_NAME } from './options/map';

let loading: Promise<string[]> | null = null;

/** Registers the map once; resolves to the province codes it holds. */
export function loadProvinceMap(): Promise<string[]> {
  loading ??= fetch(geoUrl)
    .then((response) => {
      if (!response.ok) throw new Error(`province map: ${response.status}`);
      return response.json();
    })
    .then((geo: { features: Array<{ properties: { code: string } }> }) => {
      registerMap(MAP_NAME, geo as never);
      return geo.features.map((f) => f.properties.code);
    })
    .catch((error) => {
      loading = null;
      throw error;
    });
  return loading;
}
