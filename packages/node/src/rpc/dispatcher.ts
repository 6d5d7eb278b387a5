import type { ComponentLogger } from "../logging/component-logger.ts";
import { SILENT_COMPONENT_LOGGER } from "../logging/component-logger.ts";
import { httpStatusForRpcError, RpcError, RpcErrorCode, type RpcErrorObject } from "./errors.ts";
import { helpList, methodHelp } from "./help.ts";
import { resolveArgs } from "./params.ts";
import type {
  JsonObject,
  JsonValue,
  RegisteredRpcMethod,
  RpcContext,
  RpcMethodSpec,
  RpcParamSpec,
  RpcVersion,
} from "./types.ts";

/** What the dispatcher records per call; `metrics.rpc` from createMetrics() satisfies it. */
export interface RpcMetrics {
  /** Calls by method and result ("ok" or the error code, e.g. "-8"). */
  readonly calls: { inc(labels: { method: string; result: string }): void };
  /** Call duration in seconds by method. */
  readonly seconds: { observe(labels: { method: string }, value: number): void };
}

export interface RpcDispatcherOptions {
  /**
   * The warm-up message answered with RPC_IN_WARMUP until `setReady()`; Core starts in warm-up
   * too. Null starts ready. Default "RPC server started".
   */
  readonly warmup: string | null;
  /** Registers `stop`; called after `stop` answers (the node shuts down). */
  readonly onStop?: () => void | Promise<void>;
  /** The answer of `stop` (Core's "Bitcoin Core stopping"). */
  readonly stopMessage: string;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now: () => number;
  /** When the node started, for `uptime`; default the dispatcher's creation. */
  readonly startedAt?: number;
}

export const DEFAULT_RPC_DISPATCHER_OPTIONS: RpcDispatcherOptions = Object.freeze({
  warmup: "RPC server started",
  stopMessage: "Starling stopping",
  now: Date.now,
});

export interface RpcDispatcherComponents {
  readonly metrics: RpcMetrics | null;
  readonly logger: ComponentLogger;
}

/** Who is calling, from the HTTP layer. */
export interface RpcCallInfo {
  readonly user: string;
  readonly peer: string;
  readonly wallet: string | null;
  readonly signal: AbortSignal;
}

/** A reply object as Core writes it: v1 always has result, error and id; v2 has one of the two. */
export type RpcReply =
  | { readonly result: unknown; readonly error: RpcErrorObject | null; readonly id: JsonValue }
  | { readonly jsonrpc: "2.0"; readonly result: unknown; readonly id: JsonValue }
  | { readonly jsonrpc: "2.0"; readonly error: RpcErrorObject; readonly id: JsonValue };

/** The HTTP answer to one POST body; `body` undefined means 204 No Content. */
export interface RpcHttpAnswer {
  readonly status: number;
  readonly body: RpcReply | readonly RpcReply[] | undefined;
}

interface ParsedRequest {
  readonly method: string;
  readonly params: readonly JsonValue[] | JsonObject;
}

/** Request fields known so far, so that an error found while parsing still carries the id. */
interface Envelope {
  id: JsonValue | undefined;
  version: RpcVersion;
}

/** Label for calls to methods not in the table, so the label set stays bounded. */
const UNKNOWN_METHOD_LABEL = "unknown";

/**
 * The method table and Core's JSON-RPC request handling (httprpc.cpp, request.cpp): request
 * parsing, legacy 1.0 and 2.0 replies, batches, notifications, warm-up, and the built-in `help`,
 * `uptime` and (when the node gives a hook) `stop`.
 */
export class RpcDispatcher {
  private readonly table = new Map<string, RegisteredRpcMethod>();
  private readonly opts: RpcDispatcherOptions;
  private readonly components: RpcDispatcherComponents;
  private readonly startedAt: number;
  private warmupMessage: string | null;

  constructor(
    options: Partial<RpcDispatcherOptions> = {},
    components: Partial<RpcDispatcherComponents> = {},
  ) {
    this.opts = { ...DEFAULT_RPC_DISPATCHER_OPTIONS, ...options };
    this.components = {
      metrics: components.metrics ?? null,
      logger: components.logger ?? SILENT_COMPONENT_LOGGER,
    };
    this.startedAt = this.opts.startedAt ?? this.opts.now();
    this.warmupMessage = this.opts.warmup;
    this.registerBuiltins();
  }

