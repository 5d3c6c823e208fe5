import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Alert } from '@dxoc/contracts';
import { loadConfig, type WallConfig } from '../app/config';
import { useBoxSize } from '../charts/EChart';
import { loadECharts } from '../charts/load-echarts';
import { makeCatalog, type Catalog } from '../app/catalog';
import { adoptTokenFromUrl, Api, ApiError } from '../lib/api';
import { isDegraded, linkBanner, wallLink, type LinkTimes, type RestHealth } from '../lib/connection';
import { formatClock, formatDate, formatNumber, formatValue, type Lang } from '../lib/format';
import { initialLang, translate, type MessageKey } from '../lib/i18n';
import { LiveStream, type LiveStatus } from '../lib/live';
import { nextPageIndex, parsePages, type DashboardPage } from '../lib/pages';
import { setTimeZone, timeZone } from '../lib/time';
import { DEFAULT_TIME_ZONE } from '@dxoc/contracts';
import { AlertStore, visibleAlerts } from './alert-store';
import { LinkContext, useAlerts, useLink, useLiveStatus, useNow, useWall, WallContext, type LinkState, type WallEnv } from './context';
import { PanelView } from './panels/registry';
import { ProvenanceHost } from './ProvenanceOverlay';
import { FirstFiguresContext, usePageGate } from './priority';
import './wall.css';

/**
 * The page's title on at most two lines of the header: in its full size when it fits, one step smaller when that
 * takes a third line (a long title beside many alerts), never under the wall's smallest text.
 */
function PageTitle({ text }: { text: string }) {
  const [element, setElement] = useState<HTMLHeadingElement | null>(null);
  const size = useBoxSize(element);
  const [step, setStep] = useState(0);
  useLayoutEffect(() => setStep(0), [text]);
  useLayoutEffect(() => {
    if (!element) return;
    const lineHeight = parseFloat(getComputedStyle(element).lineHeight);
    if (element.scrollHeight > 2 * lineHeight + 1) setStep((s) => Math.min(s + 1, TITLE_SIZES.length - 1));
  }, [element, text, step, size]);
  return (
    <h1 ref={setElement} data-testid="page-title" style={{ fontSize: TITLE_SIZES[step] }}>
      {text}
    </h1>
  );
}
const TITLE_SIZES = ['1.95rem', '1.65rem', '1.4rem'];

