import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { TOTP_ERRORS, type Principal } from '@dxoc/contracts';
import { makeCatalog, type Catalog } from '../app/catalog';
import { Api, ApiError, tokens } from '../lib/api';
import type { Lang } from '../lib/format';
import { initialLang } from '../lib/i18n';
import { translateConsole as translate, type ConsoleMessageKey as MessageKey } from './messages';
import { setTimeZone } from '../lib/time';
import { ConsoleContext, permissions, type ConsoleEnv } from './context';
import './echarts-extra';
import { AlertsPage } from './pages/AlertsPage';
import { AlertTimeline } from './pages/AlertTimeline';
import { AuditPage } from './pages/AuditPage';
import { DirectivesPage } from './pages/DirectivesPage';
import { ExplorePage } from './pages/ExplorePage';
import { RulesPage } from './pages/RulesPage';
import { SecurityPage } from './pages/SecurityPage';
import { SubmissionsPage } from './pages/SubmissionsPage';
import { ReportsPage } from './pages/ReportsPage';
import { TargetsPage } from './pages/TargetsPage';
import { UnitsPage } from './pages/UnitsPage';
import { UsersPage } from './pages/UsersPage';
import { ViewerTokensPage } from './pages/ViewerTokensPage';
import { indicatorRoute, UnitIndicatorPage } from './pages/UnitIndicatorPage';
import { NotificationsPage } from './pages/NotificationsPage';
import './console.css';

const SECTIONS = [
  { path: 'submissions', label: 'console.nav.submissions' },
  { path: 'alerts', label: 'console.nav.alerts' },
  { path: 'directives', label: 'console.nav.directives' },
  { path: 'rules', label: 'console.nav.rules' },
  { path: 'units', label: 'console.nav.units' },
  { path: 'explore', label: 'console.nav.explore' },
  { path: 'targets', label: 'console.nav.targets' },
  { path: 'reports', label: 'console.nav.reports' },
  { path: 'notifications', label: 'console.nav.notifications' },
  { path: 'audit', label: 'console.audit' },
  { path: 'viewer-tokens', label: 'console.nav.viewerTokens' },
  { path: 'users', label: 'console.nav.users' },
  { path: 'security', label: 'console.nav.security' },
] as const satisfies ReadonlyArray<{ path: string; label: MessageKey }>;
type Section = (typeof SECTIONS)[number]['path'];

/** The section a path names; /console alone lands an operator on its submissions, everyone else on alerts. */
function sectionOf(pathname: string, principal?: Principal): Section {
  const part = pathname.replace(/^\/console\/?/, '').split('/')[0];
  return (SECTIONS.find((s) => s.path === part)?.path ?? (principal?.role === 'operator' ? 'submissions' : 'alerts')) as Section;
}

type Session =
  { state: 'checking' } | { state: 'signed-out'; message?: string } | { state: 'signed-in'; principal: Principal; catalog: Catalog };

