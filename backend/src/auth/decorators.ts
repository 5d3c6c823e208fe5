import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from '@dxoc/contracts';

export const PUBLIC_KEY = 'dxoc:public';
export const ROLES_KEY = 'dxoc:roles';

/** No session needed: health, docs, login, and ingest (which checks agent keys itself). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles; without it any signed-in principal (viewer and up) may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export interface AuthenticatedRequest {
  principal?: Principal;
  token?: string;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().principal as Principal;
});

export const CurrentToken = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().token as string;
});

export const ClientIp = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().ip ?? 'unknown';
});
