/**
 * Bitcoin Core's JSON-RPC error codes (src/rpc/protocol.h), so that tools written for Core read
 * Starling's errors the same way. Core's name for each is `RPC_` + the key.
 */
export const RpcErrorCode = {
  // Standard JSON-RPC 2.0 errors.
  /** The request is not a valid request object (HTTP 400 for a single request). */
  INVALID_REQUEST: -32600,
  /** No such method (HTTP 404 for a single request). */
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  /** Core uses it for errors while processing a request in some places. */
  INTERNAL_ERROR: -32603,
  /** The body is not JSON, or its top level is neither an object nor an array. */
  PARSE_ERROR: -32700,

  // General application errors.
  /** std::exception thrown in command handling; also a wrong number of arguments (with the usage). */
  MISC_ERROR: -1,
  /** Unexpected type was passed as parameter. */
  TYPE_ERROR: -3,
  INVALID_ADDRESS_OR_KEY: -5,
  OUT_OF_MEMORY: -7,
  /** Invalid, missing or duplicate parameter. */
  INVALID_PARAMETER: -8,
  DATABASE_ERROR: -20,
  /** Error parsing or validating a structure in raw format. */
  DESERIALIZATION_ERROR: -22,
  /** General error during transaction or block submission. */
  VERIFY_ERROR: -25,
  /** Transaction or block was rejected by network rules. */
  VERIFY_REJECTED: -26,
  VERIFY_ALREADY_IN_CHAIN: -27,
  /** The node is still starting: every call answers this until it marks itself ready. */
  IN_WARMUP: -28,
  METHOD_DEPRECATED: -32,

  // P2P client errors.
  CLIENT_NOT_CONNECTED: -9,
  CLIENT_IN_INITIAL_DOWNLOAD: -10,
  CLIENT_NODE_ALREADY_ADDED: -23,
  CLIENT_NODE_NOT_ADDED: -24,
  CLIENT_NODE_NOT_CONNECTED: -29,
  CLIENT_INVALID_IP_OR_SUBNET: -30,
  CLIENT_P2P_DISABLED: -31,
  CLIENT_MEMPOOL_DISABLED: -33,
  CLIENT_NODE_CAPACITY_REACHED: -34,

  // Wallet errors.
  WALLET_ERROR: -4,
  WALLET_INSUFFICIENT_FUNDS: -6,
  WALLET_INVALID_LABEL_NAME: -11,
  WALLET_KEYPOOL_RAN_OUT: -12,
  WALLET_UNLOCK_NEEDED: -13,
  WALLET_PASSPHRASE_INCORRECT: -14,
  WALLET_WRONG_ENC_STATE: -15,
  WALLET_ENCRYPTION_FAILED: -16,
  WALLET_ALREADY_UNLOCKED: -17,
  WALLET_NOT_FOUND: -18,
  WALLET_NOT_SPECIFIED: -19,
  WALLET_ALREADY_LOADED: -35,
  WALLET_ALREADY_EXISTS: -36,
} as const;
export type RpcErrorCode = (typeof RpcErrorCode)[keyof typeof RpcErrorCode];

/** Core's aliases for transaction submission. */
export const RPC_TRANSACTION_ERROR = RpcErrorCode.VERIFY_ERROR;
export const RPC_TRANSACTION_REJECTED = RpcErrorCode.VERIFY_REJECTED;
export const RPC_TRANSACTION_ALREADY_IN_CHAIN = RpcErrorCode.VERIFY_ALREADY_IN_CHAIN;

/** Core's JSON error object: `{"code": -8, "message": "…"}`. */
export interface RpcErrorObject {
  readonly code: number;
  readonly message: string;
}

/**
 * An error a method handler throws to answer with a specific Core code; the client helper throws
 * it too, with the code the server sent. Any other thrown error answers RPC_MISC_ERROR with its
 * message, as Core does for a std::exception.
 */
export class RpcError extends Error {
  override readonly name = "RpcError";
  readonly code: number;

  constructor(code: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  toJSON(): RpcErrorObject {
    return { code: this.code, message: this.message };
  }
}

/** Core's JSONErrorReply: the HTTP status of a failed single legacy request. */
export function httpStatusForRpcError(code: number): number {
  if (code === RpcErrorCode.INVALID_REQUEST) return 400;
  if (code === RpcErrorCode.METHOD_NOT_FOUND) return 404;
  return 500;
}

/** Why the RPC server could not start or serve (infrastructure, not an RPC answer). */
export const RpcServerErrorCode = {
  /** The port is taken by another process. */
  ADDRESS_IN_USE: "address-in-use",
  /** A non-loopback bind address without the explicit option that allows it. */
  PUBLIC_BIND_REFUSED: "public-bind-refused",
  /** --rpc-user without --rpc-password or the other way round. */
  INCOMPLETE_CREDENTIALS: "incomplete-credentials",
  /** The cookie file could not be written or read. */
  COOKIE: "cookie",
  /** Listening failed for another reason. */
  LISTEN_FAILED: "listen-failed",
} as const;
export type RpcServerErrorCode = (typeof RpcServerErrorCode)[keyof typeof RpcServerErrorCode];

export class RpcServerError extends Error {
  override readonly name = "RpcServerError";
  readonly code: RpcServerErrorCode;

  constructor(code: RpcServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The client could not get a JSON-RPC answer: no connection, a timeout, or an HTTP status that
 * carries no JSON-RPC body (401, 403, 404 for a path, 413, 503). `status` is null without a response.
 */
export class RpcTransportError extends Error {
  override readonly name = "RpcTransportError";
  readonly status: number | null;

  constructor(status: number | null, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}
