import { randomBytes } from "node:crypto";
import type { Block } from "@starling/chain";
import { BlockNotConnectedError, MinerBusyError } from "./errors.ts";
import { HashRateMeter } from "./hash-rate.ts";
import { mineBlock } from "./mine-block.ts";
import { type MinerLogger, type MinerMetrics, SILENT_LOGGER } from "./observability.ts";
import { defaultThreads, PowWorkerPool } from "./pow-pool.ts";
import type { ChainTipSource, TxSource } from "./sources.ts";
import {
  type BlockTemplate,
  createBlockTemplate,
  type TemplateNetwork,
  type TemplateOptions,
} from "./template.ts";
import { type TemplateChange, TemplateManager } from "./template-manager.ts";

/**
 * The CPU miner: templates from the node's chain and mempool, the proof-of-work search on worker
 * threads, found blocks handed to the node. Two ways to use it:
 * - `start()` mines continuously until `stop()`; `newTip()` (the node calls it on every new best
 *   block) abandons the current search within one worker chunk and starts on the new tip;
 * - `mineOne()` / `generate(n)` mine on demand (regtest `generate`, tests).
 */

export interface MinerInit {
  readonly chain: ChainTipSource;
  readonly txSource: TxSource;
  readonly network: TemplateNetwork;
  /** Where the coinbase pays. */
  readonly payoutScript: Uint8Array;
  /** Receives every block found (already checked against its target); the node connects it. */
  readonly onBlockFound: (block: Block, template: BlockTemplate) => void | Promise<void>;
  /** Worker threads (default: cores − 1, at least 1). */
  readonly threads?: number;
  readonly template?: TemplateOptions;
  /** Fee gain that justifies a new template on the same tip (base units; default 10,000). */
  readonly feeRiseThreshold?: bigint;
  /** While mining continuously, how often to look for a better template (default 5,000 ms). */
  readonly templateRefreshMs?: number;
  /** While mining continuously, how often to report the hash rate (default 10,000 ms). */
  readonly reportIntervalMs?: number;
  /** Window of `hashRate()` (default 10,000 ms). */
  readonly hashRateWindowMs?: number;
  /** Nonces per header before the time or extra-nonce rolls (default 2^32; tests use fewer). */
  readonly noncesPerHeader?: number;
  readonly metrics?: MinerMetrics;
  readonly logger?: MinerLogger;
}

export interface MineOptions {
  readonly signal?: AbortSignal;
  /** Pay this script instead of the miner's (generatetoaddress). */
  readonly payoutScript?: Uint8Array;
}

/** A random start for the extra-nonce: two miners paying one address never hash the same headers. */
function randomExtraNonce(): bigint {
  return randomBytes(8).readBigUInt64LE() >> 1n;
}

export class CpuMiner {
  readonly threads: number;
  private readonly init: MinerInit;
  private readonly log: MinerLogger;
  private readonly templates: TemplateManager;
  private readonly meter: HashRateMeter;
  private pool: PowWorkerPool | undefined;
  /** Hashes of pools already closed. */
  private hashesBefore = 0;
  private reportedHashes = 0;
  private extraNonce = randomExtraNonce();
  private running = false;
  private loop: Promise<void> | undefined;
  private search: AbortController | undefined;
  /** True while mineOne/generate runs. */
  private busy = false;
  private timers: ReturnType<typeof setInterval>[] = [];

  constructor(init: MinerInit) {
    this.init = init;
    this.threads = init.threads ?? defaultThreads();
    if (!Number.isInteger(this.threads) || this.threads < 1) {
      throw new RangeError(`threads must be a positive integer, got ${this.threads}`);
    }
    this.log = init.logger ?? SILENT_LOGGER;
    this.meter = new HashRateMeter(init.hashRateWindowMs);
    this.templates = new TemplateManager({
      chain: init.chain,
      txSource: init.txSource,
      network: init.network,
      payoutScript: init.payoutScript,
      ...(init.template === undefined ? {} : { template: init.template }),
      ...(init.feeRiseThreshold === undefined ? {} : { feeRiseThreshold: init.feeRiseThreshold }),
      onTemplate: (template, reason) => this.onTemplate(template, reason),
    });
  }

  /** True between `start()` and `stop()`. */
  get mining(): boolean {
    return this.running;
  }

  /** The template being mined (continuous mode), if any. */
  currentTemplate(): BlockTemplate | undefined {
    return this.templates.peek();
  }

  /** Starts continuous mining (no-op when already mining). */
  start(): void {
    if (this.running) return;
    if (this.busy) throw new MinerBusyError("mineOne/generate is running");
    this.running = true;
    this.meter.reset();
    this.init.metrics?.setThreads?.(this.threads);
    this.log.info({ threads: this.threads }, "miner started");
    this.timers.push(
      setInterval(() => this.checkTemplate(), this.init.templateRefreshMs ?? 5_000),
      setInterval(() => this.report(), this.init.reportIntervalMs ?? 10_000),
    );
    for (const timer of this.timers) timer.unref();
    this.loop = this.run();
  }

  /** Stops mining: the search is abandoned, and the worker threads exit. */
  async stop(): Promise<void> {
    const wasRunning = this.running;
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.search?.abort();
    await this.loop;
    this.loop = undefined;
    await this.closePool();
    this.init.metrics?.setThreads?.(0);
    this.init.metrics?.setHashRate?.(0);
    if (wasRunning) this.log.info({}, "miner stopped");
  }

  /** The node calls this on every new best block: the search moves to the new tip at once. */
  newTip(): void {
    if (this.running) this.checkTemplate();
  }

