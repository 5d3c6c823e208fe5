import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CLOCK, type Clock } from '../common/clock';
import { CatalogService } from '../catalog/catalog.service';
import type {
  CreateUserRequest,
  LoginResponse,
  Principal,
  StreamDeniedReason,
  UpdateUserRequest,
  User,
  ViewerToken,
} from '@dxoc/contracts';
import { TOTP_ERRORS } from '@dxoc/contracts';
import { EventBus } from '../events/event-bus';
import { AppError, unauthorized } from '../http/errors';
import { AuditService } from './audit.service';
import { AuthRepository, type UserRow } from './auth.repository';
import { LoginThrottle } from './login-throttle';
import { hashPassword, newId, newToken, tokenHash, verifyPassword } from './secrets';
import { credentialKey, denialOf, refusalOf, type StreamCredential } from './stream-credentials';
import { TotpService } from './totp.service';

const SESSION_PREFIX = 'dxs_';
const VIEWER_PREFIX = 'dxv_';
/** Verified against when the user does not exist, so a wrong username costs as long as a wrong password. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const TOUCH_EVERY_MS = 60_000;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    unitCode: row.unitCode,
    createdAt: row.createdAt.toISOString(),
    disabledAt: row.disabledAt?.toISOString() ?? null,
    totpEnabled: row.totpEnabledAt !== null,
  };
}

@Injectable()
export class AuthService {
  private readonly viewerTouched = new Map<string, number>();

  constructor(
    @Inject(AuthRepository) private readonly repository: AuthRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(TotpService) private readonly totp: TotpService,
  ) {}

  /**
   * A session for the right password, and the right code when the account has a second factor on. A missing or
   * wrong code counts against the throttle like a wrong password; only a full success clears its failures.
   */
  async login(username: string, password: string, ip: string, totpCode?: string): Promise<LoginResponse> {
    const now = this.clock.now();
    const user = await this.repository.findUserByName(username);
    // before the password is verified: a locked-out guesser learns nothing, and spends no scrypt time of ours
    await this.throttle.check(username, user?.id ?? null, ip, now);
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid || user.disabledAt) {
      await this.throttle.fail(username, ip, now);
      await this.audit.record({ actor: username, action: 'login.failure', ip });
      throw unauthorized('wrong username or password');
    }
    const secondFactor = await this.totp.check(user, totpCode, now).catch(async (error: unknown) => {
      // the stored secret does not open (another DXOC_SECRET_KEY): audited, not counted, as no code was judged
      if (error instanceof AppError && error.code === TOTP_ERRORS.unreadable)
        await this.audit.record({ actor: username, action: 'login.failure', after: { reason: error.code }, ip });
      throw error;
    });
    if (secondFactor !== 'ok') {
      await this.throttle.fail(username, ip, now);
      const error = secondFactor === 'required' ? TOTP_ERRORS.required : TOTP_ERRORS.invalid;
      await this.audit.record({ actor: username, action: 'login.failure', after: { reason: error }, ip });
      throw new AppError(
        401,
        error,
        secondFactor === 'required'
          ? 'this account has a second factor: send the current code of the authenticator app as totpCode'
          : 'the code is wrong, not current (check the phone’s clock) or was used already',
        undefined,
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    await this.throttle.succeed(username, ip);
    const token = newToken(SESSION_PREFIX);
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlHours * 3_600_000);
    await this.repository.insertSession({ tokenHash: tokenHash(token), userId: user.id, createdAt: now, expiresAt, ip });
    await this.audit.record({ actor: user.username, action: 'login.success', ip });
    return { token, expiresAt: expiresAt.toISOString(), user: toUser(user) };
  }

  async logout(token: string, principal: Principal, ip: string | null): Promise<void> {
    await this.repository.revokeSession(tokenHash(token), this.clock.now());
    this.bus.emit('credentials.revoked', { cause: 'logout' });
    await this.audit.record({ actor: principal.name, action: 'logout', ip });
  }

  /** A session token or a viewer token → who is calling; null when neither is valid. Agent keys are not accepted here. */
  async resolve(token: string): Promise<Principal | null> {
    return (await this.resolveCredential(token))?.principal ?? null;
  }

  /** resolve, and the credential behind it: a live socket keeps it to check it again for the life of the connection. */
  async resolveCredential(token: string): Promise<{ principal: Principal; credential: StreamCredential } | null> {
    const now = this.clock.now();
    if (token.startsWith(SESSION_PREFIX)) {
      const hash = tokenHash(token);
      const user = await this.repository.findSessionUser(hash, now);
      if (!user) return null;
      return {
        principal: { kind: 'user', id: user.id, name: user.username, role: user.role, unitCode: user.unitCode },
        credential: { kind: 'session', key: hash, expiresAt: user.expiresAt, role: user.role, unitCode: user.unitCode },
      };
    }
    if (token.startsWith(VIEWER_PREFIX)) {
      const viewer = await this.repository.findViewerToken(tokenHash(token));
      if (!viewer) return null;
      if (now.getTime() - (this.viewerTouched.get(viewer.id) ?? 0) > TOUCH_EVERY_MS) {
        this.viewerTouched.set(viewer.id, now.getTime());
        await this.repository.touchViewerToken(viewer.id, now);
      }
      return {
        principal: { kind: 'viewer_token', id: viewer.id, name: `viewer-token:${viewer.name}`, role: 'viewer', unitCode: null },
        credential: { kind: 'viewer_token', key: viewer.id },
      };
    }
    return null;
  }

  /**
   * Checks many credentials again with one query: the ones that no longer hold, each with why, by credentialKey.
   * The live stream calls this for all its sockets at once, every DXOC_LIVE_CREDENTIAL_CHECK_MS.
   */
  async credentialDenials(credentials: StreamCredential[]): Promise<Map<string, StreamDeniedReason>> {
    const sessions = new Set<string>();
    const viewers = new Set<string>();
    for (const credential of credentials) (credential.kind === 'session' ? sessions : viewers).add(credential.key);
    const rows = await this.repository.credentialStates([...sessions], [...viewers]);
    const states = new Map(rows.map((row) => [credentialKey(row), row]));
    const now = this.clock.now();
    const denials = new Map<string, StreamDeniedReason>();
    for (const credential of credentials) {
      const key = credentialKey(credential);
      const reason = denials.has(key) ? null : denialOf(credential, states.get(key), now);
      if (reason) denials.set(key, reason);
    }
    return denials;
  }

  /** Why resolve refused this token (a handshake tells the client, so that it stops retrying with it). */
  async refusalReason(token: string): Promise<StreamDeniedReason> {
    if (!token.startsWith(SESSION_PREFIX) && !token.startsWith(VIEWER_PREFIX)) return 'unauthorized';
    return refusalOf(await this.repository.credentialStateByHash(tokenHash(token)), this.clock.now());
  }

  private async checkRoleAndUnit(role: CreateUserRequest['role'], unitCode: string | null): Promise<void> {
    if (role === 'operator') {
      if (!unitCode) throw new AppError(400, 'invalid_user', 'an operator is bound to one unit: give unitCode');
      const unit = (await this.catalog.snapshot()).units.get(unitCode);
      if (!unit) throw new AppError(400, 'unknown_unit', `unknown unit code "${unitCode}"`);
      if (unit.validUntil) throw new AppError(400, 'dissolved_unit', `unit "${unitCode}" ceased on ${unit.validUntil}`);
    } else if (unitCode) {
      throw new AppError(400, 'invalid_user', `only operators are bound to a unit; a ${role} sees all units`);
    }
  }

  /** Role, unit, disabling and password changes; any of them signs the user out everywhere. */
  async updateUser(id: string, update: UpdateUserRequest, actor: string, ip: string | null = null): Promise<User> {
    const user = await this.repository.findUserById(id);
    if (!user) throw new AppError(404, 'not_found', `no user with id "${id}"`);
    const role = update.role ?? user.role;
    const unitCode = update.unitCode !== undefined ? update.unitCode : role === 'operator' ? user.unitCode : null;
    await this.checkRoleAndUnit(role, unitCode);
    const now = this.clock.now();
    const disabledAt = update.disabled === undefined ? user.disabledAt : update.disabled ? (user.disabledAt ?? now) : null;
    const passwordHash = update.password ? await hashPassword(update.password) : user.passwordHash;
    await this.repository.updateUser(id, { role, unitCode, disabledAt, passwordHash });
    await this.repository.revokeUserSessions(id, now);
    this.bus.emit('credentials.revoked', { cause: 'user_update' });
    const after = { ...user, role, unitCode, disabledAt };
    await this.audit.record({
      actor,
      action: 'user.update',
      target: user.username,
      before: { role: user.role, unitCode: user.unitCode, disabled: user.disabledAt !== null },
      after: { role, unitCode, disabled: disabledAt !== null, passwordChanged: Boolean(update.password) },
      ip,
    });
    return toUser(after);
  }

  async findUserByName(username: string): Promise<User | null> {
    const row = await this.repository.findUserByName(username);
    return row ? toUser(row) : null;
  }

  async createUser(input: CreateUserRequest, actor: string, ip: string | null = null): Promise<User> {
    const unitCode = input.unitCode ?? null;
    await this.checkRoleAndUnit(input.role, unitCode);
    const row = { id: newId(), username: input.username, passwordHash: await hashPassword(input.password), role: input.role, unitCode };
    const now = this.clock.now();
    if (!(await this.repository.insertUser(row, now)))
      throw new AppError(409, 'user_exists', `a user named "${input.username}" already exists`);
    const user = toUser({ ...row, createdAt: now, disabledAt: null, totpEnabledAt: null });
    await this.audit.record({
      actor,
      action: 'user.create',
      target: user.username,
      after: { role: user.role, unitCode: user.unitCode },
      ip,
    });
    return user;
  }

  async listUsers(): Promise<User[]> {
    return (await this.repository.listUsers()).map(toUser);
  }

  async createViewerToken(name: string, actor: string, ip: string | null = null): Promise<{ id: string; name: string; token: string }> {
    const id = newId();
    const token = newToken(VIEWER_PREFIX);
    await this.repository.insertViewerToken({ id, name, tokenHash: tokenHash(token), createdBy: actor }, this.clock.now());
    await this.audit.record({ actor, action: 'viewer_token.create', target: id, after: { name }, ip });
    return { id, name, token };
  }

  async listViewerTokens(): Promise<ViewerToken[]> {
    return (await this.repository.listViewerTokens()).map((row) => ({
      id: row.id,
      name: row.name,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? null,
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    }));
  }

  async revokeViewerToken(id: string, actor: string, ip: string | null = null): Promise<void> {
    if (!(await this.repository.revokeViewerToken(id, this.clock.now())))
      throw new AppError(404, 'not_found', `no active viewer token with id "${id}"`);
    this.bus.emit('credentials.revoked', { cause: 'viewer_token_revoked' });
    await this.audit.record({ actor, action: 'viewer_token.revoke', target: id, ip });
  }
}
