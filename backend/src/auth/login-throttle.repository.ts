import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../db/database';

/** For each scope: the failure whose leaving the window ends the lockout, or null when that scope is under its limit. */
export interface ThrottleState {
  pair: Date | null;
  address: Date | null;
  account: Date | null;
}

export interface FailureCounts {
  pair: number;
  address: number;
  account: number;
}

@Injectable()
export class LoginThrottleRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * The limit-th most recent failure of each scope since `since` (OFFSET limit - 1): while it exists the scope is
   * locked, and it leaves the window first among the failures that keep it locked. The account scope is skipped
   * (null) when `sparedUserId` has signed in from this address since `trustedSince`.
   */
  async state(
    username: string,
    ip: string,
    since: Date,
    limits: FailureCounts,
    sparedUserId: string | null,
    trustedSince: Date,
  ): Promise<ThrottleState> {
    const { rows } = await this.db.query<ThrottleState>(
      `SELECT
         (SELECT at FROM login_failure WHERE username = $1 AND ip = $2 AND at > $3 ORDER BY at DESC OFFSET $4 LIMIT 1) AS pair,
         (SELECT at FROM login_failure WHERE ip = $2 AND at > $3 ORDER BY at DESC OFFSET $5 LIMIT 1) AS address,
         CASE WHEN $7::text IS NOT NULL AND EXISTS (
                SELECT 1 FROM user_session WHERE user_id = $7 AND ip = $2 AND created_at > $8)
              THEN NULL
              ELSE (SELECT at FROM login_failure WHERE username = $1 AND at > $3 ORDER BY at DESC OFFSET $6 LIMIT 1)
         END AS account`,
      [username, ip, since, limits.pair - 1, limits.address - 1, limits.account - 1, sparedUserId, trustedSince],
    );
    const row = rows[0];
    return { pair: row?.pair ?? null, address: row?.address ?? null, account: row?.account ?? null };
  }

  /** Records one failure and answers the counts of each scope since `since`, this failure included. */
  async insert(username: string, ip: string, at: Date, since: Date): Promise<FailureCounts> {
    await this.db.query(`INSERT INTO login_failure (at, username, ip) VALUES ($1, $2, $3)`, [at, username, ip]);
    const { rows } = await this.db.query<FailureCounts>(
      `SELECT count(*) FILTER (WHERE username = $1 AND ip = $2)::int AS pair,
              count(*) FILTER (WHERE ip = $2)::int AS address,
              count(*) FILTER (WHERE username = $1)::int AS account
       FROM login_failure WHERE (username = $1 OR ip = $2) AND at > $3`,
      [username, ip, since],
    );
    return rows[0] ?? { pair: 1, address: 1, account: 1 };
  }

  /** A correct password from this address forgives that address's earlier failures for this username. */
  async clearPair(username: string, ip: string): Promise<void> {
    await this.db.query(`DELETE FROM login_failure WHERE username = $1 AND ip = $2`, [username, ip]);
  }

  async prune(before: Date): Promise<void> {
    await this.db.query(`DELETE FROM login_failure WHERE at <= $1`, [before]);
  }
}
