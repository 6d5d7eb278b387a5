/*
 * The reference limit for mining: SHA-256d of an 80-byte header the way a miner does it. The first
 * 64 bytes never change with the nonce, so their compression (the midstate) is done once; each
 * nonce then costs two compressions: the second block of the header from the midstate, and the
 * 32-byte digest from the initial state. No early exit, no precomputed rounds.
 *
 * The compression is SHA-NI (-DUSE_SHANI -msha -msse4.1, see sha256-shani.h) or else OpenSSL's
 * SHA256_Transform, deprecated in OpenSSL 3 but exported (-Wno-deprecated-declarations -lcrypto).
 */
#include <string.h>

#include "bench-common.h"
#include "genesis-check.h"

#ifdef USE_SHANI
#include "sha256-shani.h"
#else
#include <openssl/sha.h>
static void sha256_compress(uint32_t state[8], const unsigned char block[64]) {
  SHA256_CTX c;
  memcpy(c.h, state, 32);
  SHA256_Transform(&c, block);
  memcpy(state, c.h, 32);
}
#endif

static const uint32_t SHA256_IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

typedef struct {
  uint32_t midstate[8];
  unsigned char tail[64];   /* header bytes 64..79 (nonce at 12..15), then SHA-256 padding */
  unsigned char digest[64]; /* the first hash, then padding for a 32-byte message */
} miner_state;

static void store_be32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

static void prepare_header(miner_state *m, const unsigned char header[80]) {
  memcpy(m->midstate, SHA256_IV, 32);
  sha256_compress(m->midstate, header);
  memset(m->tail, 0, 64);
  memcpy(m->tail, header + 64, 16);
  m->tail[16] = 0x80;
  m->tail[62] = 0x02; /* length: 640 bits */
  m->tail[63] = 0x80;
  memset(m->digest, 0, 64);
  m->digest[32] = 0x80;
  m->digest[62] = 0x01; /* length: 256 bits */
}

/* The final hash as SHA-256 state words (big-endian words of the digest). */
static void hash_nonce(miner_state *m, uint32_t out[8]) {
  uint32_t first[8];
  memcpy(first, m->midstate, 32);
  sha256_compress(first, m->tail);
  for (int i = 0; i < 8; i++) store_be32(m->digest + 4 * i, first[i]);
  memcpy(out, SHA256_IV, 32);
  sha256_compress(out, m->digest);
}

static void sha256d_header(const unsigned char *header, unsigned char *out) {
  miner_state m;
  uint32_t words[8];
  prepare_header(&m, header);
  hash_nonce(&m, words);
  for (int i = 0; i < 8; i++) store_be32(out + 4 * i, words[i]);
}

static void *prepare(int index, long count) {
  (void)count;
  miner_state *m = malloc(sizeof *m);
  unsigned char header[80];
  uint64_t rng = 0x3141000ULL + (uint64_t)index;
  fill_random(&rng, header, 80);
  if (m != NULL) prepare_header(m, header);
  return m;
}

static void *work(void *arg) {
  thread_job *job = arg;
  miner_state *m = job->setup;
  uint32_t nonce = 0, hash[8];
  long found = 0;
  double start = now_seconds();
  do {
    for (long i = 0; i < job->count; i++) {
      nonce++;
      memcpy(m->tail + 12, &nonce, 4);
      hash_nonce(m, hash);
      /* The hash's most significant 32 bits as Core reads it: a miner's first test. */
      found += hash[7] == 0;
    }
    job->units += job->count;
  } while (now_seconds() - start < job->min_seconds);
  if (found < 0) fprintf(stderr, "unreachable\n");
  return NULL;
}

int main(int argc, char **argv) {
  check_genesis(sha256d_header);
  return run_threads(argc, argv, prepare, work);
}
