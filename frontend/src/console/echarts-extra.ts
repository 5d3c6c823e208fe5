/** Chart parts only the console uses (the wall's bundle stays without them). */
import { LegendComponent, MarkAreaComponent, DataZoomInsideComponent } from 'echarts/components';
import { use } from '../charts/echarts';

use([LegendComponent, MarkAreaComponent, DataZoomInsideComponent]);
