/* Batched Philox4x32-10 uniforms, written so that the compiler vectorizes across draws.
 *
 * The uniform of draw site s (counter words (c0, c1, s)) is site_uniform in philox.pxd: sites
 * pair up, 2k and 2k + 1 taking the first and the second double of the stream whose counter
 * word 2 is 2k (block 0: hi = output word 3, lo = word 2 for the first, words 1 and 0 for the
 * second; 52 bits, (bits + 0.5) / 2**52). One block thus serves two sites: a generator's draws
 * for all its targets in one step cost half a block each.
 *
 * The loops are compiled for several instruction sets (target_clones: the loader picks the
 * widest the CPU has); they are integer-only until the final exact conversion, so every clone
 * gives the same bits. On CPUs with AVX-512 the uniforms and the Poisson deposits take the
 * loops of philox_avx512.h instead (same bits, about 40 % less time a Poisson draw).
 */
#ifndef NEUROPIL_PHILOX_BATCH_H
#define NEUROPIL_PHILOX_BATCH_H
#include <stdint.h>
#include <string.h>

/* uniforms drawn, then counted and deposited, at a time (2 kB on the stack) */
#define NP_DEPOSIT_CHUNK 128
#include "clones.h"
#include "philox_avx512.h"

/* The ten rounds of Philox4x32 on the counter (x0 ... x3) with key (key0, key1), in place.
 * 32-bit words held in 64-bit lanes: the 32x32->64 products then map onto one vector
 * multiply per lane (pmuludq), which is twice as fast as the 32-bit-lane form. */
static inline __attribute__((always_inline))
void np_philox_rounds(uint64_t *x0, uint64_t *x1, uint64_t *x2, uint64_t *x3, uint32_t key0,
                      uint32_t key1)
{
    uint64_t a = *x0, b = *x1, c = *x2, d = *x3, k0 = key0, k1 = key1;
    for (int r = 0; r < 10; r++) {
        uint64_t p0 = 0xD2511F53ull * a;
        uint64_t p1 = 0xCD9E8D57ull * c;
        a = ((p1 >> 32) ^ b ^ k0) & 0xFFFFFFFFull;
        b = p1 & 0xFFFFFFFFull;
        c = ((p0 >> 32) ^ d ^ k1) & 0xFFFFFFFFull;
        d = p0 & 0xFFFFFFFFull;
        k0 = (k0 + 0x9E3779B9u) & 0xFFFFFFFFull;
        k1 = (k1 + 0xBB67AE85u) & 0xFFFFFFFFull;
    }
    *x0 = a; *x1 = b; *x2 = c; *x3 = d;
}

/* (bits + 0.5) / 2**52 for bits < 2**52: or-ing them into the mantissa of 2**52 and
 * subtracting 2**52 is the exact integer-to-double conversion, in integer instructions every
 * ISA vectorizes. */
static inline __attribute__((always_inline))
double np_unit(uint64_t bits)
{
    uint64_t pattern = bits | 0x4330000000000000ull;
    double d;
    memcpy(&d, &pattern, sizeof d);
    return ((d - 4503599627370496.0) + 0.5) * (1.0 / 4503599627370496.0);
}

/* The two doubles a Stream takes from the block of counter (c0, c1, c2, c3), in next_double's
 * order: (word 3, word 2) into *first, (word 1, word 0) into *second, each as (hi, lo). With
 * c3 = 0 they are the uniforms of sites c2 and c2 + 1 (c2 even). */
static inline __attribute__((always_inline))
void np_philox_doubles(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1, uint32_t c2,
                       uint32_t c3, double *first, double *second)
{
    uint64_t x0 = c0, x1 = c1, x2 = c2, x3 = c3;
    np_philox_rounds(&x0, &x1, &x2, &x3, key0, key1);
    *first = np_unit(((x3 << 32) | x2) >> 12);
    *second = np_unit(((x1 << 32) | x0) >> 12);
}

/* The uniforms of sites c2_first + j, j < n, a block a pair of sites; inlined into each clone
 * below (so each gets its instruction set). */
