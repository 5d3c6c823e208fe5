/** Messages between WorkerPGliteDatabase (main thread) and pglite-worker.ts (the thread that owns PGlite). */

export interface WorkerSetup {
  dataDir: string;
  /** Unix socket on which the worker shares the database with CLI commands; null for none. */
  socketPath: string | null;
}

/**
 * tx: the id of the open transaction a statement belongs to, null outside one. priority (outside a transaction): run
 * it before every statement and transaction still waiting, right after the one running now (Database.priority).
 */
export type WorkerRequest =
  | { op: 'query'; id: number; tx: number | null; sql: string; params: readonly unknown[]; priority?: boolean }
  | { op: 'exec'; id: number; tx: number | null; sql: string; priority?: boolean }
  | { op: 'begin'; id: number }
  | { op: 'end'; id: number; tx: number; commit: boolean }
  | { op: 'close'; id: number };

/** An error crosses the thread boundary as data: the Postgres fields (code, detail, constraint, ...) survive. */
export interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, string | number | boolean | null>;
}

export type WorkerReply = { id: number; ok: true; rows?: unknown[]; rowCount?: number } | { id: number; ok: false; error: SerializedError };

/** The reply to the setup (id 0): the worker opened the database, or why it could not. */
export const SETUP_ID = 0;

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: SerializedError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    // primitives only: the statement's params may be thousands of values and are not needed by any caller
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value as string | number | boolean | null;
  }
  return { name: error.name, message: error.message, fields };
}

export function deserializeError(serialized: SerializedError): Error {
  const error = Object.assign(new Error(serialized.message), serialized.fields);
  error.name = serialized.name;
  return error;
}
