import {
  checkTransaction,
  DecodeError,
  fromHex,
  type Transaction,
  Transaction as Tx,
  toHex,
  ValidationError,
} from "@starling/chain";
import type { StarlingNode } from "../node/node.ts";
import type { RpcDispatcher } from "../rpc/dispatcher.ts";
import { RpcError, RpcErrorCode } from "../rpc/errors.ts";
import { amountToCoins } from "../wallet/amount.ts";
import { txJson } from "./format.ts";

function decodeTx(hex: string): Transaction {
  try {
    return Tx.fromBytes(fromHex(hex));
  } catch (err) {
    if (err instanceof DecodeError || err instanceof RangeError) {
      throw new RpcError(RpcErrorCode.DESERIALIZATION_ERROR, "TX decode failed");
    }
    throw err;
  }
}

/** Core's sendrawtransaction error mapping: missing inputs -25, other rejections -26. */
export function txRejection(err: unknown): RpcError {
  if (err instanceof ValidationError) {
    if (err.code === "bad-txns-inputs-missingorspent" || err.code === "missing-inputs") {
      return new RpcError(RpcErrorCode.VERIFY_ERROR, err.code);
    }
    if (err.code === "txn-already-known" || err.code === "txn-already-in-mempool") {
      return new RpcError(
        RpcErrorCode.VERIFY_ALREADY_IN_CHAIN,
        "Transaction already in block chain",
      );
    }
    return new RpcError(RpcErrorCode.VERIFY_REJECTED, err.message);
  }
  if (err instanceof RpcError) return err;
  return new RpcError(RpcErrorCode.MISC_ERROR, err instanceof Error ? err.message : String(err));
}

function entryJson(info: ReturnType<StarlingNode["mempool"]["getEntry"]>): unknown {
  if (info === undefined) return null;
  return {
    ...info,
    fees: {
      base: amountToCoins(info.fees.base),
      modified: amountToCoins(info.fees.modified),
      ancestor: amountToCoins(info.fees.ancestor),
      descendant: amountToCoins(info.fees.descendant),
    },
  };
}

