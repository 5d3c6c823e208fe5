import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database, type Queryable } from '../db/database';

export interface AgentKeyRow {
  id: string;
  name: string;
  /** null = every unit */
  unitCodes: string[] | null;
  secretHash: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const SELECT_KEY = `SELECT id, name, unit_codes AS "unitCodes", secret_hash AS "secretHash", created_at AS "createdAt",
  revoked_at AS "revokedAt", last_used_at AS "lastUsedAt" FROM agent_key`;

@Injectable()
export class KeysRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(key: { id: string; name: string; unitCodes: string[] | null; secretHash: string }): Promise<void> {
    await this.db.query(`INSERT INTO agent_key (id, name, unit_codes, secret_hash) VALUES ($1, $2, $3, $4)`, [
      key.id,
      key.name,
      key.unitCodes,
      key.secretHash,
    ]);
  }

  async findById(id: string): Promise<AgentKeyRow | null> {
    const { rows } = await this.db.query<AgentKeyRow>(`${SELECT_KEY} WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async list(): Promise<AgentKeyRow[]> {
    const { rows } = await this.db.query<AgentKeyRow>(`${SELECT_KEY} WHERE secret_hash IS NOT NULL ORDER BY created_at, id`);
    return rows;
  }

  /** Returns false when there is no such usable key or it was already revoked. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE agent_key SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL AND secret_hash IS NOT NULL`,
      [id, at],
    );
    return result.rowCount === 1;
  }

  /**
   * Inside a writer's transaction: whether the key is still usable, holding a share lock so a concurrent revoke
   * waits for that transaction (and the one after it sees the revocation). null when there is no such key.
   */
  async lockForUse(tx: Queryable, id: string): Promise<{ revokedAt: Date | null } | null> {
    const { rows } = await tx.query<{ revokedAt: Date | null }>(`SELECT revoked_at AS "revokedAt" FROM agent_key WHERE id = $1 FOR SHARE`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE agent_key SET last_used_at = $2 WHERE id = $1`, [id, at]);
  }
}