static inline __attribute__((always_inline))
void np_philox_fill(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1, uint32_t c2_first,
                    int64_t n, double *out)
{
    int64_t j = 0;
    double spare;
    if (n > 0 && (c2_first & 1u)) {
        np_philox_doubles(key0, key1, c0, c1, c2_first - 1u, 0, &spare, &out[0]);
        j = 1;
    }
    for (; j + 1 < n; j += 2)
        np_philox_doubles(key0, key1, c0, c1, c2_first + (uint32_t)j, 0, &out[j], &out[j + 1]);
    if (j < n)
        np_philox_doubles(key0, key1, c0, c1, c2_first + (uint32_t)j, 0, &out[j], &spare);
}

NP_CLONES
static void np_philox_uniforms_portable(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1,
                                        uint32_t c2_first, int64_t n, double *out)
{
    np_philox_fill(key0, key1, c0, c1, c2_first, n, out);
}

static void np_philox_uniforms(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1,
                               uint32_t c2_first, int64_t n, double *out)
{
#if NP_HAVE_AVX512_PATH
    if (np_avx512()) {
        np_philox_fill_v4(key0, &key1, c0, c1, &c2_first, 0, n, out);
        return;
    }
#endif
    np_philox_uniforms_portable(key0, key1, c0, c1, c2_first, n, out);
}

/* The first n doubles of one Stream (stream_init with counter words (c0, c1, c2), then
 * next_double n times): block j (word 3 = j) gives two, (word 3, word 2) then (word 1,
 * word 0) as (hi, lo). out must hold n rounded up to even (the last block's second double
 * is written but is not one of the n). */
NP_CLONES
static void np_philox_stream_doubles(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1,
                                     uint32_t c2, int64_t n, double *out)
{
    for (int64_t j = 0; j < (n + 1) / 2; j++)
        np_philox_doubles(key0, key1, c0, c1, c2, (uint32_t)j, &out[2 * j], &out[2 * j + 1]);
}

/* Poisson counts of the m uniforms u by table (see np_poisson_deposit), each added as
 * w x count to slot[j] (the deposit both np_poisson_deposit and _lanes make). */
static inline __attribute__((always_inline))
void np_counts_deposit(const double *u, int64_t m, const double *cdf, const uint16_t *guide,
                       int64_t guide_size, int64_t last, int64_t cap, double w, double *slot)
{
    int64_t count[NP_DEPOSIT_CHUNK];
    int ambiguous = 0;
    for (int64_t j = 0; j < m; j++) {
        int64_t k = guide[(int64_t)(u[j] * (double)guide_size)];
        count[j] = k;
        ambiguous |= u[j] > cdf[k];
    }
    if (ambiguous) {
        for (int64_t j = 0; j < m; j++) {
            int64_t k = count[j];
            if (!(u[j] > cdf[k]))
                continue;
            while (k < last && u[j] > cdf[k])
                k++;
            count[j] = (k == last && u[j] > cdf[last]) ? cap : k;
        }
    }
    if (w - w == 0.0) {
        for (int64_t j = 0; j < m; j++)
            slot[j] += w * (double)count[j];
    } else {
        for (int64_t j = 0; j < m; j++)
            if (count[j] > 0)
                slot[j] += w * (double)count[j];
    }
}

/* Poisson counts of n consecutive counter sites (c2 = c2_first + j, the draws of
 * np_philox_uniforms) by table (poisson_lookup in philox.pxd: guide, then CDF search, `cap`
 * when the uniform lies above cdf[last]), each added as w x count to slot[j].
 *
 * Adding w x 0 leaves a slot's bits unchanged (the slots start at +0.0 and never become -0.0),
 * so a finite weight is added without a branch on the count; an infinite one only for
 * counts > 0, as the one-by-one loop does.
 */
NP_CLONES
static void np_poisson_deposit_portable(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1,
                                        uint32_t c2_first, int64_t n, const double *cdf,
                                        const uint16_t *guide, int64_t guide_size,
                                        int64_t last, int64_t cap, double w, double *slot)
{
    double u[NP_DEPOSIT_CHUNK];
    /* chunks after the first start at even sites (pairs of sites share a block) */
    int64_t step = NP_DEPOSIT_CHUNK - (c2_first & 1u);
    for (int64_t j0 = 0; j0 < n; j0 += step, step = NP_DEPOSIT_CHUNK) {
        int64_t m = n - j0 < step ? n - j0 : step;
        np_philox_fill(key0, key1, c0, c1, c2_first + (uint32_t)j0, m, u);
        np_counts_deposit(u, m, cdf, guide, guide_size, last, cap, w, slot + j0);
    }
}

