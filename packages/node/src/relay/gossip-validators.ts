import {
  Block,
  BlockValidationError,
  type ChainState,
  Transaction,
  ValidationError,
} from "@starling/chain";
import type { Mempool } from "@starling/mempool";
import type { GossipValidators, GossipVerdict } from "@starling/network";
import type { ComponentLogger } from "../logging/component-logger.ts";

export interface GossipValidatorComponents {
  readonly chain: ChainState;
  readonly mempool: Mempool;
  /** Unix ms. */
  readonly now: () => number;
  /** Called when a gossiped block's parent is unknown: header sync from that peer. */
  readonly onUnknownParent: (peer: string) => void;
  readonly logger: ComponentLogger;
}

/**
 * Gossip validation by the real chain and mempool (Lodestar's split: the network asks, the node
 * decides). Decode errors propagate (the network rejects them); a ValidationError with action
 * "reject" and a score propagates too, so that the network charges the peer that score.
 */
export function createGossipValidators(c: GossipValidatorComponents): GossipValidators {
  return {
    async validateBlock(bytes: Uint8Array, fromPeer: string): Promise<GossipVerdict> {
      const block = Block.fromBytes(bytes);
      const hash = block.hash();
      if (c.chain.hasBlock(hash)) return "ignore";
      if (c.chain.isKnownInvalid(hash)) return "reject";
      try {
        const result = await c.chain.processBlock(block, {
          now: Math.floor(c.now() / 1000),
          source: fromPeer,
        });
        switch (result.status) {
          case "connected":
          case "stored":
            return "accept";
          case "duplicate":
            return "ignore";
          case "orphan":
            c.onUnknownParent(fromPeer);
            return "ignore";
        }
      } catch (err) {
        if (err instanceof BlockValidationError) {
          if (err.code === "duplicate" || err.action !== "reject") return "ignore";
          c.logger.info({ hash, peer: fromPeer, code: err.code }, "gossiped block rejected");
          throw err;
        }
        throw err;
      }
    },

    async validateTx(bytes: Uint8Array, fromPeer: string): Promise<GossipVerdict> {
      const tx = Transaction.fromBytes(bytes);
      const txid = tx.txid();
      if (c.mempool.has(txid) || c.mempool.hasOrphan(txid)) return "ignore";
      try {
        const result = await c.mempool.submit(tx, { peer: fromPeer });
        return result.status === "accepted" ? "accept" : "ignore";
      } catch (err) {
        if (err instanceof ValidationError) {
          if (err.action === "reject" && err.score > 0) throw err;
          return "ignore";
        }
        throw err;
      }
    },
  };
}
