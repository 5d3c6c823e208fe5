import { useMemo, useState } from 'react';
import type { Alert } from '@dxoc/contracts';
import { formatAgo, formatClock, formatDate, formatNumber, formatValue } from '../../lib/format';
import type { AlertsPanel as AlertsPanelT } from '../../lib/pages';
import { visibleAlerts } from '../alert-store';
import { useAlerts, useNow, useT, useWall } from '../context';
import { moreStyle, overflowStyle, useFitting } from '../fitting';
import { PanelFrame, Placeholder } from './PanelFrame';

export function AlertRow({ alert, now, overflow = false }: { alert: Alert; now: number; overflow?: boolean }) {
  const { catalog, lang } = useWall();
  const t = useT();
  const metric = catalog.metric(alert.metric);
  const since = alert.firingSince ?? alert.pendingSince;
  const sinceText = now - new Date(since).getTime() < 86_400_000 ? formatClock(since, false) : formatDate(since, lang);
  return (
    <li
      className={`alert-row sev-${alert.severity} state-${alert.state}`}
      data-testid="alert-row"
      data-alert-id={alert.id}
      data-severity={alert.severity}
      data-overflow={overflow ? 'hidden' : undefined}
      style={overflow ? overflowStyle : undefined}
    >
      <span className={`sev sev-${alert.severity}`}>{t(`sev.${alert.severity}`)}</span>
      <div className="alert-text">
        <div className="alert-message">{lang === 'vi' ? alert.messageVi : alert.messageEn}</div>
        <div className="alert-meta">
          <b>{catalog.unitName(alert.unit, lang)}</b>
          {alert.value !== null ? <> · {formatValue(alert.value, metric, lang)}</> : null} · {t('wall.sinceTime')} {sinceText} (
          {formatAgo(since, now, lang)})
          {alert.state === 'acknowledged' ? <span className="acked"> · ✓ {t('state.acknowledged')}</span> : null}
          {alert.silence ? (
            <span className="silenced" data-testid="alert-silenced">
              {' '}
              · {t('wall.silenced')}{' '}
              {new Date(alert.silence.endsAt).getTime() - now < 86_400_000
                ? formatClock(alert.silence.endsAt, false)
                : formatDate(alert.silence.endsAt, lang)}
            </span>
          ) : null}
        </div>
      </div>
    </li>
  );
}

/** Firing alerts by severity, newest first, bilingual message, unit, value and since when. */
export function AlertsPanel({ panel }: { panel: AlertsPanelT }) {
  const { alerts: store, lang } = useWall();
  const t = useT();
  const now = useNow(15_000);
  const { alerts, available } = useAlerts(store);
  const shown = useMemo(() => visibleAlerts(alerts, panel.display.minSeverity), [alerts, panel]);
  const critical = shown.filter((a) => a.severity === 'critical').length;
  // as many as the panel holds whole (most severe, newest first); the rest counted on the last line, never cut
  const listed = useMemo(() => shown.slice(0, panel.display.maxItems), [shown, panel]);
  const [list, setList] = useState<HTMLUListElement | null>(null);
  const { fits, moreTop } = useFitting(list, listed);
  const more = shown.length - (fits ?? listed.length);
  return (
    <PanelFrame
      panel={panel}
      className={critical ? 'has-critical' : undefined}
      aside={
        shown.length ? (
          <span className={critical ? 'count critical' : 'count'}>{shown.length.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}</span>
        ) : null
      }
    >
      {available === false ? (
        <Placeholder text={t('wall.alerts.unavailable')} />
      ) : shown.length === 0 ? (
        <div className="all-clear">
          <span className="all-clear-mark">✓</span> {t('wall.alerts.none')}
        </div>
      ) : (
        <ul className="alert-list" data-testid="alert-list" ref={setList}>
          {listed.map((alert, index) => (
            <AlertRow key={alert.id} alert={alert} now={now} overflow={fits !== null && index >= fits} />
          ))}
          {more > 0 ? (
            <li
              className="alert-more"
              data-testid="alert-more"
              data-fit-more=""
              data-count={more}
              style={fits === null ? undefined : moreStyle(moreTop)}
            >
              +{formatNumber(more, lang)} {t('wall.alerts.more')}
            </li>
          ) : null}
        </ul>
      )}
    </PanelFrame>
  );
}
