import type { ReactNode } from 'react';
import { freshness as freshnessOf, type FreshnessInput } from '../../lib/freshness';
import type { MessageKey } from '../../lib/i18n';
import type { Panel } from '../../lib/pages';
import { useLink, useNow, useT, useWall } from '../context';
import type { LoadState } from '../data';

/**
 * A panel's box on the 12 × 8 grid, with its bilingual title and, at its foot, what its figures are as of
 * ("Số liệu đến …"), greyed and marked "Số liệu cũ" when that is older than the indicator's cadence allows.
 *
 * - `freshness`: the panel's newest time and its indicator's cadence (timeseries, map, ranking).
 * - neither `freshness` nor `stale`: the panel is kept current by the stream (alerts, compliance): as of now while
 *   the link is up, as of the last contact with the backend when it is not.
 * - `stale` alone: the panel shows its own as-of line (the KPI tile) and only the marking is done here.
 */
export function PanelFrame({
  panel,
  children,
  aside,
  className,
  stale,
  freshness,
}: {
  panel: Panel;
  children: ReactNode;
  aside?: ReactNode;
  className?: string;
  stale?: boolean;
  freshness?: FreshnessInput;
}) {
  const { lang } = useWall();
  const t = useT();
  const { link, times } = useLink();
  const now = useNow(30_000);
  const ownAsOf = stale !== undefined && freshness === undefined;
  const fresh = ownAsOf ? null : freshnessOf(freshness ?? { asOf: link === 'live' ? now : times().lastContact, cadence: null }, now, lang);
  const isStale = stale ?? fresh?.stale ?? false;
  const { x, y, w, h } = panel.position;
  return (
    <section
      className={`panel panel-${panel.kind}${isStale ? ' is-stale' : ''}${className ? ` ${className}` : ''}`}
      style={{ gridColumn: `${x + 1} / span ${w}`, gridRow: `${y + 1} / span ${h}` }}
      data-panel={panel.id}
      data-kind={panel.kind}
      data-stale={isStale ? 'yes' : 'no'}
    >
      <header className="panel-head">
        <h2 className="panel-title">{panel.title[lang]}</h2>
        {aside || (isStale && !ownAsOf) ? (
          <div className="panel-aside">
            {isStale && !ownAsOf ? <span className="badge badge-stale">{t('wall.stale')}</span> : null}
            {aside}
          </div>
        ) : null}
      </header>
      <div className="panel-body">{children}</div>
      {fresh?.text ? (
        <footer className="panel-asof" data-testid="panel-asof" data-as-of={fresh.asOf ?? ''}>
          {t('wall.asOf')} {fresh.text}
          {isStale ? <span className="stale-note"> · {t('wall.staleDetail')}</span> : null}
        </footer>
      ) : null}
    </section>
  );
}

/** loading: the panel still waits for its first figures (marked for tests that must look at a drawn page) */
export function Placeholder({ text, tone, loading }: { text: string; tone?: 'muted' | 'error'; loading?: boolean }) {
  return (
    <div className={`placeholder ${tone ?? 'muted'}`} data-loading={loading ? 'yes' : undefined}>
      {text}
    </div>
  );
}

/**
 * The one place a panel says what it holds: loading, failed, nothing to show, or its content. A panel that has
 * data when a reload fails keeps showing it, marked, rather than going blank on a wall watched from afar.
 */
export function PanelBody({
  state,
  hasData,
  errorKey = 'wall.error',
  children,
}: {
  state: LoadState;
  hasData: boolean;
  errorKey?: MessageKey;
  children: () => ReactNode;
}) {
  const t = useT();
  const failed = state === 'error' || state === 'unauthorized';
  const failure = state === 'unauthorized' ? t('wall.unauthorized') : t(errorKey);
  if (!hasData) {
    if (state === 'loading') return <Placeholder text={t('wall.loading')} loading />;
    return failed ? <Placeholder text={failure} tone="error" /> : <Placeholder text={t('wall.noData')} />;
  }
  return (
    <>
      {children()}
      {failed ? (
        <div className="panel-failure" data-testid="panel-failure">
          {failure}
        </div>
      ) : null}
    </>
  );
}
