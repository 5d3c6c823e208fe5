import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '@dxoc/contracts';
import { seedMetrics } from '@dxoc/contracts/reference';
import { referenceCatalog } from './catalog-source';
import { main } from './cli';
import { DEFAULT_PAGES_DIR, DashboardDefinitionError, loadDashboards, parseDashboardFile, validateDashboards } from './loader';
import type { DashboardCatalog } from './references';

const catalog: DashboardCatalog = {
  metrics: [
    { code: 'dvc.services_online', unitKinds: ['nation', 'province', 'ministry'] },
    { code: 'einvoice.issued', unitKinds: ['nation', 'province'] },
  ],
  units: [
    { code: 'VN', kind: 'nation', validUntil: null },
    { code: '79', kind: 'province', validUntil: null },
    { code: '74', kind: 'province', validUntil: '2025-07-01', successors: ['79'] },
    { code: 'BCA', kind: 'ministry', validUntil: null },
  ],
};

const kpi = (extra = '') => `
  - id: services
    kind: kpi
    title: { vi: Dịch vụ công, en: Online services }
    position: { x: 0, y: 0, w: 3, h: 2 }
    query: { metric: dvc.services_online, units: [VN] }${extra}`;

const page = (panels: string, header = 'schemaVersion: 1\nid: sample\norder: 0') =>
  `${header}\ntitle: { vi: Trang thử, en: Sample page }\npanels:${panels}\n`;