export function registerRawTransactionMethods(rpc: RpcDispatcher, node: StarlingNode): void {
  const { mempool, chain } = node;

  rpc.registerMethod({
    name: "getrawtransaction",
    category: "rawtransactions",
    params: [
      { name: "txid", type: "hash", required: true, description: "The transaction id" },
      {
        name: "verbose",
        type: "any",
        default: false,
        description: "false/0 for hex, true/1 for JSON",
      },
      {
        name: "blockhash",
        type: "hash",
        description: "The block in which to look for the transaction",
      },
    ],
    help: "Return the raw transaction data: from the mempool, a given block, or the txindex.",
    handler: async ({ txid, verbose, blockhash }) => {
      const asJson = verbose === true || (typeof verbose === "number" && verbose > 0);
      let tx: Transaction | undefined;
      let block: { hash: string; height: number; time: number } | undefined;
      if (blockhash !== undefined) {
        const info = chain.getBlockInfo(blockhash);
        if (info === undefined)
          throw new RpcError(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block hash not found");
        const b = await chain.getBlock(blockhash);
        tx = b?.transactions.find((t) => t.txid() === txid);
        block = { hash: blockhash, height: info.height, time: info.header.time };
      } else {
        tx = mempool.get(txid);
        if (tx === undefined && node.options.txindex) {
          const found = await node.chainStore.getTransaction(txid);
          if (found !== undefined) {
            tx = found.tx;
            const info = chain.getBlockInfo(found.location.blockHash);
            if (info !== undefined) {
              block = { hash: info.hash, height: info.height, time: info.header.time };
            }
          }
        }
      }
      if (tx === undefined) {
        throw new RpcError(
          RpcErrorCode.INVALID_ADDRESS_OR_KEY,
          blockhash !== undefined
            ? "No such transaction found in the provided block."
            : node.options.txindex
              ? "No such mempool or blockchain transaction."
              : "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries.",
        );
      }
      if (!asJson) return toHex(tx.toBytes());
      const json = txJson(tx, node.params);
      if (block === undefined) return json;
      const onMain = chain.isOnMainChain(block.hash);
      return {
        ...json,
        blockhash: block.hash,
        confirmations: onMain ? chain.tip.height - block.height + 1 : 0,
        time: block.time,
        blocktime: block.time,
      };
    },
  });

  rpc.registerMethod({
    name: "decoderawtransaction",
    category: "rawtransactions",
    params: [
      { name: "hexstring", type: "hex", required: true, description: "The transaction hex" },
    ],
    help: "Return a JSON object representing the serialized, hex-encoded transaction.",
    handler: ({ hexstring }) => {
      const { hex: _hex, ...json } = txJson(decodeTx(hexstring), node.params);
      return json;
    },
  });

  rpc.registerMethod({
    name: "sendrawtransaction",
    category: "rawtransactions",
    params: [
      { name: "hexstring", type: "hex", required: true, description: "The transaction hex" },
      {
        name: "maxfeerate",
        type: "amount",
        default: 0.1,
        description: "Reject higher fee rates (coins/kB)",
      },
    ],
    help: "Submit a raw transaction to the local node and the network.",
    handler: async ({ hexstring }, ctx) => {
      const tx = decodeTx(hexstring);
      const txid = tx.txid();
      if (mempool.has(txid)) {
        node.relay.rebroadcastTx(tx);
        return txid;
      }
      try {
        await node.relay.submitTx(tx, ctx.signal);
      } catch (err) {
        throw txRejection(err);
      }
      return txid;
    },
  });

  rpc.registerMethod({
    name: "testmempoolaccept",
    category: "rawtransactions",
    params: [
      { name: "rawtxs", type: "array", required: true, description: "Raw transactions (hex)" },
      { name: "maxfeerate", type: "amount", default: 0.1, description: "Ignored" },
    ],
    help:
      "Checks whether raw transactions would be accepted. Starling's mempool has no dry run: " +
      "this decodes and runs the context-free checks, and reports transactions already known.",
    handler: ({ rawtxs }) => {
      return rawtxs.map((raw) => {
        if (typeof raw !== "string") {
          throw new RpcError(RpcErrorCode.TYPE_ERROR, "rawtxs must be an array of hex strings");
        }
        const tx = decodeTx(raw);
        const txid = tx.txid();
        if (mempool.has(txid)) {
          return { txid, allowed: false, "reject-reason": "txn-already-in-mempool" };
        }
        try {
          checkTransaction(tx);
        } catch (err) {
          const reason = err instanceof ValidationError ? err.code : String(err);
          return { txid, allowed: false, "reject-reason": reason };
        }
        return { txid, allowed: true, vsize: tx.size() };
      });
    },
  });

  rpc.registerMethod({
    name: "getmempoolinfo",
    category: "blockchain",
    help: "Returns details on the active state of the TX memory pool.",
    handler: () => {
      const info = mempool.info();
      return {
        loaded: true,
        size: info.size,
        bytes: info.bytes,
        usage: info.usage,
        total_fee: amountToCoins(info.total_fee),
        maxmempool: info.maxmempool,
        mempoolminfee: amountToCoins(info.mempoolminfee),
        minrelaytxfee: amountToCoins(info.minrelaytxfee),
        incrementalrelayfee: amountToCoins(info.incrementalrelayfee),
        unbroadcastcount: 0,
        fullrbf: info.fullrbf,
      };
    },
  });

  rpc.registerMethod({
    name: "getrawmempool",
    category: "blockchain",
    params: [
      { name: "verbose", type: "boolean", default: false, description: "true for a JSON object" },
      { name: "mempool_sequence", type: "boolean", default: false, description: "Unsupported" },
    ],
    help: "Returns all transaction ids in the memory pool.",
    handler: ({ verbose }) => {
      const txids = mempool.txids();
      if (!verbose) return txids;
      return Object.fromEntries(txids.map((txid) => [txid, entryJson(mempool.getEntry(txid))]));
    },
  });

  rpc.registerMethod({
    name: "getmempoolentry",
    category: "blockchain",
    params: [{ name: "txid", type: "hash", required: true, description: "The transaction id" }],
    help: "Returns mempool data for given transaction.",
    handler: ({ txid }) => {
      const entry = mempool.getEntry(txid);
      if (entry === undefined) {
        throw new RpcError(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Transaction not in mempool");
      }
      return entryJson(entry);
    },
  });
}
