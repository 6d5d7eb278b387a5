import { COIN } from "../consensus/constants.ts";
import type { GenesisSpec } from "./genesis.ts";
import { defineNetwork, type NetworkParams } from "./network-params.ts";

/**
 * testnet: the public test network across machines. 30-second blocks, ASERT with a one-hour
 * half-life, Bitcoin's 210,000-block halving (the supply curve per block is Bitcoin's; in time it
 * runs 20 times faster).
 */

/** Mined by scripts/gen-genesis.ts. */
export const TESTNET_GENESIS: GenesisSpec = Object.freeze({
  message: "Starling testnet genesis 2026-11-25: Bitcoin's rules, ASERT, libp2p",
  time: 1795564800,
  bits: 0x1e0fffff,
  reward: 50n * COIN,
  nonce: 35090,
  hash: "00000da41f544a5b25dd3196c751a01808242ad2f1d174dcdbf7126dcc518d84",
});

export const testnet: NetworkParams = defineNetwork({
  name: "testnet",
  genesisSpec: TESTNET_GENESIS,
  magic: [0xf5, 0x53, 0x54, 0x74],
  prefixes: { pubkeyHash: 0x7f, scriptHash: 0x41, wif: 0xb0 },
  ports: { p2p: 7733, rpc: 7732, metrics: 7734 },
  // Seed nodes come from the testnet/ configuration once public nodes exist.
  bootstrap: [],
  coinbaseMaturity: 100,
  halvingInterval: 210_000,
  initialSubsidy: 50n * COIN,
  targetSpacing: 30,
  powLimitBits: 0x1e0fffff,
  asertHalfLife: 3600,
  bip44CoinType: 1,
});
