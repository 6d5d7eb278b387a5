import type { StarlingNode } from "../node/node.ts";
import type { RpcDispatcher } from "../rpc/dispatcher.ts";
import { registerBlockchainMethods } from "./blockchain.ts";
import { registerMiningMethods } from "./mining.ts";
import { registerNetworkMethods } from "./network.ts";
import { registerPropagationMethods } from "./propagation.ts";
import { registerRawTransactionMethods } from "./rawtransactions.ts";
import { registerWalletMethods } from "./wallet.ts";

/** Every method group on one dispatcher (help, uptime and stop are the dispatcher's own). */
export function registerAllMethods(rpc: RpcDispatcher, node: StarlingNode): void {
  registerBlockchainMethods(rpc, node);
  registerRawTransactionMethods(rpc, node);
  registerMiningMethods(rpc, node);
  registerNetworkMethods(rpc, node);
  registerWalletMethods(rpc, node);
  registerPropagationMethods(rpc, node);
}
