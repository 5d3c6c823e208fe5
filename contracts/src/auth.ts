/** Users, roles, sessions and viewer tokens: request and response shapes. */
import { z } from 'zod';

export const ROLES = ['viewer', 'operator', 'staff', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Name of the httpOnly cookie that carries the session; a bearer token works the same. */
export const SESSION_COOKIE = 'dxoc_session';

/**
 * A code of the user's authenticator app (TOTP, RFC 6238: six digits, SHA-1, 30-second steps). Any text up to 16
 * characters is taken, so that a mistyped code is a wrong code (401 totp_invalid, counted by the login throttle)
 * rather than a malformed request; spaces are ignored.
 */
export const TotpCode = z.string().min(1).max(16);

/** totpCode: needed only when the account has a second factor; without it such a login answers 401 totp_required. */
export const LoginRequest = z
  .strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256), totpCode: TotpCode.optional() })
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
    /** a confirmed second factor (TOTP) is asked for at login */
    totpEnabled: z.boolean(),
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
/**
 * actor: who, matched case-insensitively as a part of the name ("staff" finds staff1 and staff2); before: the id of
 * the last entry of the previous page, so the next page starts below it (ids only grow, newest first).
 */
export const AuditQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  action: z.string().optional(),
  actor: z.string().min(1).max(128).optional(),
  before: z.coerce.number().int().min(1).optional(),
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

/**
 * Second factor (TOTP) for admin and staff accounts. A login with the right password but no code, or a wrong one,
 * answers 401 with one of these errors and issues no session. `unreadable` (503): the server cannot open the account's
 * stored secret (sealed under another DXOC_SECRET_KEY); the code was not judged, an admin restores the key or resets
 * the second factor.
 */
export const TOTP_ERRORS = { required: 'totp_required', invalid: 'totp_invalid', unreadable: 'totp_unreadable' } as const;
/** Who may enrol a second factor. */
export const TOTP_ROLES = ['admin', 'staff'] as const satisfies readonly Role[];

export const TotpStatus = z
  .object({
    /** codes are asked for at login */
    enabled: z.boolean(),
    /** a secret was issued and waits for its first code; not asked for at login until confirmed */
    pending: z.boolean(),
    enabledAt: z.string().nullable(),
  })
  .meta({ id: 'TotpStatus' });
export type TotpStatus = z.infer<typeof TotpStatus>;

/** Answered once, at enrolment: the secret is never answered again. */
export const TotpEnrolment = z
  .object({
    /** base32, for typing into the app by hand */
    secret: z.string(),
    /** otpauth://totp/dxoc:<username>?secret=…&issuer=dxoc (the app scans it as a QR code) */
    otpauthUri: z.string(),
  })
  .meta({ id: 'TotpEnrolment' });
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

export const TotpConfirmRequest = z.strictObject({ code: TotpCode }).meta({ id: 'TotpConfirmRequest' });
export type TotpConfirmRequest = z.infer<typeof TotpConfirmRequest>;

/** Switching the second factor off proves the user is there: a current code, or the password (a lost phone). */
export const TotpDisableRequest = z
  .strictObject({ code: TotpCode.optional(), password: z.string().min(1).max(256).optional() })
  .refine((body) => (body.code === undefined) !== (body.password === undefined), 'give either code or password')
  .meta({ id: 'TotpDisableRequest' });
export type TotpDisableRequest = z.infer<typeof TotpDisableRequest>;
