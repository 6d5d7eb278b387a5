/**
 * The benchmark harness: every figure is a ratio to a limit measured in the same run.
 *
 * A benchmark runs its reference limit and the project's path interleaved in rounds (limit, project,
 * limit, project, ...), after one warm-up round, and reports the median of the per-round ratios with
 * the median absolute rates beside them. On a noisy shared machine a ratio taken round by round
 * cancels most of the drift that an absolute time carries.
 */

export type Mode = "full" | "quick" | "smoke";

export interface Measurement {
  /** Work units done (signatures, hashes, bytes, blocks...). */
  units: number;
  /** Wall time in seconds. */
  seconds: number;
}

export interface BenchInstance {
  /** Name of the limit actually used (a fallback names itself). */
  limitName: string;
  limit(): Promise<Measurement>;
  project(): Promise<Measurement>;
  /** Extra figures to print beside the ratio (e.g. per-thread rates). */
  notes?: () => Record<string, string | number>;
  close?(): Promise<void>;
}

export interface Bench {
  name: string;
  /** Unit of the rates, e.g. "sig/s". */
  unit: string;
  /** "higher": ratio = project rate / limit rate; "lower": ratio = project time / limit time. */
  better: "higher" | "lower";
  /** The goal on the ratio; undefined means report only. */
  goal?: number;
  /** Builds the workload for a mode (smoke = tiny, for `npm test`). */
  setup(mode: Mode): Promise<BenchInstance>;
}

export interface BenchResult {
  bench: string;
  value: number;
  unit: string;
  limit: number;
  limitName: string;
  ratio: number;
  goal: number | null;
  pass: boolean | null;
  rounds: number;
  peakRssMb: number;
  notes?: Record<string, string | number>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times `fn`, which returns the units of work it did. */
export async function measure(fn: () => Promise<number> | number): Promise<Measurement> {
  const start = process.hrtime.bigint();
  const units = await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { units, seconds };
}

export async function runBench(bench: Bench, mode: Mode): Promise<BenchResult> {
  const instance = await bench.setup(mode);
  const rounds = mode === "smoke" ? 1 : mode === "quick" ? 5 : 7;
  try {
    // Warm-up: JIT, caches, worker start-up.
    await instance.limit();
    await instance.project();
    const ratios: number[] = [];
    const limitRates: number[] = [];
    const projectRates: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const l = await instance.limit();
      const p = await instance.project();
      const limitRate = l.units / l.seconds;
      const projectRate = p.units / p.seconds;
      limitRates.push(limitRate);
      projectRates.push(projectRate);
      ratios.push(bench.better === "higher" ? projectRate / limitRate : limitRate / projectRate);
    }
    const ratio = median(ratios);
    const goal = bench.goal ?? null;
    const pass = goal === null ? null : bench.better === "higher" ? ratio >= goal : ratio <= goal;
    const result: BenchResult = {
      bench: bench.name,
      value: median(projectRates),
      unit: bench.unit,
      limit: median(limitRates),
      limitName: instance.limitName,
      ratio,
      goal,
      pass,
      rounds,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    const notes = instance.notes?.();
    if (notes !== undefined) result.notes = notes;
    return result;
  } finally {
    await instance.close?.();
  }
}

export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(1);
}
