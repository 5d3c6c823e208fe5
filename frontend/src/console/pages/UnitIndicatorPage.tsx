import { useMemo, useState } from 'react';
import { metricName } from '../../app/catalog';
import { useProvenanceData } from '../../app/provenance-data';
import { ProvenanceDetails } from '../../app/ProvenanceDetails';
import { formatDateTime, formatValue } from '../../lib/format';
import { provenanceView, selectedPoint, type ProvenanceSubject } from '../../lib/provenance';
import { useConsole, useCT } from '../context';
import { Field, MetricSelect, UnitSelect } from '../ui';

/** /console/units/<unit>/<metric>: the unit view of one indicator. */
export function indicatorRoute(pathname: string): ProvenanceSubject | null {
  const match = /^\/console\/units\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  return { unit: decodeURIComponent(match[1]!), metric: decodeURIComponent(match[2]!) };
}

export function indicatorPath(subject: ProvenanceSubject): string {
  return `/console/units/${encodeURIComponent(subject.unit)}/${encodeURIComponent(subject.metric)}`;
}

/** How many of the latest values are listed to pick from. */
const RECENT = 30;

/**
 * "Where does this number come from?" in the console: the unit's series, the revisions of the value picked (the
 * newest by default) with batch, key and received time, the target and its status, and the unit's reporting record.
 */
export function UnitIndicatorPage({ subject }: { subject: ProvenanceSubject }) {
  const { api, catalog, lang, navigate } = useConsole();
  const t = useCT();
  const metric = catalog.metric(subject.metric);
  const unit = catalog.unit(subject.unit);
  const [selectedTs, setSelectedTs] = useState<number | null>(null);
  const data = useProvenanceData(api, subject, metric, unit, selectedTs, 0);
  const points = data.series.points;
  const view = useMemo(
    () =>
      metric
        ? provenanceView({
            metric,
            unit: subject.unit,
            unitName: catalog.unitName(subject.unit, lang),
            lang,
            now: Date.now(),
            points,
            selectedTs,
            history: data.history.answer,
            reporting: data.reporting.row,
          })
        : null,
    [metric, subject.unit, catalog, lang, points, selectedTs, data],
  );
  const shown = selectedPoint(points, selectedTs);
  const recent = useMemo(() => points.slice(-RECENT).reverse(), [points]);
  const go = (next: ProvenanceSubject) => {
    setSelectedTs(null);
    navigate(indicatorPath(next));
  };

  return (
    <section className="page" data-testid="unit-indicator" data-metric={subject.metric} data-unit={subject.unit}>
      <div className="page-head">
        <h1>
          {t('prov.title')}: {metric ? metricName(metric, lang) : subject.metric} — {catalog.unitName(subject.unit, lang)}
        </h1>
        <a
          href="/console/units"
          className="link"
          onClick={(event) => {
            event.preventDefault();
            navigate('/console/units');
          }}
        >
          ← {t('console.nav.units')}
        </a>
      </div>
      <div className="filters">
        <Field label={t('console.filter.metric')}>
          <MetricSelect value={subject.metric} onChange={(code) => go({ ...subject, metric: code })} />
        </Field>
        <Field label={t('wall.unit')}>
          <UnitSelect value={subject.unit} onChange={(code) => go({ ...subject, unit: code })} kinds={metric?.unitKinds} />
        </Field>
      </div>
      {!metric || !unit ? (
        <div className="form-error">{`${!metric ? subject.metric : subject.unit}?`}</div>
      ) : view ? (
        <>
          {view.sourceSystem ? <p className="hint">{view.sourceSystem}</p> : null}
          <div className="prov-console">
            <ProvenanceDetails view={view} data={data} metric={metric} points={points} lang={lang} scale={1} compact />
          </div>
          {recent.length ? (
            <>
              <h2>{t('prov.recent')}</h2>
              <div className="table-scroll">
                <table className="table compact prov-table" data-testid="prov-recent">
                  <thead>
                    <tr>
                      <th>{t('console.time')}</th>
                      <th className="num">{t('prov.value')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {recent.map((p) => (
                      <tr
                        key={p.t}
                        className={`selectable${shown?.t === p.t ? ' selected' : ''}`}
                        onClick={() => setSelectedTs(p.t)}
                        data-ts={new Date(p.t).toISOString()}
                      >
                        <td>
                          <button type="button" className="link" onClick={() => setSelectedTs(p.t)}>
                            {formatDateTime(p.t, lang)}
                          </button>
                        </td>
                        <td className="num">{formatValue(p.v, metric, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
