import { basicAuthHeader } from "./auth.ts";
import { type RpcCredentials, readAuthCookie } from "./cookie.ts";
import { RpcError, RpcTransportError } from "./errors.ts";
import { stringifyRpcJson } from "./types.ts";

/** User and password, or the node's cookie file (read at each call: the node rewrites it at start). */
export type RpcClientAuth = RpcCredentials | { readonly cookieFile: string };

export interface CallRpcOptions {
  readonly signal?: AbortSignal;
  /** Default 900 s, bitcoin-cli's -rpcclienttimeout. */
  readonly timeoutMs?: number;
  /** The JSON-RPC id; default 1. */
  readonly id?: string | number;
}

export const DEFAULT_RPC_CLIENT_TIMEOUT_MS = 900_000;

/**
 * Calls one method like bitcoin-cli and returns its result. A JSON-RPC error throws RpcError with
 * the server's code and message; no answer (refused, timed out, 401, 413…) throws
 * RpcTransportError; the caller's own abort rethrows its reason.
 */
export async function callRpc(
  url: string,
  auth: RpcClientAuth,
  method: string,
  params: readonly unknown[] | Readonly<Record<string, unknown>> = [],
  options: CallRpcOptions = {},
): Promise<unknown> {
  const credentials = "cookieFile" in auth ? await readAuthCookie(auth.cookieFile) : auth;
  const timeoutMs = options.timeoutMs ?? DEFAULT_RPC_CLIENT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal =
    options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  const body = stringifyRpcJson({ jsonrpc: "2.0", id: options.id ?? 1, method, params });

  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { authorization: basicAuthHeader(credentials), "content-type": "application/json" },
      body,
      signal,
    });
    text = await response.text();
  } catch (err) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    if (timeout.aborted) {
      throw new RpcTransportError(null, `no answer from ${url} within ${timeoutMs} ms`, {
        cause: err,
      });
    }
    throw new RpcTransportError(null, `could not connect to the server at ${url}`, { cause: err });
  }

  const reply = parseReply(text);
  if (reply !== null && reply.error !== undefined && reply.error !== null) {
    const { code, message } = reply.error;
    throw new RpcError(
      typeof code === "number" ? code : -1,
      typeof message === "string" ? message : "",
    );
  }
  if (!response.ok || reply === null) throw transportError(url, response.status, text);
  return reply.result ?? null;
}

interface ReplyShape {
  readonly result?: unknown;
  readonly error?: { readonly code?: unknown; readonly message?: unknown } | null;
}

function parseReply(text: string): ReplyShape | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as ReplyShape)
      : null;
  } catch {
    return null;
  }
}

function transportError(url: string, status: number, text: string): RpcTransportError {
  if (status === 401) {
    return new RpcTransportError(status, "incorrect rpcuser or rpcpassword (authorization failed)");
  }
  const detail = text.trim() === "" ? "" : `: ${text.trim().slice(0, 200)}`;
  return new RpcTransportError(status, `HTTP ${status} from ${url}${detail}`);
}
