import { toHex } from "@starling/chain";
import type { StarlingNode } from "../node/node.ts";
import type { RpcDispatcher } from "../rpc/dispatcher.ts";
import { RpcError, RpcErrorCode } from "../rpc/errors.ts";
import { amountToCoins } from "../wallet/amount.ts";
import {
  blockInfoOrThrow,
  blockJson,
  blockOrThrow,
  chainworkHex,
  difficultyOf,
  headerJson,
  scriptPubKeyJson,
} from "./format.ts";

const CATEGORY = "blockchain";

export function registerBlockchainMethods(rpc: RpcDispatcher, node: StarlingNode): void {
  const { chain } = node;

  rpc.registerMethod({
    name: "getblockchaininfo",
    category: CATEGORY,
    help: "Returns an object containing various state info regarding blockchain processing.",
    handler: () => {
      const tip = chain.tip;
      const info = chain.getBlockInfo(tip.hash)!;
      const sync = node.sync.status();
      return {
        chain: node.params.name,
        blocks: tip.height,
        headers: Math.max(chain.bestHeader.height, sync.headerHeight),
        bestblockhash: tip.hash,
        difficulty: difficultyOf(info.header.bits),
        time: tip.time,
        mediantime: tip.medianTimePast,
        verificationprogress: sync.state === "synced" || sync.state === "idle" ? 1 : sync.progress,
        initialblockdownload: sync.state === "headers" || sync.state === "blocks",
        chainwork: chainworkHex(tip.chainWork),
        size_on_disk: 0,
        pruned: false,
        warnings: "",
      };
    },
  });

  rpc.registerMethod({
    name: "getblockcount",
    category: CATEGORY,
    help: "Returns the height of the most-work fully-validated chain.",
    handler: () => chain.tip.height,
  });

  rpc.registerMethod({
    name: "getbestblockhash",
    category: CATEGORY,
    help: "Returns the hash of the best (tip) block in the most-work fully-validated chain.",
    handler: () => chain.tip.hash,
  });

  rpc.registerMethod({
    name: "getblockhash",
    category: CATEGORY,
    params: [{ name: "height", type: "integer", required: true, description: "The height index" }],
    help: "Returns hash of block in best-block-chain at height provided.",
    handler: ({ height }) => {
      const hash = height < 0 ? undefined : chain.getHashAtHeight(height);
      if (hash === undefined) {
        throw new RpcError(RpcErrorCode.INVALID_PARAMETER, "Block height out of range");
      }
      return hash;
    },
  });

  rpc.registerMethod({
    name: "getblock",
    category: CATEGORY,
    params: [
      { name: "blockhash", type: "hash", required: true, description: "The block hash" },
      {
        name: "verbosity",
        type: "any",
        default: 1,
        description:
          "0 for hex-encoded data, 1 for a JSON object, 2 for JSON with transaction data",
      },
    ],
    help: "Returns a block: hex (verbosity 0), a JSON object (1), or with decoded transactions (2).",
    handler: async ({ blockhash, verbosity }) => {
      const level = typeof verbosity === "boolean" ? (verbosity ? 1 : 0) : Number(verbosity);
      if (level !== 0 && level !== 1 && level !== 2) {
        throw new RpcError(RpcErrorCode.INVALID_PARAMETER, "Invalid verbosity");
      }
      const info = blockInfoOrThrow(chain, blockhash);
      const block = await blockOrThrow(chain, blockhash);
      if (level === 0) return toHex(block.toBytes());
      return blockJson(chain, info, block, level);
    },
  });

  rpc.registerMethod({
    name: "getblockheader",
    category: CATEGORY,
    params: [
      { name: "blockhash", type: "hash", required: true, description: "The block hash" },
      {
        name: "verbose",
        type: "boolean",
        default: true,
        description: "true for JSON, false for hex",
      },
    ],
    help: "Returns information about a block header.",
    handler: ({ blockhash, verbose }) => {
      const info = blockInfoOrThrow(chain, blockhash);
      return verbose ? headerJson(chain, info) : toHex(info.header.toBytes());
    },
  });

  rpc.registerMethod({
    name: "getchaintips",
    category: CATEGORY,
    help: "Return information about the tip of the active chain (side branches are not listed yet).",
    handler: () => [
      { height: chain.tip.height, hash: chain.tip.hash, branchlen: 0, status: "active" },
      ...(chain.bestHeader.hash !== chain.tip.hash
        ? [
            {
              height: chain.bestHeader.height,
              hash: chain.bestHeader.hash,
              branchlen: chain.bestHeader.height - chain.tip.height,
              status: chain.bestHeader.haveData ? "valid-fork" : "headers-only",
            },
          ]
        : []),
    ],
  });

  rpc.registerMethod({
    name: "getdifficulty",
    category: CATEGORY,
    help: "Returns the proof-of-work difficulty as a multiple of the minimum difficulty.",
    handler: () => difficultyOf(chain.getBlockInfo(chain.tip.hash)!.header.bits),
  });

  rpc.registerMethod({
    name: "gettxout",
    category: CATEGORY,
    params: [
      { name: "txid", type: "hash", required: true, description: "The transaction id" },
      { name: "n", type: "integer", required: true, description: "vout number" },
      {
        name: "include_mempool",
        type: "boolean",
        default: true,
        description: "Include the mempool",
      },
    ],
    help: "Returns details about an unspent transaction output.",
    handler: async ({ txid, n, include_mempool }) => {
      const tip = chain.tip;
      if (include_mempool) {
        const tx = node.mempool.get(txid);
        if (tx !== undefined) {
          const out = tx.outputs[n];
          if (out === undefined) return null;
          return {
            bestblock: tip.hash,
            confirmations: 0,
            value: amountToCoins(out.value),
            scriptPubKey: scriptPubKeyJson(out.scriptPubKey, node.params),
            coinbase: false,
          };
        }
      }
      const [coin] = await chain.getCoins([{ txid, index: n }]);
      if (coin === undefined) return null;
      return {
        bestblock: tip.hash,
        confirmations: tip.height - coin.height + 1,
        value: amountToCoins(coin.value),
        scriptPubKey: scriptPubKeyJson(coin.scriptPubKey, node.params),
        coinbase: coin.isCoinbase,
      };
    },
  });

  rpc.registerMethod({
    name: "gettxoutsetinfo",
    category: CATEGORY,
    help: "Returns statistics about the unspent transaction output set, with its SHA-256 commitment.",
    handler: async () => {
      const report = await chain.verify({ level: "quick" });
      return {
        height: report.tip.height,
        bestblock: report.tip.hash,
        txouts: report.commitment.count,
        hash_serialized_3: report.commitment.hash,
        total_amount: amountToCoins(report.commitment.totalAmount),
      };
    },
  });

  rpc.registerMethod({
    name: "verifychain",
    category: CATEGORY,
    params: [
      {
        name: "checklevel",
        type: "integer",
        default: 3,
        description: "0-4; 3 and up replay the chain",
      },
      {
        name: "nblocks",
        type: "integer",
        default: 6,
        description: "Ignored: the whole chain is checked",
      },
    ],
    help: "Verifies the chainstate: the UTXO commitment, and at checklevel >= 3 a full replay.",
    handler: async ({ checklevel }, ctx) => {
      const report = await chain.verify({
        level: checklevel >= 3 ? "full" : "quick",
        signal: ctx.signal,
      });
      if (!report.ok) {
        node.logger.warn({ problems: report.problems }, "verifychain found problems");
      }
      return report.ok;
    },
  });
}
