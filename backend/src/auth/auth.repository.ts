import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../db/database';
import type { Role } from '@dxoc/contracts';

export interface UserRow {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  unitCode: string | null;
  createdAt: Date;
  disabledAt: Date | null;
  /** a confirmed second factor; its secret is read only by findTotp (and listTotpSecrets, to seal it) */
  totpEnabledAt: Date | null;
}

/** A user's second factor: the secret (pending until enabledAt is set) and the step of the last code accepted. */
export interface TotpRow {
  /**
   * As stored: sealed (`v1.…`, secrets/seal.ts) or, when stored before sealing or without DXOC_SECRET_KEY, the base32
   * secret itself. The compare-and-set of takeTotpStep takes this stored form back.
   */
  secret: string;
  enabledAt: Date | null;
  lastStep: number | null;
}

export interface ViewerTokenRow {
  id: string;
  name: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A session (key: its token hash, with its user's state) or a viewer token (key: its id), as it is now. */
export interface CredentialStateRow {
  kind: 'session' | 'viewer_token';
  key: string;
  revokedAt: Date | null;
  expiresAt: Date | null;
  disabledAt: Date | null;
  role: Role | null;
  unitCode: string | null;
}

const SELECT_USER = `SELECT id, username, password_hash AS "passwordHash", role, unit_code AS "unitCode",
  created_at AS "createdAt", disabled_at AS "disabledAt", totp_enabled_at AS "totpEnabledAt" FROM app_user`;
const SELECT_VIEWER_TOKEN = `SELECT id, name, created_by AS "createdBy", created_at AS "createdAt",
  revoked_at AS "revokedAt", last_used_at AS "lastUsedAt" FROM viewer_token`;

@Injectable()
export class AuthRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insertUser(
    user: { id: string; username: string; passwordHash: string; role: Role; unitCode: string | null },
    at: Date,
  ): Promise<boolean> {
    const result = await this.db.query(
      `INSERT INTO app_user (id, username, password_hash, role, unit_code, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (username) DO NOTHING`,
      [user.id, user.username, user.passwordHash, user.role, user.unitCode, at],
    );
    return result.rowCount === 1;
  }

  async findUserByName(username: string): Promise<UserRow | null> {
    const { rows } = await this.db.query<UserRow>(`${SELECT_USER} WHERE username = $1`, [username]);
    return rows[0] ?? null;
  }

  async listUsers(): Promise<UserRow[]> {
    const { rows } = await this.db.query<UserRow>(`${SELECT_USER} ORDER BY username`);
    return rows;
  }

  async countUsers(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user`);
    return rows[0]?.n ?? 0;
  }

  async insertSession(session: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date; ip: string | null }): Promise<void> {
    await this.db.query(`INSERT INTO user_session (token_hash, user_id, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5)`, [
      session.tokenHash,
      session.userId,
      session.createdAt,
      session.expiresAt,
      session.ip,
    ]);
  }

  /** The user behind a live session token, with the session's expiry, or null (unknown, expired, revoked, user disabled). */
  async findSessionUser(hash: string, now: Date): Promise<(UserRow & { expiresAt: Date }) | null> {
    const { rows } = await this.db.query<UserRow & { expiresAt: Date }>(
      `SELECT u.id, u.username, u.password_hash AS "passwordHash", u.role, u.unit_code AS "unitCode",
              u.created_at AS "createdAt", u.disabled_at AS "disabledAt", u.totp_enabled_at AS "totpEnabledAt",
              s.expires_at AS "expiresAt"
       FROM user_session s JOIN app_user u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.disabled_at IS NULL`,
      [hash, now],
    );
    return rows[0] ?? null;
  }

  /**
   * The current state of many credentials in one query (the live stream re-checks all its sockets' credentials
   * with it): sessions by token hash with their user, viewer tokens by id. A credential missing from the answer
   * no longer exists.
   */
  async credentialStates(sessionHashes: string[], viewerTokenIds: string[]): Promise<CredentialStateRow[]> {
    if (sessionHashes.length === 0 && viewerTokenIds.length === 0) return [];
    const { rows } = await this.db.query<CredentialStateRow>(
      `SELECT 'session' AS kind, s.token_hash AS key, s.revoked_at AS "revokedAt", s.expires_at AS "expiresAt",
              u.disabled_at AS "disabledAt", u.role, u.unit_code AS "unitCode"
       FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ANY($1::text[])
       UNION ALL
       SELECT 'viewer_token', v.id, v.revoked_at, NULL, NULL, NULL, NULL FROM viewer_token v WHERE v.id = ANY($2::text[])`,
      [sessionHashes, viewerTokenIds],
    );
    return rows;
  }

  /** Why a token is refused, for a handshake: its session or viewer token row whatever its state, or null. */
  async credentialStateByHash(hash: string): Promise<CredentialStateRow | null> {
    const { rows } = await this.db.query<CredentialStateRow>(
      `SELECT 'session' AS kind, s.token_hash AS key, s.revoked_at AS "revokedAt", s.expires_at AS "expiresAt",
              u.disabled_at AS "disabledAt", u.role, u.unit_code AS "unitCode"
       FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = $1
       UNION ALL
       SELECT 'viewer_token', v.id, v.revoked_at, NULL, NULL, NULL, NULL FROM viewer_token v WHERE v.token_hash = $1`,
      [hash],
    );
    return rows[0] ?? null;
  }

  async revokeSession(hash: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE user_session SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`, [hash, at]);
  }

