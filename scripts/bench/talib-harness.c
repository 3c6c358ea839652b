/*
 * TA-Lib C baseline for `npm run bench`: times each indicator over every series of a bars file and
 * prints nanoseconds per bar (best of RUNS rounds, CLOCK_MONOTONIC).
 *
 *   talib-harness BARS_FILE RUNS [SERIES_INDEX...]
 *
 * BARS_FILE (native little-endian, written by scripts/bench/harness.ts): uint32 series count, then per
 * series uint32 n followed by n float64 each of open, high, low, close, volume.
 *
 * Output, one record per line:
 *   time LABEL NS_PER_BAR
 *   out SERIES_INDEX LABEL OUTPUT_INDEX BEG_IDX VALUE...   (for each SERIES_INDEX given: TA-Lib's outputs)
 * LABEL names the indicator and its parameters exactly as the TypeScript side does (indicators.ts).
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c11 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ta_libc.h"

#define MAX_OUTPUTS 3

typedef struct {
  int n;
  double *open, *high, *low, *close, *volume;
} Series;

/* Calls one TA-Lib function on the whole series; returns its outBegIdx and outNBElement. */
typedef TA_RetCode (*Call)(const Series *s, int *beg, int *nb, double *out[MAX_OUTPUTS]);

typedef struct {
  const char *label;
  int outputs;
  Call call;
} Indicator;

#define LAST(s) ((s)->n - 1)

static TA_RetCode sma(const Series *s, int *b, int *nb, double *o[]) {
  return TA_SMA(0, LAST(s), s->close, 20, b, nb, o[0]);
}
static TA_RetCode ema(const Series *s, int *b, int *nb, double *o[]) {
  return TA_EMA(0, LAST(s), s->close, 20, b, nb, o[0]);
}
static TA_RetCode wma(const Series *s, int *b, int *nb, double *o[]) {
  return TA_WMA(0, LAST(s), s->close, 20, b, nb, o[0]);
}
static TA_RetCode rsi(const Series *s, int *b, int *nb, double *o[]) {
  return TA_RSI(0, LAST(s), s->close, 14, b, nb, o[0]);
}
static TA_RetCode macd(const Series *s, int *b, int *nb, double *o[]) {
  return TA_MACD(0, LAST(s), s->close, 12, 26, 9, b, nb, o[0], o[1], o[2]);
}
static TA_RetCode trange(const Series *s, int *b, int *nb, double *o[]) {
  return TA_TRANGE(0, LAST(s), s->high, s->low, s->close, b, nb, o[0]);
}
static TA_RetCode atr(const Series *s, int *b, int *nb, double *o[]) {
  return TA_ATR(0, LAST(s), s->high, s->low, s->close, 14, b, nb, o[0]);
}
static TA_RetCode natr(const Series *s, int *b, int *nb, double *o[]) {
  return TA_NATR(0, LAST(s), s->high, s->low, s->close, 14, b, nb, o[0]);
}
static TA_RetCode bbands(const Series *s, int *b, int *nb, double *o[]) {
  return TA_BBANDS(0, LAST(s), s->close, 20, 2.0, 2.0, TA_MAType_SMA, b, nb, o[0], o[1], o[2]);
}
static TA_RetCode stddev(const Series *s, int *b, int *nb, double *o[]) {
  return TA_STDDEV(0, LAST(s), s->close, 20, 1.0, b, nb, o[0]);
}
static TA_RetCode adx(const Series *s, int *b, int *nb, double *o[]) {
  return TA_ADX(0, LAST(s), s->high, s->low, s->close, 14, b, nb, o[0]);
}
static TA_RetCode stoch(const Series *s, int *b, int *nb, double *o[]) {
  return TA_STOCH(0, LAST(s), s->high, s->low, s->close, 14, 3, TA_MAType_SMA, 3, TA_MAType_SMA, b, nb, o[0],
                  o[1]);
}
static TA_RetCode cci(const Series *s, int *b, int *nb, double *o[]) {
  return TA_CCI(0, LAST(s), s->high, s->low, s->close, 20, b, nb, o[0]);
}
static TA_RetCode willr(const Series *s, int *b, int *nb, double *o[]) {
  return TA_WILLR(0, LAST(s), s->high, s->low, s->close, 14, b, nb, o[0]);
}
static TA_RetCode mfi(const Series *s, int *b, int *nb, double *o[]) {
  return TA_MFI(0, LAST(s), s->high, s->low, s->close, s->volume, 14, b, nb, o[0]);
}
static TA_RetCode roc(const Series *s, int *b, int *nb, double *o[]) {
  return TA_ROC(0, LAST(s), s->close, 10, b, nb, o[0]);
}
static TA_RetCode aroon(const Series *s, int *b, int *nb, double *o[]) {
  return TA_AROON(0, LAST(s), s->high, s->low, 25, b, nb, o[0], o[1]);
}
static TA_RetCode obv(const Series *s, int *b, int *nb, double *o[]) {
  return TA_OBV(0, LAST(s), s->close, s->volume, b, nb, o[0]);
}
static TA_RetCode max(const Series *s, int *b, int *nb, double *o[]) {
  return TA_MAX(0, LAST(s), s->high, 20, b, nb, o[0]);
}
static TA_RetCode min(const Series *s, int *b, int *nb, double *o[]) {
  return TA_MIN(0, LAST(s), s->low, 20, b, nb, o[0]);
}

