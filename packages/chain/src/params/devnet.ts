import { COIN } from "../consensus/constants.ts";
import type { GenesisSpec } from "./genesis.ts";
import { defineNetwork, type NetworkParams } from "./network-params.ts";

/**
 * devnet: local multi-node testnets (`npm run testnet`). 5-second blocks, ASERT with a 10-minute
 * half-life, a powLimit a single CPU core meets in about 65,536 hashes.
 *
 * ASERT is anchored to genesis time, so a chain started long after it runs "behind schedule" and
 * stays at powLimit until its height catches up with the clock; a fresh local testnet should build
 * its own genesis (`withGenesis` with `mineGenesis`, the time set to its launch) rather than use
 * this one.
 */

/** Mined by scripts/gen-genesis.ts. */
export const DEVNET_GENESIS: GenesisSpec = Object.freeze({
  message: "Starling devnet genesis: local testnets, 5 s blocks, ASERT",
  time: 1795564800,
  bits: 0x1f00ffff,
  reward: 50n * COIN,
  nonce: 22651,
  hash: "0000b00e2656904a73cfafe3774109dd016e086d19c32997022e4f6bf97f771c",
});

export const devnet: NetworkParams = defineNetwork({
  name: "devnet",
  genesisSpec: DEVNET_GENESIS,
  magic: [0xf5, 0x53, 0x54, 0x64],
  prefixes: { pubkeyHash: 0x5a, scriptHash: 0x1e, wif: 0xdd },
  ports: { p2p: 17733, rpc: 17732, metrics: 17734 },
  bootstrap: [],
  coinbaseMaturity: 100,
  halvingInterval: 210_000,
  initialSubsidy: 50n * COIN,
  targetSpacing: 5,
  powLimitBits: 0x1f00ffff,
  asertHalfLife: 600,
  bip44CoinType: 1,
});
