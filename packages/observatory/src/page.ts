import { readFileSync } from "node:fs";
import type { ViewData } from "./view-data.ts";

let chartsScript: string | undefined;

/** The one chart script both pages embed (read when first needed). */
function chartsSource(): string {
  chartsScript ??= readFileSync(new URL("./web/charts.js", import.meta.url), "utf8");
  return chartsScript;
}

/** JSON that is safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 20px; color: #222; background: #fafafa; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 0 0 8px; }
section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px; margin: 0 0 16px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(660px, 1fr)); gap: 16px; }
.grid section { margin: 0; }
.note { color: #666; font-size: 12px; margin: 4px 0 8px; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border-bottom: 1px solid #eee; padding: 3px 10px; text-align: left; }
select { max-width: 100%; font-family: monospace; }
svg { max-width: 100%; height: auto; }
#status { color: #666; font-size: 12px; }
`;

export interface PageOptions {
  readonly title: string;
  readonly data: ViewData;
  /** When set, the page polls this URL for fresh view data every second. */
  readonly liveEndpoint?: string;
}

/** A self-contained page: inline style, inline data, the inline chart script; no external requests. */
export function renderPage(options: PageOptions): string {
  const live =
    options.liveEndpoint === undefined
      ? ""
      : `
(() => {
  const status = document.getElementById("status");
  async function refresh() {
    try {
      const res = await fetch(${scriptJson(options.liveEndpoint)}, { cache: "no-store" });
      if (!res.ok) throw new Error("HTTP " + res.status);
      const data = await res.json();
      window.StarlingObservatory.data = data;
      window.StarlingObservatory.render(document, data);
      status.textContent = "live · updated " + new Date().toLocaleTimeString();
    } catch (err) {
      status.textContent = "live · update failed: " + err.message;
    }
    setTimeout(refresh, 1000);
  }
  setTimeout(refresh, 1000);
})();`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(options.title)}</h1>
<div id="status">${options.liveEndpoint === undefined ? "snapshot" : "live"}</div>
<section>
<h2>Summary</h2>
<div>Blocks: <span id="summary-blocks"></span></div>
<div>Transactions: <span id="summary-txs"></span></div>
<div id="summary-chain"></div>
</section>
<section>
<h2>Nodes</h2>
<table id="nodes"><tr><th>node</th><th>state</th><th>height</th><th>peers</th><th>mempool</th><th>gossip duplicates (blocks / txs)</th></tr></table>
</section>
<div class="grid">
<section>
<h2>Delay CDF</h2>
<div class="note">Share of deliveries (item × non-origin node) that arrived within a given delay after the origin's first sight; settled items only.</div>
<svg id="cdf" role="img" aria-label="delay CDF"></svg>
</section>
<section>
<h2>Peer topology</h2>
<div class="note">Connections among the observed nodes; "ext" counts peers outside the observed set.</div>
<svg id="topology" role="img" aria-label="peer topology"></svg>
</section>
</div>
<section>
<h2>Block</h2>
<select id="block-select" aria-label="block"></select>
<div class="grid" style="margin-top: 12px">
<section>
<h2>Arrival timeline</h2>
<div class="note">When each node first saw the block, after the origin; how it came (gossip or sync) and at what hop depth.</div>
<svg id="timeline" role="img" aria-label="arrival timeline"></svg>
</section>
<section>
<h2>Propagation tree</h2>
<div class="note">Each node hangs under the node that first delivered the block to it; columns are hop depths.</div>
<svg id="tree" role="img" aria-label="propagation tree"></svg>
</section>
</div>
</section>
<script type="application/json" id="observatory-data">${scriptJson(options.data)}</script>
<script>
${chartsSource()}
</script>
<script>
window.StarlingObservatory.data = JSON.parse(document.getElementById("observatory-data").textContent);
window.StarlingObservatory.render(document, window.StarlingObservatory.data);
${live}
</script>
</body>
</html>
`;
}
