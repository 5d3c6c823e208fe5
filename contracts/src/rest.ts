/**
 * REST contracts of the backend: zod schemas that validate requests here, generate the OpenAPI document,
 * and are imported by the frontend (`@dxoc/contracts`). Never copy them.
 */
import { z } from 'zod';
import { AggregationSchema, BETTER_WHEN, CadenceSchema, MetricKindSchema, TARGET_COMPARATORS, UnitKindSchema } from './catalog';
import { BUCKET_PATTERN } from './durations';

export const ErrorResponse = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional() }).meta({ id: 'Error' });

const isoDateTime = z.string().meta({ format: 'date-time', example: '2026-01-31T17:00:00+07:00' });
const booleanParam = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => value === 'true');

export const UnitSchema = z
  .object({
    code: z.string(),
    kind: UnitKindSchema,
    nameVi: z.string(),
    nameEn: z.string(),
    fullNameVi: z.string(),
    fullNameEn: z.string(),
    symbol: z.string().nullable(),
    validFrom: z.string().nullable().meta({ description: 'first day in force (YYYY-MM-DD)' }),
    validUntil: z.string().nullable().meta({ description: 'first day no longer in force (YYYY-MM-DD); null while in force' }),
    successors: z.array(z.string()),
    predecessors: z.array(z.string()),
  })
  .meta({ id: 'Unit' });
export const UnitsResponse = z.object({ units: z.array(UnitSchema) }).meta({ id: 'UnitsResponse' });

export const TargetSchema = z
  .object({
    id: z.number().int(),
    metricCode: z.string(),
    unitCode: z.string(),
    value: z.number(),
    comparator: z.enum(TARGET_COMPARATORS),
    deadline: z.string(),
    legalSourceVi: z.string(),
    legalSourceEn: z.string(),
  })
  .meta({ id: 'Target' });

export const MetricSchema = z
  .object({
    code: z.string(),
    nameVi: z.string(),
    nameEn: z.string(),
    descriptionVi: z.string(),
    descriptionEn: z.string(),
    unitOfMeasure: z.string(),
    kind: MetricKindSchema,
    min: z.number().nullable(),
    max: z.number().nullable(),
    cadence: CadenceSchema,
    betterWhen: z.enum(BETTER_WHEN),
    defaultAggregation: AggregationSchema,
    unitKinds: z.array(UnitKindSchema),
    reportedBy: z.array(z.string()),
    sourceSystemVi: z.string().nullable(),
    sourceSystemEn: z.string().nullable(),
    targets: z.array(TargetSchema),
  })
  .meta({ id: 'Metric' });
export const MetricsResponse = z.object({ metrics: z.array(MetricSchema) }).meta({ id: 'MetricsResponse' });

/** The calendar every day, week, month and reporting period is counted in (DXOC_TIMEZONE). */
export const CalendarResponse = z
  .object({
    timeZone: z.string().meta({ description: 'IANA time zone of day, week, month and period boundaries', example: 'Asia/Ho_Chi_Minh' }),
    weekStartsOn: z.literal('monday'),
  })
  .meta({ id: 'CalendarResponse' });
export type CalendarResponse = z.infer<typeof CalendarResponse>;

export const SeriesQuery = z.object({
  metric: z.string().min(1).meta({ description: 'metric code', example: 'dvc.services_online' }),
  unit: z.string().min(1).meta({ description: 'unit code', example: 'VN' }),
  from: isoDateTime.optional().meta({ description: 'inclusive; default: the beginning of the data' }),
  to: isoDateTime.optional().meta({ description: 'exclusive; default: now' }),
  bucket: z
    .string()
    .regex(BUCKET_PATTERN, 'bucket must look like "15m", "1h", "1d", "1w", "1mo", "1y" or "6 hours"')
    .optional()
    .meta({ description: 'time_bucket width; raw values when absent' }),
  agg: AggregationSchema.optional().meta({ description: "how values are combined in a bucket; default: the metric's" }),
  includePredecessors: booleanParam.meta({ description: 'also the history of the units this unit absorbed (79 ← 74, 77)' }),
});
export type SeriesQuery = z.infer<typeof SeriesQuery>;

export const SeriesPoint = z.object({ ts: isoDateTime, value: z.number() }).meta({ id: 'SeriesPoint' });
export const SeriesResponse = z
  .object({
    metric: z.string(),
    unit: z.string(),
    bucket: z.string().nullable(),
    agg: AggregationSchema.nullable(),
    units: z.array(z.string()).meta({ description: 'units whose values are included' }),
    source: z.enum(['raw', 'hourly', 'daily']).meta({ description: 'table the answer came from' }),
    points: z.array(SeriesPoint),
  })
  .meta({ id: 'SeriesResponse' });
