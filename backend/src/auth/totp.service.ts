import { Inject, Injectable } from '@nestjs/common';
import { TOTP_ERRORS, TOTP_ROLES, type Principal, type TotpDisableRequest, type TotpEnrolment, type TotpStatus } from '@dxoc/contracts';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../http/errors';
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
 */
@Injectable()
export class TotpService {
  constructor(
    @Inject(AuthRepository) private readonly repository: AuthRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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
    if (!(await this.repository.setPendingTotp(userId, secret)))
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
    const step = await acceptedTotpStep(totp.secret, code, now, totp.lastStep);
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
      const step = await acceptedTotpStep(totp.secret, proof.code, now, totp.lastStep);
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
    const step = await acceptedTotpStep(totp.secret, code, now, totp.lastStep);
    if (step === null) return 'invalid';
    return (await this.repository.takeTotpStep(user.id, totp.secret, step, null)) ? 'ok' : 'invalid';
  }
}

/** The second factor belongs to a user account; a wall's viewer token has none. */
function userOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new AppError(403, 'not_a_user', 'a second factor belongs to a user account, not to a viewer token');
  return principal.id;
}
