/**
 * `npm test`: lint, type-check, the dependency graph, then every test file with node:test.
 * Unit tests run two files at a time; files under test/e2e/ (real nodes, processes, sockets) run one
 * at a time so that a loaded 2-core machine gives the same verdict every time.
 *
 * Flags: --fast skips lint and type-check; any other argument is a path filter for test files.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const fast = args.includes("--fast");
const filters = args.filter((a) => !a.startsWith("--"));
const bin = (name: string): string => join(root, "node_modules", ".bin", name);

function run(title: string, command: string, commandArgs: string[]): void {
  console.log(`\n== ${title}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function testFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(testFiles(path));
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out;
}

if (!fast) {
  run("lint and format (biome ci)", bin("biome"), ["ci", "--colors=off", "."]);
  run("type-check (tsc -b)", bin("tsc"), ["-b"]);
}
run("dependency graph", process.execPath, ["scripts/check-deps.ts"]);

const all = [
  ...testFiles(join(root, "packages")),
  ...testFiles(join(root, "testnet")),
  ...testFiles(join(root, "scripts")),
]
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
const serial = all.filter((f) => f.includes("/e2e/") || f.startsWith("testnet/"));
const parallel = all.filter((f) => !serial.includes(f));

const env = { ...process.env, STARLING_TEST: "1" };
function runTests(title: string, files: string[], concurrency: number): void {
  if (files.length === 0) return;
  console.log(`\n== ${title}: ${files.length} files`);
  const result = spawnSync(
    process.execPath,
    ["--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files],
    { cwd: root, stdio: "inherit", env },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
runTests("unit tests", parallel, 2);
runTests("end-to-end tests, one file at a time", serial, 1);
