/**
 * Notifications on the console: silences, channels, routes and the delivery log. Form drafts (what the inputs hold,
 * all text) become the contracts' inputs here, with the validation messages in the console's language; answers
 * become words (a silence's target and status, a channel's health, delivery states). The rules themselves (who may,
 * what a silence covers, when a channel is failing) are the backend's. Pure.
 */
import {
  NotificationChannelInput,
  NotificationRouteInput,
  SilenceInput,
  zoneOffsetMs,
  type AlertSilenceInfo,
  type DeliveryState,
  type NotificationChannel,
  type NotificationRoute,
  type NotificationScope,
  type Severity,
  type Silence,
} from '@dxoc/contracts';
import { formatDateTime, type Lang } from '../lib/format';
import { zodFieldErrors, type FieldErrors } from './form-errors';

const pick = (lang: Lang, vi: string, en: string) => (lang === 'vi' ? vi : en);

export type Checked<T> = { ok: true; input: T } | { ok: false; errors: FieldErrors };

// ——— time: the console shows and takes times in the backend's zone (Viet Nam), not the browser's ———

/** "2026-03-10T12:00" (a datetime-local input, wall-clock time in `timeZone`) → the instant, ISO; null if not a time. */
export function localInputToIso(value: string, timeZone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const local = Date.parse(`${value}:00Z`);
  if (Number.isNaN(local)) return null;
  const guess = local - zoneOffsetMs(local, timeZone);
  return new Date(local - zoneOffsetMs(guess, timeZone)).toISOString();
}

/** An instant → "2026-03-10T12:00" in `timeZone`, for a datetime-local input's value. */
export function isoToLocalInput(at: string | number | Date, timeZone: string): string {
  const ms = new Date(at).getTime();
  return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 16);
}

// ——— silences ———

export interface SilenceDraft {
  /** '' = every rule */
  ruleId: string;
  /** '' = every unit */
  unit: string;
  /** datetime-local text in the backend's zone */
  endsAt: string;
  reason: string;
}

export function emptySilenceDraft(now: number, timeZone: string): SilenceDraft {
  // two hours: a usual maintenance window, easy to change
  return { ruleId: '', unit: '', endsAt: isoToLocalInput(now + 2 * 3_600_000, timeZone), reason: '' };
}

/** The draft → SilenceInput, or one message per field (ruleId, unit, endsAt, reason) in the console's language. */
export function silenceInputOf(draft: SilenceDraft, lang: Lang, timeZone: string, now: number): Checked<SilenceInput> {
  const errors: FieldErrors = {};
  const endsAt = draft.endsAt.trim() === '' ? null : localInputToIso(draft.endsAt, timeZone);
  if (draft.endsAt.trim() === '') errors.endsAt = pick(lang, 'Bắt buộc nhập', 'Required');
  else if (endsAt === null) errors.endsAt = pick(lang, 'Ngày giờ theo dạng 31/12/2026 17:00', 'A date and time such as 31/12/2026 17:00');
  else if (Date.parse(endsAt) <= now) errors.endsAt = pick(lang, 'Thời điểm kết thúc phải ở tương lai', 'The end must be in the future');
  if (draft.ruleId === '' && draft.unit === '')
    errors.ruleId = pick(lang, 'Chọn một ngưỡng cảnh báo, một đơn vị hoặc cả hai', 'Choose a rule, a unit or both');
  const raw = {
    ruleId: draft.ruleId === '' ? null : Number(draft.ruleId),
    unit: draft.unit === '' ? null : draft.unit,
    endsAt: endsAt ?? draft.endsAt,
    reason: draft.reason,
  };
  const parsed = SilenceInput.safeParse(raw);
  if (!parsed.success) {
    const fromZod = zodFieldErrors(parsed.error, lang);
    if (fromZod.reason && draft.reason.trim() === '')
      fromZod.reason = pick(lang, 'Nhập lý do tắt tiếng', 'Give the reason for the silence');
    for (const [field, message] of Object.entries(fromZod)) errors[field] ??= message;
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, input: parsed.data };
}

/** "Đã tắt tiếng đến 10/03/2026 12:00 — bảo trì" / "Silenced until 10 Mar 2026 12:00 — maintenance". */
export function silenceMark(silence: AlertSilenceInfo, lang: Lang): string {
  return `${pick(lang, 'Đã tắt tiếng đến', 'Silenced until')} ${formatDateTime(silence.endsAt, lang)} — ${silence.reason}`;
}

