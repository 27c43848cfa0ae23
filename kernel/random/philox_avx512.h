/* AVX-512 versions of the Poisson draw-and-deposit of philox_batch.h, picked at run time
 * (np_avx512) on CPUs that have it. They give the same bits as the loops they replace:
 *
 * - Philox: 32-bit words in 64-bit lanes, as np_philox_rounds, but the 32x32->64 products as
 *   vpmuludq (GCC vectorizes the portable loop with the 64-bit vpmullq, about twice the
 *   cost) and four vectors of 8 lanes in flight, whose ten rounds interleave; consecutive
 *   sites take both doubles of a block (site_uniform in philox.pxd), interleaved by permutes;
 * - the Poisson count of a uniform u, the least k with u <= cdf[k] (cap above cdf[last]), as
 *   the number of cdf[0..15] below u: a branch-free binary search in two registers (the
 *   CDF is non-decreasing, so that number is the least such k), where the scalar loop
 *   needs two dependent loads and a branch that fails on ~2 % of draws. Lanes whose count
 *   reaches 16 continue the sequential search one by one; the caller uses this only where
 *   that is rare (np_table16_ok).
 *
 * The words above bit 32 of a lane hold leftovers of the products; only the low words are
 * ever used (vpmuludq reads them alone, the output is masked).
 */
#ifndef NEUROPIL_PHILOX_AVX512_H
#define NEUROPIL_PHILOX_AVX512_H
#include <stddef.h>
#include <stdint.h>

/* Whether counts of 16 or more are rare enough (below 1 in 1024 draws) for
 * np_counts_deposit_v4, which reads cdf[0..15] from registers. */
static inline int np_table16_ok(const double *cdf, int64_t last)
{
    return last < 16 || cdf[15] >= 1.0 - 1.0 / 1024.0;
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define NP_HAVE_AVX512_PATH 1
#include <immintrin.h>
#define NP_V4 __attribute__((target("arch=x86-64-v4")))

enum { NP_V4_VECTORS = 4 };     /* vectors of 8 lanes whose rounds interleave */

/* The CPU runs x86-64-v4 code (AVX-512 F/BW/CD/DQ/VL) and np_set_avx512 did not turn it off
 * (tests compare both paths). */
static int np_avx512_state = -1;

static inline int np_avx512(void)
{
    if (np_avx512_state < 0) {
        __builtin_cpu_init();
        np_avx512_state = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
            && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
            && __builtin_cpu_supports("avx512cd");
    }
    return np_avx512_state;
}

/* Use the AVX-512 path where the CPU has it (on != 0) or never; returns whether it was used
 * before. */
static inline int np_set_avx512(int on)
{
    int before = np_avx512();
    np_avx512_state = -1;
    if (!on || !np_avx512())
        np_avx512_state = 0;
    return before;
}

/* The ten rounds of np_philox_rounds on n (<= NP_V4_VECTORS) vectors, key0 the same for all
 * lanes, key1 per vector and lane. */
NP_V4 static inline __attribute__((always_inline))
void np_rounds_v4(__m512i *a, __m512i *b, __m512i *c, __m512i *d, int n, uint32_t key0,
                  const __m512i *key1)
{
    const __m512i m0 = _mm512_set1_epi64(0xD2511F53ull), m1 = _mm512_set1_epi64(0xCD9E8D57ull);
    __m512i k0 = _mm512_set1_epi64(key0), k1[NP_V4_VECTORS];
    for (int v = 0; v < n; v++)
        k1[v] = key1[v];
    for (int r = 0; r < 10; r++) {
        for (int v = 0; v < n; v++) {
            __m512i p0 = _mm512_mul_epu32(a[v], m0), p1 = _mm512_mul_epu32(c[v], m1);
            a[v] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), b[v], k0, 0x96);
            b[v] = p1;
            c[v] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), d[v], k1[v], 0x96);
            d[v] = p0;
            k1[v] = _mm512_add_epi64(k1[v], _mm512_set1_epi64(0xBB67AE85u));
        }
        k0 = _mm512_add_epi64(k0, _mm512_set1_epi64(0x9E3779B9u));
    }
}

