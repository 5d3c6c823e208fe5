import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TOTP_ERRORS, TOTP_ROLES, type Principal, type TotpDisableRequest, type TotpEnrolment, type TotpStatus } from '@dxoc/contracts';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../http/errors';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { SecretBox } from '../secrets/secret-box';
import { isSealed } from '../secrets/seal';
import { AuditService } from './audit.service';
import { AuthRepository, type UserRow } from './auth.repository';
import { LoginThrottle } from './login-throttle';
import { verifyPassword } from './secrets';
import { acceptedTotpStep, newTotpSecret, totpUri } from './totp';

/**
 * The optional second factor of admin and staff accounts. The secret is answered once, at enrolment; it is switched
 * on only by a code made from it, so an enrolment left half done locks nobody out. Every code is taken once. A wrong
 * code or password when switching it off counts against the login throttle like a failed login: a stolen session
 * cannot guess its way to turning the factor off.
 *
 * The secret is stored sealed with the instance's key (SecretBox, DXOC_SECRET_KEY): a copy of the database (a backup,
 * a read-only SQL role) does not give the codes away. A value that is not sealed is read as the secret itself: those
 * stored before sealing, sealed at startup, and those of a PostgreSQL deployment without DXOC_SECRET_KEY, which keeps
 * them in clear text and says so at every start (refusing the second factor there would leave accounts with the
 * password alone, which is weaker than a secret readable by whoever reads the database).
 */
