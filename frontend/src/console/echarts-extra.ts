/** Chart parts only the console uses (the wall's bundle stays without them). */
import { LegendComponent, MarkAreaComponent, DataZoomInsideComponent } from 'echarts/components';
import { registerChartParts } from '../charts/echarts';

registerChartParts([LegendComponent, MarkAreaComponent, DataZoomInsideComponent]);
