import type { Role, StreamDeniedReason } from '@dxoc/contracts';
import type { CredentialStateRow } from './auth.repository';

/**
 * What a live socket was admitted with, kept for the life of the connection so it can be checked again: a session
 * (by its token hash, with the role and unit it had at the handshake, and its expiry) or a viewer token (by id).
 */
export type StreamCredential =
  { kind: 'session'; key: string; expiresAt: Date; role: Role; unitCode: string | null } | { kind: 'viewer_token'; key: string };

/** The key of a credential in a map of states or denials. */
export function credentialKey(credential: { kind: string; key: string }): string {
  return `${credential.kind}:${credential.key}`;
}

/**
 * Why a connection admitted with this credential must end now, or null while it still holds. `state` is the
 * credential's row as it is now (undefined: it no longer exists). The most telling reason wins: a disabled user's
 * and a changed role's sessions are also revoked (updateUser signs the user out), and say so.
 */
export function denialOf(credential: StreamCredential, state: CredentialStateRow | undefined, now: Date): StreamDeniedReason | null {
  if (credential.kind === 'viewer_token') return !state || state.revokedAt ? 'viewer_token_revoked' : null;
  if (!state) return 'session_ended';
  if (state.disabledAt) return 'user_disabled';
  if (state.role !== credential.role || state.unitCode !== credential.unitCode) return 'role_changed';
  if (state.revokedAt) return 'session_ended';
  if ((state.expiresAt ?? credential.expiresAt).getTime() <= now.getTime()) return 'session_expired';
  return null;
}

/** Why a handshake's token is refused, from its row whatever its state (null: no such session or viewer token). */
export function refusalOf(state: CredentialStateRow | null, now: Date): StreamDeniedReason {
  if (!state) return 'unauthorized';
  if (state.kind === 'viewer_token') return state.revokedAt ? 'viewer_token_revoked' : 'unauthorized';
  if (state.disabledAt) return 'user_disabled';
  if (state.revokedAt) return 'session_ended';
  if (state.expiresAt && state.expiresAt.getTime() <= now.getTime()) return 'session_expired';
  return 'unauthorized';
}

/** The English message sent with each reason (the wall words the reason itself, Vietnamese first). */
export const DENIAL_MESSAGES: Record<StreamDeniedReason, string> = {
  viewer_token_revoked: 'the viewer token was revoked; ask an administrator for a new one',
  session_ended: 'the session was logged out or signed out everywhere; sign in again',
  session_expired: 'the session expired; sign in again',
  user_disabled: 'the user was disabled',
  role_changed: "the user's role or unit changed; sign in again",
  unauthorized: 'unauthorized: send a session or viewer token as auth.token (the token is unknown, expired or revoked)',
};
