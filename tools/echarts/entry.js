import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart, GraphChart } from 'echarts/charts';
import { TooltipComponent, LegendComponent, GridComponent, VisualMapComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { SVGRenderer } from 'echarts/renderers';
echarts.use([BarChart, LineChart, MapChart, GraphChart, TooltipComponent, LegendComponent, GridComponent, VisualMapComponent, LabelLayout, SVGRenderer]);
window.echarts = echarts;
