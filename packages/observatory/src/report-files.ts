import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderPropagationHtml } from "./html.ts";
import { renderReportMarkdown } from "./markdown.ts";
import type { Observatory } from "./observatory.ts";
import { computeReport } from "./report.ts";
import type { PropagationReport, ReportOptions } from "./types.ts";

/** The fields issue 7 specifies for report.json, in its order; the rest go after them. */
function reportJson(report: PropagationReport): string {
  const { nodes, durationS, blocks, txs, summary, ...rest } = report;
  return `${JSON.stringify({ nodes, durationS, blocks, txs, summary, ...rest }, null, 2)}\n`;
}

/** Writes report.json, report.md, propagation.html and raw.json (the snapshot) into `dir`. */
export async function writeReportFiles(
  dir: string,
  observatory: Observatory,
  options: ReportOptions = {},
): Promise<{ json: string; md: string; html: string; raw: string }> {
  await mkdir(dir, { recursive: true });
  const snapshot = observatory.snapshot();
  const report = computeReport(snapshot, options);
  const paths = {
    json: join(dir, "report.json"),
    md: join(dir, "report.md"),
    html: join(dir, "propagation.html"),
    raw: join(dir, "raw.json"),
  };
  await writeFile(paths.json, reportJson(report));
  await writeFile(paths.md, renderReportMarkdown(report));
  await writeFile(paths.html, renderPropagationHtml(report, snapshot));
  await writeFile(paths.raw, `${JSON.stringify(snapshot)}\n`);
  return paths;
}
