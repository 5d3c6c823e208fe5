import type { NotificationChannel, Silence } from '@dxoc/contracts';
import { describe, expect, it } from 'vitest';
import {
  channelDraftOf,
  channelHealthLabel,
  channelInputOf,
  emptyChannelDraft,
  emptyRouteDraft,
  emptySilenceDraft,
  isoToLocalInput,
  localInputToIso,
  routeInputOf,
  routeWhenText,
  scopeText,
  secretHint,
  silenceInputOf,
  silenceMark,
  silenceStatus,
  silenceTarget,
} from './notifications-draft';

const VN = 'Asia/Ho_Chi_Minh';
// 2026-03-10 10:00 in Viet Nam
const NOW = Date.parse('2026-03-10T03:00:00Z');

describe('times in the backend zone', () => {
  it('reads a datetime-local value as Viet Nam time, and back', () => {
    expect(localInputToIso('2026-03-10T17:30', VN)).toBe('2026-03-10T10:30:00.000Z');
    expect(isoToLocalInput('2026-03-10T10:30:00.000Z', VN)).toBe('2026-03-10T17:30');
    expect(localInputToIso('10/03/2026 17:30', VN)).toBeNull();
  });
});

describe('silence form', () => {
  const draft = { ...emptySilenceDraft(NOW, VN), ruleId: '3', reason: 'Bảo trì' };

  it('defaults to ending two hours from now', () => {
    expect(emptySilenceDraft(NOW, VN).endsAt).toBe('2026-03-10T12:00');
  });
  it('a rule, a unit or both, until a Viet Nam time', () => {
    expect(silenceInputOf(draft, 'vi', VN, NOW)).toEqual({
      ok: true,
      input: { ruleId: 3, unit: null, endsAt: '2026-03-10T05:00:00.000Z', reason: 'Bảo trì' },
    });
    const both = silenceInputOf({ ...draft, unit: '79' }, 'vi', VN, NOW);
    expect(both.ok && both.input).toMatchObject({ ruleId: 3, unit: '79' });
    const unitOnly = silenceInputOf({ ...draft, ruleId: '', unit: '79' }, 'vi', VN, NOW);
    expect(unitOnly.ok && unitOnly.input).toMatchObject({ ruleId: null, unit: '79' });
  });
  it('says what is wrong, in Vietnamese or English', () => {
    expect(silenceInputOf({ ...draft, ruleId: '', reason: ' ', endsAt: '2026-03-10T09:00' }, 'vi', VN, NOW)).toEqual({
      ok: false,
      errors: {
        ruleId: 'Chọn một ngưỡng cảnh báo, một đơn vị hoặc cả hai',
        endsAt: 'Thời điểm kết thúc phải ở tương lai',
        reason: 'Nhập lý do tắt tiếng',
      },
    });
    expect(silenceInputOf({ ...draft, endsAt: '' }, 'en', VN, NOW)).toEqual({ ok: false, errors: { endsAt: 'Required' } });
    expect(silenceInputOf({ ...draft, reason: 'x'.repeat(501) }, 'en', VN, NOW)).toEqual({
      ok: false,
      errors: { reason: 'At most 500 characters' },
    });
  });
});

const silence = (over: Partial<Silence> = {}): Silence => ({
  id: 1,
  ruleId: 3,
  unit: null,
  startsAt: '2026-03-10T03:00:00.000Z',
  endsAt: '2026-03-10T05:00:00.000Z',
  reason: 'Bảo trì',
  createdBy: 'staff',
  createdAt: '2026-03-10T03:00:00.000Z',
  endedAt: null,
  endedBy: null,
  active: true,
  ...over,
});

describe('silence words', () => {
  it('marks a silenced alert with its end (Viet Nam time) and reason', () => {
    const info = { silenceId: 1, endsAt: '2026-03-10T05:00:00.000Z', reason: 'bảo trì cổng DVC' };
    expect(silenceMark(info, 'vi')).toBe('Đã tắt tiếng đến 10/03/2026 12:00 — bảo trì cổng DVC');
    expect(silenceMark(info, 'en')).toBe('Silenced until 10 Mar 2026 12:00 — bảo trì cổng DVC');
  });
  it('status: scheduled, running, ended early, expired', () => {
    expect(silenceStatus(silence({ startsAt: '2026-03-10T04:00:00.000Z' }), NOW)).toBe('scheduled');
    expect(silenceStatus(silence(), NOW)).toBe('running');
    expect(silenceStatus(silence({ endedAt: '2026-03-10T03:30:00.000Z', active: false }), NOW)).toBe('ended_early');
    expect(silenceStatus(silence(), Date.parse('2026-03-10T05:00:00Z'))).toBe('expired');
  });
  it('names what it mutes', () => {
    const rule = (id: number) => `rule ${id}`;
    const unit = (code: string) => (code === '01' ? 'Hà Nội' : code);
    expect(silenceTarget({ ruleId: 3, unit: null }, rule, unit, 'vi')).toBe('Ngưỡng «rule 3» · mọi đơn vị');
    expect(silenceTarget({ ruleId: null, unit: '01' }, rule, unit, 'en')).toBe('Every rule · Hà Nội');
    expect(silenceTarget({ ruleId: 3, unit: '01' }, rule, unit, 'vi')).toBe('Ngưỡng «rule 3» · Hà Nội');
  });
});

