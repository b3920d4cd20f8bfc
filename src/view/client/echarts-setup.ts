/**
 * echarts with just the parts a run's charts use (`chart-options.ts`): echarts' core, the line and
 * custom charts, the grid, tooltip, zoom, mark-line and legend components and the canvas renderer,
 * registered once. The HTML report's script and the playground import `init` from here, so both
 * bundle the same small part of echarts.
 */
import { use } from "echarts/core"
import { CustomChart, LineChart } from "echarts/charts"
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from "echarts/components"
import { CanvasRenderer } from "echarts/renderers"

use([
  LineChart,
  CustomChart,
  GridComponent,
  TooltipComponent,
  DataZoomComponent,
  MarkLineComponent,
  LegendComponent,
  CanvasRenderer,
])

export { init, type EChartsType } from "echarts/core"
