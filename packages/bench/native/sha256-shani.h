/*
 * One SHA-256 compression with the x86 SHA extensions (SHA-NI). The message schedule and the rounds
 * follow Intel's published sample (as in noloader/SHA-Intrinsics), rolled into a loop over the 16
 * four-round groups that the compiler unrolls. Build with -msha -msse4.1.
 */
#ifndef STARLING_SHA256_SHANI_H
#define STARLING_SHA256_SHANI_H

#include <immintrin.h>
#include <stdint.h>

static const uint32_t SHA256_K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* state: the eight working words a..h; block: 64 message bytes (big-endian words). */
static inline void sha256_compress(uint32_t state[8], const unsigned char block[64]) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1); /* CDAB */
  __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);  /* EFGH */
  __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);                                          /* ABEF */
  s1 = _mm_blend_epi16(s1, tmp, 0xF0);                                                /* CDGH */
  const __m128i abef = s0, cdgh = s1;
  __m128i w[4];
#pragma GCC unroll 16
  for (int g = 0; g < 16; g++) {
    __m128i m;
    if (g < 4) {
      m = w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * g)), bswap);
    } else {
      /* w[g & 3] holds words 4g-16.., w[(g + 3) & 3] the previous group 4g-4.. */
      __m128i x = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
      x = _mm_add_epi32(x, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
      m = w[g & 3] = _mm_sha256msg2_epu32(x, w[(g + 3) & 3]);
    }
    m = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&SHA256_K[4 * g]));
    s1 = _mm_sha256rnds2_epu32(s1, s0, m);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0E));
  }
  s0 = _mm_add_epi32(s0, abef);
  s1 = _mm_add_epi32(s1, cdgh);
  tmp = _mm_shuffle_epi32(s0, 0x1B);                                 /* FEBA */
  s1 = _mm_shuffle_epi32(s1, 0xB1);                                  /* DCHG */
  _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(tmp, s1, 0xF0)); /* DCBA */
  _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(s1, tmp, 8));    /* HGFE */
}

#endif
