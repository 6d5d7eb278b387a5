import { addressToScript, type Block, BlockValidationError, isValidAddress } from "@starling/chain";
import {
  BlockDecodeFailedError,
  createBlockTemplate,
  type SubmitOutcome,
  submitBlock,
  toGetBlockTemplate,
} from "@starling/miner";
import type { StarlingNode } from "../node/node.ts";
import type { RpcDispatcher } from "../rpc/dispatcher.ts";
import { RpcError, RpcErrorCode } from "../rpc/errors.ts";
import { amountToCoins } from "../wallet/amount.ts";
import { difficultyOf } from "./format.ts";

/** Anyone-can-spend placeholder: getblocktemplate's coinbase is rebuilt by the miner software. */
const PLACEHOLDER_PAYOUT = new Uint8Array([0x51]);

export function registerMiningMethods(rpc: RpcDispatcher, node: StarlingNode): void {
  const { chain, params } = node;

  const processSubmitted = async (block: Block): Promise<SubmitOutcome> => {
    const hash = block.hash();
    const known = chain.getBlockInfo(hash);
    if (known?.haveData === true) {
      return {
        kind: "duplicate",
        status: known.invalid ? "invalid" : known.onMainChain ? "valid" : "inconclusive",
      };
    }
    try {
      const result = await node.relay.submitBlock(block);
      if (result.status === "connected") return { kind: "accepted" };
      if (result.status === "duplicate") return { kind: "duplicate", status: "valid" };
      return { kind: "inconclusive" };
    } catch (error) {
      if (error instanceof BlockValidationError && error.code === "duplicate") {
        return { kind: "duplicate", status: "invalid" };
      }
      return { kind: "rejected", error };
    }
  };

  rpc.registerMethod({
    name: "getblocktemplate",
    category: "mining",
    params: [
      { name: "template_request", type: "object", default: {}, description: "BIP22 request" },
    ],
    help: "Returns data needed to construct a block to work on (BIP22/BIP23).",
    handler: () => {
      const template = createBlockTemplate({
        chain: { getTip: () => chain.tip, now: () => Math.floor(Date.now() / 1000) },
        txSource: node.mempool,
        network: params,
        payoutScript: PLACEHOLDER_PAYOUT,
      });
      return toGetBlockTemplate(template);
    },
  });

  rpc.registerMethod({
    name: "submitblock",
    category: "mining",
    params: [
      { name: "hexdata", type: "hex", required: true, description: "The hex-encoded block data" },
      { name: "dummy", type: "any", description: "Ignored" },
    ],
    help: "Attempts to submit a new block to the network (BIP22 answers).",
    handler: async ({ hexdata }) => {
      try {
        return await submitBlock(hexdata, processSubmitted);
      } catch (err) {
        if (err instanceof BlockDecodeFailedError) {
          throw new RpcError(RpcErrorCode.DESERIALIZATION_ERROR, "Block decode failed");
        }
        throw err;
      }
    },
  });

  rpc.registerMethod({
    name: "getmininginfo",
    category: "mining",
    help: "Returns a json object containing mining-related information.",
    handler: () => {
      const bits = chain.getBlockInfo(chain.tip.hash)!.header.bits;
      const difficulty = difficultyOf(bits);
      return {
        blocks: chain.tip.height,
        difficulty,
        networkhashps: (difficulty * 2 ** 32) / params.targetSpacing,
        hashespersec: node.miner.hashRate(),
        generate: node.miner.mining,
        pooledtx: node.mempool.count,
        chain: params.name,
        warnings: "",
      };
    },
  });

  rpc.registerMethod({
    name: "generatetoaddress",
    category: "generating",
    params: [
      { name: "nblocks", type: "integer", required: true, description: "How many blocks" },
      {
        name: "address",
        type: "string",
        required: true,
        description: "The address to send coins to",
      },
      { name: "maxtries", type: "integer", default: 1_000_000, description: "Ignored" },
    ],
    help: "Mine blocks immediately to a specified address (regtest and devnet).",
    handler: async ({ nblocks, address }, ctx) => {
      if (params.name === "testnet") {
        throw new RpcError(
          RpcErrorCode.METHOD_NOT_FOUND,
          "generatetoaddress is for regtest and devnet",
        );
      }
      if (!isValidAddress(address, params.prefixes)) {
        throw new RpcError(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Error: Invalid address");
      }
      if (nblocks < 0) throw new RpcError(RpcErrorCode.INVALID_PARAMETER, "nblocks must be >= 0");
      const blocks = await node.miner.generate(nblocks, {
        payoutScript: addressToScript(address, params.prefixes),
        signal: AbortSignal.any([ctx.signal, node.signal]),
      });
      return blocks.map((b) => b.hash());
    },
  });

  rpc.registerMethod({
    name: "estimatesmartfee",
    category: "util",
    params: [
      {
        name: "conf_target",
        type: "integer",
        required: true,
        description: "Confirmation target in blocks",
      },
      { name: "estimate_mode", type: "string", default: "conservative", description: "Ignored" },
    ],
    help: "Estimates the fee per kilobyte needed for a transaction to confirm within conf_target blocks.",
    handler: ({ conf_target }) => {
      const target = Math.max(1, Math.min(1008, conf_target));
      const rate = node.mempool.estimateFee(target);
      if (rate === undefined) {
        return { errors: ["Insufficient data or no feerate found"], blocks: target };
      }
      return { feerate: amountToCoins(rate), blocks: target };
    },
  });
}
