import type { ReactNode } from 'react';
import type { MessageKey } from '../../lib/i18n';
import type { Panel } from '../../lib/pages';
import { useT, useWall } from '../context';
import type { LoadState } from '../data';

/** A panel's box on the 12 × 8 grid, with its bilingual title. */
export function PanelFrame({
  panel,
  children,
  aside,
  className,
  stale,
}: {
  panel: Panel;
  children: ReactNode;
  aside?: ReactNode;
  className?: string;
  stale?: boolean;
}) {
  const { lang } = useWall();
  const { x, y, w, h } = panel.position;
  return (
    <section
      className={`panel panel-${panel.kind}${stale ? ' is-stale' : ''}${className ? ` ${className}` : ''}`}
      style={{ gridColumn: `${x + 1} / span ${w}`, gridRow: `${y + 1} / span ${h}` }}
      data-panel={panel.id}
      data-kind={panel.kind}
    >
      <header className="panel-head">
        <h2 className="panel-title">{panel.title[lang]}</h2>
        {aside ? <div className="panel-aside">{aside}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function Placeholder({ text, tone }: { text: string; tone?: 'muted' | 'error' }) {
  return <div className={`placeholder ${tone ?? 'muted'}`}>{text}</div>;
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
    if (state === 'loading') return <Placeholder text={t('wall.loading')} />;
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
