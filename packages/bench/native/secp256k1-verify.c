/*
 * The reference limit for signature verification: libsecp256k1 verifying ECDSA signatures the way
 * Bitcoin Core's CPubKey::Verify does (parse the 33-byte public key, parse the DER signature,
 * normalise to low S, verify), over signatures this program makes itself with secp256k1_ecdsa_sign.
 * Only the verify loop is timed. Each thread verifies its own share, cycling over up to 4096
 * distinct signatures. Build: cc -O2 secp256k1-verify.c -lsecp256k1 -pthread
 */
#include <secp256k1.h>
#include <string.h>

#include "bench-common.h"

#define MAX_DISTINCT 4096

typedef struct {
  unsigned char der[72];
  size_t der_len;
  unsigned char msg[32];
  unsigned char pubkey[33];
} signed_message;

typedef struct {
  signed_message *items;
  long n;
} signature_set;

static secp256k1_context *ctx;

static void *prepare(int index, long count) {
  signature_set *set = malloc(sizeof *set);
  set->n = count < MAX_DISTINCT ? count : MAX_DISTINCT;
  set->items = calloc((size_t)set->n, sizeof *set->items);
  uint64_t rng = 0x5eed0000ULL + (uint64_t)index;
  for (long i = 0; i < set->n; i++) {
    signed_message *m = &set->items[i];
    unsigned char seckey[32];
    do fill_random(&rng, seckey, 32);
    while (!secp256k1_ec_seckey_verify(ctx, seckey));
    fill_random(&rng, m->msg, 32);
    secp256k1_pubkey pub;
    secp256k1_ecdsa_signature sig;
    size_t publen = sizeof m->pubkey;
    m->der_len = sizeof m->der;
    if (!secp256k1_ec_pubkey_create(ctx, &pub, seckey) ||
        !secp256k1_ec_pubkey_serialize(ctx, m->pubkey, &publen, &pub, SECP256K1_EC_COMPRESSED) ||
        !secp256k1_ecdsa_sign(ctx, &sig, m->msg, seckey, NULL, NULL) ||
        !secp256k1_ecdsa_signature_serialize_der(ctx, m->der, &m->der_len, &sig)) {
      fprintf(stderr, "signing failed\n");
      return NULL;
    }
  }
  return set;
}

static int verify_one(const signed_message *m) {
  secp256k1_pubkey pub;
  secp256k1_ecdsa_signature sig;
  if (!secp256k1_ec_pubkey_parse(ctx, &pub, m->pubkey, sizeof m->pubkey)) return 0;
  if (!secp256k1_ecdsa_signature_parse_der(ctx, &sig, m->der, m->der_len)) return 0;
  secp256k1_ecdsa_signature_normalize(ctx, &sig, &sig);
  return secp256k1_ecdsa_verify(ctx, &sig, m->msg, &pub);
}

static void *work(void *arg) {
  thread_job *job = arg;
  const signature_set *set = job->setup;
  double start = now_seconds();
  long failed = 0;
  do {
    for (long i = 0; i < job->count; i++) failed += !verify_one(&set->items[i % set->n]);
    job->units += job->count;
  } while (now_seconds() - start < job->min_seconds);
  if (failed != 0) {
    fprintf(stderr, "%ld signatures failed to verify\n", failed);
    exit(1);
  }
  return NULL;
}

int main(int argc, char **argv) {
  ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
  return run_threads(argc, argv, prepare, work);
}
