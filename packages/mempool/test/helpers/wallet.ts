import {
  equalBytes,
  generatePrivateKey,
  hash160,
  p2pkhScript,
  p2pkhScriptSig,
  publicKeyFromPrivate,
  SEQUENCE_FINAL,
  signInput,
  Transaction,
  type TxOutput,
} from "@starling/chain";

export interface Key {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Its P2PKH scriptPubKey. */
  readonly script: Uint8Array;
}

/** A deterministic key from a small tag. */
export function key(tag: number): Key {
  const privateKey = generatePrivateKey(new Uint8Array(48).fill(tag));
  const publicKey = publicKeyFromPrivate(privateKey);
  return { privateKey, publicKey, script: p2pkhScript(hash160(publicKey)) };
}

/** An output of a transaction, with what is needed to spend it. */
export interface Utxo {
  readonly txid: string;
  readonly index: number;
  readonly value: bigint;
  readonly owner: Key;
}

/** The outputs of `tx` paying `owner`, as spendable utxos. */
export function utxosOf(tx: Transaction, owner: Key): Utxo[] {
  const out: Utxo[] = [];
  tx.outputs.forEach((o, index) => {
    if (equalBytes(o.scriptPubKey, owner.script)) {
      out.push({ txid: tx.txid(), index, value: o.value, owner });
    }
  });
  return out;
}

export interface SpendInit {
  readonly inputs: readonly Utxo[];
  /** Outputs; default one output to the first input's owner paying inputs minus `fee`. */
  readonly outputs?: readonly TxOutput[];
  readonly fee?: bigint;
  readonly version?: number;
  readonly locktime?: number;
  readonly sequence?: number;
  /** Replaces the signed scriptSig of an input (to break it on purpose). */
  readonly scriptSigs?: ReadonlyMap<number, Uint8Array>;
}

/** A transaction spending P2PKH utxos, every input signed (SIGHASH_ALL, low S). */
export function spend(init: SpendInit): Transaction {
  const total = init.inputs.reduce((sum, u) => sum + u.value, 0n);
  const outputs = init.outputs ?? [
    { value: total - (init.fee ?? 10_000n), scriptPubKey: init.inputs[0]!.owner.script },
  ];
  const unsigned = new Transaction({
    version: init.version ?? 2,
    inputs: init.inputs.map((u) => ({
      prevTxid: u.txid,
      prevIndex: u.index,
      scriptSig: new Uint8Array(0),
      sequence: init.sequence ?? SEQUENCE_FINAL,
    })),
    outputs,
    locktime: init.locktime ?? 0,
  });
  const scriptSigs = init.inputs.map(
    (u, i) =>
      init.scriptSigs?.get(i) ??
      p2pkhScriptSig(signInput(unsigned, i, u.owner.privateKey, u.owner.script), u.owner.publicKey),
  );
  return new Transaction({
    version: unsigned.version,
    inputs: unsigned.inputs.map((input, i) => ({ ...input, scriptSig: scriptSigs[i]! })),
    outputs,
    locktime: unsigned.locktime,
  });
}

/** `count` outputs of `value` each to `owner`. */
export function payments(owner: Key, count: number, value: bigint): TxOutput[] {
  return Array.from({ length: count }, () => ({ value, scriptPubKey: owner.script }));
}
