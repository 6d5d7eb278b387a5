import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { abortReason, MinerBusyError, WorkerFailedError } from "./errors.ts";
import type { PowWorkerData, SearchRequest, WorkerReply } from "./pow-protocol.ts";

/**
 * Proof-of-work worker threads. One search at a time: the nonce range is split into one contiguous
 * slice per worker; the search settles once every worker has answered for it, so when the promise
 * settles no worker is still hashing for it. Stopping (a find, an abort, close) bumps a job number
 * in shared memory that each worker reads between chunks of CHECK_INTERVAL nonces.
 */

/** Default thread count: every core but one for the node itself, at least one. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

export interface PowSearchRequest {
  /** The 80-byte header; its nonce bytes are ignored. */
  readonly header: Uint8Array;
  readonly target: bigint;
  /** First nonce (default 0). */
  readonly start?: number;
  /** Nonces to try (default 2^32, the whole range). */
  readonly count?: number;
}

interface ActiveSearch {
  readonly job: number;
  waiting: number;
  nonce: number | undefined;
  aborted: unknown;
  readonly resolve: (nonce: number | undefined) => void;
  readonly reject: (error: unknown) => void;
  readonly cleanup: () => void;
}

const WORKER_URL = new URL("./pow-worker.ts", import.meta.url);
const NONCE_SPACE = 2 ** 32;

export class PowWorkerPool {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly control: Int32Array;
  private readonly counters: BigInt64Array;
  private job = 0;
  private active: ActiveSearch | undefined;
  private live = 0;
  private closing: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(options: { readonly threads?: number } = {}) {
    const threads = options.threads ?? defaultThreads();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`threads must be a positive integer, got ${threads}`);
    }
    this.threads = threads;
    const control = new SharedArrayBuffer(4);
    const counters = new SharedArrayBuffer(8 * threads);
    this.control = new Int32Array(control);
    this.counters = new BigInt64Array(counters);
    for (let index = 0; index < threads; index++) {
      const workerData: PowWorkerData = { index, control, counters };
      const worker = new Worker(WORKER_URL, { workerData, name: `starling-pow-${index}` });
      this.live++;
      worker.on("message", (reply: WorkerReply) => this.onReply(reply));
      worker.on("error", (error) => this.onFailure(new WorkerFailedError(String(error))));
      worker.on("exit", (code) => {
        this.live--;
        if (this.closing === undefined) {
          this.onFailure(new WorkerFailedError(`pow worker ${index} exited with code ${code}`));
        }
      });
      // Idle workers must not keep the process alive; a search refs them.
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Worker threads still running (0 once `close` has resolved). */
  get liveWorkers(): number {
    return this.live;
  }

  /** True while a search is in progress. */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Hashes done by all workers since the pool started. */
  totalHashes(): number {
    let total = 0n;
    for (let i = 0; i < this.threads; i++) total += Atomics.load(this.counters, i);
    return Number(total);
  }

  /**
   * Searches the nonce range for one whose header hash meets the target. Resolves with that nonce
   * (checked in full by the worker), or undefined when the range holds none; rejects with the
   * signal's reason (an AbortError) when aborted, once every worker has stopped.
   */
  search(request: PowSearchRequest, signal?: AbortSignal): Promise<number | undefined> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closing !== undefined) {
      return Promise.reject(new MinerBusyError("the proof-of-work pool is closed"));
    }
    if (this.active !== undefined) {
      return Promise.reject(new MinerBusyError("a proof-of-work search is already running"));
    }
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const count = request.count ?? NONCE_SPACE;
    if (!Number.isInteger(count) || count < 1 || count > NONCE_SPACE) {
      throw new RangeError("count must be an integer in [1, 2^32]");
    }
    const start = (request.start ?? 0) >>> 0;
    this.job = (this.job + 1) | 0;
    const job = this.job;
    Atomics.store(this.control, 0, job);

    let resolve!: (nonce: number | undefined) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<number | undefined>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const onAbort = (): void => {
      const search = this.active;
      if (search === undefined || search.job !== job) return;
      search.aborted = abortReason(signal!);
      this.stopWorkers();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    for (const worker of this.workers) worker.ref();
    this.active = {
      job,
      waiting: this.threads,
      nonce: undefined,
      aborted: undefined,
      resolve,
      reject,
      cleanup: () => {
        signal?.removeEventListener("abort", onAbort);
        for (const worker of this.workers) worker.unref();
      },
    };

    // Contiguous slices; the first ones take one nonce more when the range does not divide evenly.
    const base = Math.floor(count / this.threads);
    const extra = count % this.threads;
    let from = start;
    this.workers.forEach((worker, i) => {
      const slice = base + (i < extra ? 1 : 0);
      const message: SearchRequest = {
        type: "search",
        job,
        header: request.header,
        target: request.target,
        start: from,
        count: slice,
      };
      worker.postMessage(message);
      from = (from + slice) >>> 0;
    });
    return promise;
  }

  /** Tells the workers to drop the current job (they notice within one chunk). */
  private stopWorkers(): void {
    this.job = (this.job + 1) | 0;
    Atomics.store(this.control, 0, this.job);
  }

  private onReply(reply: WorkerReply): void {
    const search = this.active;
    if (search === undefined || reply.job !== search.job) return;
    if (reply.type === "found" && search.nonce === undefined && search.aborted === undefined) {
      search.nonce = reply.nonce;
      this.stopWorkers();
    }
    search.waiting--;
    if (search.waiting > 0) return;
    this.active = undefined;
    search.cleanup();
    if (search.aborted !== undefined) search.reject(search.aborted);
    else search.resolve(search.nonce);
  }

  private onFailure(error: Error): void {
    if (this.failure === undefined) this.failure = error;
    const search = this.active;
    if (search === undefined) return;
    this.active = undefined;
    search.cleanup();
    this.stopWorkers();
    search.reject(error);
  }

  /** Stops any search (it rejects with an AbortError) and terminates the workers. */
  close(): Promise<void> {
    if (this.closing === undefined) {
      const search = this.active;
      this.active = undefined;
      this.stopWorkers();
      if (search !== undefined) {
        search.cleanup();
        search.reject(new DOMException("the proof-of-work pool was closed", "AbortError"));
      }
      this.closing = Promise.all(this.workers.map((w) => w.terminate())).then(() => undefined);
    }
    return this.closing;
  }
}
