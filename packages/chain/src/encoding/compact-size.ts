/**
 * CompactSize, Bitcoin's variable-length integer: < 0xfd in one byte, then 0xfd + u16, 0xfe + u32,
 * 0xff + u64, little-endian. Only the shortest encoding is canonical, and, as Bitcoin Core's
 * ReadCompactSize, values above MAX_SIZE are refused when decoding.
 */

/** Bitcoin Core's MAX_SIZE: the largest CompactSize a decoder accepts (32 MiB). */
export const MAX_COMPACT_SIZE = 0x02000000;

export function compactSizeLength(value: number): number {
  if (value < 0xfd) return 1;
  if (value <= 0xffff) return 3;
  if (value <= 0xffffffff) return 5;
  return 9;
}
