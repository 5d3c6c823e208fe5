import { describe, expect, it } from 'vitest';
import { NotificationChannelInput, NotificationChannelSchema, NotificationRouteInput, SilenceInput } from './notifications';

describe('notification contracts', () => {
  it('accepts an email channel and a webhook channel, with their secrets as input only', () => {
    const mail = NotificationChannelInput.parse({
      name: 'Ban chỉ đạo',
      config: {
        kind: 'email',
        host: 'smtp.example.vn',
        port: 587,
        security: 'starttls',
        password: 'p',
        from: 'dxoc@example.vn',
        recipients: ['bcd@example.vn'],
      },
    });
    expect(mail.enabled).toBe(true);
    expect(() =>
      NotificationChannelInput.parse({ name: 'HCMC', config: { kind: 'webhook', url: 'ftp://x', secret: 'x'.repeat(16) } }),
    ).toThrow();
    const view = NotificationChannelSchema.safeParse({
      id: 1,
      name: 'HCMC',
      enabled: true,
      config: { kind: 'webhook', url: 'https://hcm.example.vn/hook', hasSecret: true, secret: 'leak' },
      lastSuccessAt: null,
      lastErrorAt: null,
      lastError: null,
      consecutiveFailures: 0,
      failing: false,
      createdAt: '2026-12-06T00:00:00Z',
      updatedAt: '2026-12-06T00:00:00Z',
    });
    // an answer that carries a secret does not pass the response shape (strict config views)
    expect(view.success).toBe(false);
  });
  it('defaults a route to every severity, metric and unit, once', () => {
    const route = NotificationRouteInput.parse({ name: 'all', channelId: 1 });
    expect(route).toMatchObject({ severities: [], metrics: [], scope: { kind: 'all' }, repeatHours: null, notifyResolved: false });
  });
  it('wants a silence to name a rule or a unit, and to end after it starts', () => {
    expect(SilenceInput.safeParse({ endsAt: '2026-12-07T00:00:00Z', reason: 'bảo trì' }).success).toBe(false);
    expect(
      SilenceInput.safeParse({ unit: '79', startsAt: '2026-12-07T00:00:00Z', endsAt: '2026-12-06T00:00:00Z', reason: 'bảo trì' }).success,
    ).toBe(false);
    expect(SilenceInput.parse({ unit: '79', endsAt: '2026-12-07T00:00:00+07:00', reason: 'bảo trì' }).ruleId).toBeNull();
  });
});
