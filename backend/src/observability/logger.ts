import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The request id of the HTTP request being handled, carried through async calls. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Field names whose values are never written to logs, at the top level and one level down (`headers.authorization`,
 * `body.password`). pino's redaction works on paths, not on a name pattern, so a new secret-bearing field name
 * belongs in this list.
 */
const SECRET_NAMES = [
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'password',
  'newPassword',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'sessionToken',
  'viewerToken',
  'key',
  'apiKey',
  'agentKey',
  // the second factor: the otpauth:// URI shown at enrolment (it holds the secret) and the code sent at login
  'otpauthUri',
  'totpCode',
];
const REDACTED_PATHS = SECRET_NAMES.flatMap((name) => [`["${name}"]`, `*["${name}"]`]);

/**
 * Structured logs: one JSON line per event on stdout (`{"level":"info","ts":"…","requestId":"…","event":"…",…}`),
 * with the request id when there is one. Secrets are redacted by field name; callers never log keys or tokens
 * themselves.
 */
export class JsonLogger {
  private readonly pino: Logger<never, boolean>;

  /** `write` receives each line without its newline (tests capture lines with it); default: process.stdout. */
  constructor(minimum: LogLevel = 'info', write?: (line: string) => void) {
    // process.stdout rather than pino's own fd writer: the CLI prints results on process.stdout too, and the
    // lines must stay in the order they were written (and tests that spy on process.stdout.write see them).
    const destination: DestinationStream = write ? { write: (chunk) => write(chunk.replace(/\n$/, '')) } : process.stdout;
    this.pino = pino(
      {
        level: minimum,
        base: null, // no pid and hostname: DXOC_INSTANCE_ID names an instance where it matters
        timestamp: () => `,"ts":"${new Date().toISOString()}"`,
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => {
          const requestId = requestContext.getStore()?.requestId;
          return requestId ? { requestId } : {};
        },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      },
      destination,
    );
  }

  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    // the event as a field, not as pino's message (which pino writes last): people read the event first
    this.pino[level]({ event, ...fields });
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
