/**
 * The dashboard schema: what a page of the wall shows and how each panel queries its data.
 * Definitions are reviewed files in this package; the backend provisions them at startup and serves them to
 * the frontend, which renders exactly this shape. Bump SCHEMA_VERSION on any incompatible change.
 */
import { AggregationSchema, BucketText, RangeText } from '@dxoc/contracts';
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

/** Every text on the wall is bilingual: Vietnamese first. */
export const BilingualText = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });
export type BilingualText = z.infer<typeof BilingualText>;

const code = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, starting with a letter');
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like "#e63946"');
/** "15m", "1h", "1d", "1w", "1mo", "1y" — the backend's bucket syntax. */
const bucket = BucketText;
/** How far back a panel looks: "24h", "30d", "12mo", "10y". */
const range = RangeText;

/** Which units a panel covers: explicit codes, or every current unit of a kind. */
export const UnitSelection = z.union([
  z.array(z.string().regex(/^[A-Z0-9]{2,16}$/, 'a unit code such as "VN", "79" or "BCA"')).min(1),
  z.enum(['nation', 'provinces', 'ministries']),
]);
export type UnitSelection = z.infer<typeof UnitSelection>;

export const PanelQuery = z.strictObject({
  metric: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'a metric code such as "dvc.services_online"'),
  units: UnitSelection,
  range: range.default('30d'),
  bucket: bucket.optional(),
  agg: AggregationSchema.optional(),
  includePredecessors: z.boolean().default(false),
});
export type PanelQuery = z.infer<typeof PanelQuery>;

/** Position on a 12 × 8 grid; the wall scales the grid to the screen (1920×1080 or 3840×2160). */
export const GridPosition = z
  .strictObject({
    x: z.number().int().min(0).max(11),
    y: z.number().int().min(0).max(7),
    w: z.number().int().min(1).max(12),
    h: z.number().int().min(1).max(8),
  })
  .refine((p) => p.x + p.w <= 12, { message: 'x + w must be at most 12 (the grid has 12 columns)' })
  .refine((p) => p.y + p.h <= 8, { message: 'y + h must be at most 8 (the grid has 8 rows)' });

export const Threshold = z.strictObject({ value: z.number(), colour, label: BilingualText.optional() });

const panelBase = {
  id: code,
  title: BilingualText,
  position: GridPosition,
};

export const KpiPanel = z.strictObject({
  ...panelBase,
  kind: z.literal('kpi'),
  query: PanelQuery,
  display: z
    .strictObject({
      showTarget: z.boolean().default(true),
      showSparkline: z.boolean().default(true),
      decimals: z.number().int().min(0).max(4).default(0),
      thresholds: z.array(Threshold).default([]),
    })
    .prefault({}),
});

export const MapPanel = z.strictObject({
  ...panelBase,
  kind: z.literal('map'),
  query: PanelQuery,
  display: z
    .strictObject({
      /** Colour ramp from the lowest to the highest value. */
      colours: z.array(colour).min(2).default(['#0b3954', '#1d7874', '#f4d35e']),
      decimals: z.number().int().min(0).max(4).default(0),
    })
    .prefault({}),
});

export const RankingPanel = z.strictObject({
  ...panelBase,
  kind: z.literal('ranking'),
  query: PanelQuery,
  display: z
    .strictObject({
      top: z.number().int().min(1).max(34).default(5),
      bottom: z.number().int().min(0).max(34).default(5),
      /** Show the change in rank since the previous period. */
      showRankChange: z.boolean().default(true),
      decimals: z.number().int().min(0).max(4).default(0),
    })
    .prefault({}),
});

export const TimeseriesPanel = z.strictObject({
  ...panelBase,
  kind: z.literal('timeseries'),
  query: PanelQuery,
  display: z
    .strictObject({
      showTarget: z.boolean().default(true),
      colours: z.array(colour).default([]),
      /** Points kept per series on the wall (bounded buffers: a 24/7 screen must not grow). */
      maxPoints: z.number().int().min(10).max(5000).default(500),
      thresholds: z.array(Threshold).default([]),
    })
    .prefault({}),
});

