import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CatalogService } from '../catalog/catalog.service';
import { AppError, unauthorized } from '../http/errors';
import { AuditService } from '../auth/audit.service';
import type { Queryable } from '../db/database';
import { KeysRepository, type AgentKeyRow } from './keys.repository';

/** What an authenticated agent may do. */
export interface AgentIdentity {
  keyId: string;
  name: string;
  /** null = every unit */
  unitCodes: string[] | null;
}

export interface AgentKeySummary {
  id: string;
  name: string;
  units: string[] | 'all';
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const KEY_PATTERN = /^dxoc_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;
/** last_used_at is informational: write it at most this often per key, not on every batch. */
const TOUCH_EVERY_MS = 60_000;
/**
 * How long a key's row is reused to authenticate its batches without asking the database. Revocation does not
 * depend on it: confirmActive re-checks inside every batch's transaction.
 */
const KEY_ROW_REUSE_MS = 30_000;
/** Keys are few (one per unit and system); the bound only guards memory. */
const MAX_REUSED_KEY_ROWS = 10_000;

/** Agent keys are 256-bit random secrets, so a fast hash is enough (no password to brute-force). */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

@Injectable()
export class KeysService {
  private readonly lastTouched = new Map<string, number>();
  /** Rows of usable keys by id; unknown ids are never remembered, so guessing cannot fill it. */
  private readonly reusableRows = new Map<string, { row: AgentKeyRow; fetchedAt: number }>();

  constructor(
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Returns the full key once; only its hash is stored. */
  async create(
    input: { unitCodes: string[] | null; name?: string | undefined },
    actor = 'system',
    ip: string | null = null,
  ): Promise<{ id: string; key: string; units: string[] | 'all' }> {
    if (input.unitCodes !== null) {
      if (input.unitCodes.length === 0) throw new AppError(400, 'invalid_key_scope', 'name at least one unit, or grant all units');
      const units = await this.catalog.snapshot();
      for (const code of input.unitCodes) {
        const unit = units.units.get(code);
        if (!unit) throw new AppError(400, 'unknown_unit', `unknown unit code "${code}"; see GET /api/v1/catalog/units`);
        if (unit.validUntil) {
          throw new AppError(
            400,
            'dissolved_unit',
            `unit "${code}" (${unit.nameVi}) ceased on ${unit.validUntil}; create the key for ${unit.successors.map((s) => `"${s}"`).join(', ')}, which may also send its history`,
          );
        }
      }
    }
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const unitCodes = input.unitCodes ? [...new Set(input.unitCodes)] : null;
    const name = input.name?.trim() || (unitCodes ? `agent for ${unitCodes.join(', ')}` : 'agent for all units');
    await this.keys.insert({ id, name, unitCodes, secretHash: hashSecret(secret) });
    await this.audit.record({ actor, action: 'key.create', target: id, after: { name, units: unitCodes ?? 'all' }, ip });
    return { id, key: `dxoc_${id}_${secret}`, units: unitCodes ?? 'all' };
  }

  async list(): Promise<AgentKeySummary[]> {
    return (await this.keys.list()).map(summarise);
  }

  async get(id: string): Promise<AgentKeySummary | null> {
    const row = await this.keys.findById(id);
    return row && row.secretHash ? summarise(row) : null;
  }

  async revoke(id: string, actor = 'system', ip: string | null = null): Promise<void> {
    this.reusableRows.delete(id);
    const ok = await this.keys.revoke(id, this.clock.now());
    if (ok) await this.audit.record({ actor, action: 'key.revoke', target: id, ip });
    if (!ok) {
      const existing = await this.keys.findById(id);
      if (!existing || !existing.secretHash) throw new AppError(404, 'not_found', `no agent key with id "${id}"`);
      throw new AppError(409, 'already_revoked', `agent key "${id}" was already revoked on ${existing.revokedAt?.toISOString()}`);
    }
  }

  /**
   * Checks "Authorization: Bearer <key>" on every call. The key's row may come from a recent lookup: with the
   * embedded database every query waits for the batch being written, and a batch should not wait twice. A key
   * revoked since is refused by confirmActive before anything of the batch is stored.
   */
  async authenticate(authorization: string | undefined): Promise<AgentIdentity> {
    if (!authorization) throw unauthorized('missing agent key: send "Authorization: Bearer <agent key>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthorized('the Authorization header must be "Bearer <agent key>"');
    const parts = KEY_PATTERN.exec(match[1] ?? '');
    if (!parts) throw unauthorized('unknown agent key: it does not look like a dxoc key ("dxoc_<id>_<secret>")');
    const [, id, secret] = parts as unknown as [string, string, string];
    const row = await this.keyRow(id);
    if (!row) throw unauthorized('unknown agent key: ask your administrator for a new one');
    // the key exists: its operator is told of the refusal in the ingest log (a stale secret, a revoked key)
    if (!row.secretHash || !sameHash(row.secretHash, hashSecret(secret))) {
      throw new KeyRefused(row.id, 'unknown agent key: ask your administrator for a new one');
    }
    if (row.revokedAt) throw new KeyRefused(row.id, revoked(id, row.revokedAt).message);
    await this.touch(id);
    return { keyId: row.id, name: row.name, unitCodes: row.unitCodes };
  }

  /** Inside the transaction that stores an agent's batch: refuses a key revoked after it was authenticated. */
  async confirmActive(tx: Queryable, keyId: string): Promise<void> {
    this.refuseUnlessActive(keyId, await this.keys.lockForUse(tx, keyId));
  }

  /** Refuses a key found revoked or gone (state null) where a batch is stored; its reused row is forgotten. */
  refuseUnlessActive(keyId: string, state: { revokedAt: Date | null } | null): void {
    if (state?.revokedAt || !state) {
      this.reusableRows.delete(keyId);
      throw state?.revokedAt ? revoked(keyId, state.revokedAt) : unauthorized('unknown agent key: ask your administrator for a new one');
    }
  }

  private async keyRow(id: string): Promise<AgentKeyRow | null> {
    const now = this.clock.now().getTime();
    const known = this.reusableRows.get(id);
    if (known && now - known.fetchedAt < KEY_ROW_REUSE_MS) return known.row;
    const row = await this.keys.findById(id);
    this.reusableRows.delete(id);
    if (row?.secretHash && !row.revokedAt) {
      if (this.reusableRows.size >= MAX_REUSED_KEY_ROWS) this.reusableRows.clear();
      this.reusableRows.set(id, { row, fetchedAt: now });
    }
    return row;
  }

  private async touch(id: string): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - (this.lastTouched.get(id) ?? 0) < TOUCH_EVERY_MS) return;
    this.lastTouched.set(id, now);
    await this.keys.touch(id, new Date(now));
  }
}

/**
 * A 401 for a key that exists (a wrong secret, or revoked): the answer is the same as for an unknown key, and the
 * key's id lets the ingest log record the refusal for that key's operator.
 */
export class KeyRefused extends AppError {
  constructor(
    readonly keyId: string,
    message: string,
  ) {
    super(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

function revoked(id: string, at: Date): AppError {
  return unauthorized(`agent key ${id} was revoked on ${at.toISOString()}; ask your administrator for a new one`);
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

function summarise(row: AgentKeyRow): AgentKeySummary {
  return {
    id: row.id,
    name: row.name,
    units: row.unitCodes ?? 'all',
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
