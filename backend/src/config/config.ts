import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { DEFAULT_PAGES_DIR } from '@dxoc/dashboards';
import { DEFAULT_TIME_ZONE, isKnownTimeZone, parseIsoWithOffset } from '@dxoc/contracts';

/** Everything the backend reads from the environment, validated once. Nothing else reads process.env. */
export interface AppConfig {
  port: number;
  host: string;
  /** Set → a PostgreSQL + TimescaleDB server; unset → the embedded database in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  timezone: string;
  /** TimescaleDB policy intervals (Postgres interval text), or null to turn a policy off. */
  compressAfter: string | null;
  retainRawFor: string | null;
  /** How often the embedded database's due TimescaleDB jobs are run (it has no background scheduler). */
  embeddedJobsIntervalMs: number;
  rateLimit: { pointsPerSecond: number; batchesPerSecond: number };
  /** Ingest batches handled at once by this instance; more are answered 429 at once instead of queueing. */
  ingestMaxInFlight: number;
  /** How long the idempotency record of a batch is kept (agents retry within this window). */
  batchDedupDays: number;
  /**
   * Ingest refuses values dated before this instant (DXOC_MIN_TIMESTAMP): a 1970 or year-100 timestamp is a broken
   * clock or date column, not history.
   */
  minTimestamp: Date;
  sessionTtlHours: number;
  /**
   * Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (Express's `trust proxy`): addresses,
   * CIDRs or loopback/linklocal/uniquelocal. Empty (the default) = the socket's address is the client's.
   */
  trustedProxies: string[];
  /** 'always' marks the session cookie Secure on every answer; 'auto' only when the request came over TLS. */
  secureCookies: 'auto' | 'always';
  /** Live deltas are coalesced per client per tick of this length. */
  liveTickMs: number;
  /**
   * 'grouped' (default): sockets with the same subscriptions and scope at the same position share one tick, built
   * and encoded once and broadcast to all of them. 'per-client': each socket's tick is built and encoded on its own
   * (the path before grouping; kept only so the benchmark can measure both in one build).
   */
  liveFanout: 'grouped' | 'per-client';
  /**
   * How often each instance re-checks the credentials of its open live sockets (one query for all of them): a
   * revoked viewer token, a logged-out session, a disabled user or a changed role ends the socket within this long
   * on every instance (at once on the instance that made the change).
   */
  liveCredentialCheckMs: number;
  /** How often pending periods, no-data and target projections are evaluated (on one instance). */
  alertSweepMs: number;
  /** how often the weekly report schedule checks whether the Monday 07:00 report is due (DXOC_REPORT_CHECK_MS) */
  reportCheckMs: number;
  /** /api/v1/health answers 503 when the database has not answered within this long (a probe must not hang). */
  healthTimeoutMs: number;
  /**
   * A statement sent to a PostgreSQL server (or to the embedded database over its socket) that has not been answered
   * within this long, nor a connection obtained, fails with 503 database_unavailable and its connection is closed: a
   * network black hole or a hung server would otherwise hold the request for as long as TCP takes. Migrations,
   * TimescaleDB job runs and aggregate refreshes have no limit.
   */
  dbQueryTimeoutMs: number;
  /** Names this process in leases and logs. */
  instanceId: string;
  /** Password for `users create` without a prompt (DXOC_PASSWORD). */
  initialPassword: string | null;
  /** The wall's page definitions (YAML), provisioned at startup. */
  dashboardsDir: string;
  /** Prometheus /metrics listens here, apart from the API (null = off); keep it on an internal address. */
  metrics: { port: number; host: string } | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /**
   * AES-256-GCM key sealing notification credentials and second-factor secrets at rest (DXOC_SECRET_KEY: 64 hex
   * digits or base64 of 32 bytes). Null: the embedded database generates one in dataDir (secrets/secret-key.ts); a
   * PostgreSQL server requires it for notification credentials (second-factor secrets then stay in clear text).
   */
  secretKey: Buffer | null;
  /** Largest file a unit may attach to its answer to a directive (DXOC_DIRECTIVE_ATTACHMENT_MAX_BYTES, default 5 MB). */
  directiveAttachmentMaxBytes: number;
  /**
   * Alert notifications: how often the dispatcher looks for transitions and due deliveries (DXOC_NOTIFY_INTERVAL_MS;
   * transitions of this instance wake it at once), how many attempts a delivery gets (DXOC_NOTIFY_MAX_ATTEMPTS) and
   * the first retry's delay, doubled on each retry up to an hour (DXOC_NOTIFY_RETRY_BASE_MS).
   */
  notifications: { intervalMs: number; maxAttempts: number; retryBaseMs: number };
}

