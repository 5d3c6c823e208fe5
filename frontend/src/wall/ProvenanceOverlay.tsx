/**
 * "Where does this number come from?" on the wall: a click on a tile, a map province or a ranking row — or on a
 * kiosk, Tab / ↑ ↓ to move a visible focus and Enter — opens an overlay with the unit view of that indicator
 * (series, revisions with batch, key and received time, target and status, reporting record). It closes with Esc,
 * the ✕, a click outside, or by itself after DEFAULT_OVERLAY_SECONDS without interaction (?provenanceSeconds=N);
 * the page rotation pauses while it is open (WallApp). A new critical alarm still shows over it.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { metricName } from '../app/catalog';
import { useProvenanceData } from '../app/provenance-data';
import { ProvenanceDetails } from '../app/ProvenanceDetails';
import { formatValue } from '../lib/format';
import { overlaySeconds, provenanceView, stepIndex, type ProvenanceSubject } from '../lib/provenance';
import { useT, useWall } from './context';
import './provenance.css';

export interface ProvenanceControl {
  /** open the unit view of this indicator (an unknown metric or unit is ignored) */
  open: (subject: ProvenanceSubject) => void;
}

const ProvenanceContext = createContext<ProvenanceControl>({ open: () => undefined });

export function useProvenance(): ProvenanceControl {
  return useContext(ProvenanceContext);
}

/**
 * Props that make an element (a KPI tile's body) open the unit view on click or Enter/Space, reachable with Tab.
 */
export function useProvenanceTrigger(subject: ProvenanceSubject) {
  const { open } = useProvenance();
  const t = useT();
  const { metric, unit } = subject;
  return useMemo(
    () => ({
      tabIndex: 0,
      role: 'button' as const,
      'aria-label': t('prov.open'),
      'data-provenance': `${metric}|${unit}`,
      onClick: () => open({ metric, unit }),
      onKeyDown: (event: KeyboardEvent) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        open({ metric, unit });
      },
    }),
    [open, metric, unit, t],
  );
}

/**
 * The keyboard's way into a chart of many units (map, ranking): Tab reaches it, ↑ ↓ move a visible focus over
 * the units (shown with its value), Enter opens the unit view. Invisible until focused.
 */
export function UnitPicker({
  metric,
  units,
  values,
  sortByName,
}: {
  metric: string;
  units: string[];
  values?: Map<string, { value: number }>;
  sortByName?: boolean;
}) {
  const { catalog, lang } = useWall();
  const t = useT();
  const { open } = useProvenance();
  const [index, setIndex] = useState(-1);
  const ordered = useMemo(() => {
    if (!sortByName) return units;
    return [...units].sort((a, b) => catalog.unitName(a, lang).localeCompare(catalog.unitName(b, lang), lang));
  }, [units, sortByName, catalog, lang]);
  const current = index >= 0 && index < ordered.length ? ordered[index]! : null;
  const m = catalog.metric(metric);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setIndex((i) => stepIndex(Math.min(i, ordered.length - 1), ordered.length, event.key === 'ArrowDown' ? 1 : -1));
    } else if ((event.key === 'Enter' || event.key === ' ') && (current ?? ordered[0])) {
      event.preventDefault();
      if (!current) setIndex(0);
      open({ metric, unit: current ?? ordered[0]! });
    }
  };
  const value = current ? values?.get(current)?.value : undefined;
  return (
    <div
      className="prov-picker"
      tabIndex={0}
      role="listbox"
      aria-label={t('prov.open')}
      aria-activedescendant={current ? `prov-picker-${metric}-${current}` : undefined}
      data-testid="prov-picker"
      data-unit={current ?? ''}
      onKeyDown={onKeyDown}
      onFocus={() => setIndex((i) => (i < 0 && ordered.length ? 0 : i))}
    >
      <span className="prov-picker-chip" id={current ? `prov-picker-${metric}-${current}` : undefined} role="option" aria-selected="true">
        <span className="prov-picker-pos">{ordered.length ? `${Math.max(0, index) + 1}/${ordered.length}` : '0/0'}</span>{' '}
        <span className="strong">{current ? catalog.unitName(current, lang) : '—'}</span>
        {value !== undefined && m ? ` · ${formatValue(value, m, lang)}` : ''}
        <span className="prov-picker-hint"> · {t('prov.keysHint')}</span>
      </span>
    </div>
  );
}

