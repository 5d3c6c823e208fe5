/**
 * One line per event. Operators read the text form ("2026-11-22T10:00:00.000Z warn  batch.retry  ..."); machines
 * read --json (one JSON object per line with level, ts, event, message and the event's fields).
 */
import { pino } from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  log(level: Level, event: string, message: string, fields?: Fields): void;
}

// Fields whose values never reach a log, also one level down (an HTTP source's headers, a connection's options).
const SECRETS = ['authorization', 'Authorization', 'password', 'token', 'key', 'apiKey', 'cookie', 'connection'];

export function createLogger(options: { json: boolean; write?: (line: string) => void; now?: () => number; debug?: boolean }): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  // pino writes JSON; the text form is that JSON laid out for people, as pino's prettifiers do
  const layout = options.json
    ? (json: string) => json
    : (json: string) => {
        const { ts, level, event, message } = JSON.parse(json) as { ts: string; level: string; event: string; message: string };
        return `${ts} ${level.padEnd(5)} ${event.padEnd(18)} ${message}`;
      };
  const logger = pino(
    {
      level: options.debug ? 'debug' : 'info',
      base: null,
      timestamp: () => `,"ts":"${new Date(now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRETS.flatMap((name) => [name, `*.${name}`]), censor: '[redacted]' },
    },
    { write: (chunk: string) => write(layout(chunk.replace(/\n$/, ''))) },
  );
  return {
    log(level, event, message, fields = {}) {
      // a message is one line: an operator greps the log, and a multi-line entry breaks that. The message is a
      // field rather than pino's msg, which pino writes last.
      logger[level]({ event, message: message.replace(/\s*\n\s*/g, ' '), ...fields });
    },
  };
}

/** A logger that keeps what it was told: for tests. */
export function memoryLogger(): Logger & { entries: { level: Level; event: string; message: string; fields: Fields }[] } {
  const entries: { level: Level; event: string; message: string; fields: Fields }[] = [];
  return { entries, log: (level, event, message, fields = {}) => void entries.push({ level, event, message, fields }) };
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
