import { describe, expect, it } from 'vitest';
import { DashboardPage } from '@dxoc/dashboards/schema';
import { seedMetrics } from '@dxoc/contracts/reference';
import { BUILT_IN_PAGES, builtInPages, nextPageIndex, parsePages } from './pages';

describe('the built-in wall pages (used while the backend serves no /api/v1/dashboards)', () => {
  it('are the five pages of the issue, valid under the shared schema', () => {
    const { pages, errors } = parsePages(BUILT_IN_PAGES);
    expect(errors).toEqual([]);
    expect(pages.map((p) => p.id)).toEqual(['national-overview', 'online-public-services', 'population-data', 'e-invoices', 'reporting-compliance']);
    for (const page of BUILT_IN_PAGES) expect(DashboardPage.safeParse(page).success).toBe(true);
  });

  it('name only metric codes of the seeded catalogue', () => {
    const codes = new Set(seedMetrics.map((m) => m.code));
    const used = builtInPages().flatMap((p) => p.panels.flatMap((panel) => ('query' in panel ? [panel.query.metric] : 'metrics' in panel ? panel.metrics : [])));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('cover every panel kind', () => {
    const kinds = new Set(builtInPages().flatMap((p) => p.panels.map((panel) => panel.kind)));
    expect([...kinds].sort()).toEqual(['alerts', 'compliance', 'kpi', 'map', 'ranking', 'timeseries']);
  });

  it('a page that fails the schema is reported and left out, the others kept', () => {
    const broken = { ...BUILT_IN_PAGES[0], id: 'Bad Id' };
    const { pages, errors } = parsePages([broken, BUILT_IN_PAGES[1]]);
    expect(pages.map((p) => p.id)).toEqual(['online-public-services']);
    expect(errors[0]).toMatch(/^page 0: id:/);
  });

  it.each([
    [5, 0, 1],
    [5, 4, 0],
    [1, 0, 0],
    [0, 0, 0],
  ])('rotation: %s pages, after %s comes %s', (count, current, expected) => {
    expect(nextPageIndex(count, current)).toBe(expected);
  });
});
