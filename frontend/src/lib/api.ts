/**
 * REST client. Types come from `@dxoc/contracts`, never copied.
 * Credentials: a wall's viewer token or a staff session token, sent as "Authorization: Bearer"; the console's
 * httpOnly session cookie is sent too (same origin).
 */
import type { z } from 'zod';
import type {
  AggregateResponse,
  AgentKey,
  Alert,
  AlertRule,
  AlertRuleInput,
  AlertTimelineEntry,
  AuditEntry,
  CalendarResponse,
  CreateUserRequest,
  ComplianceOverviewResponse,
  ComplianceResponse,
  HistoryResponse,
  LatestResponse,
  LoginResponse,
  MetricsResponse,
  NotificationChannel,
  NotificationChannelInput,
  NotificationDelivery,
  NotificationRoute,
  NotificationRouteInput,
  OverdueSummary,
  PreviewResponse,
  Principal,
  SeriesResponse,
  Silence,
  SilenceInput,
  TargetInput,
  TargetsResponse,
  TotpDisableRequest,
  TotpEnrolment,
  TotpStatus,
  UnitsResponse,
  UpdateUserRequest,
  User,
  WeeklyReportList,
  ViewerToken,
} from '@dxoc/contracts';
import type { DashboardPage } from '@dxoc/dashboards/schema';

export type Unit = z.infer<typeof UnitsResponse>['units'][number];
export type Metric = z.infer<typeof MetricsResponse>['metrics'][number];
export type Target = Metric['targets'][number];
export type CreatedAgentKeyBody = { id: string; key: string; units: string[] | 'all' };

const WALL_TOKEN_KEY = 'dxoc.wallToken';
const SESSION_TOKEN_KEY = 'dxoc.sessionToken';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const tokens = {
  wall: () => storage()?.getItem(WALL_TOKEN_KEY) ?? null,
  session: () => storage()?.getItem(SESSION_TOKEN_KEY) ?? null,
  setWall: (token: string) => storage()?.setItem(WALL_TOKEN_KEY, token),
  setSession: (token: string | null) => (token ? storage()?.setItem(SESSION_TOKEN_KEY, token) : storage()?.removeItem(SESSION_TOKEN_KEY)),
};

/** A wall opened as /wall?token=…: keep the token, take it out of the address bar. */
export function adoptTokenFromUrl(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (!token) return;
  tokens.setWall(token);
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  /** The endpoint does not exist on this backend (yet). */
  get missing(): boolean {
    return this.status === 404 && (this.code === 'not_found' || this.code === 'http_error' || this.code === 'unknown');
  }
}

/** Lists come wrapped ({ alerts: [...] }); accept a bare array too. */
export function listOf<T>(json: unknown, key: string): T[] {
  if (Array.isArray(json)) return json as T[];
  if (json && typeof json === 'object') {
    const value = (json as Record<string, unknown>)[key];
    if (Array.isArray(value)) return value as T[];
    const arrays = Object.values(json).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0] as T[];
  }
  return [];
}

export type Audience = 'wall' | 'console';

export class Api {
  constructor(
    private readonly audience: Audience,
    private readonly base = '',
  ) {}