  /** Adds a method; a second method of the same name is a programming error and throws. */
  registerMethod<const Ps extends readonly RpcParamSpec[] = readonly []>(
    spec: RpcMethodSpec<Ps>,
  ): void {
    if (this.table.has(spec.name)) throw new Error(`RPC method ${spec.name} already registered`);
    const params: readonly RpcParamSpec[] = spec.params ?? [];
    const names = new Set<string>();
    for (const p of params) {
      if (names.has(p.name)) throw new Error(`RPC method ${spec.name}: duplicate param ${p.name}`);
      if (p.required === true && p.default !== undefined) {
        throw new Error(`RPC method ${spec.name}: required param ${p.name} has a default`);
      }
      names.add(p.name);
    }
    this.table.set(spec.name, {
      name: spec.name,
      category: spec.category ?? "misc",
      params,
      help: spec.help ?? "",
      result: spec.result ?? "",
      examples: spec.examples ?? "",
      hidden: spec.hidden ?? false,
      allowInWarmup: spec.allowInWarmup ?? false,
      handler: spec.handler as RegisteredRpcMethod["handler"],
    });
  }

  has(name: string): boolean {
    return this.table.has(name);
  }

  methods(): readonly RegisteredRpcMethod[] {
    return [...this.table.values()];
  }

  /** Every call (but those allowed in warm-up) answers RPC_IN_WARMUP with this message. */
  setWarmup(message: string): void {
    this.warmupMessage = message;
  }

  setReady(): void {
    this.warmupMessage = null;
  }

  get inWarmup(): boolean {
    return this.warmupMessage !== null;
  }

  /** `help` output: the list, or one method's text. */
  help(method?: string): string {
    if (method === undefined) return helpList(this.table.values());
    const entry = this.table.get(method);
    return entry === undefined ? `help: unknown command: ${method}` : methodHelp(entry);
  }

  /** Runs one method by name with raw params; throws RpcError. */
  async call(
    method: string,
    params: readonly JsonValue[] | JsonObject,
    info: RpcCallInfo,
    id: JsonValue = null,
  ): Promise<unknown> {
    const entry = this.table.get(method);
    const label = entry === undefined ? UNKNOWN_METHOD_LABEL : method;
    const started = performance.now();
    let result = "ok";
    try {
      if (this.warmupMessage !== null && entry?.allowInWarmup !== true) {
        throw new RpcError(RpcErrorCode.IN_WARMUP, this.warmupMessage);
      }
      if (entry === undefined)
        throw new RpcError(RpcErrorCode.METHOD_NOT_FOUND, "Method not found");
      const args = resolveArgs(entry.params, params, () => methodHelp(entry));
      const ctx: RpcContext = { method, id, ...info };
      return (await entry.handler(args, ctx)) ?? null;
    } catch (err) {
      const rpcError = toRpcError(err);
      result = String(rpcError.code);
      if (rpcError !== err) {
        this.components.logger.warn({ err, method }, "RPC method failed");
      }
      throw rpcError;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.components.metrics?.calls.inc({ method: label, result });
      this.components.metrics?.seconds.observe({ method: label }, seconds);
      this.components.logger.debug(
        { method, user: info.user, peer: info.peer, result, ms: Math.round(seconds * 1000) },
        "RPC call",
      );
    }
  }

  /**
   * One POST body (already JSON-parsed) to its HTTP answer, as Core's HTTPReq_JSONRPC:
   * - a single legacy (1.0) request that fails answers 400 (invalid request), 404 (method not
   *   found) or 500 (anything else), with the error in the body;
   * - a single 2.0 request answers 200 with the error in the body, unless the request object
   *   itself is malformed; a 2.0 notification (no id) answers 204;
   * - a batch always answers 200 with one reply per non-notification (204 if none, unless empty).
   */
  async handle(payload: JsonValue, info: RpcCallInfo): Promise<RpcHttpAnswer> {
    if (Array.isArray(payload)) return this.handleBatch(payload, info);
    if (typeof payload !== "object" || payload === null) {
      const error = new RpcError(RpcErrorCode.PARSE_ERROR, "Top-level object parse error");
      return { status: 500, body: reply({ id: undefined, version: "1.0" }, undefined, error) };
    }
    const envelope: Envelope = { id: undefined, version: "1.0" };
    let request: ParsedRequest;
    try {
      request = parseRequest(payload, envelope);
    } catch (err) {
      const error = toRpcError(err);
      return { status: httpStatusForRpcError(error.code), body: reply(envelope, undefined, error) };
    }
    const v2 = envelope.version === "2.0";
    try {
      const result = await this.call(request.method, request.params, info, envelope.id ?? null);
      if (isNotification(envelope)) return { status: 204, body: undefined };
      return { status: 200, body: reply(envelope, result, null) };
    } catch (err) {
      const error = toRpcError(err);
      if (isNotification(envelope)) return { status: 204, body: undefined };
      const status = v2 ? 200 : httpStatusForRpcError(error.code);
      return { status, body: reply(envelope, undefined, error) };
    }
  }

