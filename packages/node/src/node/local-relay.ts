import type { Block, ChainState, ProcessBlockResult, Transaction } from "@starling/chain";
import type { AcceptResult, Mempool } from "@starling/mempool";
import type { Network } from "@starling/network";
import type { ComponentLogger } from "../logging/component-logger.ts";
import type { FirstSightLog } from "../propagation/first-sight-log.ts";

/**
 * What this node makes itself (mined or submitted blocks, RPC and wallet transactions): recorded as
 * a local first sight, handed to the chain or mempool, and published on gossip once accepted.
 * Gossip accepted from peers is relayed by gossipsub itself and never comes through here.
 */
export class LocalRelay {
  private readonly chain: ChainState;
  private readonly mempool: Mempool;
  private readonly propagation: FirstSightLog;
  private readonly logger: ComponentLogger;
  private readonly now: () => number;
  private network: Network | null = null;

  constructor(parts: {
    chain: ChainState;
    mempool: Mempool;
    propagation: FirstSightLog;
    logger: ComponentLogger;
    now: () => number;
  }) {
    this.chain = parts.chain;
    this.mempool = parts.mempool;
    this.propagation = parts.propagation;
    this.logger = parts.logger;
    this.now = parts.now;
  }

  /** The network is created after the chain and mempool; until then nothing is published. */
  attach(network: Network | null): void {
    this.network = network;
  }

  /** A block of ours: into the chain, then onto the block topic when it was new and valid. */
  async submitBlock(block: Block, signal?: AbortSignal): Promise<ProcessBlockResult> {
    const hash = block.hash();
    const started = this.now();
    this.propagation.record({
      hash,
      kind: "block",
      firstSeenMs: started,
      fromPeer: null,
      via: "local",
      bytes: block.strippedSize(),
    });
    const result = await this.chain.processBlock(block, {
      now: Math.floor(started / 1000),
      ...(signal === undefined ? {} : { signal }),
    });
    this.propagation.validated("block", hash, this.now() - started, result.status);
    if (result.status === "connected" || result.status === "stored") {
      this.publish("block", block.toBytes(), hash);
    }
    return result;
  }

  /** A transaction of ours: into the mempool (errors pass through), then onto the tx topic. */
  async submitTx(tx: Transaction, signal?: AbortSignal): Promise<AcceptResult> {
    const started = this.now();
    const result = await this.mempool.submit(tx, signal === undefined ? {} : { signal });
    if (result.status === "accepted") {
      this.propagation.record({
        hash: result.txid,
        kind: "tx",
        firstSeenMs: started,
        fromPeer: null,
        via: "local",
        bytes: result.size,
        validationMs: this.now() - started,
        verdict: "accept",
      });
      this.publish("tx", tx.toBytes(), result.txid);
    }
    return result;
  }

  /** Publishes again (sendrawtransaction of a transaction already in the mempool does this). */
  rebroadcastTx(tx: Transaction): void {
    this.publish("tx", tx.toBytes(), tx.txid());
  }

  private publish(kind: "block" | "tx", bytes: Uint8Array, id: string): void {
    const network = this.network;
    if (network === null || !network.isStarted) return;
    const published = kind === "block" ? network.publishBlock(bytes) : network.publishTx(bytes);
    published.then(
      (r) => this.logger.debug({ kind, id, recipients: r.recipients }, "published"),
      (err: unknown) => this.logger.debug({ err, kind, id }, "publish failed"),
    );
  }
}
