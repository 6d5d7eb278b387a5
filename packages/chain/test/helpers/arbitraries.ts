/**
 * fast-check arbitraries for the consensus primitives, shared by the codec tests and anyone else who
 * needs random but well-formed transactions, headers and blocks. Values cover each field's whole
 * range (negative versions, negative and huge output values, every uint32) and scripts long enough
 * to need a 3-byte CompactSize; the generated objects decode back from their own encoding.
 */
import fc from "fast-check";
import { hashToHex } from "../../src/encoding/hex.ts";
import { Block } from "../../src/primitives/block.ts";
import { BlockHeader } from "../../src/primitives/block-header.ts";
import { Transaction, type TxInput, type TxOutput } from "../../src/primitives/transaction.ts";

export const arbUint32 = fc.integer({ min: 0, max: 0xffffffff });
export const arbInt32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
export const arbInt64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });

/** A 32-byte hash as display hex. */
export const arbHashHex: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map(hashToHex);

/** Script bytes: mostly short, sometimes past 252 bytes so the length takes the 0xfd form. */
export const arbScript: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 8, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 250, maxLength: 300 }) },
);

export const arbTxOutput: fc.Arbitrary<TxOutput> = fc.record({
  value: arbInt64,
  scriptPubKey: arbScript,
});

/** A legacy input (no `witness` key, as the legacy decoder returns it). */
export const arbTxInput: fc.Arbitrary<TxInput> = fc.record({
  prevTxid: arbHashHex,
  prevIndex: arbUint32,
  scriptSig: arbScript,
  sequence: arbUint32,
});

export const arbWitnessStack: fc.Arbitrary<Uint8Array[]> = fc.array(
  fc.uint8Array({ maxLength: 80 }),
  { maxLength: 4 },
);

export interface TxShape {
  /** At least 1 by default: a legacy transaction with no inputs but some outputs reads as BIP144. */
  minInputs?: number;
  maxInputs?: number;
  maxOutputs?: number;
}

/** A transaction in legacy serialization. */
export function arbLegacyTransaction(shape: TxShape = {}): fc.Arbitrary<Transaction> {
  return fc
    .record({
      version: arbInt32,
      inputs: fc.array(arbTxInput, {
        minLength: shape.minInputs ?? 1,
        maxLength: shape.maxInputs ?? 4,
      }),
      outputs: fc.array(arbTxOutput, { maxLength: shape.maxOutputs ?? 4 }),
      locktime: arbUint32,
    })
    .map((init) => new Transaction(init));
}

/**
 * A transaction with BIP144 witness data: every input carries a stack (as the decoder returns
 * them) and at least one stack is non-empty, otherwise the record would be superfluous.
 */
export function arbWitnessTransaction(shape: TxShape = {}): fc.Arbitrary<Transaction> {
  return fc
    .record({
      version: arbInt32,
      inputs: fc.array(fc.record({ input: arbTxInput, witness: arbWitnessStack }), {
        minLength: Math.max(1, shape.minInputs ?? 1),
        maxLength: shape.maxInputs ?? 4,
      }),
      nonEmpty: fc.nat(),
      extraItem: fc.uint8Array({ maxLength: 80 }),
      outputs: fc.array(arbTxOutput, { maxLength: shape.maxOutputs ?? 4 }),
      locktime: arbUint32,
    })
    .map(({ version, inputs, nonEmpty, extraItem, outputs, locktime }) => {
      const forced = nonEmpty % inputs.length;
      return new Transaction({
        version,
        inputs: inputs.map(({ input, witness }, i) => ({
          ...input,
          witness: i === forced && witness.length === 0 ? [extraItem] : witness,
        })),
        outputs,
        locktime,
      });
    });
}

/** Either serialization, legacy three times out of four. */
export function arbTransaction(shape: TxShape = {}): fc.Arbitrary<Transaction> {
  return fc.oneof(
    { weight: 3, arbitrary: arbLegacyTransaction(shape) },
    { weight: 1, arbitrary: arbWitnessTransaction(shape) },
  );
}

export const arbBlockHeader: fc.Arbitrary<BlockHeader> = fc
  .record({
    version: arbInt32,
    prevBlock: arbHashHex,
    merkleRoot: arbHashHex,
    time: arbUint32,
    bits: arbUint32,
    nonce: arbUint32,
  })
  .map((init) => new BlockHeader(init));

/** A block of random transactions (its header does not commit to them: this is for codecs). */
export function arbBlock(maxTransactions = 4): fc.Arbitrary<Block> {
  return fc
    .tuple(
      arbBlockHeader,
      fc.array(arbTransaction({ maxInputs: 3, maxOutputs: 3 }), { maxLength: maxTransactions }),
    )
    .map(([header, transactions]) => new Block(header, transactions));
}

/** The fields of a transaction as plain data, for deep equality (no caches). */
export function txFields(tx: Transaction): object {
  return {
    version: tx.version,
    inputs: tx.inputs.map((i) => ({ ...i })),
    outputs: tx.outputs.map((o) => ({ ...o })),
    locktime: tx.locktime,
  };
}

/** The fields of a header as plain data. */
export function headerFields(h: BlockHeader): object {
  return {
    version: h.version,
    prevBlock: h.prevBlock,
    merkleRoot: h.merkleRoot,
    time: h.time,
    bits: h.bits,
    nonce: h.nonce,
  };
}
