/**
 * @packageDocumentation
 * `@starling/node`: the full node. It wires chain, storage, mempool, miner and network together.
 */
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
