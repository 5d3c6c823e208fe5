import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config';
import { signWebhook, verifyWebhook } from '../src/notifications/crypto';
import { isSealed, open, seal } from '../src/secrets/seal';
import { resolveSecretKey, SECRET_KEY_FILE } from '../src/secrets/secret-key';

describe('secrets at rest (notification credentials, second-factor secrets)', () => {
  it('seals with AES-256-GCM and opens with the same key only', () => {
    const key = randomBytes(32);
    const sealed = seal(key, 'smtp-pässword');
    expect(sealed).not.toContain('smtp');
    expect(open(key, sealed)).toBe('smtp-pässword');
    expect(() => open(randomBytes(32), sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => open(key, parts.join('.'))).toThrow();
  });
  it('tells a sealed value from one stored in clear text (a base32 TOTP secret)', () => {
    expect(isSealed(seal(randomBytes(32), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'))).toBe(true);
    expect(isSealed('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe(false);
    expect(() => open(randomBytes(32), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toThrow(/not a sealed secret/);
  });
});

describe('webhook signature', () => {
  const secret = 'a-webhook-secret-of-length';
  const body = JSON.stringify({ alert: { id: 1, unit: '79' } });
  it('signs timestamp.body and verifies within the tolerance', () => {
    const signature = signWebhook(secret, 1_800_000_000, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, { signature, timestamp: '1800000000' }, body, 1_800_000_010)).toBe(true);
  });
  it('refuses another body, another timestamp, a stale timestamp and another secret', () => {
    const signature = signWebhook(secret, 1_800_000_000, body);
    expect(verifyWebhook(secret, { signature, timestamp: '1800000000' }, body + ' ', 1_800_000_000)).toBe(false);
    expect(verifyWebhook(secret, { signature, timestamp: '1800000001' }, body, 1_800_000_000)).toBe(false);
    expect(verifyWebhook(secret, { signature, timestamp: '1800000000' }, body, 1_800_000_301)).toBe(false);
    expect(verifyWebhook('other-secret-value-xx', { signature, timestamp: '1800000000' }, body, 1_800_000_000)).toBe(false);
    expect(verifyWebhook(secret, { signature: undefined, timestamp: '1800000000' }, body, 1_800_000_000)).toBe(false);
  });
});

describe('secret key', () => {
  it('reads DXOC_SECRET_KEY as hex or base64 and refuses another length', () => {
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ DXOC_SECRET_KEY: hex }).secretKey?.toString('hex')).toBe(hex);
    expect(loadConfig({ DXOC_SECRET_KEY: Buffer.from(hex, 'hex').toString('base64') }).secretKey?.toString('hex')).toBe(hex);
    expect(() => loadConfig({ DXOC_SECRET_KEY: 'short' })).toThrow(/DXOC_SECRET_KEY/);
    expect(loadConfig({}).secretKey).toBeNull();
  });
  it('generates a key once in the embedded data dir (under its first name, which installs have) and keeps it; a server database requires one', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dxoc-key-'));
    const first = resolveSecretKey({ secretKey: null, databaseUrl: null, dataDir });
    expect(first).toHaveLength(32);
    expect(SECRET_KEY_FILE).toBe('notifications-secret.key');
    expect(statSync(path.join(dataDir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(resolveSecretKey({ secretKey: null, databaseUrl: null, dataDir }).equals(first)).toBe(true);
    expect(() => resolveSecretKey({ secretKey: null, databaseUrl: 'postgres://h/db', dataDir })).toThrow(/DXOC_SECRET_KEY/);
  });
});