  async insertViewerToken(token: { id: string; name: string; tokenHash: string; createdBy: string }, at: Date): Promise<void> {
    await this.db.query(`INSERT INTO viewer_token (id, name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      token.id,
      token.name,
      token.tokenHash,
      token.createdBy,
      at,
    ]);
  }

  async findViewerToken(hash: string): Promise<ViewerTokenRow | null> {
    const { rows } = await this.db.query<ViewerTokenRow>(`${SELECT_VIEWER_TOKEN} WHERE token_hash = $1 AND revoked_at IS NULL`, [hash]);
    return rows[0] ?? null;
  }

  async listViewerTokens(): Promise<ViewerTokenRow[]> {
    const { rows } = await this.db.query<ViewerTokenRow>(`${SELECT_VIEWER_TOKEN} ORDER BY created_at, id`);
    return rows;
  }

  async revokeViewerToken(id: string, at: Date): Promise<boolean> {
    const result = await this.db.query(`UPDATE viewer_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, at]);
    return result.rowCount === 1;
  }

  async touchViewerToken(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE viewer_token SET last_used_at = $2 WHERE id = $1`, [id, at]);
  }

  async findUserById(id: string): Promise<UserRow | null> {
    const { rows } = await this.db.query<UserRow>(`${SELECT_USER} WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async updateUser(
    id: string,
    fields: { role: string; unitCode: string | null; disabledAt: Date | null; passwordHash: string },
  ): Promise<void> {
    await this.db.query(`UPDATE app_user SET role = $2, unit_code = $3, disabled_at = $4, password_hash = $5 WHERE id = $1`, [
      id,
      fields.role,
      fields.unitCode,
      fields.disabledAt,
      fields.passwordHash,
    ]);
  }

  /** Sign the user out everywhere (after a password change, a role change or disabling). */
  async revokeUserSessions(userId: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE user_session SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [userId, at]);
  }

  /** The user's second factor, or null when none was issued. The only query that reads the secret. */
  async findTotp(userId: string): Promise<TotpRow | null> {
    const { rows } = await this.db.query<TotpRow>(
      `SELECT totp_secret AS secret, totp_enabled_at AS "enabledAt", totp_last_step::float8 AS "lastStep"
       FROM app_user WHERE id = $1 AND totp_secret IS NOT NULL`,
      [userId],
    );
    return rows[0] ?? null;
  }

  /** A new secret waiting for its first code; false when a second factor is already on (it is switched off first). */
  async setPendingTotp(userId: string, secret: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE app_user SET totp_secret = $2, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1 AND totp_enabled_at IS NULL`,
      [userId, secret],
    );
    return result.rowCount === 1;
  }

  /**
   * Takes a code's time step for the user's secret: true once, false when that step or a later one was taken
   * already (a replayed code, or the same code sent to two instances at once), or when the secret changed meanwhile.
   * With enableAt, the pending secret is switched on by the same statement (the enrolment's confirmation).
   */
  async takeTotpStep(userId: string, secret: string, step: number, enableAt: Date | null): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE app_user SET totp_last_step = $3, totp_enabled_at = COALESCE(totp_enabled_at, $4)
       WHERE id = $1 AND totp_secret = $2 AND (totp_last_step IS NULL OR totp_last_step < $3)
         AND (totp_enabled_at IS NULL) = ($4::timestamptz IS NOT NULL)`,
      [userId, secret, step, enableAt],
    );
    return result.rowCount === 1;
  }

  /** Every stored second-factor secret, sealed or not: startup seals those still in clear text. */
  async listTotpSecrets(): Promise<Array<{ id: string; secret: string }>> {
    const { rows } = await this.db.query<{ id: string; secret: string }>(
      `SELECT id, totp_secret AS secret FROM app_user WHERE totp_secret IS NOT NULL ORDER BY id`,
    );
    return rows;
  }

  /**
   * The stored secret replaced by another form of the same secret (its sealed form), only if it is still the value
   * read: false when it changed meanwhile (re-enrolled, reset, or sealed by another instance starting at once).
   */
  async replaceTotpSecret(userId: string, from: string, to: string): Promise<boolean> {
    const result = await this.db.query(`UPDATE app_user SET totp_secret = $3 WHERE id = $1 AND totp_secret = $2`, [userId, from, to]);
    return result.rowCount === 1;
  }

  /** Second factor off (and any pending enrolment dropped); false when the user had none. */
  async clearTotp(userId: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE app_user SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1 AND totp_secret IS NOT NULL`,
      [userId],
    );
    return result.rowCount === 1;
  }
}