export type SilenceStatus = 'scheduled' | 'running' | 'ended_early' | 'expired';

export function silenceStatus(silence: Silence, now: number): SilenceStatus {
  if (silence.endedAt !== null && Date.parse(silence.endedAt) < Date.parse(silence.endsAt)) return 'ended_early';
  if (Date.parse(silence.endsAt) <= now) return 'expired';
  return Date.parse(silence.startsAt) > now ? 'scheduled' : 'running';
}

export function silenceStatusLabel(status: SilenceStatus, lang: Lang): string {
  const labels: Record<SilenceStatus, [string, string]> = {
    scheduled: ['Đã lên lịch', 'Scheduled'],
    running: ['Đang tắt tiếng', 'Silencing'],
    ended_early: ['Đã kết thúc sớm', 'Ended early'],
    expired: ['Đã hết hạn', 'Expired'],
  };
  return pick(lang, ...labels[status]);
}

/** What a silence mutes: "Ngưỡng «X» · mọi đơn vị", "Mọi ngưỡng · Hà Nội", "Ngưỡng «X» · Hà Nội". */
export function silenceTarget(
  silence: Pick<Silence, 'ruleId' | 'unit'>,
  ruleName: (id: number) => string,
  unitName: (code: string) => string,
  lang: Lang,
): string {
  const rule =
    silence.ruleId === null ? pick(lang, 'Mọi ngưỡng', 'Every rule') : `${pick(lang, 'Ngưỡng', 'Rule')} «${ruleName(silence.ruleId)}»`;
  const unit = silence.unit === null ? pick(lang, 'mọi đơn vị', 'every unit') : unitName(silence.unit);
  return `${rule} · ${unit}`;
}

// ——— channels ———

export interface ChannelDraft {
  name: string;
  enabled: boolean;
  kind: 'webhook' | 'email';
  url: string;
  /** write-only: '' keeps the stored one */
  secret: string;
  host: string;
  port: string;
  security: 'none' | 'starttls' | 'tls';
  username: string;
  /** write-only: '' keeps the stored one */
  password: string;
  from: string;
  /** addresses separated by commas, semicolons, spaces or lines */
  recipients: string;
  language: 'vi' | 'en' | 'vi+en';
}

export function emptyChannelDraft(): ChannelDraft {
  return {
    name: '',
    enabled: true,
    kind: 'webhook',
    url: '',
    secret: '',
    host: '',
    port: '587',
    security: 'starttls',
    username: '',
    password: '',
    from: '',
    recipients: '',
    language: 'vi+en',
  };
}

/** A stored channel as a draft to edit: secrets stay empty (they are never sent back; empty keeps them). */
export function channelDraftOf(channel: NotificationChannel): ChannelDraft {
  const draft = { ...emptyChannelDraft(), name: channel.name, enabled: channel.enabled, kind: channel.config.kind };
  if (channel.config.kind === 'webhook') return { ...draft, url: channel.config.url };
  const c = channel.config;
  return {
    ...draft,
    host: c.host,
    port: String(c.port),
    security: c.security,
    username: c.username ?? '',
    from: c.from,
    recipients: c.recipients.join(', '),
    language: c.language,
  };
}