static const Indicator INDICATORS[] = {
    {"SMA(20)", 1, sma},          {"EMA(20)", 1, ema},        {"WMA(20)", 1, wma},
    {"RSI(14)", 1, rsi},          {"MACD(12,26,9)", 3, macd}, {"TRANGE", 1, trange},
    {"ATR(14)", 1, atr},          {"NATR(14)", 1, natr},      {"BBANDS(20,2)", 3, bbands},
    {"STDDEV(20)", 1, stddev},    {"ADX(14)", 1, adx},        {"STOCH(14,3,3)", 2, stoch},
    {"CCI(20)", 1, cci},          {"WILLR(14)", 1, willr},    {"MFI(14)", 1, mfi},
    {"ROC(10)", 1, roc},          {"AROON(25)", 2, aroon},    {"OBV", 1, obv},
    {"MAX(20)", 1, max},          {"MIN(20)", 1, min},
};
#define INDICATOR_COUNT ((int)(sizeof INDICATORS / sizeof INDICATORS[0]))

static void die(const char *what) {
  fprintf(stderr, "talib-harness: %s\n", what);
  exit(1);
}

static void read_exact(FILE *f, void *dst, size_t bytes) {
  if (fread(dst, 1, bytes, f) != bytes) die("bars file is truncated");
}

static double *read_column(FILE *f, int n) {
  double *col = malloc((size_t)n * sizeof(double) + 1);
  if (!col) die("out of memory");
  read_exact(f, col, (size_t)n * sizeof(double));
  return col;
}

static Series *read_series(const char *path, int *count, int *longest, long *bars) {
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open the bars file");
  uint32_t n_series;
  read_exact(f, &n_series, sizeof n_series);
  Series *all = calloc(n_series, sizeof(Series));
  if (!all) die("out of memory");
  *longest = 0;
  *bars = 0;
  for (uint32_t i = 0; i < n_series; i++) {
    uint32_t n;
    read_exact(f, &n, sizeof n);
    Series *s = &all[i];
    s->n = (int)n;
    s->open = read_column(f, s->n);
    s->high = read_column(f, s->n);
    s->low = read_column(f, s->n);
    s->close = read_column(f, s->n);
    s->volume = read_column(f, s->n);
    if (s->n > *longest) *longest = s->n;
    *bars += s->n;
  }
  fclose(f);
  *count = (int)n_series;
  return all;
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 3) die("usage: talib-harness BARS_FILE RUNS [SERIES_INDEX...]");
  int runs = atoi(argv[2]);
  if (runs < 1) die("RUNS must be a positive integer");
  if (TA_Initialize() != TA_SUCCESS) die("TA_Initialize failed");

  int count, longest;
  long bars;
  Series *series = read_series(argv[1], &count, &longest, &bars);
  double *out[MAX_OUTPUTS];
  for (int k = 0; k < MAX_OUTPUTS; k++) {
    out[k] = malloc((size_t)longest * sizeof(double) + 1);
    if (!out[k]) die("out of memory");
  }

  /* Rounds run every indicator once (round 0 warms caches and is not counted), so that a burst of load
   * from other processes spreads over all indicators instead of spoiling every run of one. The sink sums
   * every call's last output so that no call can be optimised away; it goes to stderr. */
  double best[INDICATOR_COUNT];
  double sink = 0;
  for (int r = 0; r <= runs; r++) {
    for (int i = 0; i < INDICATOR_COUNT; i++) {
      double t0 = now_ns();
      for (int s = 0; s < count; s++) {
        int beg = 0, nb = 0;
        if (INDICATORS[i].call(&series[s], &beg, &nb, out) != TA_SUCCESS) die("a TA-Lib call failed");
        if (nb > 0) sink += out[0][nb - 1];
      }
      double elapsed = now_ns() - t0;
      if (r == 1 || (r > 1 && elapsed < best[i])) best[i] = elapsed;
    }
  }
  for (int i = 0; i < INDICATOR_COUNT; i++) printf("time %s %.4f\n", INDICATORS[i].label, best[i] / (double)bars);

  for (int a = 3; a < argc; a++) {
    int s = atoi(argv[a]);
    if (s < 0 || s >= count) die("SERIES_INDEX out of range");
    for (int i = 0; i < INDICATOR_COUNT; i++) {
      const Indicator *ind = &INDICATORS[i];
      int beg = 0, nb = 0;
      if (ind->call(&series[s], &beg, &nb, out) != TA_SUCCESS) die("a TA-Lib call failed");
      for (int k = 0; k < ind->outputs; k++) {
        printf("out %d %s %d %d", s, ind->label, k, beg);
        for (int j = 0; j < nb; j++) printf(" %.17g", out[k][j]);
        printf("\n");
      }
    }
  }
  fprintf(stderr, "checksum %g\n", sink);
  TA_Shutdown();
  return 0;
}
