/**
 * The block download window (Bitcoin Core's moving window, Lodestar's batches): which blocks to ask
 * which peer for, what has arrived, what may be connected next, and who holds the window back.
 * Pure bookkeeping, no I/O and no clock (callers pass `now`), so it is tested on its own.
 *
 * The path is the list of blocks from the tip's successor to the target, in chain order. Only the
 * first `windowSize` of them may be requested; blocks are handed out of the window's head only in
 * order, so the chain connects them one after another and out-of-order arrivals wait here.
 */

export interface WantedBlock {
  readonly hash: string;
  readonly height: number;
}

export type SlotState = "pending" | "inflight" | "received";

interface Slot<B> {
  readonly hash: string;
  readonly height: number;
  state: SlotState;
  request: number | undefined;
  block: B | undefined;
  size: number;
  source: string | undefined;
  /** Peers that were asked for it and left it out: not asked again until their status changes. */
  readonly missingFrom: Set<string>;
}

interface OpenRequest {
  readonly id: number;
  readonly peer: string;
  readonly hashes: readonly string[];
  readonly remaining: Set<string>;
  readonly startedAt: number;
  lastProgressAt: number;
}

export interface BlockRequest {
  readonly id: number;
  readonly peer: string;
  /** Display hex, in chain order. */
  readonly hashes: readonly string[];
}

export interface ReadyBlock<B> {
  readonly hash: string;
  readonly height: number;
  readonly block: B;
  /** The peer it came from. */
  readonly source: string;
}

export interface StallCandidate {
  readonly peer: string;
  readonly requestId: number;
  /** The block the window waits on. */
  readonly hash: string;
  readonly height: number;
}

export interface SchedulerLimits {
  readonly windowSize: number;
  readonly blocksPerRequest: number;
  readonly maxInFlightPerPeer: number;
  readonly maxBufferedBytes: number;
}

export class DownloadScheduler<B> {
  private readonly limits: SchedulerLimits;
  private slots: Slot<B>[] = [];
  private readonly byHash = new Map<string, Slot<B>>();
  private readonly requests = new Map<number, OpenRequest>();
  private nextRequestId = 1;
  private buffered = 0;

  constructor(limits: SchedulerLimits) {
    this.limits = limits;
  }

  /**
   * Replaces the path (after new headers, an invalid block or a reorganisation). Blocks still on
   * the new path keep their state; requests for blocks no longer wanted stay open, and what they
   * deliver is dropped.
   */
  setPath(path: readonly WantedBlock[]): void {
    const slots: Slot<B>[] = [];
    const byHash = new Map<string, Slot<B>>();
    for (const wanted of path) {
      const old = this.byHash.get(wanted.hash);
      const slot: Slot<B> = old ?? {
        hash: wanted.hash,
        height: wanted.height,
        state: "pending",
        request: undefined,
        block: undefined,
        size: 0,
        source: undefined,
        missingFrom: new Set(),
      };
      slots.push(slot);
      byHash.set(slot.hash, slot);
    }
    for (const [hash, slot] of this.byHash) {
      if (!byHash.has(hash) && slot.state === "received") this.buffered -= slot.size;
    }
    this.slots = slots;
    this.byHash.clear();
    for (const [hash, slot] of byHash) this.byHash.set(hash, slot);
  }

  /** Blocks left on the path (not yet handed out as ready). */
  get remaining(): number {
    return this.slots.length;
  }

  get bufferedBytes(): number {
    return this.buffered;
  }

  /** The last block of the path, if any. */
  get target(): WantedBlock | undefined {
    const last = this.slots[this.slots.length - 1];
    return last === undefined ? undefined : { hash: last.hash, height: last.height };
  }

