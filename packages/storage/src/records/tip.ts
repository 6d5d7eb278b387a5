import {
  ByteReader,
  ByteWriter,
  DecodeError,
  DecodeReason,
  hashToHex,
  hexToHash,
} from "@starling/chain";

/** A block on a chain: hash (display hex) and height. */
export interface ChainPoint {
  hash: string;
  height: number;
}

/**
 * The chain tip the stored chainstate (UTXO set, undo data, main-chain index, indexes) belongs to.
 *
 * `flushingTo` is the torn-state marker: set by the first write of a flush split into several
 * batches and cleared by its last. Found set at start-up, it says the chainstate is a mix of the
 * states at `best` and at `flushingTo`, to be replayed, never trusted as it is.
 */
export interface TipRecord {
  /** Undefined until the first block (the genesis) is connected. */
  best?: ChainPoint;
  flushingTo?: ChainPoint;
}

const HAS_BEST = 1;
const FLUSHING = 2;

function writePoint(w: ByteWriter, point: ChainPoint): void {
  w.bytes(hexToHash(point.hash)).u32(point.height);
}

function readPoint(r: ByteReader): ChainPoint {
  const hash = hashToHex(r.bytesView(32, "hash"));
  return { hash, height: r.u32() };
}

/** flags u8 (1 = best present, 2 = flush in progress) | [best hash 32 | height u32] | [target hash 32 | height u32]. */
export function encodeTip(tip: TipRecord): Uint8Array {
  const w = new ByteWriter(73);
  w.u8((tip.best ? HAS_BEST : 0) | (tip.flushingTo ? FLUSHING : 0));
  if (tip.best) writePoint(w, tip.best);
  if (tip.flushingTo) writePoint(w, tip.flushingTo);
  return w.finish();
}

export function decodeTip(bytes: Uint8Array): TipRecord {
  const r = new ByteReader(bytes);
  const flags = r.u8();
  if (flags & ~(HAS_BEST | FLUSHING)) {
    throw new DecodeError(DecodeReason.INVALID_ENCODING, `unknown tip flags ${flags}`);
  }
  const tip: TipRecord = {};
  if (flags & HAS_BEST) tip.best = readPoint(r);
  if (flags & FLUSHING) tip.flushingTo = readPoint(r);
  r.end("tip");
  return tip;
}
