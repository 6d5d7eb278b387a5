/**
 * @starling/observatory: watches a set of Starling nodes over JSON-RPC and measures how blocks and
 * transactions spread among them (origin, delays, coverage, propagation tree, hops), with report
 * files (report.json, report.md, propagation.html, raw.json) and a live dashboard on loopback.
 */
export { type Dashboard, type DashboardOptions, startDashboard } from "./dashboard.ts";
export { renderPropagationHtml } from "./html.ts";
export { type ItemPropagation, itemPropagation, type NodeSight } from "./item-propagation.ts";
export { renderReportMarkdown } from "./markdown.ts";
export { createObservatory, type Observatory, type ObservatoryOptions } from "./observatory.ts";
export { computeReport, DEFAULT_SETTLE_MS } from "./report.ts";
export { writeReportFiles } from "./report-files.ts";
export type {
  BlockInfo,
  BlockReport,
  DelayStats,
  GossipDuplicates,
  NodeSnapshot,
  ObservatorySnapshot,
  ObservedNode,
  PeerSnapshot,
  PropagationReport,
  ReorgEvent,
  ReportOptions,
  SightKind,
  SightRecord,
  SightVia,
} from "./types.ts";
export {
  buildViewData,
  downsampleSorted,
  SIZE_CLASSES,
  sizeClassOf,
  type ViewData,
} from "./view-data.ts";
