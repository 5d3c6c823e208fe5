import { redactUrl } from '@dxoc/contracts';
import type { AppConfig } from '../config/config';
import type { Database } from '../db/database';
import { openEmbeddedForCli, openEmbeddedForServer } from '../db/embedded-host';
import { DatabaseSetupError, DatabaseUnavailableError } from '../db/errors';
import { PgDatabase } from '../db/pg-database';

export interface OpenedDatabase {
  db: Database;
  description: string;
  /** Embedded only: called if the database thread dies on its own. */
  onLost?(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

const redact = (url: string) => redactUrl(url, 'DATABASE_URL');

/** Connects to DATABASE_URL and proves it answers, so an unreachable server fails at startup with one line. */
async function openServerDatabase(url: string, maxConnections: number, queryTimeoutMs: number): Promise<OpenedDatabase> {
  const db = PgDatabase.connect(url, maxConnections, { queryTimeoutMs });
  try {
    await db.query('SELECT 1');
  } catch (error) {
    await db.close().catch(() => undefined);
    const cause = error instanceof DatabaseUnavailableError ? error.cause : error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    if (error instanceof DatabaseUnavailableError) throw new DatabaseSetupError(`cannot reach the database at ${redact(url)}: ${reason}`);
    throw new DatabaseSetupError(`the database at ${redact(url)} refused the connection: ${reason}`);
  }
  return { db, description: `PostgreSQL at ${redact(url)}`, close: () => db.close() };
}

/** For `serve`: owns the embedded data dir (sharing it on a private socket) or connects to DATABASE_URL. */
export async function openForServer(config: AppConfig): Promise<OpenedDatabase> {
  if (config.databaseUrl) return openServerDatabase(config.databaseUrl, 10, config.dbQueryTimeoutMs);
  const embedded = await openEmbeddedForServer(config.dataDir);
  return {
    db: embedded.db,
    description: `embedded TimescaleDB in ${config.dataDir}`,
    onLost: (listener) => embedded.onLost(listener),
    close: () => embedded.close(),
  };
}

/** For one-shot commands: the same database the server uses, also while the server is running. */
export async function openForCommand(config: AppConfig): Promise<OpenedDatabase> {
  if (config.databaseUrl) return openServerDatabase(config.databaseUrl, 2, config.dbQueryTimeoutMs);
  const embedded = await openEmbeddedForCli(config.dataDir, { queryTimeoutMs: config.dbQueryTimeoutMs });
  const where = embedded.viaServer ? ' (through the running server)' : '';
  return { db: embedded.db, description: `embedded TimescaleDB in ${config.dataDir}${where}`, close: () => embedded.close() };
}