/* np_unit(((x3 << 32) | x2) >> 12) of each lane */
NP_V4 static inline __attribute__((always_inline))
__m512d np_unit_v4(__m512i x2, __m512i x3)
{
    const __m512d two52 = _mm512_set1_pd(4503599627370496.0);
    __m512i bits = _mm512_srli_epi64(
        _mm512_or_si512(_mm512_slli_epi64(x3, 32), _mm512_and_si512(x2, _mm512_set1_epi64(0xFFFFFFFFull))),
        12);
    __m512d d = _mm512_castsi512_pd(_mm512_or_si512(bits, _mm512_set1_epi64(0x4330000000000000ull)));
    return _mm512_mul_pd(_mm512_add_pd(_mm512_sub_pd(d, two52), _mm512_set1_pd(0.5)),
                         _mm512_set1_pd(1.0 / 4503599627370496.0));
}

/* The mask of lanes l (0..7) whose index i + l lies in [lo, hi). */
static inline __mmask8 np_lanes_in(int64_t i, int64_t lo, int64_t hi)
{
    int64_t a = lo - i, b = hi - i;
    a = a < 0 ? 0 : a > 8 ? 8 : a;
    b = b < 0 ? 0 : b > 8 ? 8 : b;
    return (__mmask8)(((1u << b) - 1u) & ~((1u << a) - 1u));
}

/* Lanes mode: the uniforms of sites first ... first + 8 * vectors - 1 (those at or past n
 * left out), site j with key (key0, key1[j]) and counter word 2 c2[j]: from the block of
 * c2[j] & ~1, its first or second double as c2[j] is even or odd (site_uniform in
 * philox.pxd). vectors is a constant where this is inlined, so the state stays in registers. */
NP_V4 static inline __attribute__((always_inline))
void np_philox_lanes_block_v4(uint32_t key0, const uint32_t *key1, uint32_t c0, uint32_t c1,
                              const uint32_t *c2, int64_t first, int vectors, int64_t n,
                              double *out)
{
    __m512i a[NP_V4_VECTORS], b[NP_V4_VECTORS], c[NP_V4_VECTORS], d[NP_V4_VECTORS];
    __m512i k1[NP_V4_VECTORS];
    __mmask8 in[NP_V4_VECTORS], odd[NP_V4_VECTORS];
    for (int v = 0; v < vectors; v++) {
        int64_t j = first + 8 * v;
        in[v] = np_lanes_in(j, 0, n);
        __m512i site = _mm512_cvtepu32_epi64(_mm256_maskz_loadu_epi32(in[v], c2 + j));
        odd[v] = _mm512_test_epi64_mask(site, _mm512_set1_epi64(1));
        a[v] = _mm512_set1_epi64(c0);
        b[v] = _mm512_set1_epi64(c1);
        c[v] = _mm512_andnot_si512(_mm512_set1_epi64(1), site);
        d[v] = _mm512_setzero_si512();
        k1[v] = _mm512_cvtepu32_epi64(_mm256_maskz_loadu_epi32(in[v], key1 + j));
    }
    np_rounds_v4(a, b, c, d, vectors, key0, k1);
    for (int v = 0; v < vectors; v++)
        _mm512_mask_storeu_pd(out + first + 8 * v, in[v],
                              _mm512_mask_blend_pd(odd[v], np_unit_v4(c[v], d[v]),
                                                   np_unit_v4(a[v], b[v])));
}

/* Consecutive sites: V[i] is the uniform of site base + i (base even), and out[j] = V[off + j]
 * for j < n (off 0 or 1, m = off + n). This writes V[i0 ... i0 + 16 * vectors - 1] that fall in
 * [off, m): one block a pair of sites, lane l of vector v the block of base + i0 + 16 v + 2 l,
 * whose first double is the even site's uniform and whose second the odd one's. */
