/**
 * Checks that a page names real metrics and units, and only asks for values that exist: a metric is reported for
 * some kinds of unit (e-invoices for provinces, not ministries), and a unit that ended is not on a live wall.
 * The catalog is passed in: the reference catalog of `@dxoc/contracts`, or a running API's GET /api/v1/catalog/*.
 */
import type { UnitKind } from '@dxoc/contracts';
import type { DashboardPage, PanelQuery, UnitSelection } from './schema';

export type { UnitKind };

export interface DashboardCatalog {
  metrics: readonly { code: string; unitKinds: readonly UnitKind[] }[];
  units: readonly { code: string; kind: UnitKind; validUntil: string | null; successors?: readonly string[] }[];
}

export interface ReferenceProblem {
  path: PropertyKey[];
  message: string;
}

const SELECTION_KIND: Record<Exclude<UnitSelection, string[]>, UnitKind> = {
  nation: 'nation',
  provinces: 'province',
  ministries: 'ministry',
};

export function checkReferences(
  page: DashboardPage,
  catalog: DashboardCatalog,
  today: string = new Date().toISOString().slice(0, 10),
): ReferenceProblem[] {
  const metrics = new Map(catalog.metrics.map((m) => [m.code, m]));
  const units = new Map(catalog.units.map((u) => [u.code, u]));
  const problems: ReferenceProblem[] = [];

  const checkMetric = (code: string, at: PropertyKey[]): { unitKinds: readonly UnitKind[] } | null => {
    const metric = metrics.get(code);
    if (!metric) {
      const near = nearest(code, [...metrics.keys()]);
      problems.push({
        path: at,
        message: `unknown metric "${code}"${near ? `; did you mean "${near}"?` : ''} (codes: GET /api/v1/catalog/metrics)`,
      });
      return null;
    }
    return metric;
  };

  const checkUnits = (
    selection: UnitSelection,
    metricCode: string,
    metric: { unitKinds: readonly UnitKind[] } | null,
    at: PropertyKey[],
  ) => {
    if (typeof selection === 'string') {
      const kind = SELECTION_KIND[selection];
      if (metric && !metric.unitKinds.includes(kind)) {
        problems.push({
          path: at,
          message: `metric "${metricCode}" is not reported for ${kind} units (only ${metric.unitKinds.join(', ')}): the panel would stay empty`,
        });
      }
      return;
    }
    selection.forEach((code, index) => {
      const unit = units.get(code);
      if (!unit) {
        const near = nearest(code, [...units.keys()]);
        problems.push({
          path: [...at, index],
          message: `unknown unit "${code}"${near ? `; did you mean "${near}"?` : ''} (codes: GET /api/v1/catalog/units; provinces use GSO codes such as "79")`,
        });
        return;
      }
      if (unit.validUntil && unit.validUntil <= today) {
        const successors = unit.successors?.length
          ? `; use ${unit.successors.map((s) => `"${s}"`).join(', ')} (with includePredecessors: true for its history)`
          : '';
        problems.push({ path: [...at, index], message: `unit "${code}" ceased on ${unit.validUntil}${successors}` });
      }
      if (metric && !metric.unitKinds.includes(unit.kind)) {
        problems.push({
          path: [...at, index],
          message: `metric "${metricCode}" is not reported for ${unit.kind} "${code}" (only ${metric.unitKinds.join(', ')}): the panel would stay empty`,
        });
      }
    });
  };

  page.panels.forEach((panel, index) => {
    const base: PropertyKey[] = ['panels', index];
    if ('query' in panel) {
      const query: PanelQuery = panel.query;
      const metric = checkMetric(query.metric, [...base, 'query', 'metric']);
      checkUnits(query.units, query.metric, metric, [...base, 'query', 'units']);
    } else if (panel.kind === 'compliance') {
      panel.metrics.forEach((code, m) => {
        const metric = checkMetric(code, [...base, 'metrics', m]);
        // a kind mismatch is the metric's fault here: point at it rather than at the shared units
        checkUnits(panel.units, code, metric, typeof panel.units === 'string' ? [...base, 'metrics', m] : [...base, 'units']);
      });
    } else if (panel.kind === 'directives' && panel.units) {
      // no metric: only that the units exist and are in force
      checkUnits(panel.units, '', null, [...base, 'units']);
    }
  });
  // a compliance panel checks its units once per metric: report an unknown unit once
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path.map(String).join('.')}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The closest code within two edits, to turn a typo into a suggestion. */
function nearest(code: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = distance(code.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}
