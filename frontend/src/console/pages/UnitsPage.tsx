import { useMemo, useState } from 'react';
import type { AgentKey, UnitKind } from '@dxoc/contracts';
import type { CreatedAgentKeyBody } from '../../lib/api';
import { metricName, type Catalog } from '../../app/catalog';
import type { AskFrom } from '../../lib/directives';
import {
  compareLateness,
  complianceRows,
  latenessParts,
  latenessText,
  type ComplianceRow,
  type UnitCompliance,
} from '../../lib/compliance';
import { formatDateTime, formatDuration, formatNumber } from '../../lib/format';
import { AskToExplain } from '../AskToExplain';
import { permissions, useConsole, useCT } from '../context';
import { Field, LoadState, LoadedList, MetricSelect, useLoad } from '../ui';
import { indicatorPath } from './UnitIndicatorPage';

/** Units with their last report, periods behind and since when; agent keys of the operator's unit (created shown once, revoked). */
export function UnitsPage() {
  const { principal } = useConsole();
  const perms = permissions(principal);
  return (
    <>
      <Reporting />
      {perms.canManageKeys ? <Keys /> : null}
    </>
  );
}

type Report =
  { mode: 'metric'; rows: UnitCompliance[]; periodStart: string | null } | { mode: 'overview'; rows: ComplianceRow[]; periodStart: null };

/**
 * Who reported, per indicator or over all of them (the empty choice): status, how many periods behind, since when
 * (the due time of the first missing period), worst first.
 */