NP_V4 static inline __attribute__((always_inline))
void np_philox_pairs_block_v4(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1,
                              uint32_t base, int64_t off, int64_t i0, int vectors, int64_t m,
                              double *out)
{
    __m512i a[NP_V4_VECTORS], b[NP_V4_VECTORS], c[NP_V4_VECTORS], d[NP_V4_VECTORS];
    __m512i k1[NP_V4_VECTORS];
    for (int v = 0; v < vectors; v++) {
        a[v] = _mm512_set1_epi64(c0);
        b[v] = _mm512_set1_epi64(c1);
        c[v] = _mm512_add_epi64(_mm512_set1_epi64((uint32_t)(base + (uint32_t)(i0 + 16 * v))),
                                _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14));
        c[v] = _mm512_and_si512(c[v], _mm512_set1_epi64(0xFFFFFFFFull));
        d[v] = _mm512_setzero_si512();
        k1[v] = _mm512_set1_epi64(key1);
    }
    np_rounds_v4(a, b, c, d, vectors, key0, k1);
    const __m512i low = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11);
    const __m512i high = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
    for (int v = 0; v < vectors; v++) {
        int64_t i = i0 + 16 * v;
        __m512d even = np_unit_v4(c[v], d[v]), odd = np_unit_v4(a[v], b[v]);
        /* masked-off lanes are not touched, so out - off + i may start before out */
        _mm512_mask_storeu_pd(out - off + i, np_lanes_in(i, off, m),
                              _mm512_permutex2var_pd(even, low, odd));
        _mm512_mask_storeu_pd(out - off + i + 8, np_lanes_in(i + 8, off, m),
                              _mm512_permutex2var_pd(even, high, odd));
    }
}

/* The uniforms of sites j < n: with `lanes`, key (key0, key1[j]) and site c2[j]; without,
 * key (key0, key1[0]) and sites c2[0] + j (np_philox_uniforms). */
NP_V4 static void np_philox_fill_v4(uint32_t key0, const uint32_t *key1, uint32_t c0, uint32_t c1,
                                    const uint32_t *c2, int lanes, int64_t n, double *out)
{
    if (lanes) {
        int64_t j = 0;
        for (; j + 8 * NP_V4_VECTORS <= n; j += 8 * NP_V4_VECTORS)
            np_philox_lanes_block_v4(key0, key1, c0, c1, c2, j, NP_V4_VECTORS, n, out);
        for (; j < n; j += 8)
            np_philox_lanes_block_v4(key0, key1, c0, c1, c2, j, 1, n, out);
        return;
    }
    uint32_t base = c2[0] & ~1u;
    int64_t off = c2[0] & 1u, m = off + n, i = 0;
    for (; i + 16 * NP_V4_VECTORS <= m; i += 16 * NP_V4_VECTORS)
        np_philox_pairs_block_v4(key0, key1[0], c0, c1, base, off, i, NP_V4_VECTORS, m, out);
    for (; i < m; i += 16)
        np_philox_pairs_block_v4(key0, key1[0], c0, c1, base, off, i, 1, m, out);
}

/* cdf[0..15] in two registers, entries past `last` equal to cdf[last] */
NP_V4 static inline void np_table16_v4(const double *cdf, int64_t last, __m512d *table)
{
    double t[16];
    for (int k = 0; k < 16; k++)
        t[k] = cdf[k < last ? k : last];
    table[0] = _mm512_loadu_pd(t);
    table[1] = _mm512_loadu_pd(t + 8);
}

/* The counts of np_counts_deposit for the m uniforms u, added as w x count to slot[j]
 * (w finite; the guide is not needed). */
