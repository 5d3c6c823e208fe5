import { useState } from 'react';
import {
  DELIVERY_STATES,
  SeveritySchema,
  type NotificationChannel,
  type NotificationRoute,
  type Severity as SeverityLevel,
  type Silence,
} from '@dxoc/contracts';
import { metricName } from '../../app/catalog';
import { ApiError } from '../../lib/api';
import { formatDateTime, type Lang } from '../../lib/format';
import { timeZone } from '../../lib/time';
import { useConsole, useCT } from '../context';
import { apiFieldErrors, type FieldErrors } from '../form-errors';
import {
  channelDraftOf,
  channelHealth,
  channelHealthLabel,
  channelInputOf,
  channelTarget,
  deliveryKindLabel,
  deliveryStateLabel,
  emptyChannelDraft,
  emptyRouteDraft,
  emptySilenceDraft,
  routeDraftOf,
  routeInputOf,
  routeWhenText,
  scopeText,
  secretHint,
  silenceInputOf,
  silenceStatus,
  silenceStatusLabel,
  silenceTarget,
  type ChannelDraft,
  type RouteDraft,
  type Checked,
  type SilenceDraft,
} from '../notifications-draft';
import { Field, LoadedList, UnitSelect, useLoad } from '../ui';

const pick = (lang: Lang, vi: string, en: string) => (lang === 'vi' ? vi : en);
// most urgent first, as a route is usually for the critical ones
const SEVERITY_LEVELS = [...SeveritySchema.options].reverse();

/** An API refusal → messages under the fields it names, else one line for the form. */
function refusal(error: unknown, lang: Lang): { fields: FieldErrors; form: string | null } {
  if (error instanceof ApiError && error.status === 400) {
    const fields = apiFieldErrors(error.details, lang);
    return { fields, form: Object.keys(fields).length === 0 ? error.message : null };
  }
  return { fields: {}, form: error instanceof Error ? error.message : String(error) };
}

/**
 * The send step every editor of this page shares: the draft is checked in the browser first (specific field
 * messages, nothing sent), then sent; a refusal of the server lands under its field or above the buttons.
 */
function useCheckedSend<I>(check: () => Checked<I>, send: (input: I) => Promise<unknown>, onDone: (saved: boolean) => void) {
  const { lang } = useConsole();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setFormError(null);
    const checked = check();
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await send(checked.input);
      onDone(true);
    } catch (error) {
      const r = refusal(error, lang);
      setErrors(r.fields);
      setFormError(r.form);
    } finally {
      setBusy(false);
    }
  };
  return { errors, formError, busy, save };
}

/**
 * Notifications (Thông báo): silences for staff and admins (maintenance windows: mute a rule, a unit or both until a
 * time, with a reason; end early); for admins the channels (webhook, email; secrets write-only, a failing channel
 * shown with its last error) and the routes; the delivery log for staff and admins.
 */
export function NotificationsPage() {
  const { principal, lang } = useConsole();
  const role = principal.role;
  if (role !== 'staff' && role !== 'admin')
    return (
      <section className="page">
        <div className="empty warn">{pick(lang, 'Trang này dành cho cán bộ và quản trị viên', 'This page is for staff and admins')}</div>
      </section>
    );
  return (
    <section className="page" data-testid="notifications-page">
      <div className="page-head">
        <h1>{pick(lang, 'Thông báo', 'Notifications')}</h1>
      </div>
      <SilencesSection />
      {role === 'admin' ? <ChannelsSection /> : null}
      {role === 'admin' ? <RoutesSection /> : null}
      <DeliveriesSection />
      <p className="hint">{pick(lang, 'Mọi thời điểm theo giờ Việt Nam.', 'Every time is Viet Nam time.')}</p>
    </section>
  );
}

// ——— silences ———

