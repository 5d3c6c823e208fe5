/**
 * The unit view of one indicator, drawn the same on the wall (overlay) and in the console (page): the value
 * explained and its series, every revision of it (batch, key, received time), the target and its status, and the
 * unit's reporting record. Class names `prov-*`, styled by app/provenance.css.
 */
import { useMemo } from 'react';
import { EChart } from '../charts/EChart';
import { provenanceChartOption } from '../charts/options/provenance';
import type { Lang } from '../lib/format';
import { formatNumber } from '../lib/format';
import { translate, type MessageKey } from '../lib/i18n';
import type { Metric } from '../lib/api';
import type { ProvenanceView } from '../lib/provenance';
import type { Pt } from '../lib/series-buffer';
import type { ProvenanceData } from './provenance-data';
import './provenance.css';

export function ProvenanceDetails({
  view,
  data,
  metric,
  points,
  lang,
  scale,
  compact,
}: {
  view: ProvenanceView;
  data: ProvenanceData;
  metric: Metric;
  points: Pt[];
  lang: Lang;
  scale: number;
  compact?: boolean;
}) {
  const t = (key: MessageKey) => translate(key, lang);
  const selected = view.value ? { t: view.value.ts, v: view.value.value } : null;
  const option = useMemo(
    () =>
      provenanceChartOption({
        lang,
        scale,
        points,
        name: view.unitName,
        metricKind: metric.kind,
        decimals: metric.kind === 'ratio' ? 1 : 0,
        target: view.target ? { value: view.target.value, label: `${t('wall.target')} ${view.target.deadlineText}` } : null,
        selected,
        compact: compact ?? false,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- t follows lang; selected follows view
    [lang, scale, points, view, metric, compact],
  );

  return (
    <div className="prov-details">
      <section className="prov-series" data-testid="prov-series" data-points={points.length}>
        <h3>{t('prov.series')}</h3>
        {view.value ? (
          <div className="prov-value" data-testid="prov-value" data-ts={new Date(view.value.ts).toISOString()}>
            <span className="prov-value-number">{view.value.valueText}</span>
            <span className="prov-value-period">
              {t('prov.valueAt')} {view.value.periodText}
            </span>
          </div>
        ) : null}
        <div className="prov-chart">
          {data.series.state === 'loading' ? (
            <div className="prov-empty">{t('wall.loading')}</div>
          ) : data.series.state === 'error' ? (
            <div className="prov-empty error">{t('prov.loadFailed')}</div>
          ) : points.length === 0 ? (
            <div className="prov-empty">{t('prov.noValue')}</div>
          ) : (
            <EChart option={option} label={`${view.metricName} — ${view.unitName}`} />
          )}
        </div>
        <div className="prov-meta">
          {t('prov.cadence')}: {view.cadenceText} · {formatNumber(view.pointCount, lang)} {t('prov.values')}
        </div>
      </section>

      <section className="prov-revisions">
        <h3>{t('prov.revisions')}</h3>
        {data.history.state === 'loading' ? (
          <div className="prov-empty">{t('wall.loading')}</div>
        ) : data.history.state === 'error' ? (
          <div className="prov-empty error">{t('prov.historyUnavailable')}</div>
        ) : view.revisions.length === 0 ? (
          <div className="prov-empty">{t('prov.noValue')}</div>
        ) : (
          <table className="prov-table" data-testid="prov-revisions" data-count={view.revisions.length}>
            <thead>
              <tr>
                <th className="num">{t('prov.revision')}</th>
                <th className="num">{t('prov.value')}</th>
                <th className="num">{t('prov.change')}</th>
                <th>{t('prov.batch')}</th>
                <th>{t('prov.key')}</th>
                <th>{t('prov.received')}</th>
              </tr>
            </thead>
            <tbody>
              {view.revisions.map((r) => (
                <tr
                  key={r.revision}
                  className={r.current ? 'current' : 'superseded'}
                  data-testid="prov-revision"
                  data-revision={r.revision}
                  data-batch={r.batchId}
                  data-key={r.keyId}
                  data-value={r.value}
                >
                  <td className="num">
                    {r.revision}
                    {r.current ? <span className="prov-current"> {t('prov.current')}</span> : null}
                  </td>
                  <td className="num strong">{r.valueText}</td>
                  <td className="num">{r.changeText ?? '—'}</td>
                  <td className="mono">{r.batchId}</td>
                  <td title={r.keyId}>{r.keyLabel}</td>
                  <td>
                    {r.receivedText}
                    {r.supersededText ? (
                      <div className="prov-superseded">
                        {t('prov.superseded')} {r.supersededText}
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {view.revisionCount > view.revisions.length ? (
          <div className="prov-meta" data-testid="prov-revision-count">
            {formatNumber(view.revisions.length, lang)} / {formatNumber(view.revisionCount, lang)} {t('prov.newestRevisions')}
          </div>
        ) : null}
      </section>

      <section className="prov-target" data-testid="prov-target" data-status={view.target?.status ?? 'none'}>
        <h3>{t('prov.target')}</h3>
        {view.target ? (
          <>
            <div className="prov-row">
              <span className="strong">
                {t('wall.target')} {view.target.text}
              </span>{' '}
              · {t('wall.deadline')} {view.target.deadlineText}
            </div>
            <div className="prov-row">
              <span className={`prov-pill tone-${view.target.tone}`}>{view.target.statusText}</span>
              {view.target.progressText ? (
                <span>
                  {' '}
                  · {t('prov.progress')} {view.target.progressText}
                </span>
              ) : null}
              {view.target.projectedText ? (
                <span>
                  {' '}
                  · {t('prov.projected')} {view.target.projectedText}
                </span>
              ) : null}
            </div>
            <div className="prov-legal">{view.target.legalSource}</div>
          </>
        ) : (
          <>
            <div className="prov-empty">{t(view.nationalTarget || view.unitCode !== 'VN' ? 'prov.noTarget' : 'prov.noTargetSet')}</div>
            {view.nationalTarget ? (
              <div className="prov-row" data-testid="prov-national-target">
                {t('prov.nationalTarget')}: {view.nationalTarget.text} · {t('wall.deadline')} {view.nationalTarget.deadlineText}
                <div className="prov-legal">{view.nationalTarget.legalSource}</div>
              </div>
            ) : null}
          </>
        )}
      </section>

      <section className="prov-reporting" data-testid="prov-reporting" data-status={view.reporting?.status ?? 'none'}>
        <h3>{t('prov.reporting')}</h3>
        {view.reporting ? (
          <dl className="prov-dl">
            <dt>{t('console.status')}</dt>
            <dd>
              <span className={`prov-pill tone-${view.reporting.tone}`}>{view.reporting.statusText}</span>
            </dd>
            <dt>{t('prov.lastPeriod')}</dt>
            <dd>{view.reporting.lastPeriodText}</dd>
            {view.reporting.lastReceivedText ? (
              <>
                <dt>{t('prov.lastReceived')}</dt>
                <dd>{view.reporting.lastReceivedText}</dd>
              </>
            ) : null}
            {view.reporting.periodsBehind !== null ? (
              <>
                <dt>{t('prov.periodsBehind')}</dt>
                <dd data-testid="prov-periods-behind">{formatNumber(view.reporting.periodsBehind, lang)}</dd>
              </>
            ) : null}
            {view.reporting.lateSinceText ? (
              <>
                <dt>{t('prov.lateSince')}</dt>
                <dd>{view.reporting.lateSinceText}</dd>
              </>
            ) : null}
            {view.reporting.lateByText ? (
              <>
                <dt>{t('prov.lateBy')}</dt>
                <dd>{view.reporting.lateByText}</dd>
              </>
            ) : null}
          </dl>
        ) : (
          <div className="prov-empty">{data.reporting.state === 'loading' ? t('wall.loading') : t('prov.noReporting')}</div>
        )}
      </section>
    </div>
  );
}
