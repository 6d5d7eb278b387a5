/** A value JSON.parse can return: what request params are made of. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

export type JsonObject = { readonly [key: string]: JsonValue };

/**
 * Parameter types, named after Core's RPCArg types where one exists. Type checks fail with
 * RPC_TYPE_ERROR (-3); value checks (an integer, hex, a 32-byte hash) fail with
 * RPC_INVALID_PARAMETER (-8).
 */
export type RpcParamType =
  | "string"
  | "number"
  /** A JSON number that is a safe integer. */
  | "integer"
  | "boolean"
  | "object"
  | "array"
  /** Core's AMOUNT: a JSON number or a decimal string; the method parses it. */
  | "amount"
  /** A string of hex digits, even length. */
  | "hex"
  /** 64 hex digits (a block or transaction hash as Core prints it). */
  | "hash"
  /** Anything, unchecked (the method checks it). */
  | "any";

export interface RpcParamSpec {
  /** The name used in named-parameter requests and in help. */
  readonly name: string;
  readonly type: RpcParamType;
  /** Defaults to false. A required parameter has no default. */
  readonly required?: boolean;
  /** Used when the parameter is omitted or null. */
  readonly default?: JsonValue;
  /** One line for `help <method>`. */
  readonly description?: string;
}

/** The TypeScript type a parameter of a given RpcParamType has once validated. */
export type RpcParamValue<T extends RpcParamType> = T extends "string" | "hex" | "hash"
  ? string
  : T extends "number" | "integer"
    ? number
    : T extends "boolean"
      ? boolean
      : T extends "object"
        ? JsonObject
        : T extends "array"
          ? readonly JsonValue[]
          : T extends "amount"
            ? number | string
            : JsonValue;

/** The handler's argument object: one field per declared parameter, by name. */
export type RpcArgs<Ps extends readonly RpcParamSpec[]> = {
  readonly [P in Ps[number] as P["name"]]: P extends { readonly required: true }
    ? RpcParamValue<P["type"]>
    : P extends { readonly default: JsonValue }
      ? RpcParamValue<P["type"]>
      : RpcParamValue<P["type"]> | undefined;
};

/** What a handler knows about the call besides its parameters. */
export interface RpcContext {
  readonly method: string;
  /** The JSON-RPC id, null when absent. */
  readonly id: JsonValue;
  /** The authenticated user name (`__cookie__` with cookie auth). */
  readonly user: string;
  /** Remote address and port, for logs. */
  readonly peer: string;
  /** The wallet named by a `/wallet/<name>` URI, null on `/`. */
  readonly wallet: string | null;
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal;
}

/**
 * A method's entry in the table. Results may contain bigints (written as JSON integers, exactly)
 * and anything JSON.stringify accepts.
 */
export interface RpcMethodSpec<Ps extends readonly RpcParamSpec[] = readonly RpcParamSpec[]> {
  readonly name: string;
  /** Core's help groups: "Blockchain", "Control", "Mining", "Network", "Rawtransactions", "Util", "Wallet". */
  readonly category?: string;
  readonly params?: Ps;
  /** The description paragraph of `help <method>`. */
  readonly help?: string;
  /** The "Result:" section of `help <method>`, as Core writes it. */
  readonly result?: string;
  /** The "Examples:" section of `help <method>`. */
  readonly examples?: string;
  /** Hidden methods work but are not listed by `help` (Core's hidden category). */
  readonly hidden?: boolean;
  /** Answer even during warm-up (stop, uptime, help do). */
  readonly allowInWarmup?: boolean;
  readonly handler: (args: RpcArgs<Ps>, ctx: RpcContext) => unknown;
}

/** The method table as the dispatcher stores it, parameter types erased. */
export interface RegisteredRpcMethod {
  readonly name: string;
  readonly category: string;
  readonly params: readonly RpcParamSpec[];
  readonly help: string;
  readonly result: string;
  readonly examples: string;
  readonly hidden: boolean;
  readonly allowInWarmup: boolean;
  readonly handler: (args: Readonly<Record<string, unknown>>, ctx: RpcContext) => unknown;
}

/** JSON-RPC reply objects as Core writes them. */
export type RpcVersion = "1.0" | "2.0";

export interface RpcServerOptions {
  /** Bind address; default 127.0.0.1. Anything not loopback needs `allowPublicBind`. */
  readonly host: string;
  /** Default 0 (an ephemeral port); the node passes its network's RPC port. */
  readonly port: number;
  /** Allow a non-loopback bind address (logged as a warning). */
  readonly allowPublicBind: boolean;
  /** Largest request body; bigger bodies get HTTP 413. Core's is 32 MB (MAX_SIZE). */
  readonly maxBodyBytes: number;
  /** Time allowed to receive a whole request (headers and body); Core's -rpcservertimeout is 30 s. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
  /** Delay before answering 401 to wrong credentials, to slow guessing; Core sleeps 250 ms. */
  readonly authFailureDelayMs: number;
  /** Requests handled at once; more get HTTP 503, like Core's "Work queue depth exceeded". */
  readonly maxInFlight: number;
  /** On close, how long in-flight requests may take before their connections are cut. */
  readonly closeGraceMs: number;
}

export const DEFAULT_RPC_SERVER_OPTIONS: RpcServerOptions = Object.freeze({
  host: "127.0.0.1",
  port: 0,
  allowPublicBind: false,
  maxBodyBytes: 32 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 30_000,
  authFailureDelayMs: 250,
  maxInFlight: 64,
  closeGraceMs: 2_000,
});

const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/**
 * JSON.stringify that writes bigints as exact JSON integers (amounts and fees in base units are
 * bigints across Starling), where plain JSON.stringify throws.
 */
export function stringifyRpcJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "bigint" ? rawJson(v.toString()) : v,
  );
}