  private async handleBatch(
    payload: readonly JsonValue[],
    info: RpcCallInfo,
  ): Promise<RpcHttpAnswer> {
    const replies: RpcReply[] = [];
    // Sequential, as Core: a batch is a script, and a later call may depend on an earlier one.
    for (const item of payload) {
      const envelope: Envelope = { id: undefined, version: "1.0" };
      let answer: RpcReply;
      try {
        const request = parseRequest(item, envelope);
        const result = await this.call(request.method, request.params, info, envelope.id ?? null);
        answer = reply(envelope, result, null);
      } catch (err) {
        answer = reply(envelope, undefined, toRpcError(err));
      }
      if (!isNotification(envelope)) replies.push(answer);
    }
    if (replies.length === 0 && payload.length > 0) return { status: 204, body: undefined };
    return { status: 200, body: replies };
  }

  private registerBuiltins(): void {
    this.registerMethod({
      name: "help",
      category: "control",
      params: [{ name: "command", type: "string", description: "The command to get help on" }],
      help: "List all commands, or get help for a specified command.",
      result: '"text"    (string) The help text',
      allowInWarmup: true,
      handler: (args) => this.help(args.command),
    });
    this.registerMethod({
      name: "uptime",
      category: "control",
      help: "Returns the total uptime of the server.",
      result: "n    (numeric) The number of seconds that the server has been running",
      allowInWarmup: true,
      handler: () => Math.floor((this.opts.now() - this.startedAt) / 1000),
    });
    const onStop = this.opts.onStop;
    if (onStop === undefined) return;
    this.registerMethod({
      name: "stop",
      category: "control",
      help: "Request a graceful shutdown of Starling.",
      result: "\"str\"    (string) A string with the content 'Starling stopping'",
      allowInWarmup: true,
      handler: () => {
        // After this reply is on its way: the hook closes the RPC server among other things.
        setImmediate(() => {
          Promise.resolve()
            .then(onStop)
            .catch((err: unknown) => this.components.logger.error({ err }, "stop hook failed"));
        });
        return this.opts.stopMessage;
      },
    });
  }
}

/** Core's JSONRPCRequest::parse; fills `envelope` as it goes so errors carry the id. */
function parseRequest(value: JsonValue, envelope: Envelope): ParsedRequest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RpcError(RpcErrorCode.INVALID_REQUEST, "Invalid Request object");
  }
  const request = value as JsonObject;
  if (Object.hasOwn(request, "id")) envelope.id = request.id;
  const version = request.jsonrpc;
  if (version !== undefined && version !== null) {
    if (typeof version !== "string") {
      throw new RpcError(RpcErrorCode.INVALID_REQUEST, "jsonrpc field must be a string");
    }
    // Some old documentation put {"jsonrpc": "1.0"} in requests; Core accepts it as legacy.
    if (version === "2.0") envelope.version = "2.0";
    else if (version !== "1.0") {
      throw new RpcError(RpcErrorCode.INVALID_REQUEST, "JSON-RPC version not supported");
    }
  }
  const method = request.method;
  if (method === undefined || method === null) {
    throw new RpcError(RpcErrorCode.INVALID_REQUEST, "Missing method");
  }
  if (typeof method !== "string") {
    throw new RpcError(RpcErrorCode.INVALID_REQUEST, "Method must be a string");
  }
  const params = request.params;
  if (params === undefined || params === null) return { method, params: [] };
  if (typeof params !== "object") {
    throw new RpcError(RpcErrorCode.INVALID_REQUEST, "Params must be an array or object");
  }
  return { method, params };
}

function isNotification(envelope: Envelope): boolean {
  return envelope.version === "2.0" && envelope.id === undefined;
}

function reply(envelope: Envelope, result: unknown, error: RpcError | null): RpcReply {
  const id = envelope.id ?? null;
  if (envelope.version === "2.0") {
    return error === null
      ? { jsonrpc: "2.0", result, id }
      : { jsonrpc: "2.0", error: error.toJSON(), id };
  }
  return error === null ? { result, error: null, id } : { result: null, error: error.toJSON(), id };
}

/** Core's ExecuteCommand: anything that is not an RpcError becomes RPC_MISC_ERROR with its text. */
function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RpcError(RpcErrorCode.MISC_ERROR, message, { cause: err });
}
