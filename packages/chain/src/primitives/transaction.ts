import { sha256d } from "../crypto/hash.ts";
import { hashToHex, hexToHash } from "../encoding/hex.ts";
import { ByteReader } from "../encoding/reader.ts";
import { ByteWriter } from "../encoding/writer.ts";
import { DecodeError, DecodeReason } from "../errors.ts";

/**
 * Bitcoin's transaction, legacy (pre-segwit) serialization:
 * version i32 | vin: [prevout hash 32 | prevout n u32 | scriptSig var | sequence u32] |
 * vout: [value i64 | scriptPubKey var] | locktime u32.
 *
 * The decoder also reads BIP144's extended serialization (marker 0x00, flag 0x01, witness stacks)
 * exactly as Bitcoin Core does, so that real Bitcoin blocks decode and re-encode byte for byte; the
 * txid is always over the legacy serialization, and Starling's consensus refuses witness data
 * (`unexpected-witness`), as Bitcoin Core did before segwit.
 */

/** Bitcoin Core's serialization ceiling for a block and so for anything inside one. */
export const MAX_DECODE_SIZE = 4_000_000;
/** The smallest serialized input (36 outpoint + 1 script length + 4 sequence). */
const MIN_INPUT_SIZE = 41;
/** The smallest serialized output (8 value + 1 script length). */
const MIN_OUTPUT_SIZE = 9;

export const SEQUENCE_FINAL = 0xffffffff;
/** The null outpoint's index, used by the coinbase input. */
export const NULL_INDEX = 0xffffffff;
export const NULL_HASH_HEX = "0".repeat(64);

export interface TxInput {
  /** Display hex of the spent transaction's txid. */
  readonly prevTxid: string;
  readonly prevIndex: number;
  readonly scriptSig: Uint8Array;
  readonly sequence: number;
  /** BIP144 witness stack; present only when decoded from extended serialization. */
  readonly witness?: readonly Uint8Array[];
}

export interface TxOutput {
  /** Amount in base units (1e-8 coin). */
  readonly value: bigint;
  readonly scriptPubKey: Uint8Array;
}

export interface TransactionInit {
  version: number;
  inputs: readonly TxInput[];
  outputs: readonly TxOutput[];
  locktime: number;
}

export class Transaction {
  readonly version: number;
  readonly inputs: readonly TxInput[];
  readonly outputs: readonly TxOutput[];
  readonly locktime: number;
  private legacyBytes: Uint8Array | undefined;
  private txidHash: Uint8Array | undefined;
  private txidHex: string | undefined;

  constructor(init: TransactionInit) {
    this.version = init.version;
    this.inputs = init.inputs;
    this.outputs = init.outputs;
    this.locktime = init.locktime;
  }

  /**
   * Decodes one transaction that must span all of `bytes`. The transaction keeps views into
   * `bytes` (scripts, its serialization): do not mutate the buffer afterwards.
   */
  static fromBytes(bytes: Uint8Array): Transaction {
    const reader = new ByteReader(bytes);
    const tx = Transaction.read(reader);
    reader.end("transaction");
    return tx;
  }

  /** Reads one transaction at the reader's cursor (inside a block). */
  static read(reader: ByteReader): Transaction {
    const start = reader.offset;
    const version = reader.i32();
    let inputs = readInputs(reader);
    let outputs: TxOutput[] = [];
    let flags = 0;
    if (inputs.length === 0) {
      // An empty vin is either a dummy (BIP144 marker) or a real empty list; Core reads a flag byte.
      flags = reader.u8();
      if (flags !== 0) {
        inputs = readInputs(reader);
        outputs = readOutputs(reader);
      }
    } else {
      outputs = readOutputs(reader);
    }
    let hasWitness = false;
    if (flags & 1) {
      flags ^= 1;
      inputs = inputs.map((input) => {
        const items = reader.count(1, "witness items");
        const witness: Uint8Array[] = [];
        for (let i = 0; i < items; i++) witness.push(reader.varBytes("witness item"));
        if (witness.length > 0) hasWitness = true;
        return { ...input, witness };
      });
      if (!hasWitness) throw new DecodeError(DecodeReason.SUPERFLUOUS_WITNESS);
    }
    if (flags !== 0) throw new DecodeError(DecodeReason.UNKNOWN_TX_OPTIONAL_DATA, `flags ${flags}`);
    const locktime = reader.u32();
    const tx = new Transaction({ version, inputs, outputs, locktime });
    if (!hasWitness) tx.legacyBytes = reader.bytes.subarray(start, reader.offset);
    return tx;
  }

