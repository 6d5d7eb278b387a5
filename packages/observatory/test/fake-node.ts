/**
 * An ObservedNode that answers the observatory's RPC calls from a NodeSnapshot, with the same
 * `getpropagation` rules as a Starling node (newest first, since/until inclusive, count caps).
 */
import type { BlockInfo, NodeSnapshot, ObservedNode } from "../src/index.ts";

export class FakeRpcError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export interface FakeNode extends ObservedNode {
  /** Calls made, by method. */
  readonly calls: Map<string, number>;
  down: boolean;
  state: NodeSnapshot;
}

export function fakeNode(
  state: NodeSnapshot,
  blocks: Readonly<Record<string, BlockInfo>>,
): FakeNode {
  const calls = new Map<string, number>();
  const node: FakeNode = {
    name: state.name,
    calls,
    down: false,
    state,
    async call(method, params = []) {
      calls.set(method, (calls.get(method) ?? 0) + 1);
      if (node.down) throw new Error(`connect ECONNREFUSED (${node.name})`);
      const s = node.state;
      switch (method) {
        case "getnetworkinfo":
          return { peerid: s.peerId, listenaddresses: [`/ip4/127.0.0.1/tcp/1/p2p/${s.peerId}`] };
        case "getblockchaininfo":
          return { blocks: s.height, bestblockhash: s.bestHash };
        case "getpeerinfo":
          return s.peers.map((p) => ({
            peerid: p.peerId,
            inbound: p.direction === "inbound",
            score: p.score,
            gossipscore: p.gossipScore,
          }));
        case "getmempoolinfo":
          return { size: s.mempool?.size ?? 0, bytes: s.mempool?.bytes ?? 0 };
        case "getpropagationstats":
          if (s.duplicates === null) throw new FakeRpcError(-32601, "Method not found");
          return { duplicates: s.duplicates };
        case "getpropagation": {
          const [hash, since, until, kind, count] = params as [
            string | null,
            number | null,
            number | null,
            string | null,
            number | null,
          ];
          const out = [];
          for (let i = s.records.length - 1; i >= 0 && out.length < (count ?? 100); i--) {
            const r = s.records[i]!;
            if (hash !== null && hash !== undefined && r.hash !== hash) continue;
            if (kind !== null && kind !== undefined && r.kind !== kind) continue;
            if (since !== null && since !== undefined && r.firstSeenMs < since) continue;
            if (until !== null && until !== undefined && r.firstSeenMs > until) continue;
            out.push({ ...r });
          }
          return out;
        }
        case "getblockheader": {
          const hash = params[0] as string;
          const info = blocks[hash];
          const onChain = Object.entries(s.chain).some(([, h]) => h === hash);
          const known = info !== undefined && (onChain || s.records.some((r) => r.hash === hash));
          if (!known || info.height === null) throw new FakeRpcError(-5, "Block not found");
          // The previous block on this node's chain, when it has one at height - 1.
          const prev = s.chain[String(info.height - 1)];
          return {
            hash,
            height: info.height,
            nTx: info.txCount,
            confirmations: onChain ? 1 : -1,
            ...(prev === undefined ? {} : { previousblockhash: prev }),
          };
        }
        default:
          throw new FakeRpcError(-32601, "Method not found");
      }
    },
  };
  return node;
}