export function splitAddresses(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Form field of a contract path: config.url → url, config.recipients.2 → recipients. */
function channelField(path: string): string {
  const parts = path.split('.');
  return parts[0] === 'config' ? (parts[1] ?? 'kind') : parts[0] || 'form';
}

/**
 * The draft → NotificationChannelInput. An empty secret or password is left out, which keeps the stored one (on
 * create: none). `hasStoredSecret` says a webhook already has one: a new webhook without a secret is refused here,
 * since the receiver could not check the signature.
 */
export function channelInputOf(draft: ChannelDraft, lang: Lang, hasStoredSecret = false): Checked<NotificationChannelInput> {
  const config =
    draft.kind === 'webhook'
      ? { kind: 'webhook' as const, url: draft.url.trim(), ...(draft.secret ? { secret: draft.secret } : {}) }
      : {
          kind: 'email' as const,
          host: draft.host.trim(),
          port: draft.port.trim() === '' ? Number.NaN : Number(draft.port),
          security: draft.security,
          ...(draft.username.trim() ? { username: draft.username.trim() } : {}),
          ...(draft.password ? { password: draft.password } : {}),
          from: draft.from.trim(),
          recipients: splitAddresses(draft.recipients),
          language: draft.language,
        };
  const parsed = NotificationChannelInput.safeParse({ name: draft.name, enabled: draft.enabled, config });
  const errors: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error, lang, channelField);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = channelField(issue.path.map(String).join('.'));
      if (issue.code === 'invalid_format' && (field === 'from' || field === 'recipients'))
        errors[field] = pick(lang, 'Địa chỉ email không hợp lệ', 'Not a valid email address');
      if (issue.code === 'invalid_format' && field === 'url')
        errors.url = pick(lang, 'Địa chỉ http(s)://… không hợp lệ', 'Not a valid http(s)://… address');
      if (field === 'port') errors.port = pick(lang, 'Cổng là số từ 1 đến 65535', 'The port is a number from 1 to 65535');
    }
    if (draft.kind === 'email' && splitAddresses(draft.recipients).length === 0)
      errors.recipients = pick(lang, 'Nhập ít nhất một địa chỉ nhận', 'Give at least one recipient');
  }
  if (draft.kind === 'webhook' && !draft.secret && !hasStoredSecret)
    errors.secret ??= pick(lang, 'Nhập khóa ký (ít nhất 16 ký tự)', 'Give a signing secret (at least 16 characters)');
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: parsed.data };
}

/** "đã đặt — để trống để giữ nguyên" / "chưa đặt": what the write-only field's hint says. */
export function secretHint(isSet: boolean, lang: Lang): string {
  return isSet ? pick(lang, 'đã đặt — để trống để giữ nguyên', 'set — leave empty to keep it') : pick(lang, 'chưa đặt', 'not set');
}

export type ChannelHealth = 'disabled' | 'failing' | 'ok' | 'unused';

export function channelHealth(channel: NotificationChannel): ChannelHealth {
  if (channel.failing || channel.consecutiveFailures > 0) return 'failing';
  if (!channel.enabled) return 'disabled';
  return channel.lastSuccessAt ? 'ok' : 'unused';
}

export function channelHealthLabel(channel: NotificationChannel, lang: Lang): string {
  switch (channelHealth(channel)) {
    case 'failing':
      return pick(lang, `Đang lỗi (${channel.consecutiveFailures} lần liên tiếp)`, `Failing (${channel.consecutiveFailures} in a row)`);
    case 'disabled':
      return pick(lang, 'Đã tắt', 'Disabled');
    case 'ok':
      return pick(lang, 'Hoạt động', 'Working');
    case 'unused':
      return pick(lang, 'Chưa gửi lần nào', 'Nothing sent yet');
  }
}

/** Where the channel sends: the webhook's address, or the mailbox list. */
export function channelTarget(channel: NotificationChannel): string {
  return channel.config.kind === 'webhook' ? channel.config.url : channel.config.recipients.join(', ');
}

// ——— routes ———

export interface RouteDraft {
  name: string;
  channelId: string;
  severities: Severity[];
  metrics: string[];
  scopeKind: NotificationScope['kind'];
  /** unit codes separated by commas or spaces (scope "units") */
  units: string;
  notifyResolved: boolean;
  /** '' = once */
  repeatHours: string;
  weeklyReport: boolean;
  enabled: boolean;
}

export function emptyRouteDraft(channelId = ''): RouteDraft {
  return {
    name: '',
    channelId,
    severities: [],
    metrics: [],
    scopeKind: 'all',
    units: '',
    notifyResolved: false,
    repeatHours: '',
    weeklyReport: false,
    enabled: true,
  };
}

export function routeDraftOf(route: NotificationRoute): RouteDraft {
  return {
    name: route.name,
    channelId: String(route.channelId),
    severities: [...route.severities],
    metrics: [...route.metrics],
    scopeKind: route.scope.kind,
    units: route.scope.kind === 'units' ? route.scope.units.join(', ') : '',
    notifyResolved: route.notifyResolved,
    repeatHours: route.repeatHours === null ? '' : String(route.repeatHours),
    weeklyReport: route.weeklyReport,
    enabled: route.enabled,
  };
}

