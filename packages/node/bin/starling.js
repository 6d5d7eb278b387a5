#!/usr/bin/env node
// The `starling` command. Plain JavaScript so that it runs under any Node.js: Starling's source is
// TypeScript run by Node 24's type stripping, so on an older Node (Debian ships 20) this re-runs
// the TypeScript entry with the Node 24 the repository installs (the `node` devDependency).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, "..", "src", "bin", "starling.ts");
const major = Number(process.versions.node.split(".")[0]);

if (major >= 24) {
  await import(entry);
} else {
  const candidates = [
    join(here, "..", "..", "..", "node_modules", ".bin", "node"),
    join(here, "..", "node_modules", ".bin", "node"),
  ];
  const node = candidates.find((path) => existsSync(path));
  if (node === undefined) {
    process.stderr.write(
      `starling: needs Node.js >= 24 (this is ${process.version}); run \`npm install\` in the repository to get it\n`,
    );
    process.exit(1);
  }
  const child = spawn(node, [entry, ...process.argv.slice(2)], { stdio: "inherit" });
  // A terminal's Ctrl-C reaches both processes; the child shuts down gracefully, we wait for it.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => {
    if (signal !== null) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
