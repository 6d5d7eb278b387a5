/**
 * Builds the C reference programs of packages/bench/native with the system C compiler, on demand,
 * into a cache keyed by a hash of the sources and flags, and runs them. Nothing is ever downloaded:
 * when a header or library is missing the build reports which Debian package provides it.
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Measurement } from "../harness.ts";

/** How to build one C reference program. */
export interface NativeSpec {
  /** Source file in packages/bench/native/. */
  source: string;
  /** System headers it needs, probed before the real build (e.g. "secp256k1.h"). */
  headers: readonly string[];
  /** Linker flags of the libraries it needs, probed with the headers (e.g. "-lsecp256k1"). */
  libs: readonly string[];
  /** Extra compiler flags (e.g. "-msha"). */
  flags: readonly string[];
  /** The Debian package providing the headers and libraries, for the install hint. */
  debianPackage: string;
}

/** A built program, or why there is none (with the command that would fix it). */
export type NativeBuild =
  | { readonly path: string; readonly message?: undefined }
  | { readonly path: undefined; readonly message: string };

export const NATIVE_SOURCE_DIR: string = fileURLToPath(new URL("../../native/", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const BASE_FLAGS = ["-O2", "-Wall", "-pthread"] as const;

/** `<repo>/node_modules/.cache/starling-bench`, or $STARLING_BENCH_CACHE. */
export function nativeCacheDir(): string {
  return (
    process.env.STARLING_BENCH_CACHE ?? join(REPO_ROOT, "node_modules", ".cache", "starling-bench")
  );
}

/** True when STARLING_BENCH_NO_NATIVE asks every bench to use its fallback limit. */
export function nativeDisabled(): boolean {
  const v = process.env.STARLING_BENCH_NO_NATIVE;
  return v !== undefined && v !== "" && v !== "0";
}

function compiler(): string {
  return process.env.CC ?? "cc";
}

let compilerWorks: boolean | undefined;

function hasCompiler(): boolean {
  compilerWorks ??= spawnSync(compiler(), ["--version"], { stdio: "ignore" }).status === 0;
  return compilerWorks;
}

function compile(args: readonly string[]): { ok: boolean; stderr: string } {
  const result = spawnSync(compiler(), args, { encoding: "utf8" });
  return { ok: result.status === 0, stderr: `${result.stderr ?? ""}${result.error ?? ""}` };
}

function installHint(spec: NativeSpec): string {
  return `apt-get install -y ${spec.debianPackage}`;
}

/** Compiles and links an empty program against the spec's headers and libraries. */
function probe(spec: NativeSpec, dir: string): string | undefined {
  const key = createHash("sha256")
    .update(JSON.stringify([spec.headers, spec.libs, spec.flags]))
    .digest("hex")
    .slice(0, 16);
  // Per process: concurrent test files may probe at the same time.
  const base = join(dir, `probe-${key}-${process.pid}`);
  const includes = spec.headers.map((h) => `#include <${h}>\n`).join("");
  writeFileSync(`${base}.c`, `${includes}int main(void) { return 0; }\n`);
  const result = compile([...spec.flags, "-o", base, `${base}.c`, ...spec.libs]);
  rmSync(base, { force: true });
  rmSync(`${base}.c`, { force: true });
  if (result.ok) return undefined;
  const needs = [...spec.headers.map((h) => `<${h}>`), ...spec.libs].join(" and ");
  return `needs ${needs}, which this machine lacks: ${installHint(spec)}`;
}

function sourceKey(spec: NativeSpec): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([compiler(), BASE_FLAGS, spec.flags, spec.libs]));
  // Every local header may be included by any program: hashing them all keeps the key simple.
  const headers = readdirSync(NATIVE_SOURCE_DIR)
    .filter((f) => f.endsWith(".h"))
    .sort();
  for (const file of [spec.source, ...headers]) {
    hash.update(file);
    hash.update(readFileSync(join(NATIVE_SOURCE_DIR, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

const builds = new Map<string, NativeBuild>();

/**
 * The path of the built program (compiling it the first time), or a message saying why it cannot
 * be built. Throws when the headers and libraries are there but the program itself fails to build:
 * that is a bug in the C source, not a missing package.
 */
export function buildNative(spec: NativeSpec): NativeBuild {
  const name = spec.source.replace(/\.c$/, "");
  if (nativeDisabled()) {
    return {
      path: undefined,
      message: `C reference ${name} disabled by STARLING_BENCH_NO_NATIVE; it needs ${installHint(spec)}`,
    };
  }
  if (!hasCompiler()) {
    return {
      path: undefined,
      message: `no C compiler (${compiler()}) for ${name}: apt-get install -y gcc ${spec.debianPackage}`,
    };
  }
  const dir = nativeCacheDir();
  const path = join(dir, `${name}-${sourceKey(spec)}`);
  const cached = builds.get(path);
  if (cached !== undefined) return cached;
  mkdirSync(dir, { recursive: true });
  let build: NativeBuild;
  // Probed even when a cached binary exists: a library removed since would make it fail to start.
  const missing = probe(spec, dir);
  if (missing !== undefined) {
    build = { path: undefined, message: `C reference ${name} ${missing}` };
  } else {
    if (!existsSync(path)) {
      // Build under a private name, then rename: concurrent test processes may race here.
      const temp = `${path}.${process.pid}.tmp`;
      const args = [...BASE_FLAGS, ...spec.flags, "-I", NATIVE_SOURCE_DIR, "-o", temp];
      const result = compile([...args, join(NATIVE_SOURCE_DIR, spec.source), ...spec.libs]);
      if (!result.ok) throw new Error(`building ${spec.source} failed:\n${result.stderr}`);
      renameSync(temp, path);
    }
    build = { path };
  }
  builds.set(path, build);
  return build;
}

/** Parses the `<units> <seconds>` line every reference program prints. */
export function parseNativeOutput(stdout: string): Measurement {
  const parts = stdout.trim().split(/\s+/);
  const units = Number(parts[0]);
  const seconds = Number(parts[1]);
  if (parts.length !== 2 || !(units > 0) || !(seconds > 0) || !Number.isFinite(units + seconds)) {
    throw new Error(`unexpected output from a C reference: ${JSON.stringify(stdout)}`);
  }
  return { units, seconds };
}

/** Runs a built program with `<threads> <count> <minSeconds>` and returns what it measured. */
export function runNative(
  path: string,
  threads: number,
  count: number,
  minSeconds: number,
): Promise<Measurement> {
  const args = [String(threads), String(count), String(minSeconds)];
  return new Promise((resolve, reject) => {
    execFile(path, args, { encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path} ${args.join(" ")} failed: ${stderr || error.message}`));
      else {
        try {
          resolve(parseNativeOutput(stdout));
        } catch (e) {
          reject(e);
        }
      }
    });
  });
}
