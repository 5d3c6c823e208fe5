import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { metricName } from '../app/catalog';
import { ApiError } from '../lib/api';
import { useConsole, useCT } from './context';
import type { UnitKind } from '@dxoc/contracts';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ready'; data: T }
  | { state: 'missing' }
  | { state: 'forbidden'; message: string }
  | { state: 'error'; message: string };

/**
 * Load something for a page; `reload` runs it again. An endpoint the backend lacks is "missing", not an error.
 * `deps` are what `load` reads, as for useEffect: the lint checks them at every call (additionalHooks in
 * eslint.config.js), so the effect below may take them as given.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      // an answer to what was asked before the deps changed (a filter applied meanwhile) must not replace the new one
      (data) => {
        if (!controller.signal.aborted) setValue({ state: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.missing) setValue({ state: 'missing' });
        else if (error instanceof ApiError && error.status === 403) setValue({ state: 'forbidden', message: error.message });
        else setValue({ state: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps, checked at the call
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return [value, reload];
}

export function LoadState({ value, children }: { value: Loaded<unknown>; children: () => ReactNode }) {
  const t = useCT();
  if (value.state === 'loading') return <div className="empty">{t('wall.loading')}</div>;
  if (value.state === 'missing')
    return (
      <div className="empty warn" data-testid="missing-endpoint">
        {t('console.unavailable')}
      </div>
    );
  if (value.state === 'forbidden') return <div className="empty warn">{value.message}</div>;
  if (value.state === 'error') return <div className="empty error">{value.message}</div>;
  return <>{children()}</>;
}

/** A loaded list: its load state, "none" when it is empty, else what children make of its items. */
export function LoadedList<T>({ value, children }: { value: Loaded<T[]>; children: (items: T[]) => ReactNode }) {
  const t = useCT();
  return (
    <LoadState value={value}>
      {() => {
        const items = value.state === 'ready' ? value.data : [];
        return items.length ? children(items) : <div className="empty">{t('console.none')}</div>;
      }}
    </LoadState>
  );
}

export function MetricSelect({
  value,
  onChange,
  allowAll,
  id,
  name,
}: {
  value: string;
  onChange: (value: string) => void;
  allowAll?: boolean;
  id?: string;
  name?: string;
}) {
  const { catalog, lang } = useConsole();
  const t = useCT();
  return (
    <select id={id} name={name ?? 'metric'} value={value} onChange={(e) => onChange(e.target.value)}>
      {allowAll ? <option value="">{t('console.filter.all')}</option> : null}
      {catalog.metrics.map((m) => (
        <option key={m.code} value={m.code}>
          {metricName(m, lang)} ({m.code})
        </option>
      ))}
    </select>
  );
}

/** Units in force today; an operator sees only its own. */
export function UnitSelect({
  value,
  onChange,
  allowAll,
  kinds,
  name,
}: {
  value: string;
  onChange: (value: string) => void;
  allowAll?: boolean;
  kinds?: UnitKind[];
  name?: string;
}) {
  const { catalog, lang, principal } = useConsole();
  const t = useCT();
  const only = principal.role === 'operator' ? principal.unitCode : null;
  const units = catalog.units.filter((u) => u.validUntil === null && (!kinds || kinds.includes(u.kind)) && (!only || u.code === only));
  return (
    <select name={name ?? 'unit'} value={value} onChange={(e) => onChange(e.target.value)}>
      {allowAll && !only ? <option value="">{t('console.filter.all')}</option> : null}
      {units.map((u) => (
        <option key={u.code} value={u.code}>
          {lang === 'vi' ? u.nameVi : u.nameEn} ({u.code})
        </option>
      ))}
    </select>
  );
}

export function Severity({ severity }: { severity: 'info' | 'warning' | 'critical' }) {
  const t = useCT();
  return <span className={`sev sev-${severity}`}>{t(`sev.${severity}`)}</span>;
}

export function Field({
  label,
  error,
  children,
  wide,
}: {
  label: string;
  error?: string | undefined;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <label className={`field${error ? ' has-error' : ''}${wide ? ' wide' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? <span className="field-error">{error}</span> : null}
    </label>
  );
}

/** Download text as a file (CSV export), without any server round trip. */
export function download(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
