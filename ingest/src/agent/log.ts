/**
 * One line per event. Operators read the text form ("2026-11-22T10:00:00.000Z warn  batch.retry  ..."); machines
 * read --json (one JSON object per line with ts, level, event, message and the event's fields).
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  log(level: Level, event: string, message: string, fields?: Fields): void;
}

export function createLogger(options: { json: boolean; write?: (line: string) => void; now?: () => number; debug?: boolean }): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  return {
    log(level, event, message, fields = {}) {
      if (level === 'debug' && !options.debug) return;
      const ts = new Date(now()).toISOString();
      // a message is one line: an operator greps the log, and a multi-line entry breaks that
      const text = message.replace(/\s*\n\s*/g, ' ');
      write(options.json ? JSON.stringify({ ts, level, event, message: text, ...fields }) : `${ts} ${level.padEnd(5)} ${event.padEnd(18)} ${text}`);
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