export const AlertsPanel = z.strictObject({
  ...panelBase,
  kind: z.literal('alerts'),
  display: z
    .strictObject({
      minSeverity: z.enum(['info', 'warning', 'critical']).default('warning'),
      maxItems: z.number().int().min(1).max(50).default(10),
    })
    .prefault({}),
});

export const CompliancePanel = z
  .strictObject({
    ...panelBase,
    kind: z.literal('compliance'),
    /** Metrics whose reporting is tracked; their cadence decides what "late" means. */
    metrics: z.array(PanelQuery.shape.metric).min(1),
    units: UnitSelection.default('provinces'),
    display: z
      .strictObject({
        maxItems: z.number().int().min(1).max(63).default(34),
        /**
         * A short name per tracked metric for the panel's legend, read from across the room ("DVC trên Cổng" for
         * dvc.services_online); a metric without one is named in full and its name wraps.
         */
        labels: z.record(PanelQuery.shape.metric, BilingualText).default({}),
      })
      .prefault({}),
  })
  .superRefine((panel, ctx) => {
    for (const code of Object.keys(panel.display.labels))
      if (!panel.metrics.includes(code))
        ctx.addIssue({
          code: 'custom',
          path: ['display', 'labels', code],
          message: `"${code}" is labelled but not among the panel's metrics`,
        });
  });

/**
 * Directives (chỉ đạo) past their due date, per unit: which units have overdue directives, how many, and the oldest
 * (GET /api/v1/directives, kept current by the live stream). `units`: whose directives; absent, every unit's.
 */
export const DirectivesPanel = z.strictObject({
  ...panelBase,
  kind: z.literal('directives'),
  units: UnitSelection.optional(),
  display: z
    .strictObject({
      /** Units listed at most; those past what the panel holds are counted ("+3 đơn vị khác"). */
      maxItems: z.number().int().min(1).max(63).default(20),
    })
    .prefault({}),
});

export const Panel = z.discriminatedUnion('kind', [
  KpiPanel,
  MapPanel,
  RankingPanel,
  TimeseriesPanel,
  AlertsPanel,
  CompliancePanel,
  DirectivesPanel,
]);
export type Panel = z.infer<typeof Panel>;
export type PanelKind = Panel['kind'];

/**
 * What every KPI tile of a page compares its value with: chosen once per page, so all tiles on it have the same
 * reference date. "same-time-previous-…": the value the tile would have shown at the same time of the previous
 * day/week/month/year (a running "today" against yesterday up to the same time of day). "previous-complete-…": the
 * whole previous day/week/month/year (a running amount against a whole period is labelled so on the tile).
 * "none": no comparison.
 */
export const COMPARE_MODES = [
  'same-time-previous-day',
  'same-time-previous-week',
  'same-time-previous-month',
  'same-time-previous-year',
  'previous-complete-day',
  'previous-complete-week',
  'previous-complete-month',
  'previous-complete-year',
  'none',
] as const;
export const CompareMode = z.enum(COMPARE_MODES);
export type CompareMode = z.infer<typeof CompareMode>;

export const DashboardPage = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    id: code,
    title: BilingualText,
    /** Position in the wall's rotation. */
    order: z.number().int().min(0),
    /** Seconds this page stays on the wall before the next one. */
    rotateSeconds: z.number().int().min(5).max(3600).default(30),
    /** The reference of every KPI tile's change on this page (see COMPARE_MODES). */
    compare: CompareMode.default('same-time-previous-day'),
    panels: z.array(Panel).min(1).max(24),
  })
  .superRefine((page, ctx) => {
    const seen = new Set<string>();
    page.panels.forEach((panel, index) => {
      if (seen.has(panel.id))
        ctx.addIssue({ code: 'custom', path: ['panels', index, 'id'], message: `panel id "${panel.id}" is used twice on this page` });
      seen.add(panel.id);
    });
  });
export type DashboardPage = z.infer<typeof DashboardPage>;
/** What a definition file holds before defaults are applied. */
export type DashboardPageInput = z.input<typeof DashboardPage>;
