/**
 * Fee estimation from two sources (docs/mempool.md, "Fee estimation"):
 * - recent blocks: the fee rates of the transactions each connected block took from this mempool;
 *   for a target of t blocks, the size-weighted percentile p(t) = 90 - 20 * log2(t) (clamped to
 *   10..90) over the last clamp(2t, 6, history) blocks: paying more than 90% of what was recently
 *   mined gets into the next block, waiting longer allows paying less;
 * - the mempool now: walking it in mining order (ancestor score), the rate of the transaction at
 *   which t blocks' worth of bytes is used up, i.e. what outbids the queue ahead for t blocks.
 * The estimate is the highest of those and the floor (minimum relay fee, rolling minimum); it is
 * undefined when neither source says anything (no recorded block with transactions and a mempool
 * shallower than t blocks).
 */

export interface FeeRateSample {
  /** Base units per 1000 bytes. */
  readonly feeRate: bigint;
  readonly size: number;
}

interface BlockRecord {
  readonly height: number;
  readonly samples: readonly FeeRateSample[];
}

export interface FeeEstimateInputs {
  /** Mempool transactions in mining order (highest ancestor score first), at their package rate. */
  readonly queue: Iterable<FeeRateSample>;
  /** Bytes of block space per block. */
  readonly blockBytes: number;
  /** Lowest rate worth paying: minimum relay fee and the rolling minimum. */
  readonly floor: bigint;
}

/** The size-weighted percentile of the samples' rates (0 < p <= 100); undefined when empty. */
export function weightedPercentile(
  samples: readonly FeeRateSample[],
  percentile: number,
): bigint | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) =>
    a.feeRate < b.feeRate ? -1 : a.feeRate > b.feeRate ? 1 : 0,
  );
  let total = 0;
  for (const s of sorted) total += s.size;
  const threshold = (total * percentile) / 100;
  let cumulative = 0;
  for (const s of sorted) {
    cumulative += s.size;
    if (cumulative >= threshold) return s.feeRate;
  }
  return sorted[sorted.length - 1]!.feeRate;
}

/** The percentile used for a target of `target` blocks. */
export function targetPercentile(target: number): number {
  return Math.min(90, Math.max(10, 90 - 20 * Math.log2(target)));
}

export class FeeEstimator {
  private readonly historyBlocks: number;
  private blocks: BlockRecord[] = [];

  constructor(historyBlocks: number) {
    this.historyBlocks = historyBlocks;
  }

  /** Highest target answered; larger ones are clamped to it. */
  get maxTarget(): number {
    return this.historyBlocks;
  }

  recordBlock(height: number, samples: readonly FeeRateSample[]): void {
    this.blocks = this.blocks.filter((b) => b.height < height);
    this.blocks.push({ height, samples });
    if (this.blocks.length > this.historyBlocks) this.blocks.shift();
  }

  /** Forgets blocks at or above `height` (they were disconnected). */
  forgetFrom(height: number): void {
    this.blocks = this.blocks.filter((b) => b.height < height);
  }

  estimate(target: number, inputs: FeeEstimateInputs): bigint | undefined {
    const t = Math.min(Math.max(1, Math.floor(target)), this.historyBlocks);
    const window = Math.min(Math.max(2 * t, 6), this.historyBlocks);
    const samples = this.blocks.slice(-window).flatMap((b) => b.samples);
    const fromBlocks = weightedPercentile(samples, targetPercentile(t));
    const fromMempool = queueRate(inputs.queue, t * inputs.blockBytes);
    if (fromBlocks === undefined && fromMempool === undefined) return undefined;
    let rate = inputs.floor;
    if (fromBlocks !== undefined && fromBlocks > rate) rate = fromBlocks;
    if (fromMempool !== undefined && fromMempool > rate) rate = fromMempool;
    return rate;
  }
}

/** The rate of the queue entry that fills `bytes`; undefined when the queue is shorter. */
function queueRate(queue: Iterable<FeeRateSample>, bytes: number): bigint | undefined {
  let used = 0;
  for (const s of queue) {
    used += s.size;
    if (used > bytes) return s.feeRate;
  }
  return undefined;
}