describe('the shipped definitions', () => {
  it('are all valid against the reference catalog, one per page of the wall, sorted by order', () => {
    const result = validateDashboards(DEFAULT_PAGES_DIR, { catalog: referenceCatalog() });
    expect(result.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`)).toEqual([]);
    expect(result.pages.map((p) => p.id)).toEqual([
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
    expect(result.pages.map((p) => p.order)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  // Wall text is at least 2% of the screen height (issue 15): a panel needs room for it. These are the sizes below
  // which its content no longer fits at 1920×1080.
  it('stay legible at wall size: few panels, and each big enough for its kind', () => {
    const problems: string[] = [];
    for (const page of loadDashboards()) {
      if (page.panels.length > 8) problems.push(`${page.id}: ${page.panels.length} panels (at most 8)`);
      for (const panel of page.panels) {
        const { w, h } = panel.position;
        const at = `${page.id}/${panel.id} (${panel.kind} ${w}×${h})`;
        if (panel.kind === 'kpi' && (w < 3 || h < 2)) problems.push(`${at}: a tile needs 3×2`);
        if (panel.kind === 'timeseries' && (w < 4 || h < 3)) problems.push(`${at}: a chart needs 4×3`);
        if (panel.kind === 'map' && (w < 4 || h < 4)) problems.push(`${at}: a map needs 4×4`);
        // a unit's name, its count and its oldest directive on two lines, then the "+N" line
        if (panel.kind === 'directives' && (w < 3 || h < 3)) problems.push(`${at}: a directives list needs 3×3`);
        if (panel.kind === 'ranking') {
          const bars = panel.display.top + panel.display.bottom;
          if (h < 3) problems.push(`${at}: a ranking needs 3 rows`);
          if (bars > (h === 3 ? 8 : 10)) problems.push(`${at}: ${bars} bars (at most 8 on 3 rows, 10 on more)`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('ask a chart of a daily metric for the 30 days that agents and the simulator keep, not more', () => {
    const daily = new Set(seedMetrics.filter((m) => m.cadence === 'daily').map((m) => m.code));
    const tooLong = loadDashboards().flatMap((page) =>
      page.panels.flatMap((panel) => {
        if (panel.kind !== 'timeseries' || !daily.has(panel.query.metric)) return [];
        const range = parseDuration(panel.query.range);
        const days = range?.unit === 'd' ? range.count : range?.unit === 'h' ? range.count / 24 : Infinity;
        return days > 30 ? [`${page.id}/${panel.id}: ${panel.query.range}`] : [];
      }),
    );
    expect(tooLong).toEqual([]);
  });

  it('get the schema defaults applied, so the frontend receives complete panels', () => {
    const [overview] = loadDashboards();
    const map = overview?.panels.find((p) => p.kind === 'map');
    expect(map?.kind === 'map' && map.display.colours.length).toBeGreaterThanOrEqual(2);
    const services = overview?.panels.find((p) => p.id === 'services-online');
    expect(services?.kind === 'kpi' && services.query.includePredecessors).toBe(false);
  });
});

describe('comparisons are chosen once per page', () => {
  it('every shipped page says which, and a page that does not compares with the same time of the previous day', () => {
    const pages = loadDashboards();
    expect(Object.fromEntries(pages.map((p) => [p.id, p.compare]))).toEqual({
      'national-overview': 'same-time-previous-day',
      'online-public-services': 'same-time-previous-day',
      'one-stop-shop': 'same-time-previous-day',
      'population-data': 'same-time-previous-month',
      'national-databases': 'same-time-previous-month',
      'e-invoices': 'same-time-previous-day',
      'e-government-platforms': 'same-time-previous-month',
      'reporting-compliance': 'none',
      'government-reporting': 'previous-complete-month',
      'international-standing': 'none',
    });
    const { page: parsed } = parseDashboardFile('sample.yaml', page(kpi()), { catalog });
    expect(parsed?.compare).toBe('same-time-previous-day');
  });

  it.each(['previous-complete-day', 'same-time-previous-year', 'none'])('accepts compare: %s', (mode) => {
    const { page: parsed, problems } = parseDashboardFile(
      'sample.yaml',
      page(kpi(), `schemaVersion: 1\nid: sample\norder: 0\ncompare: ${mode}`),
    );
    expect(problems).toEqual([]);
    expect(parsed?.compare).toBe(mode);
  });
});

describe('a broken definition names the file, the line, the path inside it and what is wrong', () => {
  it.each([
    ['not YAML', 'schemaVersion: 1\npanels: [\n', '', 'not valid YAML', 3],
    ['a schema version from the future', page(kpi(), 'schemaVersion: 2\nid: sample\norder: 0'), 'schemaVersion', 'expected 1; got 2', 1],
    [
      'an unknown panel kind',
      page(kpi().replace('kind: kpi', 'kind: pie')),
      'panels[0].kind',
      'unknown panel kind "pie"; expected one of kpi, map, ranking, timeseries, alerts, compliance, directives',
      7,
    ],
    ['a misspelled field', page(kpi('\n    titel: x')), 'panels[0]', 'unknown field "titel"', 6],
    [
      'a Vietnamese title with a comma inside { }',
      page(kpi().replace('vi: Dịch vụ công,', 'vi: Dịch vụ công, trực tuyến,')),
      'panels[0].title',
      'put text that contains commas in quotes',
      8,
    ],
    [
      'a panel off the grid',
      page(kpi().replace('x: 0, y: 0, w: 3', 'x: 10, y: 0, w: 3')),
      'panels[0].position',
      'x + w must be at most 12',
      9,
    ],
    ['a missing query', page(kpi().replace(/\n {4}query: .*/, '')), 'panels[0].query', 'missing (expected a mapping of fields)', 6],
    [
      'a range in words',
      page(kpi().replace('units: [VN] }', 'units: [VN], range: 30 days }')),
      'panels[0].query.range',
      'a range like "24h", "30d", "12mo", "10y"; got "30 days"',
      10,
    ],
    [
      'a unit selection that does not exist',
      page(kpi().replace('units: [VN]', 'units: all')),
      'panels[0].query.units',
      'expected a list or one of "nation", "provinces", "ministries"; got "all"',
      10,
    ],
    [
      'a page id that is not the file name',
      page(kpi(), 'schemaVersion: 1\nid: other-page\norder: 0'),
      'id',
      'must match the file name "sample"',
      2,
    ],
    [
      'a comparison that does not exist',
      page(kpi(), 'schemaVersion: 1\nid: sample\norder: 0\ncompare: yesterday'),
      'compare',
      'unknown comparison "yesterday"; expected one of same-time-previous-day, same-time-previous-week',
      4,
    ],
    [
      'a comparison set on a panel instead of the page',
      page(kpi('\n    compare: previous-complete-day')),
      'panels[0]',
      '"compare" is set once for the whole page',
      6,
    ],
    ['a panel id used twice', page(kpi() + kpi().replace('x: 0', 'x: 3')), 'panels[1].id', 'panel id "services" is used twice', 11],
    [
      'two panels on the same cells',
      page(kpi() + kpi().replace('id: services', 'id: other').replace('x: 0, y: 0', 'x: 2, y: 1')),
      'panels[1].position',
      'overlaps panel "services"',
      14,
    ],
    [
      'a misspelled metric',
      page(kpi().replace('dvc.services_online', 'dvc.service_online')),
      'panels[0].query.metric',
      'unknown metric "dvc.service_online"; did you mean "dvc.services_online"?',
      10,
    ],
    ['an unknown unit', page(kpi().replace('units: [VN]', 'units: [VN, "99"]')), 'panels[0].query.units[1]', 'unknown unit "99"', 10],
    [
      'a unit that ended',
      page(kpi().replace('units: [VN]', 'units: ["74"]')),
      'panels[0].query.units[0]',
      'unit "74" ceased on 2025-07-01; use "79"',
      10,
    ],
    [
      'a metric not reported for those units',
      page(kpi().replace('dvc.services_online, units: [VN]', 'einvoice.issued, units: ministries')),
      'panels[0].query.units',
      'metric "einvoice.issued" is not reported for ministry units',
      10,
    ],
    [
      'a compliance panel tracking a metric its units do not report',
      page(`
  - id: ministries
    kind: compliance
    title: { vi: Các bộ, en: Ministries }
    position: { x: 0, y: 0, w: 6, h: 8 }
    metrics: [dvc.services_online, einvoice.issued]
    units: ministries`),
      'panels[0].metrics[1]',
      'not reported for ministry units',
      10,
    ],
    [
      'a directives panel naming a unit that ended',
      page(`
  - id: overdue
    kind: directives
    title: { vi: Chỉ đạo quá hạn, en: Overdue directives }
    position: { x: 0, y: 0, w: 3, h: 3 }
    units: ["79", "74"]`),
      'panels[0].units[1]',
      'unit "74" ceased on 2025-07-01; use "79"',
      10,
    ],
  ])('%s', (_name, text, expectedPath, expectedMessage, expectedLine) => {
    const { page: parsed, problems } = parseDashboardFile('sample.yaml', text, { catalog, today: '2026-11-22' });
    expect(parsed).toBeNull();
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'sample.yaml', path: expectedPath, message: expect.stringContaining(expectedMessage) }),
    );
    expect(problems.find((p) => p.path === expectedPath)?.line).toBe(expectedLine);
  });
});

describe('loadDashboards', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-dashboards-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const folder = (name: string, files: Record<string, string>) => {
    const target = path.join(dir, name);
    mkdirSync(target);
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(target, file), text);
    return target;
  };

  it('returns the pages sorted by order, then id', () => {
    const target = folder('sorted', {
      'page-b.yaml': page(kpi(), 'schemaVersion: 1\nid: page-b\norder: 1'),
      'page-a.yaml': page(kpi(), 'schemaVersion: 1\nid: page-a\norder: 1'),
      'page-c.yml': page(kpi(), 'schemaVersion: 1\nid: page-c\norder: 0'),
      'notes.txt': 'not a definition',
    });
    expect(loadDashboards(target).map((p) => p.id)).toEqual(['page-c', 'page-a', 'page-b']);
  });

  it('throws one error naming the file, the path and the problem', () => {
    const target = folder('broken', {
      'fine.yaml': page(kpi(), 'schemaVersion: 1\nid: fine\norder: 0'),
      'bad.yaml': page(kpi().replace('w: 3', 'w: 0'), 'schemaVersion: 1\nid: bad\norder: 1'),
    });
    expect(() => loadDashboards(target)).toThrow(DashboardDefinitionError);
    expect(() => loadDashboards(target)).toThrow(
      /^invalid dashboard definition: bad\.yaml:9: panels\[0\]\.position\.w: Too small: expected number to be >=1; got 0$/,
    );
  });

  it('refuses two files with the same page id, a missing folder and an empty one', () => {
    const duplicated = folder('duplicated', {
      'page-a.yaml': page(kpi(), 'schemaVersion: 1\nid: page-a\norder: 0'),
      'page-a.yml': page(kpi(), 'schemaVersion: 1\nid: page-a\norder: 1'),
    });
    expect(() => loadDashboards(duplicated)).toThrow(
      /^invalid dashboard definition: page-a\.yml:2: id: page id "page-a" is already used by page-a\.yaml$/,
    );
    expect(() => loadDashboards(path.join(dir, 'missing'))).toThrow(/cannot read the dashboards directory: the directory does not exist/);
    expect(() => loadDashboards(folder('empty', {}))).toThrow(/no page definitions \(\*\.yaml\) found: the wall would be blank/);
  });
});

describe('the validate command', () => {
  it('says ok for the shipped pages and lists every problem of a broken folder with exit code 1', async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(
      await main(
        ['validate'],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(0);
    expect(out.join('\n')).toContain('ok: 10 pages');
    expect(out.join('\n')).toContain('codes checked against the reference catalog');

    const dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-dashboards-cli-'));
    try {
      writeFileSync(
        path.join(dir, 'sample.yaml'),
        page(kpi().replace('dvc.services_online', 'dvc.service_online').replace('kind: kpi', 'kind: kpi\n    colour: red')),
      );
      expect(
        await main(
          ['validate', dir],
          (l) => out.push(l),
          (l) => err.push(l),
        ),
      ).toBe(1);
      expect(err).toEqual([
        expect.stringMatching(/sample\.yaml:6: panels\[0\]: unknown field "colour"/),
        expect.stringMatching(/^1 problem in /),
      ]);
      expect(
        await main(
          ['validate', '--no-catalog', dir],
          () => undefined,
          () => undefined,
        ),
      ).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
