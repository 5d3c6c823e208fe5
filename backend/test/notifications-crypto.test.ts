import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal, signWebhook, verifyWebhook } from '../src/notifications/crypto';

describe('notification secrets at rest', () => {
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