/** The draft → NotificationRouteInput; `knownUnits` checks the unit codes of a "units" scope. */
export function routeInputOf(
  draft: RouteDraft,
  lang: Lang,
  knownUnits: (code: string) => boolean = () => true,
): Checked<NotificationRouteInput> {
  const units = splitAddresses(draft.units);
  const scope: NotificationScope = draft.scopeKind === 'units' ? { kind: 'units', units } : { kind: draft.scopeKind };
  const raw = {
    name: draft.name,
    channelId: draft.channelId === '' ? Number.NaN : Number(draft.channelId),
    severities: draft.severities,
    metrics: draft.metrics,
    scope,
    notifyResolved: draft.notifyResolved,
    repeatHours: draft.repeatHours.trim() === '' ? null : Number(draft.repeatHours),
    weeklyReport: draft.weeklyReport,
    enabled: draft.enabled,
  };
  const parsed = NotificationRouteInput.safeParse(raw);
  const errors: FieldErrors = parsed.success
    ? {}
    : zodFieldErrors(parsed.error, lang, (p) => (p.startsWith('scope') ? 'units' : p.split('.')[0] || 'form'));
  if (draft.channelId === '') errors.channelId = pick(lang, 'Chọn kênh gửi', 'Choose a channel');
  if (draft.scopeKind === 'units') {
    if (units.length === 0) errors.units = pick(lang, 'Nhập ít nhất một mã đơn vị', 'Give at least one unit code');
    const unknown = units.filter((u) => !knownUnits(u));
    if (unknown.length > 0)
      errors.units = pick(lang, `Không có đơn vị mã ${unknown.join(', ')}`, `No unit with code ${unknown.join(', ')}`);
  }
  if (errors.repeatHours || (raw.repeatHours !== null && !parsed.success && parsed.error.issues.some((i) => i.path[0] === 'repeatHours')))
    errors.repeatHours = pick(
      lang,
      'Số giờ nguyên từ 1 đến 168 (để trống: chỉ gửi một lần)',
      'Whole hours from 1 to 168 (empty: send once)',
    );
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: parsed.data };
}

/** "Mọi đơn vị" / "34 tỉnh, thành phố" / "Các bộ, ngành" / "01, 79". */
export function scopeText(scope: NotificationScope, lang: Lang, unitName: (code: string) => string = (c) => c): string {
  switch (scope.kind) {
    case 'all':
      return pick(lang, 'Mọi đơn vị', 'Every unit');
    case 'provinces':
      return pick(lang, 'Các tỉnh, thành phố', 'Provinces');
    case 'ministries':
      return pick(lang, 'Các bộ, ngành', 'Ministries');
    case 'units':
      return scope.units.map(unitName).join(', ');
  }
}

/** When the route sends: "Khi kích hoạt, khi kết thúc, nhắc lại mỗi 4 giờ". */
export function routeWhenText(route: Pick<NotificationRoute, 'notifyResolved' | 'repeatHours' | 'weeklyReport'>, lang: Lang): string {
  const parts = [pick(lang, 'khi kích hoạt', 'on firing')];
  if (route.notifyResolved) parts.push(pick(lang, 'khi kết thúc', 'on resolved'));
  if (route.repeatHours !== null) parts.push(pick(lang, `nhắc lại mỗi ${route.repeatHours} giờ`, `repeat every ${route.repeatHours} h`));
  if (route.weeklyReport) parts.push(pick(lang, 'báo cáo tuần', 'weekly report'));
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ——— deliveries ———

export function deliveryStateLabel(state: DeliveryState, lang: Lang): string {
  const labels: Record<DeliveryState, [string, string]> = {
    pending: ['Chờ gửi', 'Pending'],
    retrying: ['Đang thử lại', 'Retrying'],
    sent: ['Đã gửi', 'Sent'],
    failed: ['Thất bại', 'Failed'],
    skipped: ['Bỏ qua', 'Skipped'],
  };
  return pick(lang, ...labels[state]);
}

export function deliveryKindLabel(kind: 'firing' | 'resolved' | 'repeat' | 'weekly_report' | 'test', lang: Lang): string {
  const labels = {
    firing: ['Kích hoạt', 'Firing'],
    resolved: ['Kết thúc', 'Resolved'],
    repeat: ['Nhắc lại', 'Repeat'],
    weekly_report: ['Báo cáo tuần', 'Weekly report'],
    test: ['Thử', 'Test'],
  } as const;
  const [vi, en] = labels[kind];
  return pick(lang, vi, en);
}