@Injectable()
export class TotpService implements OnApplicationBootstrap {
  constructor(
    @Inject(AuthRepository) private readonly repository: AuthRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: JsonLogger,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Only a serving instance seals and reports: the CLI's application contexts (no HTTP adapter) leave it alone. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.adapterHost.httpAdapter) return;
    try {
      await this.sealStored();
    } catch (error) {
      // a key file that cannot be written, a database hiccup: the secrets are read as stored, a later start seals them
      this.logger.error('auth.totp_seal_failed', { message: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * Seals the secrets still in clear text, one compare-and-set UPDATE each (two instances starting at once: the
   * second finds the value changed and leaves it), and says which stored secrets the key does not open.
   */
  async sealStored(): Promise<{ sealed: number; clear: number; unreadable: number }> {
    const rows = await this.repository.listTotpSecrets();
    let sealed = 0;
    let clear = 0;
    let unreadable = 0;
    for (const row of rows) {
      if (isSealed(row.secret)) {
        if ('reason' in this.readable(row.secret)) unreadable++;
      } else if (!this.secrets.hasKey) {
        clear++;
      } else if (await this.repository.replaceTotpSecret(row.id, row.secret, this.secrets.seal(row.secret))) {
        sealed++;
      }
    }
    if (sealed > 0) this.logger.info('auth.totp_secrets_sealed', { count: sealed });
    if (!this.secrets.hasKey) {
      this.logger.warn('auth.totp_secrets_unsealed', {
        count: clear,
        message:
          'DXOC_SECRET_KEY is not set: second-factor (TOTP) secrets are stored in clear text in app_user.totp_secret, ' +
          'readable by anyone who can read the database or its backups. Set the same DXOC_SECRET_KEY on every instance ' +
          'and restart: they are then sealed.',
      });
    }
    if (unreadable > 0) {
      this.logger.error('auth.totp_secrets_unreadable', {
        count: unreadable,
        message:
          'these second-factor secrets were sealed with another DXOC_SECRET_KEY (or the key is missing): their users ' +
          'cannot sign in with a code until the key is restored or an admin resets their second factor',
      });
    }
    return { sealed, clear, unreadable };
  }

  /** The stored form of a new secret: sealed when the instance has a key. */
  private store(secret: string): string {
    return this.secrets.hasKey ? this.secrets.seal(secret) : secret;
  }

  /** The secret of a stored value, or why this instance cannot open it (for the log, never for the client). */
  private readable(stored: string): { secret: string } | { reason: string } {
    if (!isSealed(stored)) return { secret: stored };
    if (!this.secrets.hasKey) return { reason: 'the second-factor secret is sealed but DXOC_SECRET_KEY is not set' };
    try {
      return { secret: this.secrets.open(stored) };
    } catch (error) {
      // an AppError: the embedded database's key file could not be read or made; else GCM refused the value
      return {
        reason:
          error instanceof AppError
            ? error.message
            : 'the second-factor secret does not open with this DXOC_SECRET_KEY (sealed with another key, or altered)',
      };
    }
  }

  /**
   * The user's secret to check a code with; a sealed one that the key does not open is 503 totp_unreadable, logged
   * for the operator: the code cannot be judged, so it is neither accepted nor counted as wrong.
   */
  private reveal(userId: string, stored: string): string {
    const readable = this.readable(stored);
    if ('secret' in readable) return readable.secret;
    this.logger.error('auth.totp_secret_unreadable', { userId, message: readable.reason });
    throw new AppError(
      503,
      TOTP_ERRORS.unreadable,
      'the second factor of this account cannot be checked: the server cannot read its stored secret. An administrator ' +
        'restores the server’s secret key or resets the second factor (the password alone then signs in)',
    );
  }

  async status(principal: Principal): Promise<TotpStatus> {
    const totp = await this.repository.findTotp(userOf(principal));
    return {
      enabled: Boolean(totp?.enabledAt),
      pending: Boolean(totp && !totp.enabledAt),
      enabledAt: totp?.enabledAt?.toISOString() ?? null,
    };
  }

  /** A new secret, pending until confirmed; a pending one is replaced. */
  async enrol(principal: Principal, ip: string): Promise<TotpEnrolment> {
    const userId = userOf(principal);
    if (!(TOTP_ROLES as readonly string[]).includes(principal.role))
      throw new AppError(403, 'totp_not_available', `a second factor is for admin and staff accounts; you are ${principal.role}`);
    const secret = newTotpSecret();
    if (!(await this.repository.setPendingTotp(userId, this.store(secret))))
      throw new AppError(409, 'totp_already_enabled', 'a second factor is already on: switch it off first to enrol a new one');
    await this.audit.record({ actor: principal.name, action: 'totp.enrol', target: principal.name, ip });
    return { secret, otpauthUri: totpUri(principal.name, secret) };
  }

  /** The first code from the app switches the pending secret on. */
  async confirm(principal: Principal, code: string, ip: string): Promise<TotpStatus> {
    const userId = userOf(principal);
    const totp = await this.repository.findTotp(userId);
    if (!totp || totp.enabledAt)
      throw new AppError(409, 'totp_not_pending', 'nothing to confirm: enrol first (POST /api/v1/auth/totp/enrol)');
    const now = this.clock.now();
    const step = await acceptedTotpStep(this.reveal(userId, totp.secret), code, now, totp.lastStep);
    if (step === null || !(await this.repository.takeTotpStep(userId, totp.secret, step, now)))
      // 400, not 403: the form's input is wrong, the session and its rights are fine
      throw new AppError(400, TOTP_ERRORS.invalid, 'the code does not match the secret (check the phone’s clock) or was used already');
    await this.audit.record({ actor: principal.name, action: 'totp.enable', target: principal.name, ip });
    return this.status(principal);
  }

  /** Off (or a pending enrolment dropped) with a current code, or with the password when the phone is lost. */
  async disable(principal: Principal, proof: TotpDisableRequest, ip: string): Promise<TotpStatus> {
    const userId = userOf(principal);
    const totp = await this.repository.findTotp(userId);
    if (!totp) throw new AppError(409, 'totp_not_enabled', 'this account has no second factor');
    const now = this.clock.now();
    await this.throttle.check(principal.name, userId, ip, now);
    let proven: boolean;
    if (proof.code !== undefined) {
      const step = await acceptedTotpStep(this.reveal(userId, totp.secret), proof.code, now, totp.lastStep);
      proven = step !== null && (!totp.enabledAt || (await this.repository.takeTotpStep(userId, totp.secret, step, null)));
    } else {
      const user = await this.repository.findUserById(userId);
      proven = Boolean(user && (await verifyPassword(proof.password ?? '', user.passwordHash)));
    }
    if (!proven) {
      await this.throttle.fail(principal.name, ip, now);
      const [error, what] =
        proof.code !== undefined ? [TOTP_ERRORS.invalid, 'the code is wrong or was used already'] : ['wrong_password', 'wrong password'];
      throw new AppError(403, error, `${what}: the second factor stays on`);
    }
    await this.repository.clearTotp(userId);
    await this.audit.record({
      actor: principal.name,
      action: 'totp.disable',
      target: principal.name,
      before: { enabled: totp.enabledAt !== null },
      after: { proof: proof.code !== undefined ? 'code' : 'password' },
      ip,
    });
    return this.status(principal);
  }

  /** An admin takes another user's second factor away (a lost phone): the user signs in with the password alone. */
  async reset(id: string, actor: string, ip: string | null): Promise<void> {
    const user = await this.repository.findUserById(id);
    if (!user) throw new AppError(404, 'not_found', `no user with id "${id}"`);
    const totp = await this.repository.findTotp(id);
    await this.repository.clearTotp(id);
    await this.audit.record({
      actor,
      action: 'user.totp_reset',
      target: user.username,
      before: { enabled: Boolean(totp?.enabledAt), pending: Boolean(totp && !totp.enabledAt) },
      after: { enabled: false },
      ip,
    });
  }

  /**
   * At login, after the password was found right: 'ok' when the account has no second factor on or the code is
   * current and not used before (its step is taken), else why not.
   */
  async check(user: UserRow, code: string | undefined, now: Date): Promise<'ok' | 'required' | 'invalid'> {
    if (!user.totpEnabledAt) return 'ok';
    if (code === undefined || code.trim() === '') return 'required';
    const totp = await this.repository.findTotp(user.id);
    if (!totp?.enabledAt) return 'ok'; // reset between the two reads
    const step = await acceptedTotpStep(this.reveal(user.id, totp.secret), code, now, totp.lastStep);
    if (step === null) return 'invalid';
    return (await this.repository.takeTotpStep(user.id, totp.secret, step, null)) ? 'ok' : 'invalid';
  }
}

/** The second factor belongs to a user account; a wall's viewer token has none. */
function userOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new AppError(403, 'not_a_user', 'a second factor belongs to a user account, not to a viewer token');
  return principal.id;
}
