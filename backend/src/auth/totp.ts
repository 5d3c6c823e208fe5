import { generateSecret, generateURI, verify } from 'otplib';

/**
 * TOTP (RFC 6238) as every authenticator app reads it: SHA-1, six digits, 30-second steps, a 160-bit secret in
 * base32. otplib (v13) does the arithmetic; what dxoc decides is here: the issuer, the ±1 step of clock skew, and
 * that a code is taken only once (the caller stores the step a code was accepted for and passes it back).
 */
export const TOTP_ISSUER = 'dxoc';
export const TOTP_PERIOD_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** otpauth://totp/dxoc:<username>?secret=…&issuer=dxoc… — what the app scans (or the user types the secret). */
export function totpUri(username: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret });
}

/**
 * The time step a code is valid for, if it is valid at `now` give or take one step (a phone's clock a little off)
 * and later than `afterStep` (the step of the last code accepted: the same code, or an older one, is refused); else
 * null. Anything but six digits (spaces ignored) is simply wrong.
 */
export async function acceptedTotpStep(secret: string, code: string, now: Date, afterStep: number | null): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_PERIOD_SECONDS,
  });
  // a TOTP verification of the TOTP strategy: the HOTP half of otplib's result union has no time step
  if (!result.valid || !('timeStep' in result)) return null;
  // compared here rather than with otplib's afterTimeStep, which throws when the stored step is ahead of the clock
  if (afterStep !== null && result.timeStep <= afterStep) return null;
  return result.timeStep;
}
