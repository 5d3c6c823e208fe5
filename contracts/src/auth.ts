/** Users, roles, sessions and viewer tokens: request and response shapes. */
import { z } from 'zod';

export const ROLES = ['viewer', 'operator', 'staff', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Name of the httpOnly cookie that carries the session; a bearer token works the same. */
export const SESSION_COOKIE = 'dxoc_session';

export const LoginRequest = z
  .strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: RoleSchema,
    /** operators are bound to one unit */
    unitCode: z.string().nullable(),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof UserSchema>;

export const LoginResponse = z.object({ token: z.string(), expiresAt: z.string(), user: UserSchema }).meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponse>;

/** Who is calling: a user session, or a wall's viewer token (role viewer). */
export const PrincipalSchema = z
  .object({
    kind: z.enum(['user', 'viewer_token']),
    id: z.string(),
    name: z.string(),
    role: RoleSchema,
    unitCode: z.string().nullable(),
  })
  .meta({ id: 'Principal' });
export type Principal = z.infer<typeof PrincipalSchema>;

export const CreateUserRequest = z
  .strictObject({
    username: z.string().regex(/^[a-z0-9._-]{3,64}$/, 'username: 3-64 of a-z 0-9 . _ -'),
    password: z.string().min(12, 'password: at least 12 characters').max(256),
    role: RoleSchema,
    unitCode: z.string().nullable().optional(),
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const ViewerTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ViewerToken' });
export type ViewerToken = z.infer<typeof ViewerTokenSchema>;

export const CreateViewerTokenRequest = z.strictObject({ name: z.string().min(1).max(128) }).meta({ id: 'CreateViewerTokenRequest' });
/** The token is shown once. A wall opens /wall?token=<token> (kept in local storage) or sends it as a bearer token. */
export const CreatedViewerToken = z.object({ id: z.string(), name: z.string(), token: z.string() }).meta({ id: 'CreatedViewerToken' });

/** Agent keys managed through the API (operators: their own unit only). */
export const AgentKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    units: z.union([z.array(z.string()), z.literal('all')]),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'AgentKey' });
export type AgentKey = z.infer<typeof AgentKeySchema>;
export const CreateAgentKeyRequest = z
  .strictObject({ units: z.union([z.array(z.string()).min(1), z.literal('all')]), name: z.string().max(128).optional() })
  .meta({ id: 'CreateAgentKeyRequest' });
export const CreatedAgentKey = z
  .object({ id: z.string(), key: z.string(), units: z.union([z.array(z.string()), z.literal('all')]) })
  .meta({ id: 'CreatedAgentKey' });

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string().meta({ description: 'username, "viewer-token:<id>", "cli" or "system"' }),
    action: z.string().meta({ example: 'key.create' }),
    target: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  action: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** Admins change a user's role or unit, disable or re-enable it, or set a new password. */
export const UpdateUserRequest = z
  .strictObject({
    role: RoleSchema,
    unitCode: z.string().nullable(),
    disabled: z.boolean(),
    password: z.string().min(12, 'password: at least 12 characters').max(256),
  })
  .partial()
  .meta({ id: 'UpdateUserRequest' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;
