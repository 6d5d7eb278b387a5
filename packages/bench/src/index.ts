/**
 * @packageDocumentation
 * `@starling/bench`: the harness behind `npm run bench`. Each package keeps its benchmarks in
 * `bench/*.bench.ts`, exporting `benches: Bench[]`; scripts/bench.ts finds and runs them.
 */
export {
  type Bench,
  type BenchInstance,
  type BenchResult,
  formatRate,
  type Measurement,
  type Mode,
  measure,
  median,
  runBench,
} from "./harness.ts";
export {
  buildNative,
  cpuHasShaNi,
  NATIVE_SOURCE_DIR,
  type NativeBuild,
  type NativeProgramName,
  type NativeReference,
  type NativeReferenceResult,
  type NativeRun,
  type NativeSpec,
  nativeCacheDir,
  nativeDisabled,
  nativeReference,
  nativeSecp256k1VerifyLoop,
  nativeSha256dHeaderLoop,
  nativeSha256dMidstateLoop,
  parseNativeOutput,
  runNative,
} from "./native.ts";
