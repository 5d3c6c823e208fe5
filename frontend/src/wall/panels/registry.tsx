/**
 * The wall's panel kinds: one entry per `kind` of the dashboard schema (`@dxoc/dashboards`). The mapped type makes
 * the table exhaustive, so a kind added to the schema without a component here fails the typecheck, and the wall
 * never meets a panel it cannot draw. How to add a kind: frontend/README.md, "Add a wall panel".
 */
import type { ComponentType } from 'react';
import type { Panel } from '../../lib/pages';
import { AlertsPanel } from './AlertsPanel';
import { CompliancePanel } from './CompliancePanel';
import { DirectivesPanel } from './DirectivesPanel';
import { KpiTile } from './KpiTile';
import { MapPanel } from './MapPanel';
import { RankingPanel } from './RankingPanel';
import { TimeseriesPanel } from './TimeseriesPanel';

type PanelKind = Panel['kind'];
type PanelComponent<K extends PanelKind> = ComponentType<{ panel: Extract<Panel, { kind: K }> }>;

export const PANEL_COMPONENTS: { [K in PanelKind]: PanelComponent<K> } = {
  kpi: KpiTile,
  map: MapPanel,
  ranking: RankingPanel,
  timeseries: TimeseriesPanel,
  alerts: AlertsPanel,
  compliance: CompliancePanel,
  directives: DirectivesPanel,
};

/** Draws any panel with the component its kind is registered with. */
export function PanelView({ panel }: { panel: Panel }) {
  // the table is keyed by kind, so the component looked up takes this panel's own variant
  const Component = PANEL_COMPONENTS[panel.kind] as ComponentType<{ panel: Panel }>;
  return <Component panel={panel} />;
}
