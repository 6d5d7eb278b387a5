import { COIN } from "../consensus/constants.ts";
import type { GenesisSpec } from "./genesis.ts";
import { defineNetwork, type NetworkParams } from "./network-params.ts";

/**
 * regtest: tests and single-machine experiments. Blocks at the easiest target (no difficulty
 * adjustment), so a test mines one in a couple of hashes; subsidy halves every 150 blocks, as in
 * Bitcoin Core's regtest, so the whole schedule can be exercised quickly.
 */

/** Mined by scripts/gen-genesis.ts. */
export const REGTEST_GENESIS: GenesisSpec = Object.freeze({
  message: "Starling regtest genesis: Bitcoin's rules, one machine, no difficulty",
  time: 1793491200,
  bits: 0x207fffff,
  reward: 50n * COIN,
  nonce: 1,
  hash: "71941660b219628f703ced98bba411b7d90b8eb34e873f52d3539042f2086bdc",
});

export const regtest: NetworkParams = defineNetwork({
  name: "regtest",
  genesisSpec: REGTEST_GENESIS,
  magic: [0xf5, 0x53, 0x54, 0x72],
  prefixes: { pubkeyHash: 0x7a, scriptHash: 0x3c, wif: 0xfe },
  ports: { p2p: 27733, rpc: 27732, metrics: 27734 },
  bootstrap: [],
  coinbaseMaturity: 100,
  halvingInterval: 150,
  initialSubsidy: 50n * COIN,
  targetSpacing: 1,
  powLimitBits: 0x207fffff,
  asertHalfLife: null,
  bip44CoinType: 1,
});