  token(): string | null {
    return this.audience === 'wall' ? (tokens.wall() ?? tokens.session()) : tokens.session();
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (signal) init.signal = signal;
    const response = await fetch(this.base + path, init);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const error = (json ?? {}) as { error?: string; message?: string; details?: unknown };
      throw new ApiError(
        response.status,
        error.error ?? 'unknown',
        error.message ?? `${response.status} ${response.statusText}`,
        error.details,
      );
    }
    return json as T;
  }

  get<T>(path: string, query?: Record<string, string | number | boolean | undefined | null>, signal?: AbortSignal): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    const search = params.toString();
    return this.request<T>('GET', search ? `${path}?${search}` : path, undefined, signal);
  }

  units(signal?: AbortSignal) {
    return this.get<z.infer<typeof UnitsResponse>>('/api/v1/catalog/units', undefined, signal);
  }
  metrics(signal?: AbortSignal) {
    return this.get<z.infer<typeof MetricsResponse>>('/api/v1/catalog/metrics', undefined, signal);
  }
  calendar(signal?: AbortSignal) {
    return this.get<CalendarResponse>('/api/v1/catalog/calendar', undefined, signal);
  }
  series(
    query: { metric: string; unit: string; from?: string; to?: string; bucket?: string; agg?: string; includePredecessors?: boolean },
    signal?: AbortSignal,
  ) {
    return this.get<SeriesResponse>('/api/v1/series', query, signal);
  }
  /** One value per unit over [from, to): maps and rankings in one request. */
  aggregate(
    query: { metric: string; unitKind?: string; units?: string; from: string; to?: string; agg?: string; includePredecessors?: boolean },
    signal?: AbortSignal,
  ) {
    return this.get<AggregateResponse>('/api/v1/aggregate', query, signal);
  }
  latest(query: { metric: string; unitKind?: string; asOf?: string }, signal?: AbortSignal) {
    return this.get<LatestResponse>('/api/v1/latest', query, signal);
  }
  /** Targets with their status as of now (met on time, met late, missed, at risk, on track, cannot assess). */
  targets(query: { metric?: string; unit?: string; when?: 'current' | 'past' | 'all' }, signal?: AbortSignal) {
    return this.get<TargetsResponse>('/api/v1/targets', query, signal);
  }
  createTarget(target: TargetInput) {
    return this.request<Target>('POST', '/api/v1/targets', target);
  }
  updateTarget(id: number, target: TargetInput) {
    return this.request<Target>('PUT', `/api/v1/targets/${id}`, target);
  }
  /** Retire a target (it leaves the wall and the status lists; the audit log keeps it). */
  deleteTarget(id: number) {
    return this.request<void>('DELETE', `/api/v1/targets/${id}`);
  }
  /** Every revision of one value (metric, unit, ts): batch, key and received time of each. */
  history(query: { metric: string; unit: string; ts: string }, signal?: AbortSignal) {
    return this.get<HistoryResponse>('/api/v1/history', query, signal);
  }
  dashboards(signal?: AbortSignal) {
    return this.get<{ pages: unknown[] }>('/api/v1/dashboards', undefined, signal);
  }
  compliance(query: { metric: string; unitKind?: string }, signal?: AbortSignal) {
    return this.get<ComplianceResponse>('/api/v1/reporting/compliance', query, signal);
  }
  /** Compliance over several metrics: per unit the worst status, the most periods behind, the earliest late-since. */
  complianceOverview(query: { unitKind?: string; metrics?: string }, signal?: AbortSignal) {
    return this.get<ComplianceOverviewResponse>('/api/v1/reporting/compliance/overview', query, signal);
  }
  /** Per unit with overdue directives: how many, and the oldest (any role, viewer tokens included). */
  directivesOverdue(signal?: AbortSignal) {
    return this.get<OverdueSummary>('/api/v1/directives/overdue', undefined, signal);
  }
  async alerts(
    query: { state?: string; unit?: string; metric?: string; severity?: string; from?: string; to?: string; limit?: number },
    signal?: AbortSignal,
  ) {
    return listOf<Alert>(await this.get<unknown>('/api/v1/alerts', query, signal), 'alerts');
  }
  ack(id: number, comment: string) {
    return this.request<Alert>('POST', `/api/v1/alerts/${id}/ack`, { comment });
  }
  async rules(signal?: AbortSignal) {
    return listOf<AlertRule>(await this.get<unknown>('/api/v1/alert-rules', undefined, signal), 'rules');
  }
  createRule(rule: AlertRuleInput) {
    return this.request<AlertRule>('POST', '/api/v1/alert-rules', rule);
  }
  updateRule(id: number, rule: AlertRuleInput) {
    return this.request<AlertRule>('PUT', `/api/v1/alert-rules/${id}`, rule);
  }
  previewRule(rule: AlertRuleInput, days: number) {
    return this.request<PreviewResponse>('POST', '/api/v1/alert-rules/preview', { rule, days });
  }
  async keys(signal?: AbortSignal) {
    return listOf<AgentKey>(await this.get<unknown>('/api/v1/keys', undefined, signal), 'keys');
  }
  createKey(body: { units: string[] | 'all'; name?: string }) {
    return this.request<CreatedAgentKeyBody>('POST', '/api/v1/keys', body);
  }
  revokeKey(id: string) {
    return this.request<void>('DELETE', `/api/v1/keys/${encodeURIComponent(id)}`);
  }
  /** With the code of the authenticator app when the account has a second factor (else 401 totp_required). */
  login(username: string, password: string, totpCode?: string) {
    return this.request<LoginResponse>('POST', '/api/v1/auth/login', { username, password, ...(totpCode ? { totpCode } : {}) });
  }
  totpStatus(signal?: AbortSignal) {
    return this.get<TotpStatus>('/api/v1/auth/totp', undefined, signal);
  }
  /** The secret comes back this once; the second factor is on only after totpConfirm. */
  totpEnrol() {
    return this.request<TotpEnrolment>('POST', '/api/v1/auth/totp/enrol');
  }
  totpConfirm(code: string) {
    return this.request<TotpStatus>('POST', '/api/v1/auth/totp/confirm', { code });
  }
  totpDisable(proof: TotpDisableRequest) {
    return this.request<TotpStatus>('POST', '/api/v1/auth/totp/disable', proof);
  }
  logout() {
    return this.request<void>('POST', '/api/v1/auth/logout');
  }
  me(signal?: AbortSignal) {
    return this.get<Principal>('/api/v1/auth/me', undefined, signal);
  }
  /** Weekly reports: the stored ones and the past weeks that can be downloaded (viewer, staff, admin). */
  reports(signal?: AbortSignal) {
    return this.get<WeeklyReportList>('/api/v1/reports', undefined, signal);
  }
  /** A week's report as a PDF blob (the server draws it on first request). */
  async reportPdf(weekStart: string, lang: 'vi' | 'en'): Promise<Blob> {
    const token = this.token();
    const response = await fetch(`${this.base}/api/v1/reports/${encodeURIComponent(weekStart)}.pdf?lang=${lang}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      credentials: 'same-origin',
    });
    if (!response.ok) {
      const error = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
      throw new ApiError(response.status, error.error ?? 'unknown', error.message ?? `${response.status} ${response.statusText}`);
    }
    return response.blob();
  }
  /** Draws both languages of a week again and replaces the stored ones (staff, admin; audited). */
  regenerateReport(weekStart: string) {
    return this.request<WeeklyReportList>('POST', `/api/v1/reports/${encodeURIComponent(weekStart)}/regenerate`);
  }
  /** Newest first; `actor` is a part of the name; `before` the last id of the previous page. */
  audit(
    query: {
      limit?: number;
      action?: string | undefined;
      actor?: string | undefined;
      before?: number | undefined;
      from?: string | undefined;
      to?: string | undefined;
    },
    signal?: AbortSignal,
  ) {
    return this.get<{ entries: AuditEntry[] }>('/api/v1/audit', query, signal);
  }
  async viewerTokens(signal?: AbortSignal) {
    return listOf<ViewerToken>(await this.get<unknown>('/api/v1/viewer-tokens', undefined, signal), 'viewerTokens');
  }
  /** The secret comes back this once (the server keeps only its hash). */
  createViewerToken(name: string) {
    return this.request<{ id: string; name: string; token: string }>('POST', '/api/v1/viewer-tokens', { name });
  }
  revokeViewerToken(id: string) {
    return this.request<void>('DELETE', `/api/v1/viewer-tokens/${encodeURIComponent(id)}`);
  }
  async users(signal?: AbortSignal) {
    return listOf<User>(await this.get<unknown>('/api/v1/users', undefined, signal), 'users');
  }
  createUser(user: CreateUserRequest) {
    return this.request<User>('POST', '/api/v1/users', user);
  }
  /** Any change signs the user out everywhere. */
  updateUser(id: string, update: UpdateUserRequest) {
    return this.request<User>('PUT', `/api/v1/users/${encodeURIComponent(id)}`, update);
  }
  /** An admin switches another user's second factor off (a lost phone). */
  resetUserTotp(id: string) {
    return this.request<void>('DELETE', `/api/v1/users/${encodeURIComponent(id)}/totp`);
  }
  /** Every alert's state changes in [from, to), newest first; operators get their unit's only. */
  alertEvents(query: { from?: string; to?: string; unit?: string; metric?: string; limit?: number }, signal?: AbortSignal) {
    return this.get<{ events: AlertTimelineEntry[] }>('/api/v1/alert-events', query, signal);
  }
  /** active: true = running or scheduled, false = over; staff and admin. */
  async silences(query: { active?: boolean; limit?: number }, signal?: AbortSignal) {
    return listOf<Silence>(await this.get<unknown>('/api/v1/silences', query, signal), 'silences');
  }
  createSilence(silence: SilenceInput) {
    return this.request<Silence>('POST', '/api/v1/silences', silence);
  }
  endSilence(id: number) {
    return this.request<Silence>('POST', `/api/v1/silences/${id}/end`);
  }
  /** Admin only; secrets never come back (hasSecret / hasPassword). */
  async notificationChannels(signal?: AbortSignal) {
    return listOf<NotificationChannel>(await this.get<unknown>('/api/v1/notifications/channels', undefined, signal), 'channels');
  }
  createNotificationChannel(channel: NotificationChannelInput) {
    return this.request<NotificationChannel>('POST', '/api/v1/notifications/channels', channel);
  }
  /** A secret or password left out keeps the stored one. */
  updateNotificationChannel(id: number, channel: NotificationChannelInput) {
    return this.request<NotificationChannel>('PUT', `/api/v1/notifications/channels/${id}`, channel);
  }
  deleteNotificationChannel(id: number) {
    return this.request<void>('DELETE', `/api/v1/notifications/channels/${id}`);
  }
  /** Sends a test message through the channel now; the answer is its delivery (sent, or failed with the reason). */
  testNotificationChannel(id: number) {
    return this.request<NotificationDelivery>('POST', `/api/v1/notifications/channels/${id}/test`);
  }
  async notificationRoutes(signal?: AbortSignal) {
    return listOf<NotificationRoute>(await this.get<unknown>('/api/v1/notifications/routes', undefined, signal), 'routes');
  }
  createNotificationRoute(route: NotificationRouteInput) {
    return this.request<NotificationRoute>('POST', '/api/v1/notifications/routes', route);
  }
  updateNotificationRoute(id: number, route: NotificationRouteInput) {
    return this.request<NotificationRoute>('PUT', `/api/v1/notifications/routes/${id}`, route);
  }
  deleteNotificationRoute(id: number) {
    return this.request<void>('DELETE', `/api/v1/notifications/routes/${id}`);
  }
  /** The delivery log, newest first (staff and admin). */
  async notificationDeliveries(query: { channelId?: number; state?: string; limit?: number }, signal?: AbortSignal) {
    return listOf<NotificationDelivery>(await this.get<unknown>('/api/v1/notifications/deliveries', query, signal), 'deliveries');
  }
}

export type { DashboardPage };
