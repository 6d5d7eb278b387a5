import {
  type Coin,
  createInlineScriptJobRunner,
  generatePrivateKey,
  hash160,
  legacySighash,
  outpointKey,
  p2pkhScript,
  p2pkhScriptSig,
  publicKeyFromPrivate,
  regtest,
  SEQUENCE_FINAL,
  SighashType,
  signInput,
  Transaction,
} from "@starling/chain";
import { createMempool, type Mempool, type MempoolChain } from "../src/index.ts";

/** One signature as the verifier sees it inside the script check of an input. */
export interface SignatureCheck {
  readonly der: Uint8Array;
  readonly sighash: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface AcceptWorkload {
  readonly transactions: readonly Transaction[];
  readonly checks: readonly SignatureCheck[];
  readonly coins: ReadonlyMap<string, Coin>;
}

const KEYS = 16;
const COIN_VALUE = 1_000_000n;
const FEE = 1_000n;

/**
 * `count` independent transactions, each spending one confirmed P2PKH coin (of one of 16 keys) to
 * one P2PKH output, signed for real; and the (DER, sighash, public key) triple each one's script
 * check hands the verifier.
 */
export function acceptWorkload(count: number): AcceptWorkload {
  const keys = Array.from({ length: KEYS }, () => {
    const privateKey = generatePrivateKey();
    const publicKey = publicKeyFromPrivate(privateKey);
    return { privateKey, publicKey, script: p2pkhScript(hash160(publicKey)) };
  });
  const transactions: Transaction[] = [];
  const checks: SignatureCheck[] = [];
  const coins = new Map<string, Coin>();
  for (let i = 0; i < count; i++) {
    const key = keys[i % KEYS]!;
    const prevTxid = (i + 1).toString(16).padStart(64, "0");
    coins.set(outpointKey(prevTxid, 0), {
      value: COIN_VALUE,
      scriptPubKey: key.script,
      height: 1,
      isCoinbase: false,
    });
    const unsigned = new Transaction({
      version: 2,
      inputs: [{ prevTxid, prevIndex: 0, scriptSig: new Uint8Array(0), sequence: SEQUENCE_FINAL }],
      outputs: [{ value: COIN_VALUE - FEE, scriptPubKey: keys[(i + 1) % KEYS]!.script }],
      locktime: 0,
    });
    const signature = signInput(unsigned, 0, key.privateKey, key.script);
    const tx = new Transaction({
      version: unsigned.version,
      inputs: [{ ...unsigned.inputs[0]!, scriptSig: p2pkhScriptSig(signature, key.publicKey) }],
      outputs: unsigned.outputs,
      locktime: 0,
    });
    transactions.push(Transaction.fromBytes(tx.toBytes()));
    checks.push({
      der: signature.subarray(0, signature.length - 1),
      sighash: legacySighash(tx, 0, key.script, SighashType.ALL),
      publicKey: key.publicKey,
    });
  }
  return { transactions, checks, coins };
}

/** A chain view holding the workload's coins at height 1 under a tip at height 200. */
export function workloadChain(coins: ReadonlyMap<string, Coin>): MempoolChain {
  const tip = { height: 200, hash: "11".repeat(32), medianTimePast: 1_800_000_000 };
  return {
    params: regtest,
    tip: () => tip,
    getCoins: async (outpoints) => outpoints.map((o) => coins.get(outpointKey(o.txid, o.index))),
    medianTimePastAt: () => tip.medianTimePast,
  };
}

/** A fresh mempool over the workload, scripts run inline on this thread. */
export function workloadMempool(chain: MempoolChain): Mempool {
  return createMempool(
    { chain, runner: createInlineScriptJobRunner(), now: () => 1_800_000_000 },
    {},
  );
}