  /** True when any input carries a BIP144 witness stack. */
  hasWitness(): boolean {
    return this.inputs.some((i) => i.witness !== undefined && i.witness.length > 0);
  }

  /** Legacy serialization: the bytes the txid commits to. */
  toLegacyBytes(): Uint8Array {
    if (this.legacyBytes === undefined) {
      const w = new ByteWriter(this.legacySizeEstimate());
      this.writeLegacy(w);
      this.legacyBytes = w.finish();
    }
    return this.legacyBytes;
  }

  /** The serialization this transaction was decoded from: legacy, or BIP144 when it has witnesses. */
  toBytes(): Uint8Array {
    if (!this.hasWitness()) return this.toLegacyBytes();
    const w = new ByteWriter(this.legacySizeEstimate() * 2);
    this.write(w);
    return w.finish();
  }

  write(w: ByteWriter): void {
    if (!this.hasWitness()) {
      w.bytes(this.toLegacyBytes());
      return;
    }
    w.i32(this.version).u8(0).u8(1);
    writeInputs(w, this.inputs);
    writeOutputs(w, this.outputs);
    for (const input of this.inputs) {
      const stack = input.witness ?? [];
      w.compactSize(stack.length);
      for (const item of stack) w.varBytes(item);
    }
    w.u32(this.locktime);
  }

  private writeLegacy(w: ByteWriter): void {
    w.i32(this.version);
    writeInputs(w, this.inputs);
    writeOutputs(w, this.outputs);
    w.u32(this.locktime);
  }

  private legacySizeEstimate(): number {
    let n = 10;
    for (const i of this.inputs) n += 41 + i.scriptSig.length + 8;
    for (const o of this.outputs) n += 9 + o.scriptPubKey.length + 8;
    return n;
  }

  /** Size of the legacy serialization in bytes (the size consensus limits count). */
  size(): number {
    return this.toLegacyBytes().length;
  }

  /** txid in internal byte order (SHA-256d of the legacy serialization). */
  txidBytes(): Uint8Array {
    if (this.txidHash === undefined) this.txidHash = sha256d(this.toLegacyBytes());
    return this.txidHash;
  }

  /** txid as display hex. */
  txid(): string {
    if (this.txidHex === undefined) this.txidHex = hashToHex(this.txidBytes());
    return this.txidHex;
  }

  isCoinbase(): boolean {
    const first = this.inputs[0];
    return (
      this.inputs.length === 1 &&
      first !== undefined &&
      first.prevIndex === NULL_INDEX &&
      first.prevTxid === NULL_HASH_HEX
    );
  }
}

function readInputs(reader: ByteReader): TxInput[] {
  const n = reader.count(MIN_INPUT_SIZE, "inputs");
  const inputs: TxInput[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const prevTxid = hashToHex(reader.bytesView(32, "prevout hash"));
    const prevIndex = reader.u32();
    const scriptSig = reader.varBytes("scriptSig");
    const sequence = reader.u32();
    inputs[i] = { prevTxid, prevIndex, scriptSig, sequence };
  }
  return inputs;
}

function readOutputs(reader: ByteReader): TxOutput[] {
  const n = reader.count(MIN_OUTPUT_SIZE, "outputs");
  const outputs: TxOutput[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const value = reader.i64();
    const scriptPubKey = reader.varBytes("scriptPubKey");
    outputs[i] = { value, scriptPubKey };
  }
  return outputs;
}

function writeInputs(w: ByteWriter, inputs: readonly TxInput[]): void {
  w.compactSize(inputs.length);
  for (const input of inputs) {
    w.bytes(hexToHash(input.prevTxid))
      .u32(input.prevIndex)
      .varBytes(input.scriptSig)
      .u32(input.sequence);
  }
}

function writeOutputs(w: ByteWriter, outputs: readonly TxOutput[]): void {
  w.compactSize(outputs.length);
  for (const output of outputs) w.i64(output.value).varBytes(output.scriptPubKey);
}