export default function ConsoleApp() {
  const api = useMemo(() => new Api('console'), []);
  const [lang, setLangState] = useState<Lang>(() => initialLang(window.location.search, localStorage.getItem('dxoc.lang')));
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [path, setPath] = useState(window.location.pathname);
  const t = useCallback((key: MessageKey) => translate(key, lang), [lang]);

  const setLang = (next: Lang) => {
    localStorage.setItem('dxoc.lang', next);
    setLangState(next);
  };
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.style.fontSize = '';
    document.title = `${t('console.title')} — dxoc`;
  }, [lang, t]);

  const enter = useCallback(async () => {
    try {
      const [principal, units, metrics, calendar] = await Promise.all([api.me(), api.units(), api.metrics(), api.calendar()]);
      setTimeZone(calendar.timeZone);
      setSession({ state: 'signed-in', principal, catalog: makeCatalog(units.units, metrics.metrics) });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        tokens.setSession(null);
        setSession({ state: 'signed-out' });
      } else if (error instanceof ApiError && error.missing) setSession({ state: 'signed-out', message: t('console.loginUnavailable') });
      else setSession({ state: 'signed-out', message: error instanceof Error ? error.message : String(error) });
    }
  }, [api, t]);

  useEffect(() => {
    void enter();
  }, [enter]);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', to);
    setPath(to);
  }, []);

  if (session.state === 'checking') return <div className="console-loading">{t('wall.loading')}</div>;
  if (session.state === 'signed-out') return <Login api={api} lang={lang} setLang={setLang} message={session.message} onSignedIn={enter} />;

  const env: ConsoleEnv = { api, lang, catalog: session.catalog, principal: session.principal, navigate };
  const section = sectionOf(path, session.principal);
  // /console/units/<unit>/<metric>: where one unit's number for one indicator comes from
  const indicator = indicatorRoute(path);
  const perms = permissions(session.principal);
  const signOut = async () => {
    await api.logout().catch(() => undefined);
    tokens.setSession(null);
    setSession({ state: 'signed-out' });
  };
  return (
    <ConsoleContext.Provider value={env}>
      <div className="console">
        <header className="console-header">
          <Brand t={t} />
          <nav className="console-nav">
            {/* the ingest log is for operators, staff and admin (a viewer would be refused) */}
            {SECTIONS.filter((s) => s.path !== 'submissions' || session.principal.role !== 'viewer')
              .filter((s) => s.path !== 'audit' || permissions(session.principal).canSeeAudit)
              // the weekly report names every unit: viewers, staff and admins read it, operators do not
              .filter((s) => s.path !== 'reports' || session.principal.role !== 'operator')
              // directives are for the addressed units' operators, staff and admin (viewers read only the wall's summary)
              .filter((s) => s.path !== 'directives' || session.principal.role !== 'viewer')
              .filter((s) => s.path !== 'viewer-tokens' || perms.canManageViewerTokens)
              .filter((s) => s.path !== 'users' || perms.canManageUsers)
              // silences and the delivery log for staff and admin; channels and routes for admin (on the page)
              .filter((s) => s.path !== 'notifications' || session.principal.role === 'staff' || session.principal.role === 'admin')
              .map((s) => (
                <a
                  key={s.path}
                  href={`/console/${s.path}`}
                  className={s.path === section ? 'on' : ''}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(`/console/${s.path}`);
                  }}
                >
                  {t(s.label)}
                </a>
              ))}
            <a href="/wall" className="wall-link" target="_blank" rel="noreferrer">
              {t('console.nav.wall')} ↗
            </a>
          </nav>
          <div className="who">
            <button className="link" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} data-testid="lang-switch">
              {t('lang.switch')}
            </button>
            <span className="user" data-testid="principal" data-role={session.principal.role}>
              {session.principal.name} · {t(`role.${session.principal.role}`)}
              {perms.onlyUnit ? ` · ${session.catalog.unitName(perms.onlyUnit, lang)}` : ''}
            </span>
            <button className="button ghost" onClick={signOut}>
              {t('console.logout')}
            </button>
          </div>
        </header>
        {session.principal.role === 'viewer' ? <div className="banner">{t('console.readOnly')}</div> : null}
        {perms.onlyUnit ? (
          <div className="banner info">
            {t('console.onlyUnit')}: {session.catalog.unitName(perms.onlyUnit, lang)}
          </div>
        ) : null}
        <main className="console-main">
          {section === 'submissions' ? <SubmissionsPage /> : null}
          {section === 'alerts' ? (
            <>
              <AlertsPage />
              <AlertTimeline />
            </>
          ) : null}
          {section === 'directives' && session.principal.role !== 'viewer' ? <DirectivesPage path={path} /> : null}
          {section === 'rules' ? <RulesPage /> : null}
          {section === 'units' ? indicator ? <UnitIndicatorPage subject={indicator} /> : <UnitsPage /> : null}
          {section === 'explore' ? <ExplorePage /> : null}
          {section === 'targets' ? <TargetsPage /> : null}
          {section === 'reports' && session.principal.role !== 'operator' ? <ReportsPage /> : null}
          {section === 'notifications' ? <NotificationsPage /> : null}
          {section === 'audit' ? <AuditPage /> : null}
          {section === 'viewer-tokens' && perms.canManageViewerTokens ? <ViewerTokensPage /> : null}
          {section === 'users' && perms.canManageUsers ? <UsersPage /> : null}
          {section === 'security' ? <SecurityPage /> : null}
        </main>
      </div>
    </ConsoleContext.Provider>
  );
}

/** The console's name over the product's, in the header and on the sign-in form. */
function Brand({ t }: { t: (key: MessageKey) => string }) {
  return (
    <div className="brand">
      <span className="brand-mark">★</span>
      <div>
        <div className="brand-name">{t('console.title')}</div>
        <div className="brand-sub">{t('app.title')}</div>
      </div>
    </div>
  );
}

function Login({
  api,
  lang,
  setLang,
  message,
  onSignedIn,
}: {
  api: Api;
  lang: Lang;
  setLang: (lang: Lang) => void;
  message: string | undefined;
  onSignedIn: () => void;
}) {
  const t = (key: MessageKey) => translate(key, lang);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // shown once the server answered that this account needs the code of its authenticator app
  const [totpCode, setTotpCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(message ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.login(username, password, totpCode ?? undefined);
      tokens.setSession(result.token);
      onSignedIn();
    } catch (err) {
      if (err instanceof ApiError && err.code === TOTP_ERRORS.required) {
        setTotpCode('');
        setError(t('console.totpNeeded'));
      } else if (err instanceof ApiError && err.code === TOTP_ERRORS.invalid) {
        setTotpCode('');
        setError(t('console.totpInvalid'));
      } else if (err instanceof ApiError && err.code === TOTP_ERRORS.unreadable) {
        setError(t('console.totpUnreadable'));
      } else if (err instanceof ApiError && err.missing) setError(t('console.loginUnavailable'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('console.loginFailed'));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="login">
      <form className="login-box" onSubmit={submit}>
        <Brand t={t} />
        <label>
          {t('console.username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          {t('console.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {totpCode !== null ? (
          <label>
            {t('console.totpCode')}
            <input
              name="totpCode"
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="[0-9 ]{6,7}"
              maxLength={7}
              value={totpCode}
              onChange={(e) => setTotpCode(e.target.value)}
              required
              autoFocus
            />
          </label>
        ) : null}
        {error ? (
          <div className="form-error" role="alert">
            {error}
          </div>
        ) : null}
        <button className="button primary" type="submit" disabled={busy}>
          {t('console.login')}
        </button>
        <button type="button" className="link" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
          {t('lang.switch')}
        </button>
      </form>
    </div>
  );
}
