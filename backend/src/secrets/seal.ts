/**
 * Secrets at rest (notification credentials, second-factor secrets): AES-256-GCM with the 32-byte DXOC_SECRET_KEY;
 * stored form `v1.<iv b64url>.<tag b64url>.<ct b64url>`. The version prefix tells a sealed value from one stored
 * before sealing (a base32 TOTP secret never starts with `v1.`).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export function seal(key: Buffer, plaintext: string): string {
  if (key.length !== 32) throw new Error('secret key must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function open(key: Buffer, sealed: string): string {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** Whether a stored value is in the sealed form (else it was stored in clear text, before sealing or without a key). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(`${VERSION}.`);
}
