/**
 * The wall's pages come from one place: the reviewed definitions in dashboards/pages/*.yaml, provisioned by the
 * backend and served at GET /api/v1/dashboards. The wall validates them through the same schema
 * (`@dxoc/dashboards`) and keeps no copy of its own that could drift.
 */
import { DashboardPage } from '@dxoc/dashboards/schema';

export type { DashboardPage };
export type Panel = DashboardPage['panels'][number];

const pageOfPanel = new WeakMap<Panel, DashboardPage>();

/**
 * The page a panel was parsed with, for the settings a page makes once for all its panels (`compare`): a panel
 * rendered from parsePages' answer finds its page without every panel being handed it.
 */
export function pageOf(panel: Panel): DashboardPage | undefined {
  return pageOfPanel.get(panel);
}

/** Validate through the shared schema; a page that fails is left out and reported, never half-drawn. */
export function parsePages(input: unknown[]): { pages: DashboardPage[]; errors: string[] } {
  const pages: DashboardPage[] = [];
  const errors: string[] = [];
  input.forEach((raw, index) => {
    const result = DashboardPage.safeParse(raw);
    if (result.success) {
      pages.push(result.data);
      for (const panel of result.data.panels) pageOfPanel.set(panel, result.data);
    } else errors.push(`page ${index}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  });
  pages.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { pages, errors };
}

/** Rotation: the page after `current`, or the pinned one. */
export function nextPageIndex(count: number, current: number): number {
  return count === 0 ? 0 : (current + 1) % count;
}

export type KpiPanel = Extract<Panel, { kind: 'kpi' }>;
export type MapPanel = Extract<Panel, { kind: 'map' }>;
export type RankingPanel = Extract<Panel, { kind: 'ranking' }>;
export type TimeseriesPanel = Extract<Panel, { kind: 'timeseries' }>;
export type AlertsPanel = Extract<Panel, { kind: 'alerts' }>;
export type CompliancePanel = Extract<Panel, { kind: 'compliance' }>;
export type DirectivesPanel = Extract<Panel, { kind: 'directives' }>;
