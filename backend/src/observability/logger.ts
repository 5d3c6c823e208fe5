import { AsyncLocalStorage } from 'node:async_hooks';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The request id of the HTTP request being handled, carried through async calls. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Field names whose values are never written to logs. */
const SECRET_FIELDS = /authorization|password|secret|token|key$|cookie/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) out[name] = SECRET_FIELDS.test(name) ? '[redacted]' : value;
  return out;
}

/**
 * Structured logs: one JSON line per event on stdout, with the request id when there is one.
 * Secrets are redacted by field name; callers never log keys or tokens themselves.
 */
export class JsonLogger {
  constructor(
    private readonly minimum: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    if (ORDER[level] < ORDER[this.minimum]) return;
    const requestId = requestContext.getStore()?.requestId;
    this.write(JSON.stringify({ ts: new Date().toISOString(), level, event, ...(requestId ? { requestId } : {}), ...redact(fields) }));
  }

  debug(event: string, fields?: Record<string, unknown>): void {
    this.log('debug', event, fields);
  }
  info(event: string, fields?: Record<string, unknown>): void {
    this.log('info', event, fields);
  }
  warn(event: string, fields?: Record<string, unknown>): void {
    this.log('warn', event, fields);
  }
  error(event: string, fields?: Record<string, unknown>): void {
    this.log('error', event, fields);
  }
}

export const LOGGER = Symbol('Logger');
