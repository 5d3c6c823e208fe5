import { useState } from 'react';
import type { AlertState } from '@dxoc/contracts';
import { metricName } from '../../app/catalog';
import { COLORS } from '../../charts/theme';
import { timelineDays } from '../../lib/alert-timeline';
import { dayRange, lastDays } from '../../lib/day-range';
import { translateConsole as translate } from '../messages';
import { permissions, useConsole, useCT } from '../context';
import { Field, LoadedList, MetricSelect, UnitSelect, useLoad } from '../ui';

const LIMIT = 500;
const DEFAULT_DAYS = 7;
/** the colours the wall gives these states: firing red, acknowledged amber, resolved green */
const STATE_COLOUR: Record<AlertState, string> = {
  pending: COLORS.dim,
  firing: COLORS.critical,
  acknowledged: COLORS.warning,
  resolved: COLORS.good,
};

/**
 * Alert history as a timeline (GET /api/v1/alert-events): every state change — pending, firing, acknowledged,
 * resolved — of every alert over the chosen Viet Nam days, newest first, grouped by day, with who acknowledged.
 * Shown under the Alerts page's list; an operator's is its own unit's (the server narrows it, the picker too).
 */
export function AlertTimeline() {
  const { api, catalog, lang, principal } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const [filter, setFilter] = useState(() => ({ ...lastDays(DEFAULT_DAYS, Date.now()), unit: perms.onlyUnit ?? '', metric: '' }));
  const [applied, setApplied] = useState(filter);
  const [events] = useLoad(
    async (signal) =>
      (
        await api.alertEvents(
          { ...dayRange(applied.from, applied.to), unit: applied.unit || undefined, metric: applied.metric || undefined, limit: LIMIT },
          signal,
        )
      ).events,
    [api, applied],
  );
  const set = (key: keyof typeof filter, value: string) => setFilter((f) => ({ ...f, [key]: value }));

  return (
    <section className="page" data-testid="alert-timeline">
      <div className="page-head">
        <h2>{t('alerts.timeline')}</h2>
      </div>
      <p className="hint">{t('alerts.timelineHelp')}</p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filter);
        }}
      >
        <Field label={t('console.from')}>
          <input name="timelineFrom" type="date" value={filter.from} onChange={(e) => set('from', e.target.value)} />
        </Field>
        <Field label={t('console.to')}>
          <input name="timelineTo" type="date" value={filter.to} onChange={(e) => set('to', e.target.value)} />
        </Field>
        <Field label={t('console.filter.unit')}>
          <UnitSelect name="timelineUnit" value={filter.unit} onChange={(v) => set('unit', v)} allowAll />
        </Field>
        <Field label={t('console.filter.metric')}>
          <MetricSelect name="timelineMetric" value={filter.metric} onChange={(v) => set('metric', v)} allowAll />
        </Field>
        <button className="button primary" type="submit" data-testid="timeline-apply">
          {t('console.load')}
        </button>
      </form>
      <LoadedList value={events}>
        {(list) => (
          <>
            {list.length >= LIMIT ? (
              <div className="empty warn">{translate('alerts.truncated', lang).replace('{n}', String(LIMIT))}</div>
            ) : null}
            <ol className="timeline" data-testid="timeline-list" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {timelineDays(list, lang).map((day) => (
                <li key={day.day} className="timeline-day" style={{ marginBottom: 12 }}>
                  <div className="timeline-date strong">{day.day}</div>
                  <table className="table compact">
                    <tbody>
                      {day.events.map((e) => (
                        <tr
                          key={`${e.alertId}-${e.seq}`}
                          className={`state-${e.transition}`}
                          data-alert-id={e.alertId}
                          data-transition={e.transition}
                          data-unit={e.unit}
                        >
                          <td className="small strong">{e.time}</td>
                          <td>
                            <span
                              className="pill"
                              style={{ background: STATE_COLOUR[e.transition], color: e.transition === 'pending' ? '#fff' : '#06101f' }}
                            >
                              {t(`state.${e.transition}`)}
                            </span>
                          </td>
                          <td>
                            <div className="strong">{e.ruleName}</div>
                            <div className="muted small">{metricName(catalog.metric(e.metric), lang) || e.metric}</div>
                          </td>
                          <td>{catalog.unitName(e.unit, lang)}</td>
                          <td className="small">{e.person ?? t('alerts.system')}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </li>
              ))}
            </ol>
          </>
        )}
      </LoadedList>
    </section>
  );
}
