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
