import { useEffect, useState } from 'react';
import type { Alert } from '@dxoc/contracts';
import { ApiError } from '../../lib/api';
import { formatDateTime, formatValue } from '../../lib/format';
import { AskToExplain } from '../AskToExplain';
import { permissions, useConsole, useCT } from '../context';
import { Field, LoadState, MetricSelect, Severity, UnitSelect, useLoad } from '../ui';
import { silenceMark } from '../notifications-draft';

/** Active alerts and their history; filter by unit, indicator, severity; acknowledge with a comment. */
export function AlertsPage() {
  const { api, catalog, lang, principal } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const [tab, setTab] = useState<'active' | 'history'>('active');
  const [unit, setUnit] = useState(perms.onlyUnit ?? '');
  const [metric, setMetric] = useState('');
  const [severity, setSeverity] = useState('');
  const [alerts, reload] = useLoad(
    (signal) =>
      api.alerts(
        {
          state: tab === 'active' ? 'open' : undefined,
          from: tab === 'history' ? new Date(Date.now() - 90 * 86_400_000).toISOString() : undefined,
          unit: unit || undefined,
          metric: metric || undefined,
          severity: severity || undefined,
          limit: 500,
        },
        signal,
      ),
    [api, tab, unit, metric, severity],
  );
  // active alerts change on their own: refresh every 15 s
  useEffect(() => {
    if (tab !== 'active') return;
    const timer = setInterval(reload, 15_000);
    return () => clearInterval(timer);
  }, [tab, reload]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.alerts')}</h1>
        <div className="tabs">
          <button className={tab === 'active' ? 'on' : ''} onClick={() => setTab('active')}>
            {t('console.active')}
          </button>
          <button className={tab === 'history' ? 'on' : ''} onClick={() => setTab('history')}>
            {t('console.history')}
          </button>
        </div>
      </div>
      <div className="filters">
        <Field label={t('console.filter.unit')}>
          <UnitSelect value={unit} onChange={setUnit} allowAll />
        </Field>
        <Field label={t('console.filter.metric')}>
          <MetricSelect value={metric} onChange={setMetric} allowAll />
        </Field>
        <Field label={t('console.filter.severity')}>
          <select value={severity} onChange={(e) => setSeverity(e.target.value)} name="severity">
            <option value="">{t('console.filter.all')}</option>
            <option value="critical">{t('sev.critical')}</option>
            <option value="warning">{t('sev.warning')}</option>
            <option value="info">{t('sev.info')}</option>
          </select>
        </Field>
      </div>
      <LoadState value={alerts}>
        {() => {
          const list = alerts.state === 'ready' ? alerts.data : [];
          if (list.length === 0) return <div className="empty">{t('console.none')}</div>;
          return (
            <table className="table" data-testid="alerts-table">
              <thead>
                <tr>
                  <th>{t('console.filter.severity')}</th>
                  <th>{t('console.status')}</th>
                  <th>{t('console.message')}</th>
                  <th>{t('wall.unit')}</th>
                  <th className="num">{t('wall.value')}</th>
                  <th>{t('wall.sinceTime')}</th>
                  <th>{t('console.ackBy')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((alert) => (
                  <AlertRow key={alert.id} alert={alert} canAck={perms.canAck} onChanged={reload} />
                ))}
              </tbody>
            </table>
          );
        }}
      </LoadState>
      <p className="hint">
        {catalog.metrics.length} {lang === 'vi' ? 'chỉ tiêu' : 'indicators'} ·{' '}
        {lang === 'vi' ? 'tự làm mới mỗi 15 giây' : 'refreshes every 15 s'}
      </p>
    </section>
  );
}

function AlertRow({ alert, canAck, onChanged }: { alert: Alert; canAck: boolean; onChanged: () => void }) {
  const { api, catalog, lang } = useConsole();
  const t = useCT();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ack = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.ack(alert.id, comment);
      setOpen(false);
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <tr
        className={`state-${alert.state}${alert.silence ? ' is-silenced' : ''}`}
        data-alert-id={alert.id}
        data-silenced={alert.silence ? 'true' : 'false'}
      >
        <td>
          <Severity severity={alert.severity} />
        </td>
        <td>{t(`state.${alert.state}`)}</td>
        <td>
          <div className="strong">{lang === 'vi' ? alert.messageVi : alert.messageEn}</div>
          <div className="muted small">
            {alert.ruleName} · {alert.metric}
          </div>
          {alert.silence ? (
            // still shown, but nothing is sent for it until the silence ends
            <div className="silenced small" data-testid="silence-mark" data-silence-id={alert.silence.silenceId}>
              {silenceMark(alert.silence, lang)}
            </div>
          ) : null}
        </td>
        <td>{catalog.unitName(alert.unit, lang)}</td>
        <td className="num">{alert.value === null ? '—' : formatValue(alert.value, catalog.metric(alert.metric), lang)}</td>
        <td>{formatDateTime(alert.firingSince ?? alert.pendingSince, lang)}</td>
        <td>
          {alert.acknowledgedBy ? (
            <>
              <div>{alert.acknowledgedBy}</div>
              <div className="muted small">
                {formatDateTime(alert.acknowledgedAt, lang)}
                {alert.ackComment ? ` — “${alert.ackComment}”` : ''}
              </div>
            </>
          ) : (
            '—'
          )}
        </td>
        <td className="actions">
          {canAck && alert.state === 'firing' ? (
            <button className="button small" onClick={() => setOpen((v) => !v)}>
              {t('console.ack')}
            </button>
          ) : null}
          {alert.state === 'firing' || alert.state === 'acknowledged' ? (
            <AskToExplain
              from={{
                kind: 'alert',
                alertId: alert.id,
                unit: alert.unit,
                metric: alert.metric,
                title: alert.messageVi,
                titleEn: alert.messageEn,
              }}
            />
          ) : null}
        </td>
      </tr>
      {open ? (
        <tr className="inline-form">
          <td colSpan={8}>
            <div className="ack-form">
              <Field label={t('console.ackComment')} error={error ?? undefined} wide>
                <input
                  name="ackComment"
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  maxLength={1000}
                  placeholder={lang === 'vi' ? 'Đã liên hệ đơn vị, đang xử lý…' : 'Unit contacted, being handled…'}
                />
              </Field>
              <button className="button primary" disabled={busy || comment.trim() === ''} onClick={ack}>
                {t('console.ack')}
              </button>
              <button className="button ghost" onClick={() => setOpen(false)}>
                {t('console.cancel')}
              </button>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
