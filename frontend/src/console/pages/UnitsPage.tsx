import { useMemo, useState } from 'react';
import type { AgentKey, UnitKind } from '@dxoc/contracts';
import type { CreatedAgentKeyBody } from '../../lib/api';
import type { UnitCompliance } from '../../lib/compliance';
import { formatDateTime, formatDuration } from '../../lib/format';
import { permissions, useConsole, useCT } from '../context';
import { Field, LoadState, LoadedList, MetricSelect, useLoad } from '../ui';

/** Units with their last report and lateness; agent keys of the operator's unit (created shown once, revoked). */
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

function Reporting() {
  const { api, catalog, lang, principal } = useConsole();
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
    async (signal): Promise<{ rows: UnitCompliance[]; periodStart: string | null }> => {
      const response = await api.compliance({ metric, unitKind: kind }, signal);
      return { rows: response.units, periodStart: response.periodStart };
    },
    [api, metric, kind],
  );
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.units')}</h1>
      </div>
      <div className="filters">
        <Field label={t('console.units.metric')}>
          <MetricSelect value={metric} onChange={setMetric} />
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
          const byUnit = new Map(report.data.rows.map((r) => [r.unit, r]));
          return (
            <>
              {report.data.periodStart ? (
                <p className="hint">
                  {t('console.units.period')} {formatDateTime(report.data.periodStart, lang)}
                </p>
              ) : null}
              <table className="table" data-testid="units-table">
                <thead>
                  <tr>
                    <th>{t('wall.unit')}</th>
                    <th>{t('console.lastReport')}</th>
                    <th>{t('console.status')}</th>
                    <th className="num">{t('console.lateness')}</th>
                  </tr>
                </thead>
                <tbody>
                  {units.map((u) => {
                    const row = byUnit.get(u.code);
                    const status = row?.status ?? 'never';
                    return (
                      <tr key={u.code} className={`status-${status}`}>
                        <td>
                          <span className="strong">{lang === 'vi' ? u.nameVi : u.nameEn}</span> <span className="muted">{u.code}</span>
                        </td>
                        <td>{formatDateTime(row?.lastTs ?? null, lang)}</td>
                        <td>
                          <span className={`pill ${status}`}>
                            {t(
                              status === 'on_time'
                                ? 'wall.compliance.onTime'
                                : status === 'late'
                                  ? 'wall.compliance.late'
                                  : 'wall.compliance.never',
                            )}
                          </span>
                        </td>
                        <td className="num">
                          {row && row.status !== 'on_time' && row.lateBySeconds !== null ? formatDuration(row.lateBySeconds, lang) : '—'}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </>
          );
        }}
      </LoadState>
    </section>
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
