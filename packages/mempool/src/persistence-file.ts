import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * The package's only file access: the node saves the mempool on shutdown and loads it on start.
 * Writes are atomic: a temporary file is written and fsynced, renamed over the target, and the
 * directory fsynced, so a crash leaves the old file or the new one, never a torn one.
 */

export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.new`;
  const file = await open(tmp, "w");
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  let dir: Awaited<ReturnType<typeof open>> | undefined;
  try {
    dir = await open(dirname(path), "r");
    await dir.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic there.
  } finally {
    await dir?.close();
  }
}

/** The file's bytes, or undefined when it does not exist. */
export async function readFileIfExists(path: string): Promise<Uint8Array | undefined> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return new Uint8Array(await file.readFile());
  } finally {
    await file.close();
  }
}
