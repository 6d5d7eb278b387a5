import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RpcServerError, RpcServerErrorCode } from "./errors.ts";

/** Core's cookie user name (COOKIEAUTH_USER): only there to be recognisable in logs. */
export const COOKIE_USER = "__cookie__";
/** Core's cookie file name (COOKIEAUTH_FILE), in the data directory. */
export const COOKIE_FILE_NAME = ".cookie";
/** Random bytes in the password; Core uses 32, written as 64 hex digits. */
const COOKIE_PASSWORD_BYTES = 32;

export interface RpcCredentials {
  readonly user: string;
  readonly password: string;
}

/** A cookie this process wrote; `remove()` deletes it on shutdown. */
export interface AuthCookie {
  readonly path: string;
  readonly credentials: RpcCredentials;
  remove(): Promise<void>;
}

export function cookiePath(datadir: string): string {
  return join(datadir, COOKIE_FILE_NAME);
}

/**
 * Writes a fresh `__cookie__:<64 hex>` to `<datadir>/.cookie`, mode 0600, as Core's
 * GenerateAuthCookie: into `.cookie.tmp` first, then renamed over, so a reader never sees half a
 * cookie. The file has no trailing newline, like Core's.
 */
export async function writeAuthCookie(datadir: string): Promise<AuthCookie> {
  const path = cookiePath(datadir);
  const tmp = `${path}.tmp`;
  const credentials = {
    user: COOKIE_USER,
    password: randomBytes(COOKIE_PASSWORD_BYTES).toString("hex"),
  };
  try {
    // A leftover temp file (a crash) would keep its old mode: start from none.
    await rm(tmp, { force: true });
    await writeFile(tmp, `${credentials.user}:${credentials.password}`, {
      mode: 0o600,
      flag: "wx",
    });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    throw new RpcServerError(RpcServerErrorCode.COOKIE, `cannot write ${path}: ${message(err)}`, {
      cause: err,
    });
  }
  return {
    path,
    credentials,
    remove: async () => {
      // Only our own cookie: a file someone replaced since is not ours to delete.
      const current = await readFile(path, "utf8").catch(() => null);
      if (current === `${credentials.user}:${credentials.password}`)
        await rm(path, { force: true });
    },
  };
}

/** Reads a cookie file as bitcoin-cli does (its first line, `user:password`). */
export async function readAuthCookie(path: string): Promise<RpcCredentials> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new RpcServerError(RpcServerErrorCode.COOKIE, `cannot read ${path}: ${message(err)}`, {
      cause: err,
    });
  }
  return parseCookie(text, path);
}

export function parseCookie(text: string, source = "cookie"): RpcCredentials {
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  const colon = line.indexOf(":");
  if (colon <= 0) {
    throw new RpcServerError(RpcServerErrorCode.COOKIE, `${source} is not in user:password form`);
  }
  return { user: line.slice(0, colon), password: line.slice(colon + 1) };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
