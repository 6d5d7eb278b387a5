/*
 * A known answer every hashing reference checks before timing anything: the SHA-256d of Bitcoin's
 * genesis block header, in internal byte order, is 6fe28c0a...19d6689c0000000000 (displayed
 * reversed as 000000000019d668...).
 */
#ifndef STARLING_GENESIS_CHECK_H
#define STARLING_GENESIS_CHECK_H

#include <stdio.h>
#include <string.h>

static const char GENESIS_HEADER_HEX[] =
    "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c"
    "3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
static const char GENESIS_HASH_HEX[] =
    "6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000";

static void hex_to_bytes(const char *hex, unsigned char *out, size_t n) {
  for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

/* Exits with status 1 when `sha256d` (80 bytes in, 32 bytes out) does not reproduce the genesis hash. */
static void check_genesis(void (*sha256d)(const unsigned char *header, unsigned char *out)) {
  unsigned char header[80], expected[32], got[32];
  hex_to_bytes(GENESIS_HEADER_HEX, header, 80);
  hex_to_bytes(GENESIS_HASH_HEX, expected, 32);
  sha256d(header, got);
  if (memcmp(got, expected, 32) != 0) {
    fprintf(stderr, "self-test failed: wrong SHA-256d of the genesis header\n");
    exit(1);
  }
}

#endif
