/**
 * ECharts is most of the wall's JavaScript (about half of it gzip): it is loaded on its own, after the page's first
 * paint, so the KPI numbers, alerts and compliance lines show while the charts' code is still on its way. The console
 * loads it up front (console/echarts-extra.ts imports it statically) and gets the same module from here.
 */
import type * as EChartsModule from './echarts';

type ECharts = typeof EChartsModule;

let loading: Promise<ECharts> | null = null;

/** The registered ECharts (once loaded, every call answers the same module); retried after a failed download. */
export function loadECharts(): Promise<ECharts> {
  loading ??= import('./echarts').catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
