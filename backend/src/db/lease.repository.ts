import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from './database';

/**
 * Named leases in the database (table lease): work that one instance of several does at a time — the alert sweep,
 * running TimescaleDB jobs the server's scheduler fails — is done by whoever holds the lease.
 */
@Injectable()
export class LeaseRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Takes or renews a lease: true while this holder has it. Another holder's lease is taken over only once it has
   * expired (its holder stopped renewing). The database's clock decides, so instances need not agree on time.
   */
  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    await this.db.query(
      `INSERT INTO lease (name, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::float8)) ON CONFLICT (name) DO NOTHING`,
      [name, holder, ttlMs / 1000],
    );
    const { rowCount } = await this.db.query(
      `UPDATE lease SET holder = $2, expires_at = now() + make_interval(secs => $3::float8)
       WHERE name = $1 AND (holder = $2 OR expires_at < now())`,
      [name, holder, ttlMs / 1000],
    );
    return rowCount === 1;
  }

  /** Gives a lease up at shutdown, so another instance need not wait for it to expire. */
  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.query(`DELETE FROM lease WHERE name = $1 AND holder = $2`, [name, holder]);
  }
}
