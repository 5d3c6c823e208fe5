import { useEffect, useMemo, useRef, useState } from 'react';
import type { OverdueSummary } from '@dxoc/contracts';
import { daysPastDue, directiveTitle, sortOverdue } from '../../lib/directives';
import { formatNumber } from '../../lib/format';
import type { DirectivesPanel as DirectivesPanelT } from '../../lib/pages';
import { useReload, useT, useWall } from '../context';
import { stateOf, type LoadState } from '../data';
import { moreStyle, overflowStyle, useFitting } from '../fitting';
import { PanelBody, PanelFrame } from './PanelFrame';

/**
 * Units with directives past their due date (GET /api/v1/directives/overdue): most overdue first, how many and the
 * oldest with its days late; reloaded on every directive event of the live stream. What does not fit is counted.
 */
export function DirectivesPanel({ panel }: { panel: DirectivesPanelT }) {
  const { api, live, catalog, lang } = useWall();
  const t = useT();
  const reload = useReload();
  const [data, setData] = useState<OverdueSummary | null>(null);
  const [state, setState] = useState<LoadState>('loading');
  const [bump, setBump] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.directivesOverdue(controller.signal).then(
      (summary) => {
        setData(summary);
        setState('ready');
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState(stateOf(error));
      },
    );
    return () => controller.abort();
  }, [api, reload, bump]);

  // a directive issued, answered or closed may change who is overdue: reload, at most once a second
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const stop = live.onDirective(() => {
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        setBump((n) => n + 1);
      }, 1000);
    });
    return () => {
      stop();
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [live]);

  const only = useMemo(() => {
    if (!panel.units) return null;
    if (Array.isArray(panel.units)) return panel.units;
    const kind = panel.units === 'provinces' ? 'province' : panel.units === 'ministries' ? 'ministry' : 'nation';
    return catalog.units.filter((u) => u.kind === kind).map((u) => u.code);
  }, [panel, catalog]);
  const rows = useMemo(() => (data ? sortOverdue(data.units, only) : []), [data, only]);
  const listed = useMemo(() => rows.slice(0, panel.display.maxItems), [rows, panel]);
  const [list, setList] = useState<HTMLUListElement | null>(null);
  const { fits, moreTop } = useFitting(list, listed);
  const more = rows.length - (fits ?? listed.length);
  const total = rows.reduce((sum, row) => sum + row.overdue, 0);

  return (
    <PanelFrame panel={panel} aside={total ? <span className="count critical">{formatNumber(total, lang)}</span> : null}>
      <PanelBody state={state} hasData={data !== null} errorKey="wall.directives.unavailable">
        {() =>
          rows.length === 0 ? (
            <div className="all-clear" data-testid="directives-none">
              <span className="all-clear-mark">✓</span> {t('wall.directives.none')}
            </div>
          ) : (
            <ul className="directive-list" data-testid="directive-list" data-units={rows.length} ref={setList}>
              {listed.map((row, index) => {
                const hidden = fits !== null && index >= fits;
                const late = data ? daysPastDue(row.oldest.dueDate, data.asOf) : 0;
                return (
                  <li
                    key={row.unit}
                    className="directive-unit"
                    data-testid="directive-unit"
                    data-unit={row.unit}
                    data-overdue={row.overdue}
                    data-oldest={row.oldest.directiveId}
                    data-overflow={hidden ? 'hidden' : undefined}
                    style={hidden ? overflowStyle : undefined}
                  >
                    <div className="directive-head">
                      <b>{catalog.unitName(row.unit, lang)}</b> · {formatNumber(row.overdue, lang)} {t('wall.directives.overdue')}
                    </div>
                    <div className="directive-oldest">
                      {t('wall.directives.oldest')}: {directiveTitle(row.oldest, lang)} · {formatNumber(late, lang)}{' '}
                      {t('wall.directives.daysLate')}
                    </div>
                  </li>
                );
              })}
              {more > 0 ? (
                <li
                  className="directive-more"
                  data-testid="directive-more"
                  data-fit-more=""
                  data-count={more}
                  style={fits === null ? undefined : moreStyle(moreTop)}
                >
                  +{formatNumber(more, lang)} {t('wall.directives.more')}
                </li>
              ) : null}
            </ul>
          )
        }
      </PanelBody>
    </PanelFrame>
  );
}
