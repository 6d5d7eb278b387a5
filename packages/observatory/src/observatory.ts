import { NodePoller, type PollContext } from "./node-poller.ts";
import { computeReport } from "./report.ts";
import type {
  BlockInfo,
  ObservatorySnapshot,
  ObservedNode,
  PropagationReport,
  ReorgEvent,
  ReportOptions,
} from "./types.ts";

export interface ObservatoryOptions {
  readonly nodes: readonly ObservedNode[];
  /** Default 1000. */
  readonly pollIntervalMs?: number;
  readonly now?: () => number;
  /** Records first seen before this (Unix ms) are not collected; default the creation time. */
  readonly sinceMs?: number;
  /** Deadline of one node's poll; default 10 s. */
  readonly pollTimeoutMs?: number;
}

/** Polls a set of nodes and keeps what it learns; dispatches "update" after each round. */
export interface Observatory extends EventTarget {
  /** Polls every pollIntervalMs until stop(). */
  start(): void;
  /** One round over all nodes; a node that fails is marked unreachable, never throws. */
  pollOnce(signal?: AbortSignal): Promise<void>;
  /** Raw data, JSON-serialisable (raw.json). */
  snapshot(): ObservatorySnapshot;
  report(options?: ReportOptions): PropagationReport;
  stop(): Promise<void>;
}

class PropagationObservatory extends EventTarget implements Observatory {
  private readonly pollers: NodePoller[];
  private readonly pollIntervalMs: number;
  private readonly pollTimeoutMs: number;
  private readonly now: () => number;
  private readonly startedMs: number;
  private readonly sinceMs: number;
  private readonly blocks = new Map<string, BlockInfo>();
  private readonly reorgs: ReorgEvent[] = [];
  private polls = 0;
  private loop: Promise<void> | null = null;
  private readonly abort = new AbortController();
  /** Rounds never overlap: a pollOnce during another waits for it. */
  private round: Promise<void> = Promise.resolve();

  constructor(options: ObservatoryOptions) {
    const names = new Set<string>();
    for (const node of options.nodes) {
      if (names.has(node.name)) throw new RangeError(`two observed nodes are named ${node.name}`);
      names.add(node.name);
    }
    super();
    this.pollers = options.nodes.map((n) => new NodePoller(n));
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.pollTimeoutMs = options.pollTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.startedMs = this.now();
    this.sinceMs = options.sinceMs ?? this.startedMs;
  }

  private nameOfPeer = (peerId: string): string | null =>
    this.pollers.find((p) => p.knownPeerId === peerId)?.name ?? null;

  pollOnce(signal?: AbortSignal): Promise<void> {
    const next = this.round.then(() => this.pollRound(signal));
    this.round = next.catch(() => undefined);
    return next;
  }

  private async pollRound(signal: AbortSignal | undefined): Promise<void> {
    const ctx: PollContext = {
      blocks: this.blocks,
      reorgs: this.reorgs,
      nameOfPeer: this.nameOfPeer,
      now: this.now,
      sinceMs: this.sinceMs,
    };
    await Promise.all(
      this.pollers.map((poller) => {
        const timeout = AbortSignal.timeout(this.pollTimeoutMs);
        const signals = [timeout, this.abort.signal, ...(signal === undefined ? [] : [signal])];
        return poller.poll(ctx, AbortSignal.any(signals));
      }),
    );
    signal?.throwIfAborted();
    this.polls++;
    this.dispatchEvent(new Event("update"));
  }

  start(): void {
    if (this.loop !== null) return;
    const signal = this.abort.signal;
    this.loop = (async () => {
      while (!signal.aborted) {
        const began = this.now();
        await this.pollOnce(signal).catch(() => undefined);
        const wait = Math.max(0, this.pollIntervalMs - (this.now() - began));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, wait);
          function done(): void {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            resolve();
          }
          signal.addEventListener("abort", done, { once: true });
        });
      }
    })();
  }

  snapshot(): ObservatorySnapshot {
    const blocks: Record<string, BlockInfo> = {};
    for (const [hash, info] of this.blocks) blocks[hash] = { ...info };
    return {
      version: 1,
      startedMs: this.startedMs,
      nowMs: this.now(),
      sinceMs: this.sinceMs,
      pollIntervalMs: this.pollIntervalMs,
      polls: this.polls,
      nodes: this.pollers.map((p) => p.snapshot(this.nameOfPeer)),
      blocks,
      reorgs: this.reorgs.map((r) => ({ ...r })),
    };
  }

  report(options: ReportOptions = {}): PropagationReport {
    return computeReport(this.snapshot(), options);
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error("observatory stopped"));
    await this.loop;
    await this.round;
  }
}

export function createObservatory(options: ObservatoryOptions): Observatory {
  return new PropagationObservatory(options);
}
