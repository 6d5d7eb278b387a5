import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  createInlineScriptJobRunner,
  createVerifier,
  defaultVerifier,
  type ScriptJob,
  type ScriptJobFailure,
  type ScriptJobRunner,
  type SignatureVerifier,
  type VerifierKind,
} from "@starling/chain";
import { encodeBatch, type JobSlice } from "./batch-codec.ts";
import { VerifyPoolError, VerifyPoolErrorCode } from "./errors.ts";
import type { BatchRequest, SegmentOutcome, VerifyWorkerData, WorkerMessage } from "./messages.ts";

/**
 * The script-check worker pool: Bitcoin Core's CCheckQueue on node:worker_threads. Runs from any
 * number of callers (block validation, the mempool) share one queue; see docs/verification.md.
 */

export interface VerifyPoolOptions {
  /** Worker threads; default os.availableParallelism(). */
  readonly threads?: number;
  /**
   * Most script jobs per message; default 32. One job per message halves the throughput (the
   * message costs about as much as a signature); 16-64 reach the addon's speed.
   */
  readonly batchSize?: number;
  /** Signature backend of every worker and of inline runs; default native when it loads, else noble. */
  readonly verifier?: VerifierKind;
  /**
   * Runs with fewer jobs than this run on the calling thread, where a message round trip would
   * cost more than the checks; default 0 (every run goes to the workers).
   */
  readonly inlineBelow?: number;
  /** Batches sent to one worker before its first answer, so it never idles on a round trip; default 2. */
  readonly batchesPerWorker?: number;
  /** Called after each batch is posted, with the worker it went to (tests use it to kill one mid-run). */
  readonly onBatchDispatched?: (worker: Worker) => void;
}

export const DEFAULT_BATCH_SIZE = 32;
const DEFAULT_BATCHES_PER_WORKER = 2;
const WORKER_URL = new URL("./worker.ts", import.meta.url);

interface RunState {
  readonly jobs: readonly ScriptJob[];
  /** Largest slice of this run one batch takes: small runs are spread over every worker. */
  readonly sliceSize: number;
  /** The first job not yet sent. */
  next: number;
  /** Slices sent and not answered. */
  inFlight: number;
  settled: boolean;
  readonly resolve: (failure: ScriptJobFailure | null) => void;
  readonly reject: (error: unknown) => void;
  detach: () => void;
}

interface Segment extends JobSlice {
  readonly run: RunState;
}