function SilencesSection() {
  const { api, catalog, lang, principal } = useConsole();
  const t = useCT();
  const [tab, setTab] = useState<'active' | 'over'>('active');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [silences, reload] = useLoad((signal) => api.silences({ active: tab === 'active', limit: 200 }, signal), [api, tab]);
  const [rules] = useLoad((signal) => api.rules(signal), [api]);
  const ruleName = (id: number) => (rules.state === 'ready' ? (rules.data.find((r) => r.id === id)?.name ?? `#${id}`) : `#${id}`);
  const end = async (silence: Silence) => {
    if (!window.confirm(pick(lang, 'Kết thúc tắt tiếng ngay bây giờ?', 'End this silence now?'))) return;
    setError(null);
    try {
      await api.endSilence(silence.id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    reload();
  };
  const now = Date.now();
  return (
    <div className="notif-section" data-testid="silences">
      <div className="page-head">
        <h2>{pick(lang, 'Tắt tiếng', 'Silences')}</h2>
        <div className="tabs">
          <button className={tab === 'active' ? 'on' : ''} onClick={() => setTab('active')} data-testid="silences-active">
            {pick(lang, 'Đang hiệu lực', 'Active')}
          </button>
          <button className={tab === 'over' ? 'on' : ''} onClick={() => setTab('over')} data-testid="silences-over">
            {pick(lang, 'Đã kết thúc', 'Ended')}
          </button>
        </div>
        {!creating ? (
          <button type="button" className="button primary" data-testid="silence-new" onClick={() => setCreating(true)}>
            {pick(lang, 'Tắt tiếng mới', 'New silence')}
          </button>
        ) : null}
      </div>
      <p className="hint">
        {pick(
          lang,
          'Cảnh báo bị tắt tiếng vẫn hiển thị (có đánh dấu) nhưng không gửi thông báo.',
          'Silenced alerts still show (marked) but send no notification.',
        )}
      </p>
      {creating ? (
        <SilenceEditor
          rules={rules.state === 'ready' ? rules.data.map((r) => ({ id: r.id, name: r.name })) : []}
          onDone={(saved) => {
            setCreating(false);
            if (saved) {
              setTab('active');
              reload();
            }
          }}
        />
      ) : null}
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
      <LoadedList value={silences}>
        {(list) => (
          <table className="table" data-testid="silences-table">
            <thead>
              <tr>
                <th>{pick(lang, 'Phạm vi', 'Mutes')}</th>
                <th>{t('console.status')}</th>
                <th>{pick(lang, 'Bắt đầu', 'Starts')}</th>
                <th>{pick(lang, 'Kết thúc', 'Ends')}</th>
                <th>{pick(lang, 'Lý do', 'Reason')}</th>
                <th>{pick(lang, 'Người tạo', 'Created by')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((s) => {
                const status = silenceStatus(s, now);
                return (
                  <tr key={s.id} data-silence-id={s.id} data-status={status}>
                    <td className="strong">{silenceTarget(s, ruleName, (code) => catalog.unitName(code, lang), lang)}</td>
                    <td>{silenceStatusLabel(status, lang)}</td>
                    <td>{formatDateTime(s.startsAt, lang)}</td>
                    <td>
                      {formatDateTime(s.endedAt ?? s.endsAt, lang)}
                      {s.endedBy ? <div className="muted small">{s.endedBy}</div> : null}
                    </td>
                    <td>{s.reason}</td>
                    <td>{s.createdBy}</td>
                    <td className="actions">
                      {s.active && (principal.role === 'staff' || principal.role === 'admin') ? (
                        <button type="button" className="button small danger" data-testid="silence-end" onClick={() => void end(s)}>
                          {pick(lang, 'Kết thúc ngay', 'End now')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </LoadedList>
    </div>
  );
}

function SilenceEditor({ rules, onDone }: { rules: { id: number; name: string }[]; onDone: (saved: boolean) => void }) {
  const { api, lang } = useConsole();
  const t = useCT();
  const [draft, setDraft] = useState<SilenceDraft>(() => emptySilenceDraft(Date.now(), timeZone()));
  const set = <K extends keyof SilenceDraft>(key: K, value: SilenceDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const { errors, formError, busy, save } = useCheckedSend(
    () => silenceInputOf(draft, lang, timeZone(), Date.now()),
    (input) => api.createSilence(input),
    onDone,
  );
  return (
    <form
      className="form-grid"
      data-testid="silence-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 className="wide">{pick(lang, 'Tắt tiếng một ngưỡng, một đơn vị hoặc cả hai', 'Mute a rule, a unit or both')}</h3>
      <Field label={pick(lang, 'Ngưỡng cảnh báo', 'Rule')} error={errors.ruleId}>
        <select name="ruleId" value={draft.ruleId} onChange={(e) => set('ruleId', e.target.value)}>
          <option value="">{pick(lang, '— mọi ngưỡng —', '— every rule —')}</option>
          {rules.map((r) => (
            <option key={r.id} value={String(r.id)}>
              {r.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('wall.unit')} error={errors.unit}>
        <UnitSelect name="unit" value={draft.unit} onChange={(v) => set('unit', v)} allowAll />
      </Field>
      <Field label={pick(lang, 'Đến (giờ Việt Nam)', 'Until (Viet Nam time)')} error={errors.endsAt}>
        <input name="endsAt" type="datetime-local" value={draft.endsAt} onChange={(e) => set('endsAt', e.target.value)} />
      </Field>
      <Field label={pick(lang, 'Lý do', 'Reason')} error={errors.reason} wide>
        <input
          name="reason"
          value={draft.reason}
          maxLength={500}
          placeholder={pick(lang, 'Bảo trì hệ thống cổng dịch vụ công…', 'Maintenance of the service portal…')}
          onChange={(e) => set('reason', e.target.value)}
        />
      </Field>
      {formError ? (
        <div className="form-error wide" role="alert">
          {formError}
        </div>
      ) : null}
      <div className="wide">
        <button type="submit" className="button primary" disabled={busy} data-testid="silence-save">
          {pick(lang, 'Tắt tiếng', 'Silence')}
        </button>{' '}
        <button type="button" className="button small ghost" onClick={() => onDone(false)}>
          {t('console.cancel')}
        </button>
      </div>
    </form>
  );
}

// ——— channels (admin) ———

function ChannelsSection() {
  const { api, lang } = useConsole();
  const t = useCT();
  const [editing, setEditing] = useState<NotificationChannel | 'new' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [channels, reload] = useLoad((signal) => api.notificationChannels(signal), [api]);
  const remove = async (channel: NotificationChannel) => {
    if (!window.confirm(pick(lang, `Xóa kênh «${channel.name}»?`, `Delete the channel “${channel.name}”?`))) return;
    setMessage(null);
    try {
      await api.deleteNotificationChannel(channel.id);
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
    reload();
  };
  const test = async (channel: NotificationChannel) => {
    setMessage(null);
    try {
      const delivery = await api.testNotificationChannel(channel.id);
      setMessage(
        delivery.state === 'sent'
          ? pick(lang, `Đã gửi thử qua «${channel.name}».`, `Test sent through “${channel.name}”.`)
          : pick(
              lang,
              `Gửi thử qua «${channel.name}» không thành công: ${delivery.lastError ?? deliveryStateLabel(delivery.state, lang)}`,
              `The test through “${channel.name}” failed: ${delivery.lastError ?? deliveryStateLabel(delivery.state, lang)}`,
            ),
      );
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
    reload();
  };
  return (
    <div className="notif-section" data-testid="channels">
      <div className="page-head">
        <h2>{pick(lang, 'Kênh gửi', 'Channels')}</h2>
        {editing === null ? (
          <button type="button" className="button primary" data-testid="channel-new" onClick={() => setEditing('new')}>
            {pick(lang, 'Kênh mới', 'New channel')}
          </button>
        ) : null}
      </div>
      {editing !== null ? (
        <ChannelEditor
          key={editing === 'new' ? 'new' : editing.id}
          channel={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) reload();
          }}
        />
      ) : null}
      {message ? (
        <div className="banner info" role="status" data-testid="channel-message">
          {message}
        </div>
      ) : null}
      <LoadedList value={channels}>
        {(list) => (
          <table className="table" data-testid="channels-table">
            <thead>
              <tr>
                <th>{pick(lang, 'Tên', 'Name')}</th>
                <th>{pick(lang, 'Loại', 'Kind')}</th>
                <th>{pick(lang, 'Gửi đến', 'Sends to')}</th>
                <th>{t('console.status')}</th>
                <th>{t('console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => {
                const health = channelHealth(c);
                return (
                  <tr key={c.id} data-channel-id={c.id} data-health={health} className={health === 'failing' ? 'state-firing' : ''}>
                    <td className="strong">{c.name}</td>
                    <td>{c.config.kind === 'webhook' ? 'Webhook' : 'Email (SMTP)'}</td>
                    <td className="small">{channelTarget(c)}</td>
                    <td>
                      <div className={health === 'failing' ? 'failing' : ''}>{channelHealthLabel(c, lang)}</div>
                      {health === 'failing' && c.lastError ? (
                        <div className="muted small" data-testid="channel-last-error">
                          {formatDateTime(c.lastErrorAt, lang)}: {c.lastError}
                        </div>
                      ) : null}
                      {c.lastSuccessAt ? (
                        <div className="muted small">
                          {pick(lang, 'Gửi được lần cuối', 'Last sent')}: {formatDateTime(c.lastSuccessAt, lang)}
                        </div>
                      ) : null}
                    </td>
                    <td className="actions">
                      <button type="button" className="button small ghost" data-testid="channel-edit" onClick={() => setEditing(c)}>
                        {t('console.edit')}
                      </button>{' '}
                      <button type="button" className="button small" data-testid="channel-test" onClick={() => void test(c)}>
                        {pick(lang, 'Gửi thử', 'Send a test')}
                      </button>{' '}
                      <button type="button" className="button small danger" data-testid="channel-delete" onClick={() => void remove(c)}>
                        {pick(lang, 'Xóa', 'Delete')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </LoadedList>
    </div>
  );
}

function ChannelEditor({ channel, onDone }: { channel: NotificationChannel | null; onDone: (saved: boolean) => void }) {
  const { api, lang } = useConsole();
  const t = useCT();
  const [draft, setDraft] = useState<ChannelDraft>(() => (channel ? channelDraftOf(channel) : emptyChannelDraft()));
  const set = <K extends keyof ChannelDraft>(key: K, value: ChannelDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  // a stored secret is kept only while the channel keeps its kind
  const stored = channel && channel.config.kind === draft.kind ? channel.config : null;
  const hasSecret = stored?.kind === 'webhook' ? stored.hasSecret : false;
  const hasPassword = stored?.kind === 'email' ? stored.hasPassword : false;
  const { errors, formError, busy, save } = useCheckedSend(
    () => channelInputOf(draft, lang, hasSecret),
    (input) => (channel ? api.updateNotificationChannel(channel.id, input) : api.createNotificationChannel(input)),
    onDone,
  );
  return (
    <form
      className="form-grid"
      data-testid="channel-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 className="wide">{channel ? `${t('console.edit')}: ${channel.name}` : pick(lang, 'Kênh mới', 'New channel')}</h3>
      <Field label={pick(lang, 'Tên', 'Name')} error={errors.name}>
        <input name="name" value={draft.name} onChange={(e) => set('name', e.target.value)} />
      </Field>
      <Field label={pick(lang, 'Loại', 'Kind')} error={errors.kind}>
        <select name="kind" value={draft.kind} onChange={(e) => set('kind', e.target.value as ChannelDraft['kind'])}>
          <option value="webhook">Webhook</option>
          <option value="email">Email (SMTP)</option>
        </select>
      </Field>
      {draft.kind === 'webhook' ? (
        <>
          <Field label={pick(lang, 'Địa chỉ (URL)', 'Address (URL)')} error={errors.url} wide>
            <input name="url" value={draft.url} placeholder="https://…" onChange={(e) => set('url', e.target.value)} />
          </Field>
          <Field label={`${pick(lang, 'Khóa ký HMAC', 'HMAC signing secret')} (${secretHint(hasSecret, lang)})`} error={errors.secret} wide>
            <input
              name="secret"
              type="password"
              autoComplete="new-password"
              value={draft.secret}
              onChange={(e) => set('secret', e.target.value)}
              data-has-secret={hasSecret}
            />
          </Field>
        </>
      ) : (
        <>
          <Field label={pick(lang, 'Máy chủ SMTP', 'SMTP host')} error={errors.host}>
            <input name="host" value={draft.host} onChange={(e) => set('host', e.target.value)} />
          </Field>
          <Field label={pick(lang, 'Cổng', 'Port')} error={errors.port}>
            <input name="port" inputMode="numeric" value={draft.port} onChange={(e) => set('port', e.target.value)} />
          </Field>
          <Field label={pick(lang, 'Bảo mật', 'Security')} error={errors.security}>
            <select name="security" value={draft.security} onChange={(e) => set('security', e.target.value as ChannelDraft['security'])}>
              <option value="starttls">STARTTLS</option>
              <option value="tls">TLS</option>
              <option value="none">{pick(lang, 'Không', 'None')}</option>
            </select>
          </Field>
          <Field label={pick(lang, 'Tên đăng nhập', 'Username')} error={errors.username}>
            <input name="username" autoComplete="off" value={draft.username} onChange={(e) => set('username', e.target.value)} />
          </Field>
          <Field label={`${pick(lang, 'Mật khẩu', 'Password')} (${secretHint(hasPassword, lang)})`} error={errors.password}>
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              value={draft.password}
              onChange={(e) => set('password', e.target.value)}
              data-has-password={hasPassword}
            />
          </Field>
          <Field label={pick(lang, 'Người gửi', 'From')} error={errors.from}>
            <input name="from" value={draft.from} onChange={(e) => set('from', e.target.value)} />
          </Field>
          <Field label={pick(lang, 'Người nhận (cách nhau bởi dấu phẩy)', 'Recipients (comma separated)')} error={errors.recipients} wide>
            <input name="recipients" value={draft.recipients} onChange={(e) => set('recipients', e.target.value)} />
          </Field>
          <Field label={pick(lang, 'Ngôn ngữ thư', 'Mail language')} error={errors.language}>
            <select name="language" value={draft.language} onChange={(e) => set('language', e.target.value as ChannelDraft['language'])}>
              <option value="vi+en">{pick(lang, 'Tiếng Việt + tiếng Anh', 'Vietnamese + English')}</option>
              <option value="vi">{pick(lang, 'Tiếng Việt', 'Vietnamese')}</option>
              <option value="en">{pick(lang, 'Tiếng Anh', 'English')}</option>
            </select>
          </Field>
        </>
      )}
      <label className="inline">
        <input type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />{' '}
        {pick(lang, 'Đang bật', 'Enabled')}
      </label>
      {formError ? (
        <div className="form-error wide" role="alert">
          {formError}
        </div>
      ) : null}
      <div className="wide">
        <button type="submit" className="button primary" disabled={busy} data-testid="channel-save">
          {t('console.save')}
        </button>{' '}
        <button type="button" className="button small ghost" onClick={() => onDone(false)}>
          {t('console.cancel')}
        </button>
      </div>
    </form>
  );
}

// ——— routes (admin) ———

function RoutesSection() {
  const { api, catalog, lang } = useConsole();
  const t = useCT();
  const [editing, setEditing] = useState<NotificationRoute | 'new' | null>(null);
  const [routes, reload] = useLoad((signal) => api.notificationRoutes(signal), [api]);
  // read again each time the form opens: a channel may have been added above meanwhile
  const [channels, reloadChannels] = useLoad((signal) => api.notificationChannels(signal), [api]);
  const edit = (route: NotificationRoute | 'new') => {
    reloadChannels();
    setEditing(route);
  };
  const channelList = channels.state === 'ready' ? channels.data : [];
  const channelName = (id: number) => channelList.find((c) => c.id === id)?.name ?? `#${id}`;
  const remove = async (route: NotificationRoute) => {
    if (!window.confirm(pick(lang, `Xóa tuyến «${route.name}»?`, `Delete the route “${route.name}”?`))) return;
    await api.deleteNotificationRoute(route.id).catch(() => undefined);
    reload();
  };
  return (
    <div className="notif-section" data-testid="routes">
      <div className="page-head">
        <h2>{pick(lang, 'Tuyến gửi', 'Routes')}</h2>
        {editing === null ? (
          <button type="button" className="button primary" data-testid="route-new" onClick={() => edit('new')}>
            {pick(lang, 'Tuyến mới', 'New route')}
          </button>
        ) : null}
      </div>
      {editing !== null ? (
        <RouteEditor
          key={editing === 'new' ? 'new' : editing.id}
          route={editing === 'new' ? null : editing}
          channels={channelList}
          onDone={(saved) => {
            setEditing(null);
            if (saved) reload();
          }}
        />
      ) : null}
      <LoadedList value={routes}>
        {(list) => (
          <table className="table" data-testid="routes-table">
            <thead>
              <tr>
                <th>{pick(lang, 'Tên', 'Name')}</th>
                <th>{pick(lang, 'Kênh', 'Channel')}</th>
                <th>{t('console.filter.severity')}</th>
                <th>{t('console.filter.metric')}</th>
                <th>{t('wall.unit')}</th>
                <th>{pick(lang, 'Khi nào', 'When')}</th>
                <th>{t('console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id} data-route-id={r.id} className={r.enabled ? '' : 'muted'}>
                  <td className="strong">
                    {r.name}
                    {r.enabled ? null : <div className="muted small">{pick(lang, 'đã tắt', 'disabled')}</div>}
                  </td>
                  <td>{channelName(r.channelId)}</td>
                  <td>
                    {r.severities.length ? r.severities.map((s) => t(`sev.${s}`)).join(', ') : pick(lang, 'Mọi mức', 'Every severity')}
                  </td>
                  <td className="small">
                    {r.metrics.length
                      ? r.metrics.map((m) => metricName(catalog.metric(m), lang) || m).join(', ')
                      : pick(lang, 'Mọi chỉ tiêu', 'Every indicator')}
                  </td>
                  <td className="small">{scopeText(r.scope, lang, (code) => catalog.unitName(code, lang))}</td>
                  <td className="small">{routeWhenText(r, lang)}</td>
                  <td className="actions">
                    <button type="button" className="button small ghost" data-testid="route-edit" onClick={() => edit(r)}>
                      {t('console.edit')}
                    </button>{' '}
                    <button type="button" className="button small danger" data-testid="route-delete" onClick={() => void remove(r)}>
                      {pick(lang, 'Xóa', 'Delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LoadedList>
    </div>
  );
}

function RouteEditor({
  route,
  channels,
  onDone,
}: {
  route: NotificationRoute | null;
  channels: NotificationChannel[];
  onDone: (saved: boolean) => void;
}) {
  const { api, catalog, lang } = useConsole();
  const t = useCT();
  const [draft, setDraft] = useState<RouteDraft>(() =>
    route ? routeDraftOf(route) : emptyRouteDraft(channels[0] ? String(channels[0].id) : ''),
  );
  const set = <K extends keyof RouteDraft>(key: K, value: RouteDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item));
  const { errors, formError, busy, save } = useCheckedSend(
    () => routeInputOf(draft, lang, (code) => catalog.units.some((u) => u.code === code)),
    (input) => (route ? api.updateNotificationRoute(route.id, input) : api.createNotificationRoute(input)),
    onDone,
  );
  return (
    <form
      className="form-grid"
      data-testid="route-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 className="wide">{route ? `${t('console.edit')}: ${route.name}` : pick(lang, 'Tuyến mới', 'New route')}</h3>
      <Field label={pick(lang, 'Tên', 'Name')} error={errors.name}>
        <input name="name" value={draft.name} onChange={(e) => set('name', e.target.value)} />
      </Field>
      <Field label={pick(lang, 'Kênh', 'Channel')} error={errors.channelId}>
        <select name="channelId" value={draft.channelId} onChange={(e) => set('channelId', e.target.value)}>
          <option value="">—</option>
          {channels.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={`${t('console.filter.severity')} (${pick(lang, 'không chọn: mọi mức', 'none: every severity')})`}
        error={errors.severities}
      >
        <div className="checks">
          {SEVERITY_LEVELS.map((s: SeverityLevel) => (
            <label key={s} className="inline">
              <input
                type="checkbox"
                name={`severity-${s}`}
                checked={draft.severities.includes(s)}
                onChange={(e) => set('severities', toggle(draft.severities, s, e.target.checked))}
              />{' '}
              {t(`sev.${s}`)}
            </label>
          ))}
        </div>
      </Field>
      <Field
        label={`${t('console.filter.metric')} (${pick(lang, 'không chọn: mọi chỉ tiêu', 'none: every indicator')})`}
        error={errors.metrics}
        wide
      >
        <select
          name="metrics"
          multiple
          size={4}
          value={draft.metrics}
          onChange={(e) =>
            set(
              'metrics',
              Array.from(e.target.selectedOptions, (o) => o.value),
            )
          }
        >
          {catalog.metrics.map((m) => (
            <option key={m.code} value={m.code}>
              {metricName(m, lang)} ({m.code})
            </option>
          ))}
        </select>
      </Field>
      <Field label={pick(lang, 'Phạm vi đơn vị', 'Unit scope')} error={errors.scope}>
        <select name="scopeKind" value={draft.scopeKind} onChange={(e) => set('scopeKind', e.target.value as RouteDraft['scopeKind'])}>
          <option value="all">{scopeText({ kind: 'all' }, lang)}</option>
          <option value="provinces">{scopeText({ kind: 'provinces' }, lang)}</option>
          <option value="ministries">{scopeText({ kind: 'ministries' }, lang)}</option>
          <option value="units">{pick(lang, 'Các đơn vị sau', 'These units')}</option>
        </select>
      </Field>
      {draft.scopeKind === 'units' ? (
        <Field label={pick(lang, 'Mã đơn vị (cách nhau bởi dấu phẩy)', 'Unit codes (comma separated)')} error={errors.units}>
          <input name="units" value={draft.units} placeholder="79, 01" onChange={(e) => set('units', e.target.value)} />
        </Field>
      ) : null}
      <Field
        label={pick(lang, 'Nhắc lại mỗi … giờ khi còn kích hoạt (trống: một lần)', 'Repeat every … hours while firing (empty: once)')}
        error={errors.repeatHours}
      >
        <input name="repeatHours" inputMode="numeric" value={draft.repeatHours} onChange={(e) => set('repeatHours', e.target.value)} />
      </Field>
      <div className="wide checks">
        <label className="inline">
          <input
            type="checkbox"
            name="notifyResolved"
            checked={draft.notifyResolved}
            onChange={(e) => set('notifyResolved', e.target.checked)}
          />{' '}
          {pick(lang, 'Báo cả khi kết thúc', 'Also notify on resolved')}
        </label>{' '}
        <label className="inline">
          <input type="checkbox" name="weeklyReport" checked={draft.weeklyReport} onChange={(e) => set('weeklyReport', e.target.checked)} />{' '}
          {pick(lang, 'Gửi báo cáo tuần', 'Send the weekly report')}
        </label>{' '}
        <label className="inline">
          <input type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />{' '}
          {pick(lang, 'Đang bật', 'Enabled')}
        </label>
      </div>
      {formError ? (
        <div className="form-error wide" role="alert">
          {formError}
        </div>
      ) : null}
      <div className="wide">
        <button type="submit" className="button primary" disabled={busy} data-testid="route-save">
          {t('console.save')}
        </button>{' '}
        <button type="button" className="button small ghost" onClick={() => onDone(false)}>
          {t('console.cancel')}
        </button>
      </div>
    </form>
  );
}

// ——— delivery log ———

function DeliveriesSection() {
  const { api, lang, principal } = useConsole();
  const [state, setState] = useState('');
  const [channelId, setChannelId] = useState('');
  const [deliveries, reload] = useLoad(
    (signal) =>
      api.notificationDeliveries({ state: state || undefined, channelId: channelId ? Number(channelId) : undefined, limit: 200 }, signal),
    [api, state, channelId],
  );
  // the channel filter needs the channel list, which only admins may read
  const [channels] = useLoad(async (signal) => (principal.role === 'admin' ? api.notificationChannels(signal) : []), [api, principal.role]);
  return (
    <div className="notif-section" data-testid="deliveries">
      <div className="page-head">
        <h2>{pick(lang, 'Nhật ký gửi', 'Delivery log')}</h2>
        <button type="button" className="button small ghost" onClick={reload}>
          {pick(lang, 'Làm mới', 'Refresh')}
        </button>
      </div>
      <div className="filters">
        <Field label={pick(lang, 'Trạng thái', 'State')}>
          <select name="deliveryState" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">{pick(lang, 'Tất cả', 'All')}</option>
            {DELIVERY_STATES.map((s) => (
              <option key={s} value={s}>
                {deliveryStateLabel(s, lang)}
              </option>
            ))}
          </select>
        </Field>
        {channels.state === 'ready' && channels.data.length > 0 ? (
          <Field label={pick(lang, 'Kênh', 'Channel')}>
            <select name="deliveryChannel" value={channelId} onChange={(e) => setChannelId(e.target.value)}>
              <option value="">{pick(lang, 'Tất cả', 'All')}</option>
              {channels.data.map((c) => (
                <option key={c.id} value={String(c.id)}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
      </div>
      <LoadedList value={deliveries}>
        {(list) => (
          <table className="table" data-testid="deliveries-table">
            <thead>
              <tr>
                <th>{pick(lang, 'Thời điểm', 'Time')}</th>
                <th>{pick(lang, 'Kênh', 'Channel')}</th>
                <th>{pick(lang, 'Loại', 'Kind')}</th>
                <th>{pick(lang, 'Cảnh báo', 'Alert')}</th>
                <th>{pick(lang, 'Trạng thái', 'State')}</th>
                <th className="num">{pick(lang, 'Số lần thử', 'Attempts')}</th>
                <th>{pick(lang, 'Lỗi gần nhất', 'Last error')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.id} data-delivery-id={d.id} data-state={d.state} className={d.state === 'failed' ? 'state-firing' : ''}>
                  <td>
                    {formatDateTime(d.createdAt, lang)}
                    {d.sentAt ? (
                      <div className="muted small">
                        {pick(lang, 'gửi lúc', 'sent')} {formatDateTime(d.sentAt, lang)}
                      </div>
                    ) : null}
                  </td>
                  <td>{d.channelName}</td>
                  <td>{deliveryKindLabel(d.kind, lang)}</td>
                  <td>{d.alertId === null ? '—' : `#${d.alertId}`}</td>
                  <td>
                    {deliveryStateLabel(d.state, lang)}
                    {d.nextAttemptAt && d.state === 'retrying' ? (
                      <div className="muted small">
                        {pick(lang, 'thử lại lúc', 'next try')} {formatDateTime(d.nextAttemptAt, lang)}
                      </div>
                    ) : null}
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td className="small">{d.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LoadedList>
    </div>
  );
}
