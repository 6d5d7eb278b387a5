/*
 * The reference limit for header hashing: OpenSSL's one-shot SHA256() applied twice to an 80-byte
 * block header, the nonce incremented between headers, as a node hashes headers it receives (no
 * midstate reuse). Build: cc -O2 sha256d-headers.c -lcrypto -pthread
 */
#include <openssl/sha.h>

#include "bench-common.h"
#include "genesis-check.h"

static void sha256d(const unsigned char *header, unsigned char *out) {
  unsigned char first[32];
  SHA256(header, 80, first);
  SHA256(first, 32, out);
}

static void *prepare(int index, long count) {
  (void)count;
  unsigned char *header = malloc(80);
  uint64_t rng = 0x4ead0000ULL + (uint64_t)index;
  if (header != NULL) fill_random(&rng, header, 80);
  return header;
}

static void *work(void *arg) {
  thread_job *job = arg;
  unsigned char *header = job->setup;
  unsigned char hash[32];
  unsigned sink = 0;
  uint32_t nonce = 0;
  double start = now_seconds();
  do {
    for (long i = 0; i < job->count; i++) {
      nonce++;
      memcpy(header + 76, &nonce, 4);
      sha256d(header, hash);
      sink += hash[31];
    }
    job->units += job->count;
  } while (now_seconds() - start < job->min_seconds);
  /* Keeps the hashing observable so the compiler cannot drop it. */
  if (sink == 0xffffffffu) fprintf(stderr, "unlikely\n");
  return NULL;
}

int main(int argc, char **argv) {
  check_genesis(sha256d);
  return run_threads(argc, argv, prepare, work);
}