/** Provides `open` to the panels and draws the overlay over the wall; tells WallApp when it opens and closes. */
export function ProvenanceHost({ children, onOpenChange }: { children: ReactNode; onOpenChange: (open: boolean) => void }) {
  const { catalog } = useWall();
  const [subject, setSubject] = useState<ProvenanceSubject | null>(null);
  const opener = useRef<Element | null>(null);
  const changed = useRef(onOpenChange);
  changed.current = onOpenChange;

  const open = useCallback(
    (next: ProvenanceSubject) => {
      if (!catalog.metric(next.metric) || !catalog.unit(next.unit)) return;
      opener.current = document.activeElement;
      setSubject({ metric: next.metric, unit: next.unit });
      // in the same render as the overlay: the rotation never runs a frame under it
      changed.current(true);
    },
    [catalog],
  );
  const close = useCallback(() => {
    setSubject(null);
    changed.current(false);
    const back = opener.current;
    opener.current = null;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
  }, []);

  const control = useMemo<ProvenanceControl>(() => ({ open }), [open]);
  return (
    <ProvenanceContext.Provider value={control}>
      {children}
      {subject ? <ProvenanceOverlay key={`${subject.metric}|${subject.unit}`} subject={subject} onClose={close} /> : null}
    </ProvenanceContext.Provider>
  );
}

/** Live values of the unit open in the overlay are read again at most this often. */
const REFRESH_MS = 3000;

function ProvenanceOverlay({ subject, onClose }: { subject: ProvenanceSubject; onClose: () => void }) {
  const { api, live, catalog, lang, scale } = useWall();
  const t = useT();
  const seconds = useMemo(() => overlaySeconds(window.location.search), []);
  const metric = catalog.metric(subject.metric)!;
  const unit = catalog.unit(subject.unit);
  const [refresh, setRefresh] = useState(0);
  const [lastTouch, setLastTouch] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  const box = useRef<HTMLDivElement>(null);
  const data = useProvenanceData(api, subject, metric, unit, null, refresh);

  // a new value of this unit arrives: read again, at most every few seconds (the revisions list grows while open)
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | null = null;
    const stop = live.register({ metric: subject.metric, units: [subject.unit] }, (delta) => {
      if (!delta.units.includes(subject.unit) || pending) return;
      pending = setTimeout(() => {
        pending = null;
        setRefresh((n) => n + 1);
      }, REFRESH_MS);
    });
    return () => {
      stop();
      if (pending) clearTimeout(pending);
    };
  }, [live, subject.metric, subject.unit]);

  // closes by itself after `seconds` without interaction; any key or pointer in the meantime starts again
  useEffect(() => {
    const timer = setTimeout(onClose, Math.max(0, lastTouch + seconds * 1000 - Date.now()));
    return () => clearTimeout(timer);
  }, [lastTouch, seconds, onClose]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    // capture: Esc closes, and ← → do not turn the page under the overlay
    const onKey = (event: globalThis.KeyboardEvent) => {
      setLastTouch(Date.now());
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        onClose();
      } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') event.stopPropagation();
    };
    const onPointer = () => setLastTouch(Date.now());
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('wheel', onPointer, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('wheel', onPointer, true);
    };
  }, [onClose]);
  useEffect(() => box.current?.focus(), []);

  const view = useMemo(
    () =>
      provenanceView({
        metric,
        unit: subject.unit,
        unitName: catalog.unitName(subject.unit, lang),
        lang,
        now: Date.now(),
        points: data.series.points,
        history: data.history.answer,
        reporting: data.reporting.row,
      }),
    [metric, subject.unit, catalog, lang, data],
  );
  const left = Math.max(0, Math.ceil((lastTouch + seconds * 1000 - now) / 1000));
  const ready = data.series.state !== 'loading' && data.history.state !== 'loading';

  return (
    <div className="prov-overlay" onClick={onClose} data-testid="provenance-backdrop">
      <div
        ref={box}
        className="prov-box"
        role="dialog"
        aria-modal="true"
        aria-label={`${t('prov.title')}: ${view.metricName} — ${view.unitName}`}
        tabIndex={-1}
        onClick={(event) => event.stopPropagation()}
        data-testid="provenance"
        data-metric={subject.metric}
        data-unit={subject.unit}
        data-state={ready ? 'ready' : 'loading'}
        data-seconds={seconds}
      >
        <header className="prov-head">
          <div className="prov-head-text">
            <div className="prov-kicker">{t('prov.title')}</div>
            <h2 className="prov-title">
              {metricName(metric, lang)} — <span data-testid="provenance-unit">{view.unitName}</span>
            </h2>
            {view.sourceSystem ? <div className="prov-source">{view.sourceSystem}</div> : null}
          </div>
          <div className="prov-head-side">
            <div className="prov-countdown" data-testid="provenance-countdown">
              {t('prov.closesIn')} {left} {lang === 'vi' ? 'giây' : 's'}
            </div>
            <button type="button" className="prov-close" onClick={onClose} data-testid="provenance-close">
              ✕ {t('prov.close')}
            </button>
          </div>
        </header>
        <ProvenanceDetails view={view} data={data} metric={metric} points={data.series.points} lang={lang} scale={scale} />
      </div>
    </div>
  );
}
