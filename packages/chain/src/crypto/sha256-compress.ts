/**
 * The plain SHA-256 compression function (FIPS 180-4 §6.2.2). node:crypto cannot hand out an
 * intermediate state, which the miner needs (the midstate after a header's first 64 bytes), and
 * for an 80-byte header three compressions in JS beat two round trips into OpenSSL: the header
 * hash below is what header sync spends its time in.
 */

const K = Int32Array.of(
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
);

/** SHA-256's initial state (H(0)). */
export const SHA256_IV: readonly number[] = Object.freeze([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const schedule = new Int32Array(64);

/** Compresses the 64-byte block at `bytes[offset..]` into `state` (8 words, updated in place). */
export function sha256Compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  if (state.length !== 8) throw new RangeError("sha256Compress: state must hold 8 words");
  if (offset < 0 || offset + 64 > bytes.length) {
    throw new RangeError("sha256Compress: the block must lie inside bytes");
  }
  const w = schedule;
  for (let i = 0; i < 16; i++) {
    const p = offset + 4 * i;
    w[i] = (bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (s1 + w[i - 7]! + s0 + w[i - 16]!) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + (g ^ (e & (f ^ g))) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) | (c & (a | b)))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** The state after the first 64 bytes of `header`: what every nonce of that header starts from. */
export function headerMidstate(header: Uint8Array): Int32Array {
  const state = Int32Array.from(SHA256_IV);
  sha256Compress(state, header, 0);
  return state;
}

const headerBlock = new Uint8Array(64);
const digestBlock = new Uint8Array(64);
const headerState = new Int32Array(8);

/**
 * SHA-256d of an 80-byte block header, in internal byte order: the header's two 64-byte blocks
 * (the second padded: 16 bytes, 0x80, zeros, bit length 640), then one block for the digest
 * (32 bytes, 0x80, zeros, bit length 256). No allocation but the result.
 */
export function sha256dHeader(header: Uint8Array): Uint8Array {
  if (header.length !== 80) throw new RangeError("sha256dHeader: a header is 80 bytes");
  headerState.set(SHA256_IV);
  sha256Compress(headerState, header, 0);
  headerBlock.fill(0);
  headerBlock.set(header.subarray(64, 80), 0);
  headerBlock[16] = 0x80;
  headerBlock[62] = 0x02; // 640 bits = 0x0280
  headerBlock[63] = 0x80;
  sha256Compress(headerState, headerBlock, 0);
  digestBlock.fill(0);
  for (let i = 0; i < 8; i++) {
    const v = headerState[i]!;
    digestBlock[4 * i] = v >>> 24;
    digestBlock[4 * i + 1] = v >>> 16;
    digestBlock[4 * i + 2] = v >>> 8;
    digestBlock[4 * i + 3] = v;
  }
  digestBlock[32] = 0x80;
  digestBlock[62] = 0x01; // 256 bits = 0x0100
  headerState.set(SHA256_IV);
  sha256Compress(headerState, digestBlock, 0);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = headerState[i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = v >>> 16;
    out[4 * i + 2] = v >>> 8;
    out[4 * i + 3] = v;
  }
  return out;
}
