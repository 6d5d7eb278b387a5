/*
 * Shared by the C reference loops of @starling/bench: argument parsing, a monotonic clock, and a
 * pthread fan-out. Every program takes `<threads> <count> <min_seconds>` and prints one line,
 * `<units> <seconds>`, on stdout: `units` of work done in `seconds` of wall time (set-up excluded).
 */
#ifndef STARLING_BENCH_COMMON_H
#define STARLING_BENCH_COMMON_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
  int index;          /* this thread's number, 0-based */
  long count;         /* units this thread does per pass */
  double min_seconds; /* keep making passes until this much time has gone by */
  void *setup;        /* what the program's prepare() made for this thread */
  long units;         /* out: units done */
} thread_job;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long parse_arg(const char *s, const char *what) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < 0) {
    fprintf(stderr, "bad %s: %s\n", what, s);
    exit(2);
  }
  return v;
}

/* splitmix64: deterministic bytes for keys, messages and headers; no quality needed beyond that. */
static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void fill_random(uint64_t *state, unsigned char *out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = (unsigned char)splitmix64(state);
}

/*
 * Runs `prepare` for every thread (untimed), then `work` on all threads at once, and prints the total
 * units and the wall time between the start of the first and the end of the last thread.
 */
static int run_threads(int argc, char **argv, void *(*prepare)(int index, long count),
                       void *(*work)(void *job)) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <threads> <count> <min_seconds>\n", argv[0]);
    return 2;
  }
  int threads = (int)parse_arg(argv[1], "threads");
  long count = parse_arg(argv[2], "count");
  double min_seconds = atof(argv[3]);
  if (threads < 1 || count < threads) {
    fprintf(stderr, "need threads >= 1 and count >= threads\n");
    return 2;
  }
  thread_job *jobs = calloc((size_t)threads, sizeof *jobs);
  pthread_t *ids = calloc((size_t)threads, sizeof *ids);
  if (jobs == NULL || ids == NULL) return 1;
  for (int i = 0; i < threads; i++) {
    jobs[i].index = i;
    jobs[i].count = count / threads + (i < count % threads ? 1 : 0);
    jobs[i].min_seconds = min_seconds;
    jobs[i].setup = prepare(i, jobs[i].count);
    if (jobs[i].setup == NULL) return 1;
  }
  double start = now_seconds();
  for (int i = 0; i < threads; i++)
    if (pthread_create(&ids[i], NULL, work, &jobs[i]) != 0) return 1;
  long units = 0;
  for (int i = 0; i < threads; i++) {
    pthread_join(ids[i], NULL);
    units += jobs[i].units;
  }
  double seconds = now_seconds() - start;
  printf("%ld %.9f\n", units, seconds);
  return 0;
}

#endif
