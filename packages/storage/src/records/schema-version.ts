import { ByteReader, ByteWriter } from "@starling/chain";

/** u32 little-endian. */
export function encodeSchemaVersion(version: number): Uint8Array {
  return new ByteWriter(4).u32(version).finish();
}

export function decodeSchemaVersion(bytes: Uint8Array): number {
  const r = new ByteReader(bytes);
  const version = r.u32();
  r.end("schema version");
  return version;
}
