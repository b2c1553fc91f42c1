// Charts: d3 computes scales and shapes, React renders the SVG (axes too).
// Every chart sits in a ChartFrame (title, legend, empty and updating states),
// is as wide as its container (ResizeObserver) and takes focus for keyboard
// reading (arrow keys move the tooltip).
export { BarChart, type BarRow, type BarSeriesDef } from './bar-chart';
export { ChartFrame } from './chart-frame';
export { Legend, type LegendItem } from './legend';
export { OKABE_ITO, ROLE_COLORS, SERIES_COLORS, seriesColor } from './palette';
export { TimeSeriesChart, type TimePoint, type TimeSeriesDef } from './time-series-chart';
export { ChartTooltip, type TooltipRow } from './tooltip';
export { useElementWidth } from './use-element-width';