/** 1 at 1920×1080, 2 at 3840×2160: the whole wall scales with the screen. */
function useScale(): number {
  const compute = () => Math.max(0.5, Math.min(window.innerWidth / 1920, window.innerHeight / 1080));
  const [scale, setScale] = useState(compute);
  useEffect(() => {
    const onResize = () => setScale(compute());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  useEffect(() => {
    document.documentElement.style.fontSize = `${16 * scale}px`;
  }, [scale]);
  return scale;
}

type Boot =
  | { state: 'loading' }
  | { state: 'unauthorized' }
  | { state: 'error'; message: string }
  | { state: 'noPages' }
  | { state: 'ready'; catalog: Catalog; pages: DashboardPage[] };

/** The backend's pages, validated; a page that fails is left out and reported, none at all is an error. */
async function loadPages(api: Api): Promise<DashboardPage[]> {
  const response = await api.dashboards();
  const { pages, errors } = parsePages(response.pages ?? []);
  if (errors.length) console.warn('[dxoc] dashboard pages left out:', errors);
  if (pages.length === 0) throw new NoPagesError();
  return pages;
}

class NoPagesError extends Error {}

export default function WallApp() {
  const [lang, setLang] = useState<Lang>(() => initialLang(window.location.search, null));
  const scale = useScale();
  const [config, setConfig] = useState<WallConfig | null>(null);
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const api = useMemo(() => {
    adoptTokenFromUrl();
    return new Api('wall');
  }, []);
  const live = useMemo(() => new LiveStream({ token: () => api.token() }), [api]);
  const alerts = useMemo(() => new AlertStore(), []);

  useEffect(() => {
    document.body.classList.add('wall-body');
    loadConfig().then(setConfig);
    (async () => {
      try {
        const booting = Promise.all([api.units(), api.metrics(), loadPages(api), api.calendar()]);
        // the charts' code downloads while the catalog and then the figures are on their way, behind the catalog's
        // requests: a chart can draw as soon as its data is in, and the first paint never waited for it
        loadECharts().catch(() => undefined);
        const [units, metrics, pages, calendar] = await booting;
        setTimeZone(calendar.timeZone);
        setBoot({ state: 'ready', catalog: makeCatalog(units.units, metrics.metrics), pages });
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) setBoot({ state: 'unauthorized' });
        else if (error instanceof NoPagesError) setBoot({ state: 'noPages' });
        else setBoot({ state: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    })();
    return () => document.body.classList.remove('wall-body');
  }, [api]);

  // the live stream and the alerts, for the whole life of the wall; the open alerts again when the stream is back
  useEffect(() => {
    if (boot.state !== 'ready') return;
    const stopAlerts = live.onAlert((event) => alerts.apply(event));
    const loadAlerts = () =>
      api
        .alerts({ state: 'open', limit: 200 })
        .then((list) => alerts.load(list))
        .catch(() => alerts.unavailable());
    let previous: LiveStatus = live.status;
    const stopStatus = live.onStatus((status) => {
      if (status === 'live' && previous === 'offline') void loadAlerts();
      previous = status;
    });
    live.start();
    void loadAlerts();
    return () => {
      stopAlerts();
      stopStatus();
      live.stop();
    };
  }, [boot.state, api, live, alerts]);

  // kiosk keys (no visible controls): L switches the language (← → turn pages, in Wall)
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'l' || event.key === 'L') setLang((current) => (current === 'vi' ? 'en' : 'vi'));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${translate('app.title', lang)}`;
  }, [lang]);

  const t = (key: MessageKey) => translate(key, lang);
  if (boot.state === 'loading') return <div className="wall-message">{t('wall.loading')}</div>;
  if (boot.state === 'unauthorized') return <div className="wall-message error">{t('wall.unauthorized')}</div>;
  if (boot.state === 'error') return <div className="wall-message error">{`${t('wall.error')}: ${boot.message}`}</div>;
  if (boot.state === 'noPages') return <div className="wall-message error">{`${t('wall.error')}: ${t('wall.noPages')}`}</div>;

  const env: WallEnv = { api, live, lang, scale, catalog: boot.catalog, alerts };
  return (
    <WallContext.Provider value={env}>
      <LinkProvider live={live}>
        <Wall pages={boot.pages} config={config} />
      </LinkProvider>
    </WallContext.Provider>
  );
}

/** How often the backend is asked whether it answers while the socket is down. */
const PROBE_MS = 5_000;

/**
 * The wall's link: the socket's status, and while it is not live a probe of GET /api/v1/health, which tells
 * "the live feed is lost but the API answers" from "the backend is unreachable".
 */
function LinkProvider({ live, children }: { live: LiveStream; children: ReactNode }) {
  const status = useLiveStatus(live);
  const [rest, setRest] = useState<RestHealth>('unknown');
  const restContact = useRef<number | null>(null);
  useEffect(() => {
    if (status === 'live') {
      setRest('unknown');
      return;
    }
    let alive = true;
    let controller: AbortController | null = null;
    const probe = async () => {
      controller?.abort();
      controller = new AbortController();
      const timer = setTimeout(() => controller?.abort(), PROBE_MS - 500);
      try {
        const response = await fetch('/api/v1/health', { cache: 'no-store', signal: controller.signal });
        if (!alive) return;
        if (response.ok) restContact.current = Date.now();
        setRest(response.ok ? 'ok' : 'down');
      } catch {
        if (alive) setRest('down');
      } finally {
        clearTimeout(timer);
      }
    };
    void probe();
    const timer = setInterval(probe, PROBE_MS);
    return () => {
      alive = false;
      clearInterval(timer);
      controller?.abort();
    };
  }, [status]);
  const link = wallLink(status, rest, live.everConnected);
  const denied = link === 'denied' ? live.deniedReason : null;
  const value = useMemo<LinkState>(
    () => ({
      link,
      denied,
      times: (): LinkTimes => {
        const contacts = [live.lastContact, restContact.current].filter((t): t is number => t !== null);
        return { lastContact: contacts.length ? Math.max(...contacts) : null, socketLostAt: live.socketLostAt };
      },
    }),
    [link, denied, live],
  );
  return <LinkContext.Provider value={value}>{children}</LinkContext.Provider>;
}

/** Over the whole wall while the link is down: what is wrong, since when (counting up), and that it retries. */
function LinkBanner() {
  const { lang } = useWall();
  const { link, times, denied } = useLink();
  const now = useNow(1000);
  const banner = linkBanner(link, times(), now, lang, denied);
  if (!banner) return null;
  return (
    <div className={`link-banner ${banner.tone}`} role="alert" data-testid="link-banner" data-link={link}>
      <span className="link-banner-icon" aria-hidden="true">
        ⚠
      </span>
      <div className="link-banner-text">
        <div className="link-banner-title">{banner.title}</div>
        <div className="link-banner-detail" data-testid="link-banner-detail">
          {banner.detail}
        </div>
      </div>
    </div>
  );
}

function Wall({ pages, config }: { pages: DashboardPage[]; config: WallConfig | null }) {
  const pinnedId = new URLSearchParams(window.location.search).get('page');
  const pinned = pinnedId ? pages.findIndex((p) => p.id === pinnedId) : -1;
  const [index, setIndex] = useState(pinned >= 0 ? pinned : 0);
  const [pageStarted, setPageStarted] = useState(() => Date.now());
  // the "where does this number come from?" overlay is open: the rotation waits, and starts the page again after
  const [inspecting, setInspecting] = useState(false);
  const page = pages[Math.min(index, pages.length - 1)]!;
  const { link } = useLink();
  const degraded = isDegraded(link);

  // rotation on a timer, unless ?page= pins one
  useEffect(() => {
    if (pinned >= 0 || pages.length < 2 || inspecting) return;
    const timer = setTimeout(() => {
      setIndex((i) => nextPageIndex(pages.length, i));
      setPageStarted(Date.now());
    }, page.rotateSeconds * 1000);
    return () => clearTimeout(timer);
  }, [index, page, pages.length, pinned, inspecting]);
  // ← → turn pages by hand (each key press is one page, however fast they come)
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      setIndex((i) => (((i + step) % pages.length) + pages.length) % pages.length);
      setPageStarted(Date.now());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pages.length]);

  return (
    <div className={`wall${degraded ? ' link-down' : ''}`} data-page={page.id} data-pages={pages.length} data-link={link}>
      <WallHeader page={page} pages={pages} index={index} config={config} />
      <LinkBanner />
      {pinned < 0 && pages.length > 1 && !inspecting ? (
        <RotationBar key={`${page.id}-${pageStarted}`} seconds={page.rotateSeconds} />
      ) : (
        <div className="rotation-bar idle" />
      )}
      <ProvenanceHost
        onOpenChange={(open) => {
          setInspecting(open);
          if (!open) setPageStarted(Date.now());
        }}
      >
        <PageGrid key={page.id} page={page} />
      </ProvenanceHost>
      <WallFooter pages={pages} index={index} />
      <CriticalAlarm />
    </div>
  );
}

/** A page's panels. Its KPI tiles' figures are asked for first, the rest once they are in (priority.ts). */
function PageGrid({ page }: { page: DashboardPage }) {
  const env = useWall();
  const [kpiTiles] = useState(() => page.panels.filter((panel) => panel.kind === 'kpi').map((panel) => panel.id));
  const { later, tiles } = usePageGate(kpiTiles, env.api);
  const laterEnv = useMemo<WallEnv>(() => ({ ...env, api: later }), [env, later]);
  return (
    <WallContext.Provider value={laterEnv}>
      <FirstFiguresContext.Provider value={tiles}>
        <main className="wall-grid">
          {page.panels.map((panel) => (
            <PanelView key={panel.id} panel={panel} />
          ))}
        </main>
      </FirstFiguresContext.Provider>
    </WallContext.Provider>
  );
}

function Emblem({ url }: { url: string | null }) {
  if (url) return <img className="emblem" src={url} alt="" />;
  // no emblem configured: the national flag's star, drawn here (no download)
  return (
    <svg className="emblem" viewBox="0 0 60 60" aria-hidden="true">
      <circle cx="30" cy="30" r="29" fill="#c8102e" stroke="#f4c542" strokeWidth="2" />
      <polygon fill="#ffcd00" points="30,11 34.9,25.5 50.2,25.5 37.8,34.5 42.5,49 30,40 17.5,49 22.2,34.5 9.8,25.5 25.1,25.5" />
    </svg>
  );
}

function WallHeader({
  page,
  pages,
  index,
  config,
}: {
  page: DashboardPage;
  pages: DashboardPage[];
  index: number;
  config: WallConfig | null;
}) {
  const { lang, alerts: store } = useWall();
  const { link } = useLink();
  const { alerts, available } = useAlerts(store);
  const firing = visibleAlerts(alerts);
  const critical = firing.filter((a) => a.severity === 'critical' && a.state === 'firing').length;
  const t = (key: MessageKey) => translate(key, lang);
  return (
    <header className="wall-header">
      <div className="org">
        <Emblem url={config?.emblemUrl ?? null} />
        <div className="org-text">
          <div className="org-name" data-testid="org-name">
            {config ? config.organization[lang] : ''}
          </div>
          <div className="org-sub">{config?.subtitle ? config.subtitle[lang] : t('app.title')}</div>
        </div>
      </div>
      <div className="page-title">
        <PageTitle text={page.title[lang]} />
        <div className="page-dots">
          {pages.map((p, i) => (
            <span key={p.id} className={i === index ? 'dot on' : 'dot'} />
          ))}
        </div>
      </div>
      <div className="header-right">
        {available === false ? null : (
          <div className={`alert-chip ${critical ? 'critical' : firing.length ? 'warning' : 'clear'}`} data-testid="alert-chip">
            {critical
              ? `${formatNumber(critical, lang)} ${t('sev.critical').toLowerCase()}`
              : firing.length
                ? `${formatNumber(firing.length, lang)} ${t('wall.alerts.firing')}`
                : t('wall.alerts.none')}
          </div>
        )}
        <div
          className={`conn conn-${link === 'live' ? 'live' : link === 'connecting' ? 'connecting' : link === 'socketDown' ? 'polling' : 'offline'}`}
          data-testid="connection"
          data-status={link === 'live' ? 'live' : link === 'connecting' ? 'connecting' : 'offline'}
          data-link={link}
        >
          <span className="conn-dot" />
          {t(
            link === 'live'
              ? 'conn.live'
              : link === 'connecting'
                ? 'conn.connecting'
                : link === 'socketDown'
                  ? 'conn.polling'
                  : 'conn.offline',
          )}
        </div>
        <Clock lang={lang} />
      </div>
    </header>
  );
}

function Clock({ lang }: { lang: Lang }) {
  const now = useNow(1000);
  return (
    <div className="clock">
      <div className="clock-time">{formatClock(now)}</div>
      <div className="clock-date">
        {formatDate(now, lang)} · {timeZone() === DEFAULT_TIME_ZONE ? (lang === 'vi' ? 'Giờ Việt Nam' : 'Viet Nam time') : timeZone()}
      </div>
    </div>
  );
}

function RotationBar({ seconds }: { seconds: number }) {
  return (
    <div className="rotation-bar">
      <div className="rotation-fill" style={{ animationDuration: `${seconds}s` }} />
    </div>
  );
}

function WallFooter({ pages, index }: { pages: DashboardPage[]; index: number }) {
  const { lang, alerts: store, catalog } = useWall();
  const { alerts, available } = useAlerts(store);
  const firing = visibleAlerts(alerts).slice(0, 12);
  const next = pages[nextPageIndex(pages.length, index)];
  const t = (key: MessageKey) => translate(key, lang);
  const item = (a: Alert) => (
    <span key={a.id} className={`ticker-item sev-${a.severity}`}>
      <span className={`sev sev-${a.severity}`}>{t(`sev.${a.severity}`)}</span> {lang === 'vi' ? a.messageVi : a.messageEn} —{' '}
      {catalog.unitName(a.unit, lang)}
      {a.value !== null ? ` · ${formatValue(a.value, catalog.metric(a.metric), lang)}` : ''} ·{' '}
      {formatClock(a.firingSince ?? a.pendingSince, false)}
    </span>
  );
  return (
    <footer className="wall-footer">
      <div className="ticker" data-testid="ticker">
        {firing.length === 0 ? (
          <span className={available === false ? 'ticker-calm unavailable' : 'ticker-calm'}>
            {available === false ? t('wall.alerts.unavailable') : `✓ ${t('wall.alerts.none')}`}
          </span>
        ) : (
          <div className="ticker-track" style={{ animationDuration: `${Math.max(20, firing.length * 10)}s` }}>
            {firing.map(item)}
            {firing.map((a) => ({ ...a, id: -a.id })).map(item)}
          </div>
        )}
      </div>
      <div className="footer-page">
        {t('wall.page')} {index + 1}/{pages.length}
        {next && pages.length > 1 ? (
          <span className="muted">
            {' '}
            · {lang === 'vi' ? 'tiếp theo' : 'next'}: {next.title[lang]}
          </span>
        ) : null}
      </div>
    </footer>
  );
}

/** A new critical alert: a full-width alarm over the wall for 30 s, impossible to miss; the header keeps the count. */
function CriticalAlarm() {
  const { lang, alerts: store, catalog } = useWall();
  const { alarm } = useAlerts(store);
  useEffect(() => {
    if (!alarm) return;
    const timer = setTimeout(() => store.clearAlarm(), 30_000);
    return () => clearTimeout(timer);
  }, [alarm, store]);
  if (!alarm) return null;
  const a = alarm.alert;
  const t = (key: MessageKey) => translate(key, lang);
  return (
    <div className="alarm" role="alert" data-testid="critical-alarm" data-alert-id={a.id}>
      <div className="alarm-box">
        <div className="alarm-title">⚠ {t('wall.critical')}</div>
        <div className="alarm-message">{lang === 'vi' ? a.messageVi : a.messageEn}</div>
        <div className="alarm-meta">
          {catalog.unitName(a.unit, lang)}
          {a.value !== null ? ` · ${formatValue(a.value, catalog.metric(a.metric), lang)}` : ''} · {t('wall.sinceTime')}{' '}
          {formatClock(a.firingSince ?? a.pendingSince, false)}
        </div>
      </div>
    </div>
  );
}