NP_V4 static void np_counts_deposit_v4(const double *u, int64_t m, const double *cdf,
                                       const uint16_t *guide, int64_t guide_size, int64_t last,
                                       int64_t cap, double w, double *slot)
{
    (void)guide;
    (void)guide_size;
    __m512d table[2];
    np_table16_v4(cdf, last, table);
    const __m512d weight = _mm512_set1_pd(w);
    for (int64_t j = 0; j < m; j += 8) {
        __mmask8 in = (__mmask8)(m - j >= 8 ? 0xFF : (1u << (m - j)) - 1u);
        __m512d x = _mm512_maskz_loadu_pd(in, u + j);
        __m512i k = _mm512_setzero_si512();
        for (int step = 8; step >= 1; step >>= 1) {
            __m512d c = _mm512_permutex2var_pd(table[0], _mm512_add_epi64(k, _mm512_set1_epi64(step - 1)),
                                               table[1]);
            k = _mm512_mask_add_epi64(k, _mm512_cmp_pd_mask(x, c, _CMP_GT_OQ), k,
                                      _mm512_set1_epi64(step));
        }
        /* k <= 15 here: one more comparison reaches 16 (u above every entry) */
        k = _mm512_mask_add_epi64(k, _mm512_cmp_pd_mask(x, _mm512_permutex2var_pd(table[0], k, table[1]),
                                                        _CMP_GT_OQ), k, _mm512_set1_epi64(1));
        __mmask8 beyond = _mm512_mask_cmpeq_epi64_mask(in, k, _mm512_set1_epi64(16));
        if (beyond) {
            int64_t count[8];
            _mm512_storeu_si512(count, k);
            for (int l = 0; l < 8; l++) {
                if (!(beyond >> l & 1))
                    continue;
                int64_t q = last < 16 ? last : 16;
                while (q < last && u[j + l] > cdf[q])
                    q++;
                count[l] = (q == last && u[j + l] > cdf[last]) ? cap : q;
            }
            k = _mm512_loadu_si512(count);
        }
        __m512d s = _mm512_maskz_loadu_pd(in, slot + j);
        _mm512_mask_storeu_pd(slot + j, in, _mm512_add_pd(s, _mm512_mul_pd(weight, _mm512_cvtepi64_pd(k))));
    }
}

/* np_poisson_deposit (lanes 0: key1[0], sites c2[0] + j) or np_poisson_deposit_lanes (lanes
 * 1: key1[j], c2[j]) where np_table16_ok and w is finite */
NP_V4 static void np_poisson_deposit_v4(uint32_t key0, const uint32_t *key1, uint32_t c0,
                                        uint32_t c1, const uint32_t *c2, int lanes, int64_t n,
                                        const double *cdf, int64_t last, int64_t cap, double w,
                                        double *slot)
{
    double u[NP_DEPOSIT_CHUNK];
    /* chunks after the first start at even sites (pairs of sites share a block) */
    int64_t step = lanes ? NP_DEPOSIT_CHUNK : NP_DEPOSIT_CHUNK - (c2[0] & 1u);
    for (int64_t j0 = 0; j0 < n; j0 += step, step = NP_DEPOSIT_CHUNK) {
        int64_t m = n - j0 < step ? n - j0 : step;
        uint32_t first = c2[0] + (uint32_t)j0;
        if (lanes)
            np_philox_fill_v4(key0, key1 + j0, c0, c1, c2 + j0, 1, m, u);
        else
            np_philox_fill_v4(key0, key1, c0, c1, &first, 0, m, u);
        np_counts_deposit_v4(u, m, cdf, NULL, 0, last, cap, w, slot + j0);
    }
}

#else
#define NP_HAVE_AVX512_PATH 0
static inline int np_avx512(void) { return 0; }
static inline int np_set_avx512(int on) { (void)on; return 0; }
#define np_counts_deposit_v4 np_counts_deposit      /* (never chosen: np_avx512() is 0) */
#endif
#endif