function Reporting() {
  const { api, catalog, lang, principal, navigate } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const [metric, setMetric] = useState(() => catalog.metric('onestop.applications_received')?.code ?? catalog.metrics[0]?.code ?? '');
  const [kind, setKind] = useState<Exclude<UnitKind, 'nation'>>(() =>
    perms.onlyUnit && catalog.unit(perms.onlyUnit)?.kind === 'ministry' ? 'ministry' : 'province',
  );
  const units = useMemo(
    () => catalog.current(kind).filter((u) => !perms.onlyUnit || u.code === perms.onlyUnit),
    [catalog, kind, perms.onlyUnit],
  );
  const [report] = useLoad(
    async (signal): Promise<Report> => {
      if (!metric) {
        const overview = await api.complianceOverview({ unitKind: kind }, signal);
        return {
          mode: 'overview',
          rows: complianceRows(
            overview,
            overview.units.map((u) => u.unit),
          ),
          periodStart: null,
        };
      }
      const response = await api.compliance({ metric, unitKind: kind }, signal);
      return { mode: 'metric', rows: [...response.units].sort(compareLateness), periodStart: response.periodStart };
    },
    [api, metric, kind],
  );
  const now = Date.now();
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.units')}</h1>
      </div>
      <div className="filters">
        <Field label={t('console.units.metric')}>
          <MetricSelect value={metric} onChange={setMetric} allowAll />
        </Field>
        {perms.onlyUnit ? null : (
          <Field label={t('wall.unit')}>
            <select value={kind} onChange={(e) => setKind(e.target.value as Exclude<UnitKind, 'nation'>)}>
              <option value="province">{lang === 'vi' ? 'Tỉnh, thành phố' : 'Provinces'}</option>
              <option value="ministry">{lang === 'vi' ? 'Bộ, ngành' : 'Ministries'}</option>
            </select>
          </Field>
        )}
      </div>
      <LoadState value={report}>
        {() => {
          if (report.state !== 'ready') return null;
          const data = report.data;
          const listed = new Set(units.map((u) => u.code));
          const rows = data.rows.filter((r) => listed.has(r.unit));
          const name = (code: string) => {
            const u = catalog.unit(code);
            return u ? (lang === 'vi' ? u.nameVi : u.nameEn) : code;
          };
          return (
            <>
              <p className="hint">
                {data.mode === 'overview' ? `${t('compliance.overall')}. ` : null}
                {data.periodStart ? `${t('console.units.period')} ${formatDateTime(data.periodStart, lang)}. ` : null}
                {t('compliance.rule')}.
              </p>
              <table className="table" data-testid="units-table">
                <thead>
                  <tr>
                    <th>{t('wall.unit')}</th>
                    {data.mode === 'metric' ? <th>{t('console.lastReport')}</th> : null}
                    <th>{t('console.status')}</th>
                    <th className="num">{t('compliance.periodsBehind')}</th>
                    <th>{t('compliance.lateSince')}</th>
                    {data.mode === 'overview' ? <th>{t('compliance.worstMetric')}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr
                      key={row.unit}
                      className={`status-${row.status}`}
                      data-unit={row.unit}
                      data-periods-behind={row.periodsBehind ?? ''}
                      title={latenessText(row, lang, now)}
                    >
                      <td>
                        <UnitLink
                          unit={row.unit}
                          metric={data.mode === 'metric' ? metric : (row as ComplianceRow).worstMetric}
                          navigate={navigate}
                        >
                          {name(row.unit)}
                        </UnitLink>{' '}
                        <span className="muted">{row.unit}</span>
                      </td>
                      {data.mode === 'metric' ? <td>{formatDateTime((row as UnitCompliance).lastTs ?? null, lang)}</td> : null}
                      <td>
                        <span className={`pill ${row.status}`}>
                          {row.status === 'on_time' ? t('wall.compliance.onTime') : latenessParts(row, lang, now).head}
                        </span>
                        {row.status !== 'on_time' ? (
                          <AskToExplain
                            from={lateReporter(
                              row.unit,
                              data.mode === 'metric' ? metric : (row as ComplianceRow).worstMetric,
                              name,
                              catalog,
                            )}
                          />
                        ) : null}
                      </td>
                      <td className="num">{row.periodsBehind === null ? '—' : formatNumber(row.periodsBehind, lang)}</td>
                      <td>{row.lateSince ? `${formatDateTime(row.lateSince, lang)} (${formatDuration(row.lateBySeconds, lang)})` : '—'}</td>
                      {data.mode === 'overview' ? (
                        <td>
                          {(row as ComplianceRow).worstMetric
                            ? metricName(catalog.metric((row as ComplianceRow).worstMetric as string), lang)
                            : '—'}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </LoadState>
    </section>
  );
}

/** "Ask to explain" for a late reporter: the unit, and the indicator it is late with (the worst one in the overview). */
function lateReporter(unit: string, metric: string | null, name: (code: string) => string, catalog: Catalog): AskFrom {
  const vi = catalog.unit(unit)?.nameVi ?? name(unit);
  const en = catalog.unit(unit)?.nameEn ?? name(unit);
  const m = metric ? catalog.metric(metric) : undefined;
  return {
    kind: 'late_report',
    unit,
    metric,
    title: m ? `${vi} chậm báo cáo ${metricName(m, 'vi')}` : `${vi} chậm báo cáo số liệu`,
    titleEn: m ? `${en} late reporting ${metricName(m, 'en')}` : `${en} late reporting`,
  };
}

/** A unit's name, linked to where its number for the indicator comes from (/console/units/<unit>/<metric>). */
function UnitLink({
  unit,
  metric,
  navigate,
  children,
}: {
  unit: string;
  metric: string | null;
  navigate: (path: string) => void;
  children: string;
}) {
  const t = useCT();
  if (!metric) return <span className="strong">{children}</span>;
  const path = indicatorPath({ unit, metric });
  return (
    <a
      className="strong"
      href={path}
      title={t('prov.title')}
      data-testid="unit-indicator-link"
      onClick={(event) => {
        event.preventDefault();
        navigate(path);
      }}
    >
      {children}
    </a>
  );
}

function Keys() {
  const { api, catalog, lang, principal } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const [keys, reload] = useLoad((signal) => api.keys(signal), [api]);
  const [name, setName] = useState('');
  const [unit, setUnit] = useState(perms.onlyUnit ?? '');
  const [all, setAll] = useState(false);
  const [created, setCreated] = useState<CreatedAgentKeyBody | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    setError(null);
    try {
      const units = all ? 'all' : [(perms.onlyUnit ?? unit).trim().toUpperCase()].filter(Boolean);
      const key = await api.createKey({ units: units as string[] | 'all', ...(name.trim() ? { name: name.trim() } : {}) });
      setCreated(key);
      setCopied(false);
      setName('');
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const revoke = async (key: AgentKey) => {
    if (!window.confirm(`${t('console.revoke')} "${key.name}"?`)) return;
    await api.revokeKey(key.id).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    reload();
  };
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
    } catch {
      // clipboard API unavailable (plain http): select the text for Ctrl+C
      const field = document.querySelector<HTMLInputElement>('[data-testid="created-key"]');
      field?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
  };

  return (
    <section className="page">
      <div className="page-head">
        <h2>{t('console.keys')}</h2>
      </div>
      {created ? (
        <div className="created-key" role="status">
          <div className="strong">{t('console.keyCreated')}</div>
          <div className="key-row">
            <input readOnly value={created.key} data-testid="created-key" onFocus={(e) => e.target.select()} />
            <button className="button primary" onClick={copy} data-testid="copy-key">
              {copied ? `✓ ${t('console.copied')}` : t('console.copy')}
            </button>
            <button className="button ghost" onClick={() => setCreated(null)}>
              ✕
            </button>
          </div>
        </div>
      ) : null}
      <div className="filters">
        <Field label={t('console.keyName')}>
          <input name="keyName" value={name} onChange={(e) => setName(e.target.value)} maxLength={128} />
        </Field>
        {perms.onlyUnit ? (
          <Field label={t('console.keys.units')}>
            <input value={catalog.unitName(perms.onlyUnit, lang)} readOnly />
          </Field>
        ) : (
          <>
            <Field label={t('console.keys.units')}>
              <input name="keyUnit" value={unit} onChange={(e) => setUnit(e.target.value)} placeholder="79" disabled={all} />
            </Field>
            <label className="inline">
              <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> {t('console.keys.allUnits')}
            </label>
          </>
        )}
        <button className="button primary" onClick={create} data-testid="create-key">
          {t('console.create')}
        </button>
      </div>
      {error ? <div className="form-error">{error}</div> : null}
      <LoadedList value={keys}>
        {(list) => (
          <table className="table" data-testid="keys-table">
            <thead>
              <tr>
                <th>{t('console.keyName')}</th>
                <th>{t('console.keys.units')}</th>
                <th>{t('console.lastUsed')}</th>
                <th>{t('console.status')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((key) => (
                <tr key={key.id} className={key.revokedAt ? 'disabled' : ''}>
                  <td>
                    <span className="strong">{key.name}</span> <span className="muted small">{key.id}</span>
                  </td>
                  <td>{key.units === 'all' ? t('console.keys.allUnits') : key.units.map((u) => catalog.unitName(u, lang)).join(', ')}</td>
                  <td>{formatDateTime(key.lastUsedAt, lang)}</td>
                  <td>{key.revokedAt ? `${t('console.revoked')} ${formatDateTime(key.revokedAt, lang)}` : '✓'}</td>
                  <td className="actions">
                    {key.revokedAt ? null : (
                      <button className="button small danger" onClick={() => revoke(key)}>
                        {t('console.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LoadedList>
    </section>
  );
}
