import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { StateFileError } from "../errors.ts";

/**
 * Writes a file so that a crash leaves either the old or the new content, never a torn file:
 * write a temporary file beside it, fsync, rename over the target (atomic on POSIX), then fsync the
 * directory so that the rename itself is durable.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const file = await open(tmp, "w", mode);
  try {
    await file.writeFile(data);
    // open()'s mode is masked by the umask; chmod sets exactly what was asked.
    await file.chmod(mode);
    await file.sync();
  } catch (err) {
    await file.close();
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await file.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  const dirHandle = await open(dir, "r").catch(() => null);
  if (dirHandle !== null) {
    await dirHandle.sync().catch(() => {});
    await dirHandle.close();
  }
}

/** The file's text, or null when it does not exist. */
async function readFileIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/**
 * A JSON state file (address book, ban list) parsed, or null when it does not exist yet; a file
 * that is not JSON is a StateFileError naming it, never a silent reset.
 */
export async function readJsonStateFile(path: string): Promise<unknown> {
  const text = await readFileIfExists(path);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new StateFileError(path, "not JSON", err);
  }
}