  /** Hashes per second over the sliding window. */
  hashRate(): number {
    this.meter.sample(performance.now(), this.totalHashes());
    return this.meter.rate();
  }

  /** Hashes done since the miner was created. */
  totalHashes(): number {
    return this.hashesBefore + (this.pool?.totalHashes() ?? 0);
  }

  /**
   * Mines one block on the current tip and returns it, without handing it to `onBlockFound`.
   * Not while mining continuously.
   */
  mineOne(options: MineOptions = {}): Promise<Block> {
    return this.onDemand(options, (template) => this.mineTemplate(template, options.signal));
  }

  /**
   * generatetoaddress: mines `count` blocks in sequence, each handed to `onBlockFound` (awaited)
   * and expected to become the tip before the next is built on it (BlockNotConnectedError if not).
   */
  async generate(count: number, options: MineOptions = {}): Promise<Block[]> {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError("count must be an integer >= 0");
    const blocks: Block[] = [];
    for (let i = 0; i < count; i++) {
      const block = await this.onDemand(options, async (template) => {
        const found = await this.mineTemplate(template, options.signal);
        await this.init.onBlockFound(found, template);
        if (this.init.chain.getTip().hash !== found.hash()) {
          throw new BlockNotConnectedError(
            `block ${found.hash()} at height ${template.height} did not become the tip`,
          );
        }
        return found;
      });
      blocks.push(block);
    }
    return blocks;
  }

  /** Stops mining and releases the worker threads (the miner can still be started again). */
  close(): Promise<void> {
    return this.stop();
  }

  /** Runs `work` on a fresh template of the current tip; one on-demand job at a time. */
  private async onDemand<T>(
    options: MineOptions,
    work: (template: BlockTemplate) => Promise<T>,
  ): Promise<T> {
    if (this.running) throw new MinerBusyError("the miner is mining continuously");
    if (this.busy) throw new MinerBusyError("mineOne/generate is already running");
    this.busy = true;
    try {
      const template = createBlockTemplate({
        chain: this.init.chain,
        txSource: this.init.txSource,
        network: this.init.network,
        payoutScript: options.payoutScript ?? this.init.payoutScript,
        ...(this.init.template === undefined ? {} : { options: this.init.template }),
      });
      this.onTemplate(template, "on-demand");
      return await work(template);
    } finally {
      this.busy = false;
    }
  }

  private getPool(): PowWorkerPool {
    if (this.pool === undefined) this.pool = new PowWorkerPool({ threads: this.threads });
    return this.pool;
  }

  private async closePool(): Promise<void> {
    const pool = this.pool;
    if (pool === undefined) return;
    this.pool = undefined;
    this.hashesBefore += pool.totalHashes();
    await pool.close();
  }

  private async mineTemplate(template: BlockTemplate, signal?: AbortSignal): Promise<Block> {
    const block = await mineBlock(template, {
      pool: this.getPool(),
      now: () => this.init.chain.now(),
      extraNonce: this.extraNonce,
      onHeader: ({ extraNonce, time }) => {
        this.extraNonce = extraNonce + 1n;
        this.log.debug({ height: template.height, extraNonce: String(extraNonce), time }, "header");
      },
      ...(signal === undefined ? {} : { signal }),
      ...(this.init.noncesPerHeader === undefined
        ? {}
        : { noncesPerHeader: this.init.noncesPerHeader }),
    });
    this.init.metrics?.blockFound?.({ height: template.height, hash: block.hash() });
    this.log.info(
      {
        height: template.height,
        hash: block.hash(),
        transactions: block.transactions.length,
        fees: String(template.fees),
      },
      "block found",
    );
    return block;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const { template } = this.templates.refresh();
      const controller = new AbortController();
      this.search = controller;
      let block: Block;
      try {
        block = await this.mineTemplate(template, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) continue; // a new tip, a better template, or stop()
        this.log.error({ err: error }, "mining failed; the miner stops");
        this.running = false;
        for (const timer of this.timers) clearInterval(timer);
        this.timers = [];
        break;
      } finally {
        this.search = undefined;
      }
      try {
        await this.init.onBlockFound(block, template);
      } catch (error) {
        this.log.warn({ err: error, hash: block.hash() }, "the node refused the block found");
      }
    }
  }

  /** Rebuilds the template when the policy says so; a change abandons the current search. */
  private checkTemplate(): void {
    try {
      const { changed } = this.templates.refresh();
      if (changed !== null) this.search?.abort();
    } catch (error) {
      this.log.error({ err: error }, "template refresh failed");
    }
  }

  private onTemplate(template: BlockTemplate, reason: TemplateChange): void {
    this.init.metrics?.templateBuilt?.({
      reason,
      height: template.height,
      transactions: template.transactions.length,
      fees: template.fees,
      size: template.size,
    });
    this.log.debug(
      {
        reason,
        height: template.height,
        transactions: template.transactions.length,
        fees: String(template.fees),
        size: template.size,
      },
      "block template",
    );
  }

  private report(): void {
    const total = this.totalHashes();
    const rate = this.hashRate();
    this.init.metrics?.addHashes?.(total - this.reportedHashes);
    this.reportedHashes = total;
    this.init.metrics?.setHashRate?.(rate);
    this.log.info({ hashRate: Math.round(rate), threads: this.threads, total }, "hash rate");
  }
}

/** The CPU miner facade (see CpuMiner). */
export function createMiner(init: MinerInit): CpuMiner {
  return new CpuMiner(init);
}