const channel = (over: Partial<NotificationChannel> = {}): NotificationChannel => ({
  id: 7,
  name: 'HCM webhook',
  enabled: true,
  config: { kind: 'webhook', url: 'https://hcm.example/hook', hasSecret: true },
  lastSuccessAt: null,
  lastErrorAt: null,
  lastError: null,
  consecutiveFailures: 0,
  failing: false,
  createdAt: '2026-03-10T03:00:00.000Z',
  updatedAt: '2026-03-10T03:00:00.000Z',
  ...over,
});

describe('channel form', () => {
  const webhook = { ...emptyChannelDraft(), name: 'HCM', url: 'https://hcm.example/hook', secret: 's'.repeat(16) };
  it('a webhook with its secret', () => {
    expect(channelInputOf(webhook, 'vi')).toEqual({
      ok: true,
      input: { name: 'HCM', enabled: true, config: { kind: 'webhook', url: 'https://hcm.example/hook', secret: 's'.repeat(16) } },
    });
  });
  it('an empty secret keeps the stored one (left out), but a new webhook needs one', () => {
    const edited = channelInputOf({ ...webhook, secret: '' }, 'vi', true);
    expect(edited.ok && edited.input.config).toEqual({ kind: 'webhook', url: 'https://hcm.example/hook' });
    expect(channelInputOf({ ...webhook, secret: '' }, 'vi', false)).toEqual({
      ok: false,
      errors: { secret: 'Nhập khóa ký (ít nhất 16 ký tự)' },
    });
    expect(channelInputOf({ ...webhook, secret: 'short' }, 'en')).toEqual({ ok: false, errors: { secret: 'At least 16 characters' } });
  });
  it('an email channel: recipients split, port a number, addresses checked', () => {
    const email = {
      ...emptyChannelDraft(),
      kind: 'email' as const,
      name: 'Ban chỉ đạo',
      host: 'smtp.example',
      port: '587',
      from: 'dxoc@example.vn',
      recipients: 'a@example.vn; b@example.vn\nc@example.vn',
      password: 'pw',
    };
    const ok = channelInputOf(email, 'vi');
    expect(ok.ok && ok.input.config).toEqual({
      kind: 'email',
      host: 'smtp.example',
      port: 587,
      security: 'starttls',
      password: 'pw',
      from: 'dxoc@example.vn',
      recipients: ['a@example.vn', 'b@example.vn', 'c@example.vn'],
      language: 'vi+en',
    });
    expect(channelInputOf({ ...email, port: 'abc', from: 'nobody', recipients: '' }, 'vi')).toEqual({
      ok: false,
      errors: {
        port: 'Cổng là số từ 1 đến 65535',
        from: 'Địa chỉ email không hợp lệ',
        recipients: 'Nhập ít nhất một địa chỉ nhận',
      },
    });
    expect(channelInputOf({ ...webhook, url: 'ftp://x' }, 'en')).toEqual({ ok: false, errors: { url: 'Not a valid http(s)://… address' } });
  });
  it('editing: the draft never holds a secret; the hint says whether one is set', () => {
    expect(channelDraftOf(channel())).toMatchObject({ kind: 'webhook', url: 'https://hcm.example/hook', secret: '' });
    expect(secretHint(true, 'vi')).toBe('đã đặt — để trống để giữ nguyên');
    expect(secretHint(false, 'en')).toBe('not set');
  });
  it('a failing channel says so with its count', () => {
    expect(channelHealthLabel(channel({ failing: true, consecutiveFailures: 3, lastError: 'HTTP 500' }), 'vi')).toBe(
      'Đang lỗi (3 lần liên tiếp)',
    );
    expect(channelHealthLabel(channel({ lastSuccessAt: '2026-03-10T03:00:00.000Z' }), 'en')).toBe('Working');
    expect(channelHealthLabel(channel({ enabled: false }), 'en')).toBe('Disabled');
  });
});

describe('route form', () => {
  const draft = { ...emptyRouteDraft('7'), name: 'Khẩn → HCM' };
  it('severities, metrics, scope and repeat', () => {
    const ok = routeInputOf({ ...draft, severities: ['critical'], scopeKind: 'units', units: '79, 01', repeatHours: '4' }, 'vi');
    expect(ok).toEqual({
      ok: true,
      input: {
        name: 'Khẩn → HCM',
        channelId: 7,
        severities: ['critical'],
        metrics: [],
        scope: { kind: 'units', units: ['79', '01'] },
        notifyResolved: false,
        repeatHours: 4,
        weeklyReport: false,
        enabled: true,
      },
    });
  });
  it('says what is wrong', () => {
    const known = (code: string) => code === '79';
    expect(routeInputOf({ ...draft, name: '', channelId: '', scopeKind: 'units', units: '79 ZZ', repeatHours: '0' }, 'vi', known)).toEqual({
      ok: false,
      errors: {
        name: 'Bắt buộc nhập',
        channelId: 'Chọn kênh gửi',
        units: 'Không có đơn vị mã ZZ',
        repeatHours: 'Số giờ nguyên từ 1 đến 168 (để trống: chỉ gửi một lần)',
      },
    });
    expect(routeInputOf({ ...draft, scopeKind: 'units', units: '' }, 'en')).toEqual({
      ok: false,
      errors: { units: 'Give at least one unit code' },
    });
  });
  it('words for scope and timing', () => {
    expect(scopeText({ kind: 'provinces' }, 'vi')).toBe('Các tỉnh, thành phố');
    expect(scopeText({ kind: 'units', units: ['01'] }, 'en', () => 'Hà Nội')).toBe('Hà Nội');
    expect(routeWhenText({ notifyResolved: true, repeatHours: 4, weeklyReport: false }, 'vi')).toBe(
      'Khi kích hoạt, khi kết thúc, nhắc lại mỗi 4 giờ',
    );
  });
});