const interval = z
  .string()
  .regex(/^(off|\d+\s*(minutes?|hours?|days?|weeks?|months?|years?))$/i, 'expected e.g. "30 days" or "off"')
  .transform((value) => (value.toLowerCase() === 'off' ? null : value));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DXOC_DATA_DIR: z.string().min(1).optional(),
  DXOC_SECRET_KEY: z
    .string()
    .trim()
    .transform((text, ctx) => {
      const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
      if (key.length === 32) return key;
      ctx.issues.push({ code: 'custom', input: text, message: 'expected 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)' });
      return z.NEVER;
    })
    .optional(),
  DXOC_TIMEZONE: z.string().min(1).default(DEFAULT_TIME_ZONE).refine(isKnownTimeZone, 'an IANA time zone such as "Asia/Ho_Chi_Minh"'),
  DXOC_DIRECTIVE_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  DXOC_COMPRESS_AFTER: interval.prefault('90 days'),
  // Government figures go back to 2014: raw values are kept forever unless an operator decides otherwise.
  DXOC_RETAIN_RAW_FOR: interval.prefault('off'),
  DXOC_EMBEDDED_JOBS_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  DXOC_RATE_LIMIT_POINTS_PER_SEC: z.coerce.number().positive().default(200_000),
  DXOC_RATE_LIMIT_BATCHES_PER_SEC: z.coerce.number().positive().default(200),
  DXOC_BATCH_DEDUP_DAYS: z.coerce.number().int().min(1).default(30),
  DXOC_INGEST_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).optional(),
  DXOC_SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  DXOC_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '' && part !== 'off'),
    )
    .refine(
      (list) => list.every(isProxyAddress),
      'expected a comma-separated list of IP addresses, CIDRs or loopback/linklocal/uniquelocal',
    ),
  DXOC_SECURE_COOKIES: z.enum(['auto', 'always']).default('auto'),
  DXOC_MIN_TIMESTAMP: z
    .string()
    .default('2000-01-01T00:00:00Z')
    .transform((text, ctx) => {
      const ms = parseIsoWithOffset(text.trim());
      if (ms !== null) return ms;
      ctx.issues.push({
        code: 'custom',
        input: text,
        message: 'expected an ISO-8601 date-time with an offset, e.g. "2000-01-01T00:00:00Z"',
      });
      return z.NEVER;
    }),
  DXOC_LIVE_TICK_MS: z.coerce.number().int().min(10).max(5000).default(100),
  DXOC_LIVE_FANOUT: z.enum(['grouped', 'per-client']).default('grouped'),
  DXOC_LIVE_CREDENTIAL_CHECK_MS: z.coerce.number().int().min(100).max(2000).default(1000),
  DXOC_ALERT_SWEEP_MS: z.coerce.number().int().min(100).default(5000),
  DXOC_REPORT_CHECK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  DXOC_NOTIFY_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  DXOC_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  DXOC_NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  DXOC_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(800),
  DXOC_DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DXOC_INSTANCE_ID: z.string().min(1).max(64).optional(),
  DXOC_PASSWORD: z.string().min(1).optional(),
  DXOC_DASHBOARDS_DIR: z.string().min(1).optional(),
  DXOC_METRICS_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).default(9464),
  DXOC_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  DXOC_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** What Express's `trust proxy` accepts in its list: an address, a CIDR, or one of proxy-addr's named ranges. */
function isProxyAddress(text: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(text)) return true;
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The repository root: the folder whose package.json declares the workspaces. */
export function findRepoRoot(start = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (parsed.workspaces) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: path.resolve(e.DXOC_DATA_DIR ?? path.join(findRepoRoot(), '.dxoc', 'data')),
    timezone: e.DXOC_TIMEZONE,
    directiveAttachmentMaxBytes: e.DXOC_DIRECTIVE_ATTACHMENT_MAX_BYTES,
    compressAfter: e.DXOC_COMPRESS_AFTER,
    retainRawFor: e.DXOC_RETAIN_RAW_FOR,
    embeddedJobsIntervalMs: e.DXOC_EMBEDDED_JOBS_INTERVAL_MS,
    rateLimit: { pointsPerSecond: e.DXOC_RATE_LIMIT_POINTS_PER_SEC, batchesPerSecond: e.DXOC_RATE_LIMIT_BATCHES_PER_SEC },
    batchDedupDays: e.DXOC_BATCH_DEDUP_DAYS,
    minTimestamp: new Date(e.DXOC_MIN_TIMESTAMP),
    // The embedded database writes one batch at a time: a few waiting keep it busy, more only wait longer
    // (k6 at saturation: the same points/s with 6 as with 16, p95 211 ms instead of 547 ms).
    ingestMaxInFlight: e.DXOC_INGEST_MAX_IN_FLIGHT ?? (e.DATABASE_URL ? 16 : 6),
    sessionTtlHours: e.DXOC_SESSION_TTL_HOURS,
    trustedProxies: e.DXOC_TRUSTED_PROXIES,
    secureCookies: e.DXOC_SECURE_COOKIES,
    liveTickMs: e.DXOC_LIVE_TICK_MS,
    liveFanout: e.DXOC_LIVE_FANOUT,
    liveCredentialCheckMs: e.DXOC_LIVE_CREDENTIAL_CHECK_MS,
    alertSweepMs: e.DXOC_ALERT_SWEEP_MS,
    reportCheckMs: e.DXOC_REPORT_CHECK_MS,
    notifications: {
      intervalMs: e.DXOC_NOTIFY_INTERVAL_MS,
      maxAttempts: e.DXOC_NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: e.DXOC_NOTIFY_RETRY_BASE_MS,
    },
    healthTimeoutMs: e.DXOC_HEALTH_TIMEOUT_MS,
    dbQueryTimeoutMs: e.DXOC_DB_QUERY_TIMEOUT_MS,
    instanceId: e.DXOC_INSTANCE_ID ?? `${hostname()}:${process.pid}`,
    initialPassword: e.DXOC_PASSWORD ?? null,
    // the shipped pages of @dxoc/dashboards, found from that package rather than from the working directory
    dashboardsDir: path.resolve(e.DXOC_DASHBOARDS_DIR ?? DEFAULT_PAGES_DIR),
    metrics: e.DXOC_METRICS_PORT === 'off' ? null : { port: e.DXOC_METRICS_PORT, host: e.DXOC_METRICS_HOST },
    logLevel: e.DXOC_LOG_LEVEL,
    secretKey: e.DXOC_SECRET_KEY ?? null,
  };
}

export const APP_CONFIG = Symbol('AppConfig');
