import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bench, Mode } from "@starling/bench";
import { measure } from "@starling/bench";
import {
  Block,
  BlockHeader,
  ChainState,
  CONSENSUS_SCRIPT_FLAGS,
  type Coin,
  checkProofOfWork,
  generatePrivateKey,
  getBlockSubsidy,
  heightPushScript,
  merkleRoot,
  NULL_HASH_HEX,
  NULL_INDEX,
  p2pkhScript,
  p2pkhScriptSig,
  publicKeyFromPrivate,
  publicKeyHash,
  regtest,
  type ScriptJob,
  signInput,
  Transaction,
} from "@starling/chain";
import { KvChainStateStore, RocksDbStore } from "@starling/storage";
import { createVerifyPool } from "../src/index.ts";

const params = regtest;
const key = generatePrivateKey();
const publicKey = publicKeyFromPrivate(key);
const payout = p2pkhScript(publicKeyHash(publicKey));

function coinbase(height: number, value: bigint): Transaction {
  return new Transaction({
    version: 1,
    inputs: [
      {
        prevTxid: NULL_HASH_HEX,
        prevIndex: NULL_INDEX,
        scriptSig: Uint8Array.from([...heightPushScript(height), 0x00, 0x00]),
        sequence: 0xffffffff,
      },
    ],
    outputs: [{ value, scriptPubKey: payout }],
    locktime: 0,
  });
}

/** A regtest block on `parent` (powLimit: a handful of nonces). */
function mine(parent: BlockHeader, height: number, txs: Transaction[], fees: bigint): Block {
  const all = [coinbase(height, getBlockSubsidy(height, params) + fees), ...txs];
  let header = new BlockHeader({
    version: 4,
    prevBlock: parent.hash(),
    merkleRoot: merkleRoot(all.map((t) => t.txid())),
    time: parent.time + 1,
    bits: params.powLimitBits,
    nonce: 0,
  });
  while (!checkProofOfWork(header.hash(), header.bits, params.powLimitBits)) {
    header = header.with({ nonce: header.nonce + 1 });
  }
  return new Block(header, all);
}

function signedSpend(prevTxid: string, prevIndex: number, value: bigint, fee: bigint): Transaction {
  const unsigned = new Transaction({
    version: 1,
    inputs: [{ prevTxid, prevIndex, scriptSig: new Uint8Array(), sequence: 0xffffffff }],
    outputs: [{ value: value - fee, scriptPubKey: payout }],
    locktime: 0,
  });
  const scriptSig = p2pkhScriptSig(signInput(unsigned, 0, key, payout), publicKey);
  return new Transaction({ ...unsigned, inputs: [{ ...unsigned.inputs[0]!, scriptSig }] });
}

const txsPerBlock = (mode: Mode): number => (mode === "smoke" ? 20 : 2_000);
const blocksNeeded = (mode: Mode): number => (mode === "smoke" ? 1 : mode === "quick" ? 5 : 7) + 1;

/**
 * Issue 3: connecting a block must be bound by its signatures. Project: ChainState.processBlock on
 * RocksDB with the verify pool; limit: the same pool running only those blocks' script checks.
 * Warm: the coins are in the UTXO cache, as right after the fan-out block. Cold: before each
 * round the cache is flushed and emptied, so every input is read from RocksDB (one batched getMany).
 */
function blockConnectBench(cache: "warm" | "cold"): Bench {
  return {
    name: cache === "warm" ? "block-connect" : "block-connect-cold",
    unit: "input/s",
    better: "lower",
    goal: 1.5,
    async setup(mode) {
      const n = txsPerBlock(mode);
      const rounds = blocksNeeded(mode);
      const dir = await mkdtemp(join(tmpdir(), "starling-bench-connect-"));
      const kv = await RocksDbStore.open(dir);
      const store = await KvChainStateStore.open(kv, {
        network: params.name,
        genesisHash: params.genesisHash,
      });
      const pool = createVerifyPool({});
      await pool.start();
      const chain = await ChainState.open({ params, store, scriptRunner: pool });
      const now = () => Math.floor(Date.now() / 1000) + 3600 * 24 * 365;

      // Coinbases to fan out, matured, then one block splitting each into n outputs.
      let tip = params.genesis.header;
      const coinbases: Transaction[] = [];
      for (let h = 1; h <= rounds + params.coinbaseMaturity; h++) {
        const block = mine(tip, h, [], 0n);
        await chain.processBlock(block, { now: now() });
        coinbases.push(block.transactions[0]!);
        tip = block.header;
      }
      const fanFee = 10_000n;
      const fanOuts = coinbases.slice(0, rounds).map((cb) => {
        const value = cb.outputs[0]!.value - fanFee;
        const unsigned = new Transaction({
          version: 1,
          inputs: [
            {
              prevTxid: cb.txid(),
              prevIndex: 0,
              scriptSig: new Uint8Array(),
              sequence: 0xffffffff,
            },
          ],
          outputs: Array.from({ length: n }, () => ({
            value: value / BigInt(n),
            scriptPubKey: payout,
          })),
          locktime: 0,
        });
        const scriptSig = p2pkhScriptSig(signInput(unsigned, 0, key, payout), publicKey);
        return new Transaction({ ...unsigned, inputs: [{ ...unsigned.inputs[0]!, scriptSig }] });
      });
      let height = rounds + params.coinbaseMaturity + 1;
      const fanBlock = mine(tip, height, fanOuts, fanFee * BigInt(rounds));
      await chain.processBlock(fanBlock, { now: now() });
      tip = fanBlock.header;

      // One bench block per round, each spending one fan-out's n outputs.
      const blocks: Block[] = [];
      const jobs: ScriptJob[][] = [];
      for (const fan of fanOuts) {
        height++;
        const spendFee = 1_000n;
        const txs = fan.outputs.map((o, i) => signedSpend(fan.txid(), i, o.value, spendFee));
        const block = mine(tip, height, txs, spendFee * BigInt(n));
        blocks.push(block);
        jobs.push(
          txs.map((tx, i) => {
            const coin: Coin = {
              value: fan.outputs[i]!.value,
              scriptPubKey: payout,
              height,
              isCoinbase: false,
            };
            return {
              tx,
              inputIndex: 0,
              scriptPubKey: coin.scriptPubKey,
              flags: CONSENSUS_SCRIPT_FLAGS,
            };
          }),
        );
        tip = block.header;
      }
      let nextLimit = 0;
      let nextProject = 0;
      return {
        limitName: `the verify pool (${pool.threads} threads) on the same blocks' script checks alone`,
        limit: () =>
          measure(async () => {
            const batch = jobs[nextLimit++ % jobs.length]!;
            if ((await pool.run(batch)) !== null) throw new Error("fixture script failed");
            return batch.length;
          }),
        project: async () => {
          if (cache === "cold") {
            await chain.flush();
            store.chainStore.coins.evict(0);
          }
          return measure(async () => {
            const block = blocks[nextProject++]!;
            const result = await chain.processBlock(block, { now: now() });
            if (result.status !== "connected")
              throw new Error(`bench block not connected: ${result.status}`);
            return block.transactions.length - 1;
          });
        },
        notes: () => ({ txsPerBlock: n, threads: pool.threads, utxoCache: cache }),
        close: async () => {
          await chain.close();
          await pool.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

export const benches: Bench[] = [blockConnectBench("warm"), blockConnectBench("cold")];
