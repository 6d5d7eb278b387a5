import type { StarlingNode } from "../node/node.ts";
import type { RpcDispatcher } from "../rpc/dispatcher.ts";
import { RpcError, RpcErrorCode } from "../rpc/errors.ts";

export function registerPropagationMethods(rpc: RpcDispatcher, node: StarlingNode): void {
  rpc.registerMethod({
    name: "getpropagation",
    category: "starling",
    params: [
      { name: "hash", type: "string", description: "A block hash or txid (64 hex); omit for all" },
      { name: "since", type: "integer", description: "Unix ms, inclusive" },
      { name: "until", type: "integer", description: "Unix ms, inclusive" },
      { name: "kind", type: "string", description: '"block" or "tx"' },
      {
        name: "count",
        type: "integer",
        default: 100,
        description: "Newest records first, at most this many",
      },
    ],
    help:
      "First-sight records: when this node first saw each block and transaction, from which peer, " +
      "via gossip, sync or local, its size and how long validation took.",
    handler: ({ hash, since, until, kind, count }) => {
      if (kind !== undefined && kind !== "block" && kind !== "tx") {
        throw new RpcError(RpcErrorCode.INVALID_PARAMETER, 'kind must be "block" or "tx"');
      }
      if (hash !== undefined && !/^[0-9a-f]{64}$/.test(hash)) {
        throw new RpcError(RpcErrorCode.INVALID_PARAMETER, "hash must be 64 lowercase hex digits");
      }
      return node.propagation.query({ hash, since, until, kind, limit: count });
    },
  });

  rpc.registerMethod({
    name: "getpropagationstats",
    category: "starling",
    help:
      "Propagation counters: first-sight records held and their capacity, and gossip messages " +
      "received again after their first copy (duplicates, by kind, from gossipsub).",
    handler: () => ({
      records: node.propagation.size,
      capacity: node.propagation.capacity,
      duplicates: node.network.gossipDuplicates(),
    }),
  });
}
