import type { ReactNode } from 'react';
import type { Panel } from '../../lib/pages';
import { useWall } from '../context';

/** A panel's box on the 12 × 8 grid, with its bilingual title. */
export function PanelFrame({ panel, children, aside, className, stale }: { panel: Panel; children: ReactNode; aside?: ReactNode; className?: string; stale?: boolean }) {
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
