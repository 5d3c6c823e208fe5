import { Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import { parseIsoWithOffset } from '@dxoc/contracts';
import {
  AuditQuery,
  CreateUserRequest,
  UpdateUserRequest,
  CreateViewerTokenRequest,
  LoginRequest,
  SESSION_COOKIE,
  type AuditEntry,
  type LoginResponse,
  type Principal,
  type User,
  type ViewerToken,
} from '@dxoc/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { badRequest } from '../http/errors';
import type { z } from 'zod';
import { ValidBody, ValidQuery } from '../http/validation';
import { AuditRepository } from './audit.repository';
import { AuthService } from './auth.service';
import { ClientIp, CurrentPrincipal, CurrentToken, Public, Roles } from './decorators';

@Controller('api/v1')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(AuditRepository) private readonly auditLog: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Secure when the request came over TLS: directly, or through a trusted proxy's X-Forwarded-Proto (Express's
   * req.secure honours `trust proxy`); DXOC_SECURE_COOKIES=always sets it regardless (TLS ends before an untrusted hop).
   */
  private cookieOptions(response: Response) {
    const secure = this.config.secureCookies === 'always' || response.req.secure;
    return { httpOnly: true, sameSite: 'strict', path: '/', secure } as const;
  }

  /** Returns the token and also sets it as an httpOnly, SameSite=Strict cookie for the console. */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(
    @ValidBody(LoginRequest) { username, password, totpCode }: z.infer<typeof LoginRequest>,
    @ClientIp() ip: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LoginResponse> {
    const result = await this.auth.login(username, password, ip, totpCode);
    response.cookie(SESSION_COOKIE, result.token, { ...this.cookieOptions(response), expires: new Date(result.expiresAt) });
    return result;
  }

  @Post('auth/logout')
  @HttpCode(204)
  async logout(
    @CurrentToken() token: string,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    if (principal.kind === 'user') await this.auth.logout(token, principal, ip);
    response.clearCookie(SESSION_COOKIE, this.cookieOptions(response));
  }

  @Get('auth/me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Roles('admin')
  @Get('users')
  async users(): Promise<{ users: User[] }> {
    return { users: await this.auth.listUsers() };
  }

  @Roles('admin')
  @Post('users')
  createUser(
    @ValidBody(CreateUserRequest) body: z.infer<typeof CreateUserRequest>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<User> {
    return this.auth.createUser(body, principal.name, ip);
  }

  @Roles('admin')
  @Put('users/:id')
  updateUser(
    @Param('id') id: string,
    @ValidBody(UpdateUserRequest) body: z.infer<typeof UpdateUserRequest>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<User> {
    return this.auth.updateUser(id, body, principal.name, ip);
  }

  @Roles('admin', 'staff')
  @Get('viewer-tokens')
  async viewerTokens(): Promise<{ viewerTokens: ViewerToken[] }> {
    return { viewerTokens: await this.auth.listViewerTokens() };
  }

  @Roles('admin', 'staff')
  @Post('viewer-tokens')
  @Header('Cache-Control', 'no-store')
  createViewerToken(
    @ValidBody(CreateViewerTokenRequest) body: z.infer<typeof CreateViewerTokenRequest>,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ) {
    return this.auth.createViewerToken(body.name, principal.name, ip);
  }

  @Roles('admin', 'staff')
  @Delete('viewer-tokens/:id')
  @HttpCode(204)
  async revokeViewerToken(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<void> {
    await this.auth.revokeViewerToken(id, principal.name, ip);
  }

  @Roles('admin', 'staff')
  @Get('audit')
  async audit(@ValidQuery(AuditQuery) parsed: z.infer<typeof AuditQuery>): Promise<{ entries: AuditEntry[] }> {
    const time = (text: string | undefined, field: string) => {
      if (text === undefined) return null;
      const ms = parseIsoWithOffset(text);
      if (ms === null) throw badRequest('invalid_query', `${field} must be an ISO-8601 date-time with an offset`);
      return new Date(ms);
    };
    return {
      entries: await this.auditLog.list({
        from: time(parsed.from, 'from'),
        to: time(parsed.to, 'to'),
        action: parsed.action ?? null,
        actor: parsed.actor ?? null,
        before: parsed.before ?? null,
        limit: parsed.limit,
      }),
    };
  }
}
