import { devnet } from "./devnet.ts";
import type { NetworkName, NetworkParams } from "./network-params.ts";
import { regtest } from "./regtest.ts";
import { testnet } from "./testnet.ts";

/** Every network Starling knows, by name. */
export const NETWORKS: Readonly<Record<NetworkName, NetworkParams>> = Object.freeze({
  regtest,
  devnet,
  testnet,
});

export const NETWORK_NAMES: readonly NetworkName[] = Object.freeze(
  Object.keys(NETWORKS) as NetworkName[],
);

export function isNetworkName(name: string): name is NetworkName {
  return Object.hasOwn(NETWORKS, name);
}

/** The parameters of a network by name; throws RangeError for a name that is not one. */
export function getNetwork(name: string): NetworkParams {
  if (!isNetworkName(name)) {
    throw new RangeError(`unknown network "${name}" (expected one of ${NETWORK_NAMES.join(", ")})`);
  }
  return NETWORKS[name];
}

export { devnet, regtest, testnet };