interface WorkerSlot {
  readonly worker: Worker;
  /** Batches posted and not answered, by id. */
  readonly inFlight: Map<number, readonly Segment[]>;
  ready: boolean;
  lastError: unknown;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`createVerifyPool: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function resolveVerifier(kind: VerifierKind | undefined): {
  kind: VerifierKind;
  verifier: SignatureVerifier;
} {
  if (kind === undefined) {
    const verifier = defaultVerifier();
    return { kind: verifier.name as VerifierKind, verifier };
  }
  try {
    return { kind, verifier: createVerifier(kind) };
  } catch (error) {
    throw new VerifyPoolError(VerifyPoolErrorCode.VERIFIER_UNAVAILABLE, `${kind}`, {
      cause: error,
    });
  }
}

export class VerifyPool implements ScriptJobRunner {
  readonly threads: number;
  readonly batchSize: number;
  readonly verifierKind: VerifierKind;
  private readonly inlineBelow: number;
  private readonly batchesPerWorker: number;
  private readonly onBatchDispatched: ((worker: Worker) => void) | undefined;
  private readonly inline: ScriptJobRunner;
  private readonly slots = new Set<WorkerSlot>();
  /** Runs with jobs not yet sent, served round-robin one slice at a time. */
  private readonly queue: RunState[] = [];
  /** Runs not yet settled (queued or in flight). */
  private readonly active = new Set<RunState>();
  private nextBatchId = 0;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private broken: VerifyPoolError | undefined;

  constructor(options: VerifyPoolOptions = {}) {
    this.threads = positiveInteger("threads", options.threads ?? availableParallelism());
    this.batchSize = positiveInteger("batchSize", options.batchSize ?? DEFAULT_BATCH_SIZE);
    this.batchesPerWorker = positiveInteger(
      "batchesPerWorker",
      options.batchesPerWorker ?? DEFAULT_BATCHES_PER_WORKER,
    );
    this.inlineBelow = options.inlineBelow ?? 0;
    this.onBatchDispatched = options.onBatchDispatched;
    const { kind, verifier } = resolveVerifier(options.verifier);
    this.verifierKind = kind;
    this.inline = createInlineScriptJobRunner(verifier);
  }

  /** Starts the workers and waits until each has loaded; run() calls it when needed. */
  start(): Promise<void> {
    if (this.closing !== undefined) {
      return Promise.reject(new VerifyPoolError(VerifyPoolErrorCode.CLOSED));
    }
    this.starting ??= this.startAll();
    return this.starting;
  }

  private async startAll(): Promise<void> {
    const started = Array.from({ length: this.threads }, () => this.spawn());
    try {
      await Promise.all(started);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Resolves when the new worker is ready; rejects when it exits first. */
  private spawn(): Promise<void> {
    const workerData: VerifyWorkerData = { verifier: this.verifierKind };
    const worker = new Worker(WORKER_URL, { workerData });
    const slot: WorkerSlot = { worker, inFlight: new Map(), ready: false, lastError: undefined };
    this.slots.add(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") {
          slot.ready = true;
          resolve();
          this.dispatch();
        } else {
          this.onAnswer(slot, message);
        }
      });
      worker.on("error", (error) => {
        slot.lastError = error;
      });
      worker.on("exit", (code) => {
        this.slots.delete(slot);
        if (!slot.ready) {
          reject(
            this.closing !== undefined
              ? new VerifyPoolError(VerifyPoolErrorCode.CLOSED)
              : new VerifyPoolError(
                  VerifyPoolErrorCode.WORKER_START_FAILED,
                  `worker exited with code ${code} before it was ready`,
                  { cause: slot.lastError },
                ),
          );
        }
        this.onExit(slot, code);
      });
    });
  }

  private onExit(slot: WorkerSlot, code: number): void {
    if (this.closing !== undefined) return;
    const error = new VerifyPoolError(
      VerifyPoolErrorCode.WORKER_EXITED,
      `a verify worker exited with code ${code} while checking this run`,
      { cause: slot.lastError },
    );
    for (const segments of slot.inFlight.values()) {
      for (const segment of segments) this.fail(segment.run, error);
    }
    slot.inFlight.clear();
    if (slot.ready) {
      // A worker that had started once is replaced; one that cannot even start is not, or a broken
      // installation would spawn workers forever. Its start failure is reported below.
      this.spawn().catch(() => {});
    } else if (this.slots.size === 0) {
      this.broken = new VerifyPoolError(
        VerifyPoolErrorCode.NO_WORKERS,
        "every verify worker exited and none could be restarted",
        { cause: slot.lastError },
      );
      for (const run of [...this.active]) this.fail(run, this.broken);
    }
    this.dispatch();
  }

  /**
   * Checks `jobs`: null when all pass, else the first failure a worker reported (the rest of the
   * run is then dropped from the queue, and answers still in flight are ignored). Rejects with the
   * signal's reason when aborted, and with VerifyPoolError when a worker dies holding part of the
   * run or the pool is closed.
   */
  async run(
    jobs: readonly ScriptJob[],
    options: { signal?: AbortSignal } = {},
  ): Promise<ScriptJobFailure | null> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.broken !== undefined) throw this.broken;
    if (this.closing !== undefined) throw new VerifyPoolError(VerifyPoolErrorCode.CLOSED);
    if (jobs.length === 0) return null;
    if (jobs.length < this.inlineBelow) return this.inline.run(jobs, options);
    await this.start();
    signal?.throwIfAborted();
    if (this.broken !== undefined) throw this.broken;
    if (this.closing !== undefined) throw new VerifyPoolError(VerifyPoolErrorCode.CLOSED);
    return new Promise((resolve, reject) => {
      const run: RunState = {
        jobs,
        sliceSize: Math.max(1, Math.min(this.batchSize, Math.ceil(jobs.length / this.threads))),
        next: 0,
        inFlight: 0,
        settled: false,
        resolve,
        reject,
        detach: () => {},
      };
      if (signal !== undefined) {
        const onAbort = (): void => this.fail(run, signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        run.detach = () => signal.removeEventListener("abort", onAbort);
      }
      this.active.add(run);
      this.queue.push(run);
      this.dispatch();
    });
  }

  /** Rejects every unsettled run with VerifyPoolError "closed" and terminates the workers. */
  close(): Promise<void> {
    if (this.closing === undefined) {
      const error = new VerifyPoolError(VerifyPoolErrorCode.CLOSED, "the verify pool was closed");
      for (const run of [...this.active]) this.fail(run, error);
      const slots = [...this.slots];
      this.closing = Promise.all(slots.map((slot) => slot.worker.terminate())).then(() => {});
    }
    return this.closing;
  }

  /** Workers currently alive (replacements included once spawned). */
  get liveWorkers(): number {
    return this.slots.size;
  }

  /** The ready worker with the fewest batches in flight, if any has room. */
  private freeSlot(): WorkerSlot | undefined {
    let best: WorkerSlot | undefined;
    for (const slot of this.slots) {
      if (!slot.ready || slot.inFlight.size >= this.batchesPerWorker) continue;
      if (best === undefined || slot.inFlight.size < best.inFlight.size) best = slot;
    }
    return best;
  }

  /**
   * Fills free workers with batches of up to `batchSize` jobs, taking one slice from each queued
   * run in turn, so that a small mempool run queued behind a large block waits for one batch, not
   * for the block, and many small runs share a message.
   */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.freeSlot();
      if (slot === undefined) return;
      const segments: Segment[] = [];
      let room = this.batchSize;
      for (let turns = this.queue.length; turns > 0 && room > 0; turns--) {
        const run = this.queue.shift()!;
        const start = run.next;
        const end = Math.min(start + run.sliceSize, start + room, run.jobs.length);
        run.next = end;
        run.inFlight++;
        room -= end - start;
        segments.push({ run, jobs: run.jobs, start, end });
        if (end < run.jobs.length) this.queue.push(run);
      }
      this.post(slot, segments);
    }
  }

  private post(slot: WorkerSlot, segments: readonly Segment[]): void {
    let buffer: ArrayBuffer;
    try {
      buffer = encodeBatch(segments);
    } catch (error) {
      // Only malformed jobs (a programmer error) get here; they fail their runs, not the pool.
      for (const { run } of segments) {
        run.inFlight--;
        this.fail(run, error);
      }
      return;
    }
    const id = this.nextBatchId++;
    slot.inFlight.set(id, segments);
    slot.worker.postMessage({ id, buffer } satisfies BatchRequest, [buffer]);
    this.onBatchDispatched?.(slot.worker);
  }

  private onAnswer(slot: WorkerSlot, message: Exclude<WorkerMessage, { type: "ready" }>): void {
    const segments = slot.inFlight.get(message.id);
    if (segments === undefined) return;
    slot.inFlight.delete(message.id);
    segments.forEach((segment, i) => {
      const outcome: SegmentOutcome | undefined =
        message.type === "fault" ? { fault: message.message } : message.outcomes[i];
      this.settleSegment(segment, outcome);
    });
    this.dispatch();
  }

  private settleSegment(segment: Segment, outcome: SegmentOutcome | undefined): void {
    const { run } = segment;
    run.inFlight--;
    if (run.settled) return;
    if (outcome === undefined || (outcome !== null && "fault" in outcome)) {
      const detail = outcome === undefined ? "worker gave no outcome" : outcome.fault;
      this.fail(run, new VerifyPoolError(VerifyPoolErrorCode.JOB_THREW, detail));
    } else if (outcome !== null) {
      const job = run.jobs[segment.start + outcome.failedJob]!;
      this.settle(run, () => run.resolve({ job, error: outcome.error }));
    } else if (run.next >= run.jobs.length && run.inFlight === 0) {
      this.settle(run, () => run.resolve(null));
    }
  }

  private fail(run: RunState, error: unknown): void {
    this.settle(run, () => run.reject(error));
  }

  private settle(run: RunState, complete: () => void): void {
    if (run.settled) return;
    run.settled = true;
    run.detach();
    this.active.delete(run);
    const queued = this.queue.indexOf(run);
    if (queued !== -1) this.queue.splice(queued, 1);
    complete();
  }
}

/** A verify pool (not yet started: run() starts it, or call start() to pay the start-up early). */
export function createVerifyPool(options: VerifyPoolOptions = {}): VerifyPool {
  return new VerifyPool(options);
}
