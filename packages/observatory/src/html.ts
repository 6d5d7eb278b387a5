import { renderPage } from "./page.ts";
import type { ObservatorySnapshot, PropagationReport } from "./types.ts";
import { buildViewData } from "./view-data.ts";

/** propagation.html: one self-contained file (inline data, inline SVG charts, no requests). */
export function renderPropagationHtml(
  report: PropagationReport,
  snapshot: ObservatorySnapshot,
): string {
  return renderPage({
    title: `Starling propagation — ${report.nodes.length} nodes, ${report.durationS.toFixed(0)} s`,
    data: buildViewData(report, snapshot),
  });
}
