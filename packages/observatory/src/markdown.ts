import type { DelayStats, PropagationReport } from "./types.ts";

function ms(value: number | null): string {
  return value === null ? "–" : `${Math.round(value)} ms`;
}

function pct(value: number | null): string {
  return value === null ? "–" : `${(value * 100).toFixed(1)} %`;
}

function num(value: number | null, digits = 2): string {
  return value === null ? "–" : String(Number(value.toFixed(digits)));
}

function statsRow(label: string, s: DelayStats): string {
  return `| ${label} | ${s.count} | ${pct(s.coverage)} | ${ms(s.p50Ms)} | ${ms(s.p90Ms)} | ${ms(s.p99Ms)} | ${ms(s.maxMs)} | ${num(s.meanHops)} | ${num(s.maxHops, 0)} |`;
}

function kb(bytes: number): string {
  return bytes >= 1000 ? `${(bytes / 1000).toFixed(1)} kB` : `${bytes} B`;
}

/** The report as Markdown: summary table, per-node duplicates, then one row per block. */
export function renderReportMarkdown(report: PropagationReport): string {
  const lines: string[] = [];
  lines.push("# Propagation report", "");
  lines.push(
    `${report.nodes.length} node${report.nodes.length === 1 ? "" : "s"} (${report.nodes.join(", ")}), observed for ${report.durationS.toFixed(1)} s. ` +
      `Items younger than ${report.settleMs} ms at the end are listed but left out of the statistics.`,
    "",
  );
  lines.push("## Summary", "");
  lines.push("| | count | coverage | p50 | p90 | p99 | max | mean hops | max hops |");
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  lines.push(statsRow("blocks", report.summary.blocks));
  lines.push(statsRow("transactions", report.summary.txs));
  lines.push("");
  lines.push(`- orphan rate: ${pct(report.summary.orphanRate)}`);
  lines.push(`- reorgs observed: ${report.summary.reorgs}`);
  const dups = Object.entries(report.duplicates).filter(([, d]) => d !== null);
  if (dups.length > 0) {
    lines.push("", "## Gossip duplicates received", "");
    lines.push("| node | blocks | transactions |", "|---|---:|---:|");
    for (const [node, d] of dups) lines.push(`| ${node} | ${d!.block} | ${d!.tx} |`);
  }
  lines.push("", "## Blocks", "");
  if (report.blocks.length === 0) {
    lines.push("No blocks were seen.");
  } else {
    lines.push("| height | hash | origin | size | txs | coverage | max delay | max hops | chain |");
    lines.push("|---:|---|---|---:|---:|---:|---:|---:|---|");
    for (const b of report.blocks) {
      const delays = Object.values(b.delaysMs);
      const hops = Object.values(b.hops);
      const chain = b.onMajorityChain === null ? "?" : b.onMajorityChain ? "best" : "orphaned";
      lines.push(
        `| ${b.height ?? "?"} | \`${b.hash.slice(0, 16)}…\` | ${b.origin} | ${kb(b.bytes)} | ${b.txCount ?? "?"} | ${pct(b.coverage)}${b.settled ? "" : " (settling)"} | ${ms(delays.length === 0 ? null : Math.max(...delays))} | ${hops.length === 0 ? "–" : Math.max(...hops)} | ${chain} |`,
      );
    }
  }
  lines.push("");
  return lines.join("\n");
}
