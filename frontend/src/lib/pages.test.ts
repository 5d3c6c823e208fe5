import { describe, expect, it } from 'vitest';
import { loadDashboards } from '@dxoc/dashboards';
import { nextPageIndex, pageOf, parsePages, type KpiPanel } from './pages';

// The pages as the backend serves them: the reviewed YAML, loaded and sent as JSON.
const served = (): unknown[] => JSON.parse(JSON.stringify(loadDashboards()));

describe('the wall pages served by the backend (dashboards/pages/*.yaml, the one source)', () => {
  it('parse in the wall, all ten, in order', () => {
    const { pages, errors } = parsePages(served());
    expect(errors).toEqual([]);
    expect(pages.map((p) => p.id)).toEqual([
      'national-overview',
      'online-public-services',
      'one-stop-shop',
      'population-data',
      'national-databases',
      'e-invoices',
      'e-government-platforms',
      'reporting-compliance',
      'government-reporting',
      'international-standing',
    ]);
  });

  it('cover every panel kind the wall draws', () => {
    const kinds = new Set(parsePages(served()).pages.flatMap((p) => p.panels.map((panel) => panel.kind)));
    expect([...kinds].sort()).toEqual(['alerts', 'compliance', 'directives', 'kpi', 'map', 'ranking', 'timeseries']);
  });

  it("a panel finds its own page's comparison, even when another page has a panel with the same id and query", () => {
    const { pages } = parsePages(served());
    const overview = pages.find((p) => p.id === 'national-overview')!;
    const population = pages.find((p) => p.id === 'population-data')!;
    const records = (page: typeof overview) => page.panels.find((panel) => panel.id === 'citizen-records') as KpiPanel;
    expect(records(overview).query).toEqual(records(population).query);
    expect(pageOf(records(overview))?.compare).toBe('same-time-previous-day');
    expect(pageOf(records(population))?.compare).toBe('same-time-previous-month');
  });

  it('a page that fails the schema is reported and left out, the others kept', () => {
    const [first, second] = served() as Record<string, unknown>[];
    const { pages, errors } = parsePages([{ ...first, id: 'Bad Id' }, second]);
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
