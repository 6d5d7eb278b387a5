/**
 * @packageDocumentation
 * `@starling/node`: the full node. It wires chain, storage, mempool, miner and network together.
 */

export { createProgram } from "./cli/program.ts";
export {
  type ComponentLogger,
  LogModule,
  moduleLogger,
  SILENT_COMPONENT_LOGGER,
} from "./logging/component-logger.ts";
export {
  createLogger,
  DEFAULT_LOGGER_OPTIONS,
  isLogLevel,
  LOG_LEVELS,
  type LogFormat,
  type LoggerOptions,
  type LogLevel,
} from "./logging/logger.ts";
export { isSecretKey, REDACTED, SECRET_KEYS, scrubSecrets } from "./logging/redact.ts";
export { minerMetrics, type NetworkMetricsShape, networkMetrics } from "./metrics/adapters.ts";
export {
  type ChainMetrics,
  createMetrics,
  DEFAULT_METRICS_OPTIONS,
  type MempoolInfoLike,
  type MempoolMetrics,
  type Metrics,
  type MetricsOptions,
  type MinerPromMetrics,
  type NetworkPromMetrics,
  type PropagationMetrics,
  type RpcPromMetrics,
  type SyncMetrics,
} from "./metrics/metrics.ts";
export {
  type MetricsServer,
  MetricsServerError,
  MetricsServerErrorCode,
  type MetricsServerOptions,
  startMetricsServer,
} from "./metrics/server.ts";
export {
  type CreateNodeComponents,
  createNode,
  DEFAULT_WALLET_NAME,
  type NodeSync,
  type StarlingNode,
} from "./node/node.ts";
export {
  DEFAULT_DBCACHE_MIB,
  DEFAULT_MAX_PEERS,
  DEFAULT_PROPAGATION_CAPACITY,
  defaultDatadir,
  type NodeOptions,
  resolveNodeOptions,
} from "./node/options.ts";
export {
  type FirstSightKind,
  FirstSightLog,
  type FirstSightQuery,
  type FirstSightRecord,
  type FirstSightVia,
} from "./propagation/first-sight-log.ts";
export {
  basicAuthHeader,
  parseBasicAuth,
  RpcAuthenticator,
  type RpcAuthOptions,
  type RpcAuthSetup,
  setupRpcAuth,
  WWW_AUTHENTICATE,
} from "./rpc/auth.ts";
export {
  type CallRpcOptions,
  callRpc,
  DEFAULT_RPC_CLIENT_TIMEOUT_MS,
  type RpcClientAuth,
} from "./rpc/client.ts";
export {
  type AuthCookie,
  COOKIE_FILE_NAME,
  COOKIE_USER,
  cookiePath,
  parseCookie,
  type RpcCredentials,
  readAuthCookie,
  writeAuthCookie,
} from "./rpc/cookie.ts";
export {
  DEFAULT_RPC_DISPATCHER_OPTIONS,
  type RpcCallInfo,
  RpcDispatcher,
  type RpcDispatcherComponents,
  type RpcDispatcherOptions,
  type RpcHttpAnswer,
  type RpcMetrics,
  type RpcReply,
} from "./rpc/dispatcher.ts";
export {
  httpStatusForRpcError,
  RPC_TRANSACTION_ALREADY_IN_CHAIN,
  RPC_TRANSACTION_ERROR,
  RPC_TRANSACTION_REJECTED,
  RpcError,
  RpcErrorCode,
  type RpcErrorObject,
  RpcServerError,
  RpcServerErrorCode,
  RpcTransportError,
} from "./rpc/errors.ts";
export {
  isLoopbackHost,
  type RpcServer,
  type RpcServerComponents,
  startRpcServer,
} from "./rpc/server.ts";
export {
  DEFAULT_RPC_SERVER_OPTIONS,
  type JsonObject,
  type JsonValue,
  type RegisteredRpcMethod,
  type RpcArgs,
  type RpcContext,
  type RpcMethodSpec,
  type RpcParamSpec,
  type RpcParamType,
  type RpcParamValue,
  type RpcServerOptions,
  type RpcVersion,
  stringifyRpcJson,
} from "./rpc/types.ts";
export {
  type BlockRequest,
  type BlockSync,
  createSync,
  DEFAULT_SYNC_OPTIONS,
  DownloadScheduler,
  type ReadyBlock,
  resolveSyncOptions,
  type SchedulerLimits,
  type StallCandidate,
  type SyncComponents,
  type SyncErrorEvent,
  type SyncEvents,
  SyncEventTarget,
  type SyncedEvent,
  type SyncInit,
  type SyncNetwork,
  type SyncOptions,
  SyncOptionsError,
  type SyncProgressEvent,
  type SyncState,
  type SyncStatus,
  type WantedBlock,
} from "./sync/index.ts";
export { CachingScriptJobRunner } from "./verify/caching-runner.ts";
export { VerifyPoolError, VerifyPoolErrorCode } from "./verify/errors.ts";
export {
  DEFAULT_SCRIPT_CACHE_ENTRIES,
  impliedFlags,
  ScriptCache,
  type ScriptCacheOptions,
} from "./verify/script-cache.ts";
export {
  createVerifyPool,
  DEFAULT_BATCH_SIZE,
  VerifyPool,
  type VerifyPoolOptions,
} from "./verify/verify-pool.ts";
export * from "./wallet/index.ts";
