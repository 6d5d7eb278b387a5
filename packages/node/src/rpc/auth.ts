import { createHash, timingSafeEqual } from "node:crypto";
import type { ComponentLogger } from "../logging/component-logger.ts";
import { type AuthCookie, type RpcCredentials, writeAuthCookie } from "./cookie.ts";
import { RpcServerError, RpcServerErrorCode } from "./errors.ts";

/** Core's WWW_AUTH_HEADER_DATA. */
export const WWW_AUTHENTICATE = 'Basic realm="jsonrpc"';

/** `Authorization: Basic base64(user:password)` to credentials; null if absent or malformed. */
export function parseBasicAuth(header: string | undefined): RpcCredentials | null {
  if (header === undefined) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function basicAuthHeader(credentials: RpcCredentials): string {
  const token = Buffer.from(`${credentials.user}:${credentials.password}`, "utf8");
  return `Basic ${token.toString("base64")}`;
}

/**
 * Checks an Authorization header against the one accepted user. Both sides are hashed before
 * timingSafeEqual, so the comparison takes the same time whatever the lengths and contents.
 */
export class RpcAuthenticator {
  readonly user: string;
  private readonly expected: Buffer;

  constructor(credentials: RpcCredentials) {
    this.user = credentials.user;
    this.expected = digest(`${credentials.user}:${credentials.password}`);
  }

  /** The authenticated user name, or null. */
  check(header: string | undefined): string | null {
    const given = parseBasicAuth(header);
    if (given === null) return null;
    const ok = timingSafeEqual(digest(`${given.user}:${given.password}`), this.expected);
    return ok ? given.user : null;
  }
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}

export interface RpcAuthOptions {
  /** --rpc-user; with --rpc-password, replaces the cookie. */
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** Where the cookie goes when no user/password is given. */
  readonly datadir: string;
}

export interface RpcAuthSetup {
  readonly authenticator: RpcAuthenticator;
  /** The cookie written for this run (delete it on shutdown), or null with user/password. */
  readonly cookie: AuthCookie | null;
}

/**
 * Core's rule: a configured user and password are the credentials; without a password, a random
 * cookie in `<datadir>/.cookie`. One of the two without the other is a configuration error here
 * (Core would silently fall back to the cookie).
 */
export async function setupRpcAuth(
  options: RpcAuthOptions,
  logger?: ComponentLogger,
): Promise<RpcAuthSetup> {
  const hasUser = options.user !== undefined && options.user !== "";
  const hasPassword = options.password !== undefined && options.password !== "";
  if (hasUser !== hasPassword) {
    throw new RpcServerError(
      RpcServerErrorCode.INCOMPLETE_CREDENTIALS,
      "--rpc-user and --rpc-password must be given together (or neither, for cookie auth)",
    );
  }
  if (hasUser && hasPassword) {
    const credentials = { user: options.user!, password: options.password! };
    return { authenticator: new RpcAuthenticator(credentials), cookie: null };
  }
  const cookie = await writeAuthCookie(options.datadir);
  logger?.info({ path: cookie.path }, "generated RPC authentication cookie");
  return { authenticator: new RpcAuthenticator(cookie.credentials), cookie };
}
