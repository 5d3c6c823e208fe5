import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SESSION_COOKIE, type Role } from '@dxoc/contracts';
import { AppError, unauthorized } from '../http/errors';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, ROLES_KEY, type AuthenticatedRequest } from './decorators';

/** The bearer token, else the session cookie. */
export function tokenFrom(headers: Record<string, string | string[] | undefined>): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1] ?? null;
  }
  const cookie = headers.cookie;
  if (typeof cookie === 'string') {
    for (const part of cookie.split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
    }
  }
  return null;
}

/**
 * The single place that decides who may call what: every route needs a session or viewer token unless
 * marked @Public(); @Roles narrows it further. Agent keys never pass here (they can only ingest).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = tokenFrom(request.headers);
    if (!token) throw unauthorized('sign in first: send a session or viewer token as "Authorization: Bearer <token>"');
    if (token.startsWith('dxoc_')) throw new AppError(403, 'agent_key_not_allowed', 'agent keys can only push data to /api/v1/ingest');
    const principal = await this.auth.resolve(token);
    if (!principal) throw unauthorized('the session or viewer token is unknown, expired or revoked; sign in again');
    request.principal = principal;
    request.token = token;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new AppError(403, 'forbidden', `this needs the role ${roles.join(' or ')}; you are ${principal.role}`);
    }
    return true;
  }
}
