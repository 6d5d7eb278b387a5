/**
 * `npm run bench`: runs every benchmark (packages/<pkg>/bench/*.bench.ts, each exporting `benches`),
 * each figure a ratio to a limit measured in the same run. See BENCHMARKS.md.
 *
 *   npm run bench                      full run
 *   npm run bench -- --quick           smaller sizes, fewer rounds
 *   npm run bench -- --only <name>     benchmarks whose name contains <name> (repeatable)
 *   npm run bench -- --json            one JSON object per line
 *   npm run bench -- --smoke           tiny sizes, one round (what npm test runs)
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Bench, type BenchResult, formatRate, type Mode, runBench } from "@starling/bench";

const root = new URL("..", import.meta.url).pathname;

export async function loadBenches(): Promise<Bench[]> {
  const benches: Bench[] = [];
  const packagesDir = join(root, "packages");
  for (const pkg of readdirSync(packagesDir).sort()) {
    let files: string[];
    try {
      files = readdirSync(join(packagesDir, pkg, "bench")).filter((f) => f.endsWith(".bench.ts"));
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      const mod = (await import(pathToFileURL(join(packagesDir, pkg, "bench", file)).href)) as {
        benches?: Bench[];
      };
      benches.push(...(mod.benches ?? []));
    }
  }
  return benches;
}

function printRow(r: BenchResult): void {
  const goal = r.goal === null ? "report" : `${r.pass ? "pass" : "MISS"} (goal ${r.goal})`;
  console.log(
    `${r.bench.padEnd(22)} ${formatRate(r.value).padStart(8)} ${r.unit.padEnd(8)} ` +
      `limit ${formatRate(r.limit).padStart(8)} (${r.limitName})  ratio ${r.ratio.toFixed(3)}  ${goal}  ` +
      `rss ${r.peakRssMb} MB${r.notes ? `  ${JSON.stringify(r.notes)}` : ""}`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mode: Mode = args.includes("--smoke")
    ? "smoke"
    : args.includes("--quick")
      ? "quick"
      : "full";
  const json = args.includes("--json");
  const only: string[] = [];
  for (let i = 0; i < args.length; i++)
    if (args[i] === "--only" && args[i + 1]) only.push(args[i + 1]!);
  const benches = (await loadBenches()).filter(
    (b) => only.length === 0 || only.some((o) => b.name.includes(o)),
  );
  if (benches.length === 0) {
    console.error("no benchmark matched");
    process.exit(2);
  }
  if (!json) console.log(`mode ${mode}, ${benches.length} benchmarks, node ${process.version}`);
  for (const bench of benches) {
    const result = await runBench(bench, mode);
    if (json) console.log(JSON.stringify(result));
    else printRow(result);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