export type SeriesResponse = z.infer<typeof SeriesResponse>;

export const LatestQuery = z.object({
  metric: z.string().min(1).meta({ example: 'dvc.services_online' }),
  unitKind: UnitKindSchema.optional(),
  asOf: isoDateTime.optional().meta({ description: 'latest value at or before this time; default: now' }),
  includeEnded: booleanParam.meta({
    description:
      'also units not in force at asOf (a province dissolved at the 2025 merger, one not yet created); default: only units in force',
  }),
});
export const LatestResponse = z
  .object({
    metric: z.string(),
    asOf: isoDateTime,
    includeEnded: z.boolean().meta({ description: 'false: only units in force at asOf are listed' }),
    values: z.array(z.object({ unit: z.string(), ts: isoDateTime, value: z.number(), receivedAt: isoDateTime })),
  })
  .meta({ id: 'LatestResponse' });
export type LatestResponse = z.infer<typeof LatestResponse>;

export const HistoryQuery = z.object({
  metric: z.string().min(1),
  unit: z.string().min(1),
  ts: isoDateTime,
});
const RevisionSchema = z
  .object({
    revision: z.number().int(),
    value: z.number(),
    batchId: z.string(),
    keyId: z.string(),
    keyName: z.string().nullable().meta({ description: 'name of the agent key that sent it (null if the key is gone)' }),
    receivedAt: isoDateTime,
    supersededAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Revision' });
export const HistoryResponse = z
  .object({
    metric: z.string(),
    unit: z.string(),
    ts: isoDateTime,
    current: RevisionSchema,
    revisions: z.array(RevisionSchema).meta({ description: 'every value ever accepted, newest first (current included)' }),
  })
  .meta({ id: 'HistoryResponse' });
export type HistoryResponse = z.infer<typeof HistoryResponse>;

/** Whether a TimescaleDB server's scheduler runs for dxoc's database (HealthResponse.scheduler). */
export const TIMESCALEDB_SCHEDULER_STATES = ['running', 'absent'] as const;
export type TimescaleSchedulerState = (typeof TIMESCALEDB_SCHEDULER_STATES)[number];

/** A TimescaleDB job (aggregate refresh, compression, retention) that is not keeping up. */
export const JobProblemSchema = z
  .object({
    jobId: z.number().int(),
    proc: z.string().meta({ description: 'e.g. policy_refresh_continuous_aggregate, policy_compression' }),
    target: z.string().nullable().meta({ description: 'the hypertable or continuous aggregate it works on' }),
    /** failing: its last run failed; overdue: no successful run for three schedule intervals */
    problem: z.enum(['failing', 'overdue']),
    lastSuccessAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'JobProblem' });
export type JobProblem = z.infer<typeof JobProblemSchema>;

/**
 * A problem of dxoc itself that admins must hear about (no rule, no unit): a TimescaleDB job failing or overdue, or
 * no TimescaleDB scheduler for dxoc's database. Open while the problem lasts; resolved when it is gone.
 */
export const SystemAlertSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(['timescaledb_job', 'timescaledb_scheduler']),
    subject: z
      .string()
      .meta({ description: 'what has the problem, e.g. "job 1001 policy_refresh_continuous_aggregate observation_hourly"' }),
    problem: z.string().meta({ description: 'for timescaledb_job: failing or overdue; for timescaledb_scheduler: absent' }),
    messageVi: z.string(),
    messageEn: z.string(),
    details: z.record(z.string(), z.unknown()),
    raisedAt: isoDateTime,
    lastSeenAt: isoDateTime,
    resolvedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'SystemAlert' });
export type SystemAlert = z.infer<typeof SystemAlertSchema>;

export const SystemAlertsResponse = z
  .object({
    alerts: z.array(SystemAlertSchema).meta({ description: 'open ones first, then those resolved in the last 7 days; newest first' }),
  })
  .meta({ id: 'SystemAlertsResponse' });
export type SystemAlertsResponse = z.infer<typeof SystemAlertsResponse>;

/** Why the database refused a write for its storage: its disk is full, it only reads, or its files cannot be written. */
export const STORAGE_FAULT_REASONS = ['disk_full', 'read_only', 'storage_error'] as const;
export type StorageFaultReason = (typeof STORAGE_FAULT_REASONS)[number];

/**
 * Whether the database took this instance's last write. Reads (the wall) may still work while writes fail: a full
 * disk, a read-only data directory. Learnt from ingest's writes: false from a batch the database refused for its
 * storage until the next batch it stores.
 */
export const StorageStatusSchema = z
  .object({
    writable: z.boolean(),
    since: isoDateTime.nullable().meta({ description: 'when the first refused write of this spell happened; null while writable' }),
    reason: z.enum(STORAGE_FAULT_REASONS).nullable().meta({ description: 'why that write was refused; null while writable' }),
  })
  .meta({ id: 'StorageStatus' });
