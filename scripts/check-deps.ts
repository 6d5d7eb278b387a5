/**
 * Asserts the package dependency graph of DESIGN.md §6: chain imports no other Starling package;
 * storage, mempool, miner and network import only chain; the observatory imports none; node may
 * import them all; the dev-only benchmark harness (@starling/bench) may be used from any package's
 * bench/ and test/ folders. Checks both the declared dependencies and the import specifiers actually
 * used in each package's source and tests.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const ALLOWED: Record<string, readonly string[]> = {
  bench: [],
  chain: [],
  storage: ["chain"],
  mempool: ["chain"],
  miner: ["chain"],
  network: ["chain"],
  // The observatory only speaks JSON-RPC to nodes: it imports no other Starling package.
  observatory: [],
  node: ["chain", "storage", "mempool", "miner", "network", "observatory"],
};

const root = new URL("..", import.meta.url).pathname;
const packagesDir = join(root, "packages");
const problems: string[] = [];

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(sourceFiles(path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

for (const pkg of readdirSync(packagesDir)) {
  const manifestPath = join(packagesDir, pkg, "package.json");
  let manifest: { name?: string; dependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch {
    continue;
  }
  const allowed = ALLOWED[pkg];
  if (allowed === undefined) {
    problems.push(
      `packages/${pkg}: not in the graph of DESIGN.md §6 (add it to scripts/check-deps.ts)`,
    );
    continue;
  }
  if (manifest.name !== `@starling/${pkg}`)
    problems.push(`packages/${pkg}: name must be @starling/${pkg}`);
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    const m = /^@starling\/(.+)$/.exec(dep);
    if (m && !allowed.includes(m[1]!))
      problems.push(`packages/${pkg} declares ${dep}, which it may not use`);
  }
  for (const file of sourceFiles(join(packagesDir, pkg))) {
    const text = readFileSync(file, "utf8");
    const inSrc = file.startsWith(join(packagesDir, pkg, "src"));
    for (const m of text.matchAll(/from\s+["']@starling\/([a-z-]+)/g)) {
      const target = m[1]!;
      // The benchmark harness is a dev tool: usable from bench/ and test/, never from src/.
      if (target === "bench" && !inSrc) continue;
      if (target !== pkg && !allowed.includes(target)) {
        problems.push(
          `${file.slice(root.length)} imports @starling/${target}, which ${pkg} may not use`,
        );
      }
    }
    for (const m of text.matchAll(/from\s+["'](\.\.\/)+(\.\.\/)?packages\//g)) {
      problems.push(`${file.slice(root.length)} reaches into another package by path (${m[0]})`);
    }
  }
}

if (problems.length > 0) {
  console.error(`dependency graph violations:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log("dependency graph ok");
