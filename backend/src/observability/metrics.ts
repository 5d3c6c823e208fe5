import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric the backend exports, in one registry per process (tests run several apps in one process). */
export class Metrics {
  readonly registry = new Registry();

  readonly ingestPoints = new Counter({
    name: 'dxoc_ingest_points_total',
    help: 'Points received by the ingest API, by result and rejection reason',
    labelNames: ['result', 'reason'] as const,
    registers: [this.registry],
  });
  readonly ingestBatches = new Counter({
    name: 'dxoc_ingest_batches_total',
    help: 'Ingest batches by HTTP status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly ingestBatchSeconds = new Histogram({
    name: 'dxoc_ingest_batch_duration_seconds',
    help: 'Time to answer an ingest batch',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly dbQuerySeconds = new Histogram({
    name: 'dxoc_db_query_duration_seconds',
    help: 'Database statement latency',
    labelNames: ['kind'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  /** 1 for each TimescaleDB job that is failing or overdue (see /api/v1/health); none when all keep up. */
  readonly timescaleJobProblems = new Gauge({
    name: 'dxoc_timescaledb_job_problem',
    help: 'TimescaleDB jobs (aggregate refresh, compression, retention) that are failing or overdue',
    labelNames: ['job_id', 'proc', 'target', 'problem'] as const,
    registers: [this.registry],
  });
  /**
   * 1 while TimescaleDB's scheduler runs for dxoc's database, 0 while it does not (dxoc then runs the due jobs itself;
   * see /api/v1/health); not set on the embedded database, which has none.
   */
  readonly timescaleSchedulerRunning = new Gauge({
    name: 'dxoc_timescaledb_scheduler_running',
    help: "Whether TimescaleDB's job scheduler runs for dxoc's database (1) or not (0); absent on the embedded database",
    // labelled: a gauge without labels is exported as 0 before it is first set, which would read "not running"
    labelNames: ['database'] as const,
    registers: [this.registry],
  });
  /** 0 while the database refuses this instance's writes for its storage (disk full, read-only; see /api/v1/health), else 1. */
  readonly storageWritable = new Gauge({
    name: 'dxoc_storage_writable',
    help: 'Whether the database took the last ingest write (0: refused for its storage: disk full, read-only, file errors)',
    registers: [this.registry],
  });
  readonly socketClients = new Gauge({ name: 'dxoc_socket_clients', help: 'Connected socket.io clients', registers: [this.registry] });
  readonly liveMessages = new Counter({
    name: 'dxoc_live_messages_total',
    help: 'live:tick messages emitted to clients',
    registers: [this.registry],
  });
  readonly liveEncodes = new Counter({
    name: 'dxoc_live_ticks_built_total',
    help: 'live:tick payloads built (and encoded once each); messages / built = sockets served per payload',
    registers: [this.registry],
  });
  /** read: the stream's new rows from the database; write: the ticks to every socket (a slice per turn of the loop). */
  readonly liveTickSeconds = new Histogram({
    name: 'dxoc_live_tick_duration_seconds',
    help: 'A live tick by phase: read (new values, alert and directive events from the database), write (to the sockets)',
    labelNames: ['phase'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly liveDenied = new Counter({
    name: 'dxoc_live_denied_total',
    help: 'Live sockets ended because their credential stopped holding (revoked, logged out, expired, user disabled, role changed)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly liveLaggingClients = new Gauge({
    name: 'dxoc_live_lagging_clients',
    help: 'Clients being caught up from the database (slow or resuming): the live queue depth',
    registers: [this.registry],
  });
  readonly alertEvaluations = new Counter({
    name: 'dxoc_alert_evaluations_total',
    help: 'Alert rule evaluations',
    labelNames: ['trigger'] as const,
    registers: [this.registry],
  });
  readonly alertTransitions = new Counter({
    name: 'dxoc_alert_transitions_total',
    help: 'Alert state transitions',
    labelNames: ['transition', 'severity'] as const,
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'dxoc_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'dxoc_' });
  }
}

export const METRICS = Symbol('Metrics');