  /** The blocks still on the path, in chain order. */
  path(): WantedBlock[] {
    return this.slots.map((s) => ({ hash: s.hash, height: s.height }));
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  stateOf(hash: string): SlotState | undefined {
    return this.byHash.get(hash)?.state;
  }

  inFlight(peer: string): number {
    let n = 0;
    for (const request of this.requests.values()) if (request.peer === peer) n++;
    return n;
  }

  requestsOf(peer: string): number[] {
    return [...this.requests.values()].filter((r) => r.peer === peer).map((r) => r.id);
  }

  /** Pending blocks inside the window: work still to hand out. */
  pendingInWindow(): number {
    let n = 0;
    for (const slot of this.window()) if (slot.state === "pending") n++;
    return n;
  }

  /**
   * The next request for `peer`: up to `blocksPerRequest` pending blocks of the window, in chain
   * order, that the peer can serve (`canServe(height)`, e.g. its announced height covers it) and has
   * not left out before. Null when the peer has its share in flight, the buffer is full, or nothing
   * is left for it.
   */
  nextRequest(
    peer: string,
    canServe: (height: number) => boolean,
    now: number,
    maxBlocks = this.limits.blocksPerRequest,
  ): BlockRequest | null {
    if (this.inFlight(peer) >= this.limits.maxInFlightPerPeer) return null;
    if (this.buffered >= this.limits.maxBufferedBytes) return null;
    const picked: Slot<B>[] = [];
    const limit = Math.min(maxBlocks, this.limits.blocksPerRequest);
    for (const slot of this.window()) {
      if (picked.length >= limit) break;
      if (slot.state !== "pending" || slot.missingFrom.has(peer)) continue;
      if (!canServe(slot.height)) continue;
      picked.push(slot);
    }
    if (picked.length === 0) return null;
    const id = this.nextRequestId++;
    for (const slot of picked) {
      slot.state = "inflight";
      slot.request = id;
    }
    const hashes = picked.map((s) => s.hash);
    this.requests.set(id, {
      id,
      peer,
      hashes,
      remaining: new Set(hashes),
      startedAt: now,
      lastProgressAt: now,
    });
    return { id, peer, hashes };
  }

  /**
   * A block of request `id` arrived. Returns false when it is not one of the request's open
   * blocks (a duplicate, or the request was cancelled): the caller drops it.
   */
  delivered(id: number, hash: string, block: B, size: number, now: number): boolean {
    const request = this.requests.get(id);
    if (request === undefined || !request.remaining.delete(hash)) return false;
    request.lastProgressAt = now;
    const slot = this.byHash.get(hash);
    if (slot === undefined || slot.request !== id || slot.state !== "inflight") return false;
    slot.state = "received";
    slot.request = undefined;
    slot.block = block;
    slot.size = size;
    slot.source = request.peer;
    this.buffered += size;
    return true;
  }

  /**
   * Request `id` ended. Blocks it did not deliver go back to pending; when the peer answered in
   * full (`leftOut`), they are marked missing from that peer so it is not asked again for them.
   * Returns the hashes given back.
   */
  finish(id: number, options: { leftOut: boolean }): string[] {
    const request = this.requests.get(id);
    if (request === undefined) return [];
    this.requests.delete(id);
    const back: string[] = [];
    for (const hash of request.remaining) {
      const slot = this.byHash.get(hash);
      if (slot === undefined || slot.request !== id) continue;
      slot.state = "pending";
      slot.request = undefined;
      if (options.leftOut) slot.missingFrom.add(request.peer);
      back.push(hash);
    }
    return back;
  }

  /** The peer's status changed: it may have the blocks it left out before. */
  forgetMissing(peer: string): void {
    for (const slot of this.slots) slot.missingFrom.delete(peer);
  }

  /** The head of the path when its block has arrived: the next block to connect. */
  peekReady(): ReadyBlock<B> | undefined {
    const head = this.slots[0];
    if (head === undefined || head.state !== "received") return undefined;
    return { hash: head.hash, height: head.height, block: head.block!, source: head.source! };
  }

  /** The head block was handed to the chain: the window moves on by one. */
  consumed(hash: string): void {
    const head = this.slots[0];
    if (head === undefined || head.hash !== hash) return;
    this.slots.shift();
    this.byHash.delete(hash);
    if (head.state === "received") this.buffered -= head.size;
  }

  /** The head block turned out bad in a way not tied to its hash (mutated): fetch it elsewhere. */
  refetch(hash: string, badPeer: string): void {
    const slot = this.byHash.get(hash);
    if (slot === undefined || slot.state !== "received") return;
    this.buffered -= slot.size;
    slot.state = "pending";
    slot.block = undefined;
    slot.size = 0;
    slot.source = undefined;
    slot.missingFrom.add(badPeer);
  }

  /**
   * Core's stall rule: the window can hand out nothing more, and the block at its head is in
   * flight from a peer that delivered nothing on that request for `stallTimeoutMs`.
   */
  stallCandidate(now: number, stallTimeoutMs: number): StallCandidate | undefined {
    const head = this.slots[0];
    if (head === undefined || head.state !== "inflight" || head.request === undefined) return;
    if (this.pendingInWindow() > 0 && this.buffered < this.limits.maxBufferedBytes) return;
    const request = this.requests.get(head.request);
    if (request === undefined || now - request.lastProgressAt < stallTimeoutMs) return;
    return { peer: request.peer, requestId: request.id, hash: head.hash, height: head.height };
  }

  /** Every open request id (stop() cancels them all). */
  openRequests(): number[] {
    return [...this.requests.keys()];
  }

  private *window(): Iterable<Slot<B>> {
    const end = Math.min(this.slots.length, this.limits.windowSize);
    for (let i = 0; i < end; i++) yield this.slots[i]!;
  }
}
