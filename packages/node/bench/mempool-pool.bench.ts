import type { Bench } from "@starling/bench";
import { measure } from "@starling/bench";
import {
  CONSENSUS_SCRIPT_FLAGS,
  type Coin,
  generatePrivateKey,
  outpointKey,
  p2pkhScript,
  p2pkhScriptSig,
  publicKeyFromPrivate,
  publicKeyHash,
  regtest,
  type ScriptJob,
  signInput,
  Transaction,
} from "@starling/chain";
import { createMempool } from "@starling/mempool";
import { createVerifyPool } from "../src/index.ts";

const COIN_VALUE = 1_000_000n;
const FEE = 1_000n;
const count = (mode: string): number => (mode === "smoke" ? 20 : mode === "quick" ? 2_000 : 20_000);

/** Independent one-input P2PKH spends of confirmed coins, signed for real, and their script jobs. */
function workload(n: number): { txs: Transaction[]; coins: Map<string, Coin>; jobs: ScriptJob[] } {
  const keys = Array.from({ length: 16 }, () => {
    const privateKey = generatePrivateKey();
    const publicKey = publicKeyFromPrivate(privateKey);
    return { privateKey, publicKey, script: p2pkhScript(publicKeyHash(publicKey)) };
  });
  const txs: Transaction[] = [];
  const coins = new Map<string, Coin>();
  const jobs: ScriptJob[] = [];
  for (let i = 0; i < n; i++) {
    const key = keys[i % keys.length]!;
    const prevTxid = (i + 1).toString(16).padStart(64, "0");
    coins.set(outpointKey(prevTxid, 0), {
      value: COIN_VALUE,
      scriptPubKey: key.script,
      height: 1,
      isCoinbase: false,
    });
    const unsigned = new Transaction({
      version: 2,
      inputs: [{ prevTxid, prevIndex: 0, scriptSig: new Uint8Array(), sequence: 0xffffffff }],
      outputs: [{ value: COIN_VALUE - FEE, scriptPubKey: keys[(i + 1) % keys.length]!.script }],
      locktime: 0,
    });
    const scriptSig = p2pkhScriptSig(
      signInput(unsigned, 0, key.privateKey, key.script),
      key.publicKey,
    );
    const tx = new Transaction({ ...unsigned, inputs: [{ ...unsigned.inputs[0]!, scriptSig }] });
    txs.push(tx);
    jobs.push({ tx, inputIndex: 0, scriptPubKey: key.script, flags: CONSENSUS_SCRIPT_FLAGS });
  }
  return { txs, coins, jobs };
}

export const benches: Bench[] = [
  {
    // Issue 5's figure: admission through the shared worker pool against that pool's own rate on
    // the same script checks.
    name: "mempool-accept-pool",
    unit: "tx/s",
    better: "higher",
    goal: 0.7,
    async setup(mode) {
      const { txs, coins, jobs } = workload(count(mode));
      const pool = createVerifyPool({});
      await pool.start();
      const tip = { height: 200, hash: "11".repeat(32), medianTimePast: 1_800_000_000 };
      const chain = {
        params: regtest,
        tip: () => tip,
        getCoins: async (outpoints: readonly { txid: string; index: number }[]) =>
          outpoints.map((o) => coins.get(outpointKey(o.txid, o.index))),
        medianTimePastAt: () => tip.medianTimePast,
      };
      return {
        limitName: `the verify pool (${pool.threads} threads) running the same script checks`,
        limit: () =>
          measure(async () => {
            if ((await pool.run(jobs)) !== null) throw new Error("fixture failed");
            return jobs.length;
          }),
        project: () =>
          measure(async () => {
            const mempool = createMempool({ chain, runner: pool, now: () => 1_800_000_000 });
            const results = await Promise.all(txs.map((tx) => mempool.submit(tx)));
            if (results.some((r) => r.status !== "accepted"))
              throw new Error("a fixture was refused");
            return txs.length;
          }),
        notes: () => ({ threads: pool.threads, transactions: txs.length }),
        close: () => pool.close(),
      };
    },
  },
];
