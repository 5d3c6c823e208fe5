/**
 * ECharts, only the parts the wall uses (echarts/core keeps the bundle small). The console adds its own
 * extras in console/echarts-extra.ts so the wall never loads them.
 */
// echarts' `use` registers chart parts; renamed so it is not taken for a React hook
import { init, registerMap, use as registerChartParts } from 'echarts/core';
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, MarkPointComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

registerChartParts([
  LineChart,
  BarChart,
  MapChart,
  GridComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  MarkLineComponent,
  MarkPointComponent,
  CanvasRenderer,
]);

export { init, registerMap, registerChartParts };
