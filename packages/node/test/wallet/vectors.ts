import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** shared/vectors beside the repository (this file is packages/node/test/wallet/vectors.ts). */
const VECTORS_URL = new URL("../../../../../shared/vectors/", import.meta.url);

/** Absolute path of shared/vectors, or undefined when that folder is absent. */
export function vectorsDir(): string | undefined {
  const dir = fileURLToPath(VECTORS_URL);
  return existsSync(dir) ? dir : undefined;
}

/** Parsed JSON of a vector file, by its path under shared/vectors (e.g. "bip39/vectors.json"). */
export function readVector(rel: string): unknown {
  return JSON.parse(readFileSync(new URL(rel, VECTORS_URL), "utf8"));
}

/** Text of a vector file. */
export function readVectorText(rel: string): string {
  return readFileSync(new URL(rel, VECTORS_URL), "utf8");
}

/** The skip message for tests that need the vectors. */
export const VECTORS_MISSING = "../shared/vectors not found beside the repository";