static void np_poisson_deposit(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1,
                               uint32_t c2_first, int64_t n, const double *cdf,
                               const uint16_t *guide, int64_t guide_size, int64_t last,
                               int64_t cap, double w, double *slot)
{
#if NP_HAVE_AVX512_PATH
    if (np_avx512() && w - w == 0.0 && np_table16_ok(cdf, last)) {
        np_poisson_deposit_v4(key0, &key1, c0, c1, &c2_first, 0, n, cdf, last, cap, w, slot);
        return;
    }
#endif
    np_poisson_deposit_portable(key0, key1, c0, c1, c2_first, n, cdf, guide, guide_size, last,
                                cap, w, slot);
}

/* np_poisson_deposit for n trains of one target each (generators with one connection, such
 * as PyNN's Poisson sources), one lane per train: lane j draws with key (key0, key1[j]) and
 * counter words (c0, c1, c2[j]), the draw np_poisson_deposit makes for that train alone, so
 * that the trains vectorize across generators. */
NP_CLONES
static void np_poisson_deposit_lanes_portable(uint32_t key0, const uint32_t *key1, uint32_t c0,
                                              uint32_t c1, const uint32_t *c2, int64_t n,
                                              const double *cdf, const uint16_t *guide,
                                              int64_t guide_size, int64_t last, int64_t cap,
                                              double w, double *slot)
{
    double u[NP_DEPOSIT_CHUNK];
    for (int64_t j0 = 0; j0 < n; j0 += NP_DEPOSIT_CHUNK) {
        int64_t m = n - j0 < NP_DEPOSIT_CHUNK ? n - j0 : NP_DEPOSIT_CHUNK;
        for (int64_t j = 0; j < m; j++) {
            uint32_t site = c2[j0 + j];
            double even, odd;
            np_philox_doubles(key0, key1[j0 + j], c0, c1, site & ~1u, 0, &even, &odd);
            u[j] = site & 1u ? odd : even;
        }
        np_counts_deposit(u, m, cdf, guide, guide_size, last, cap, w, slot + j0);
    }
}

static void np_poisson_deposit_lanes(uint32_t key0, const uint32_t *key1, uint32_t c0,
                                     uint32_t c1, const uint32_t *c2,
                                     int64_t n, const double *cdf, const uint16_t *guide,
                                     int64_t guide_size, int64_t last, int64_t cap, double w,
                                     double *slot)
{
#if NP_HAVE_AVX512_PATH
    if (np_avx512() && w - w == 0.0 && np_table16_ok(cdf, last)) {
        np_poisson_deposit_v4(key0, key1, c0, c1, c2, 1, n, cdf, last, cap, w, slot);
        return;
    }
#endif
    np_poisson_deposit_lanes_portable(key0, key1, c0, c1, c2, n, cdf, guide, guide_size, last,
                                      cap, w, slot);
}

/* The draws of _draws.pyx (parameter expressions): block b has counter words
   (b low, b high, word, c3) and gives two uniforms, (output 0, 1) and (output 2, 3) as
   (hi, lo); out[2j], out[2j + 1] are those of block block_first + j. */
NP_CLONES
static void np_philox_pair_uniforms(uint32_t key0, uint32_t key1, uint32_t word, uint32_t c3,
                                    uint64_t block_first, int64_t n_blocks, double *out)
{
    for (int64_t j = 0; j < n_blocks; j++) {
        uint64_t block = block_first + (uint64_t)j;
        uint64_t x0 = block & 0xFFFFFFFFull, x1 = block >> 32, x2 = word, x3 = c3;
        np_philox_rounds(&x0, &x1, &x2, &x3, key0, key1);
        out[2 * j] = np_unit(((x0 << 32) | x1) >> 12);
        out[2 * j + 1] = np_unit(((x2 << 32) | x3) >> 12);
    }
}

#endif
