import { ByteReader, ByteWriter, DecodeError, DecodeReason } from "@starling/chain";

/**
 * An address-index entry: an output paying to a script, created on the main chain. Entries stay
 * when the output is spent (the index is the script's receive history; the UTXO set says what is
 * unspent) and go when their block is disconnected.
 */
export interface AddressOutput {
  height: number;
  value: bigint;
}

/** height u32 | value i64 (never negative). */
export function encodeAddressOutput(entry: AddressOutput): Uint8Array {
  if (entry.value < 0n) throw new RangeError("negative output value");
  return new ByteWriter(12).u32(entry.height).i64(entry.value).finish();
}

export function decodeAddressOutput(bytes: Uint8Array): AddressOutput {
  const r = new ByteReader(bytes);
  const height = r.u32();
  const value = r.i64();
  if (value < 0n) throw new DecodeError(DecodeReason.INVALID_ENCODING, "negative output value");
  r.end("address output");
  return { height, value };
}