export type StorageStatus = z.infer<typeof StorageStatusSchema>;

export const HealthResponse = z
  .object({
    /**
     * degraded: the database answers but a TimescaleDB job is failing or overdue, its scheduler is absent, or it refuses writes (storage)
     * while reads still work (still HTTP 200: it serves the wall; ingest itself answers 503 with Retry-After)
     */
    status: z.enum(['ok', 'degraded', 'unavailable']),
    db: z.object({ driver: z.enum(['pglite', 'pg']), reachable: z.boolean(), latencyMs: z.number().nullable() }),
    timescaledb: z.string().nullable().meta({ description: 'extension version' }),
    jobs: z.array(JobProblemSchema).meta({ description: 'jobs that are failing or overdue; empty when all keep up' }),
    scheduler: z.enum(TIMESCALEDB_SCHEDULER_STATES).nullable().meta({
      description:
        "whether TimescaleDB's job scheduler runs for dxoc's database (a server): absent when the server could not start it (other databases took every background worker) or it was stopped; dxoc then runs the due jobs itself and health is degraded. Null on the embedded database, which has none (dxoc always runs its jobs)",
    }),
    storage: StorageStatusSchema,
  })
  .meta({ id: 'HealthResponse' });
export type HealthResponse = z.infer<typeof HealthResponse>;

/** Staff set targets; each keeps its legal source. */
export const TargetInput = z
  .strictObject({
    metricCode: z.string().min(1),
    unitCode: z.string().min(1),
    value: z.number().finite(),
    comparator: z.enum(TARGET_COMPARATORS),
    deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'deadline: a date such as "2026-12-31"'),
    legalSourceVi: z.string().min(1).max(500),
    legalSourceEn: z.string().min(1).max(500),
  })
  .meta({ id: 'TargetInput' });
export type TargetInput = z.infer<typeof TargetInput>;

/** Admins edit how an indicator is described and checked; its code and kind never change (stored values depend on them). */
export const MetricUpdate = z
  .strictObject({
    nameVi: z.string().min(1).max(300),
    nameEn: z.string().min(1).max(300),
    descriptionVi: z.string().min(1).max(4000),
    descriptionEn: z.string().min(1).max(4000),
    unitOfMeasure: z.string().min(1).max(100),
    min: z.number().finite().nullable(),
    max: z.number().finite().nullable(),
    cadence: CadenceSchema,
    betterWhen: z.enum(BETTER_WHEN),
    defaultAggregation: AggregationSchema,
    reportedBy: z.array(z.string().min(1)).min(1),
  })
  .partial()
  .meta({ id: 'MetricUpdate' });
export type MetricUpdate = z.infer<typeof MetricUpdate>;

/** Admins correct a unit's names (a renamed committee or province); validity and succession come from migrations. */
export const UnitUpdate = z
  .strictObject({
    nameVi: z.string().min(1).max(200),
    nameEn: z.string().min(1).max(200),
    fullNameVi: z.string().min(1).max(300),
    fullNameEn: z.string().min(1).max(300),
  })
  .partial()
  .meta({ id: 'UnitUpdate' });
export type UnitUpdate = z.infer<typeof UnitUpdate>;

/** One value per unit over a time range: maps and rankings in one request instead of one per province. */
export const AggregateQuery = z.object({
  metric: z.string().min(1).meta({ example: 'einvoice.issued' }),
  unitKind: UnitKindSchema.optional().meta({ description: 'every unit of this kind; or list units' }),
  units: z.string().optional().meta({ description: 'comma-separated unit codes', example: '01,79' }),
  from: isoDateTime.meta({ description: 'inclusive' }),
  to: isoDateTime.optional().meta({ description: 'exclusive; default: now' }),
  agg: AggregationSchema.optional().meta({ description: "default: the metric's" }),
  includePredecessors: booleanParam.meta({ description: "fold the history of absorbed units into their successor's value" }),
  includeEnded: booleanParam.meta({
    description:
      'with unitKind: every unit of the kind in force at some time in [from, to); default: only those in force at the end of the range (just before to)',
  }),
});
export type AggregateQuery = z.infer<typeof AggregateQuery>;
export const AggregateResponse = z
  .object({
    metric: z.string(),
    agg: AggregationSchema,
    from: isoDateTime,
    to: isoDateTime,
    includeEnded: z.boolean().meta({ description: 'false: with unitKind, only units in force at the end of the range' }),
    values: z.array(z.object({ unit: z.string(), value: z.number(), lastTs: isoDateTime })),
  })
  .meta({ id: 'AggregateResponse' });
export type AggregateResponse = z.infer<typeof AggregateResponse>;
