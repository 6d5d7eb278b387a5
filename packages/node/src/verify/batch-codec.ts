import { type ScriptJob, Transaction } from "@starling/chain";

/**
 * The bytes a batch of script jobs travels in, main thread to worker, as one transferable
 * ArrayBuffer (no structured clone of objects). Little-endian u32s:
 *
 *   txCount | segmentCount
 *   txCount      x [ txLength | tx legacy serialization ]
 *   segmentCount x [ jobCount | jobCount x [ txSlot | inputIndex | flags | scriptPubKeyLength | scriptPubKey ] ]
 *
 * A segment is a slice of one run's jobs; a batch may carry slices of several runs (small mempool
 * runs share a message), and the worker answers per segment. A transaction is written once per
 * batch however many of its inputs the batch holds (jobs name it by slot), so a many-input
 * transaction costs one copy. The legacy serialization is what the txid commits to; witness data,
 * which Starling's scripts never read, is not sent.
 */

/** A slice [start, end) of a run's jobs. */
export interface JobSlice {
  readonly jobs: readonly ScriptJob[];
  readonly start: number;
  readonly end: number;
}

export function encodeBatch(slices: readonly JobSlice[]): ArrayBuffer {
  const slots = new Map<Transaction, number>();
  const txBytes: Uint8Array[] = [];
  let size = 8;
  for (const { jobs, start, end } of slices) {
    size += 4;
    for (let i = start; i < end; i++) {
      const job = jobs[i]!;
      if (!slots.has(job.tx)) {
        const bytes = job.tx.toLegacyBytes();
        slots.set(job.tx, txBytes.length);
        txBytes.push(bytes);
        size += 4 + bytes.length;
      }
      size += 16 + job.scriptPubKey.length;
    }
  }
  const buffer = new ArrayBuffer(size);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  view.setUint32(0, txBytes.length, true);
  view.setUint32(4, slices.length, true);
  let offset = 8;
  for (const tx of txBytes) {
    view.setUint32(offset, tx.length, true);
    bytes.set(tx, offset + 4);
    offset += 4 + tx.length;
  }
  for (const { jobs, start, end } of slices) {
    view.setUint32(offset, end - start, true);
    offset += 4;
    for (let i = start; i < end; i++) {
      const job = jobs[i]!;
      view.setUint32(offset, slots.get(job.tx)!, true);
      view.setUint32(offset + 4, job.inputIndex, true);
      view.setUint32(offset + 8, job.flags >>> 0, true);
      view.setUint32(offset + 12, job.scriptPubKey.length, true);
      bytes.set(job.scriptPubKey, offset + 16);
      offset += 16 + job.scriptPubKey.length;
    }
  }
  return buffer;
}

/**
 * The jobs of an encoded batch, one array per segment, in order; transactions and scripts are views
 * into `buffer`. Throws on a malformed batch (which only a bug can produce).
 */
export function decodeBatch(buffer: ArrayBuffer): ScriptJob[][] {
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  const txCount = view.getUint32(0, true);
  const segmentCount = view.getUint32(4, true);
  const txs: Transaction[] = [];
  let offset = 8;
  for (let i = 0; i < txCount; i++) {
    const length = view.getUint32(offset, true);
    txs.push(Transaction.fromBytes(bytes.subarray(offset + 4, offset + 4 + length)));
    offset += 4 + length;
  }
  const segments: ScriptJob[][] = [];
  for (let s = 0; s < segmentCount; s++) {
    const jobCount = view.getUint32(offset, true);
    offset += 4;
    const jobs: ScriptJob[] = [];
    for (let i = 0; i < jobCount; i++) {
      const tx = txs[view.getUint32(offset, true)];
      if (tx === undefined) throw new RangeError(`batch job ${i} names a missing transaction`);
      const inputIndex = view.getUint32(offset + 4, true);
      const flags = view.getUint32(offset + 8, true);
      const length = view.getUint32(offset + 12, true);
      const scriptPubKey = bytes.subarray(offset + 16, offset + 16 + length);
      if (scriptPubKey.length !== length) throw new RangeError("batch is truncated");
      jobs.push({ tx, inputIndex, scriptPubKey, flags });
      offset += 16 + length;
    }
    segments.push(jobs);
  }
  if (offset !== buffer.byteLength) throw new RangeError("batch has trailing bytes");
  return segments;
}
