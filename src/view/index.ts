/**
 * The rendering layer: HTML reports of runs (`renderHtmlReport`) and the data their charts draw
 * (`RunView`), with recorders that read series, Gantt bars and the message diagram off a trace.
 * Pure: no Node imports here (the client script's bundler, `bundle-report-client.ts`, is apart).
 */
export * from "./run-view.ts"
export { downsampleChart, downsamplePoints, MAX_SERIES_POINTS } from "./downsample-series.ts"
export { firstView } from "./first-view.ts"
export { type BarStart, GanttRecorder, type GanttRecorderOptions, MAX_RECORDED_BARS } from "./gantt-recorder.ts"
export { escapeHtml, renderHtmlReport, scriptJson, VIEW_DATA_ID } from "./render-html-report.ts"
export { scheduleGantt } from "./schedule-gantt.ts"
export { MAX_RECORDED_POINTS, SeriesRecorder } from "./series-recorder.ts"
export { tickGantt, type TickGanttInput } from "./tick-gantt.ts"
export { MAX_ARROWS, MessageDiagramRecorder } from "./trace-view.ts"
export { viewAt, viewSpan } from "./view-at.ts"
