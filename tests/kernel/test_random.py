"""The Philox4x32-10 generator of kernel/random/philox.pyx.

1. Known answers: the bijection itself against the published Random123 vectors.
2. Distributions: uniform_doubles (Kolmogorov-Smirnov against U(0, 1), independence of seeds,
   streams, sites and successive draws) and poisson_counts (chi-squared goodness of fit against
   scipy.stats.poisson, mean and variance) for means on both sides of the algorithm switch at 10.
3. Determinism: every draw is a pure function of (seed, stream, site, draw index).

All statistical tests use fixed seeds, so each one passes or fails the same way on every run.
Each uses a significance level of ALPHA = 0.001: a correct generator would fail a given test for
about one seed in a thousand. The power of each test (the smallest defect it detects with
probability >= 0.9) is stated next to it.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from kernel.random import poisson_counts, uniform_doubles
from kernel.random.philox import (has_avx512, philox_block, poisson_counts_at,
                                  poisson_counts_of_uniforms, poisson_deposits, poisson_tables,
                                  site_uniforms)

ALPHA = 0.001
Z_CRIT = stats.norm.isf(ALPHA / 2)      # 3.29: two-sided normal critical value
U32 = 0xFFFFFFFF


def sites(n, start=0):
    return np.arange(start, start + n, dtype=np.uint64)


# -- 1. known answers ------------------------------------------------------------------------------
# Random123 known-answer vectors for philox4x32 with 10 rounds. Source: the Random123
# distribution of D. E. Shaw Research, file tests/kat_vectors, lines 27-29, in
# https://github.com/DEShawResearch/random123 at commit 9545ff6413f258be2f04c1d319d99aaef7521150
# (format: name, rounds, ctr[4], key[2], expected[4]; all words hexadecimal):
#   philox4x32 10 00000000 00000000 00000000 00000000 00000000 00000000   6627e8d5 e169c58d bc57ac4c 9b00dbd8
#   philox4x32 10 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff   408f276d 41c83b0e a20bc7c6 6d5451fd
#   philox4x32 10 243f6a88 85a308d3 13198a2e 03707344 a4093822 299f31d0   d16cfe09 94fdcceb 5001e420 24126ea1
KAT_PHILOX4X32_10 = [
    ((0x00000000, 0x00000000, 0x00000000, 0x00000000), (0x00000000, 0x00000000),
     (0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)),
    ((0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), (0xffffffff, 0xffffffff),
     (0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd)),
    ((0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (0xa4093822, 0x299f31d0),
     (0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1)),
]


@pytest.mark.parametrize("ctr, key, expected", KAT_PHILOX4X32_10, ids=["zeros", "ones", "pi"])
def test_philox_block_matches_random123_known_answers(ctr, key, expected):
    assert philox_block(ctr, key) == expected


def test_philox_block_accepts_numpy_words_and_returns_python_ints():
    ctr, key, expected = KAT_PHILOX4X32_10[2]
    out = philox_block(np.array(ctr, dtype=np.uint32), np.array(key, dtype=np.uint64))
    assert out == expected
    assert all(type(w) is int for w in out)


@pytest.mark.parametrize("ctr, key", [
    ((0, 0, 0), (0, 0)),                 # 3 counter words
    ((0, 0, 0, 0), (0,)),                # 1 key word
    ((0, 0, 0, 2 ** 32), (0, 0)),        # word out of range
    ((0, 0, 0, -1), (0, 0)),             # negative word
    ((0, 0, 0, 0.5), (0, 0)),            # not an integer
    ((0, 0, 0, 0), (True, 0)),           # bool is not a word
])
def test_philox_block_rejects_malformed_input(ctr, key):
    with pytest.raises(ValueError):
        philox_block(ctr, key)


def _double_from_words(hi, lo):
    """next_double's map: the top 52 of 64 bits, centred in their bin (as in philox.pxd);
    52 bits keep (bits + 0.5) / 2**52 exactly representable, so the result is never 1.0."""
    bits = ((hi << 32) | lo) >> 12
    return (float(bits) + 0.5) * 2.0 ** -52


@pytest.mark.parametrize("seed, stream, site", [
    (1, 0, 0), (143202461, 7, 12345), (U32, U32, 2 ** 40 + 3), (2 ** 32 + 5, 9, 1)])
def test_uniform_doubles_are_built_on_the_philox_block(seed, stream, site):
    """The stream layout: key = (seed low word, stream ^ seed high word), counter =
    (site low word, site high word, 0, block index); each block gives two doubles, taken from
    output words (3, 2) and then (1, 0). This pins uniform_doubles to the KAT-checked bijection:
    swapped key words, a dropped high word of the site, or a counter that does not advance
    would all show here."""
    key = (seed & U32, stream ^ (seed >> 32))
    draws = uniform_doubles(seed, stream, np.array([site], dtype=np.uint64), per_site=6)[0]
    expected = []
    for block in range(3):
        w = philox_block((site & U32, site >> 32, 0, block), key)
        expected += [_double_from_words(w[3], w[2]), _double_from_words(w[1], w[0])]
    assert draws.tolist() == expected


def test_largest_53_bit_value_maps_strictly_below_one():
    # _double_from_words is next_double's formula, checked bit for bit against the compiled
    # kernel by test_uniform_doubles_are_built_on_the_philox_block and
    # test_uniform_doubles_formula_on_many_draws.
    assert 0.0 < _double_from_words(U32, U32) < 1.0
    assert 0.0 < _double_from_words(0, 0) < 1.0


def test_uniform_doubles_formula_on_many_draws():
    """Same check as above over 2000 sites (first two draws of each)."""
    seed, stream = 987654321, 3
    s = sites(2000, start=2 ** 32 - 1000)          # crosses into the site's high word
    draws = uniform_doubles(seed, stream, s, per_site=2)
    for i, site in enumerate(s.tolist()):
        w = philox_block((site & U32, site >> 32, 0, 0), (seed, stream))
        assert draws[i].tolist() == [_double_from_words(w[3], w[2]), _double_from_words(w[1], w[0])]


# -- 2a. uniform_doubles: distribution -------------------------------------------------------------
N_UNIFORM = 200_000
# KS power: with n = 200 000 the critical value is 1.95 / sqrt(n) = 0.0044; a CDF that is off by
# 0.006 somewhere is rejected with probability > 0.9 (the empirical CDF has sd <= 0.0011).


def test_uniform_across_sites_is_uniform_in_open_interval():
    u = uniform_doubles(2024, 11, sites(N_UNIFORM)).ravel()
    assert u.shape == (N_UNIFORM,)
    assert np.all(u > 0.0) and np.all(u < 1.0)
    assert stats.kstest(u, "uniform").pvalue > ALPHA


def test_uniform_within_one_site_is_uniform_in_open_interval():
    """Many draws from one site: the block counter must advance (a stuck counter would repeat
    every 2 draws and fail both the KS test and the distinctness check)."""
    u = uniform_doubles(7, 0, sites(1, start=42), per_site=N_UNIFORM).ravel()
    assert np.all(u > 0.0) and np.all(u < 1.0)
    assert stats.kstest(u, "uniform").pvalue > ALPHA
    assert np.unique(u).size == u.size


def test_uniform_low_order_bits_are_uniform():
    """The bits below the top 8 must be random too (e.g. not zero because only 32 bits were used):
    the 9th-16th bits of the 52-bit value, 256 bins, chi-squared (df 255). Power: a bin frequency
    off by 20 % in 10 of the 256 bins is detected with probability > 0.9."""
    u = uniform_doubles(31337, 2, sites(N_UNIFORM)).ravel()
    low_byte = (np.floor(u * 2.0 ** 16).astype(np.int64)) & 0xFF
    counts = np.bincount(low_byte, minlength=256)
    assert stats.chisquare(counts).pvalue > ALPHA
    # The lowest of the 52 bits must be fair too: u * 2**52 = bits + 0.5 exactly.
    lowest = np.floor(u * 2.0 ** 52).astype(np.int64) & 1
    half = u
    assert abs(lowest.mean() - 0.5) < Z_CRIT * 0.5 / np.sqrt(half.size)


# -- 2b. uniform_doubles: independence -------------------------------------------------------------
N_PAIRS = 100_000
# Two tests per pair of samples (x, y):
# * Pearson correlation: |r| < Z_CRIT / sqrt(n); detects |rho| >= (3.29 + 1.28) / sqrt(1e5)
#   = 0.0145 with probability 0.9.
# * chi-squared on a 16 x 16 grid of (x, y) (df 255, ~390 per cell): detects dependence that is
#   not linear, e.g. a 20 % excess in a quarter of the cells.


def assert_independent_uniforms(x, y):
    x, y = np.ravel(x), np.ravel(y)
    assert x.shape == y.shape
    r = np.corrcoef(x, y)[0, 1]
    assert abs(r) < Z_CRIT / np.sqrt(x.size), r
    cells = (np.floor(x * 16).astype(int) * 16 + np.floor(y * 16).astype(int))
    counts = np.bincount(cells, minlength=256)
    assert stats.chisquare(counts).pvalue > ALPHA
    assert not np.any(x == y)


def test_adjacent_sites_are_independent():
    u = uniform_doubles(5, 1, sites(N_PAIRS + 1)).ravel()
    assert_independent_uniforms(u[:-1], u[1:])


def test_sites_that_differ_only_in_the_high_word_are_independent():
    lo = sites(N_PAIRS)
    hi = lo + np.uint64(2 ** 32)
    assert_independent_uniforms(uniform_doubles(5, 1, lo), uniform_doubles(5, 1, hi))


def test_adjacent_streams_are_independent():
    s = sites(N_PAIRS)
    assert_independent_uniforms(uniform_doubles(5, 1, s), uniform_doubles(5, 2, s))


def test_adjacent_seeds_are_independent():
    s = sites(N_PAIRS)
    assert_independent_uniforms(uniform_doubles(5, 1, s), uniform_doubles(6, 1, s))


def test_seed_and_stream_do_not_alias():
    """(seed, stream) = (1, 2) and (2, 1) must be different streams (a symmetric key mix, such as
    seed ^ stream, would make them equal)."""
    s = sites(N_PAIRS)
    assert_independent_uniforms(uniform_doubles(1, 2, s), uniform_doubles(2, 1, s))


@pytest.mark.parametrize("lag", [1, 2, 3])
def test_successive_draws_of_a_site_are_independent(lag):
    """Lag 1 pairs the two doubles of one Philox block, lag 2 consecutive blocks."""
    u = uniform_doubles(99, 4, sites(1000), per_site=N_PAIRS // 1000 + lag)
    assert_independent_uniforms(u[:, :-lag], u[:, lag:])


# -- 2c. poisson_counts ----------------------------------------------------------------------------
N_POISSON = 1_000_000
MUS = [0.01, 0.5, 3.0, 9.99, 10.0, 15.0, 80.0, 1000.0]
# Below 10 the kernel inverts the CDF, from 10 on it uses PTRS (transformed rejection): 9.99 and
# 10.0 check both sides of the switch. Power at n = 1 000 000 (probability 0.9):
# * mean: a relative bias of (3.29 + 1.28) / sqrt(mu n): 0.15 % at mu = 10, 0.015 % at
#   mu = 1000, 1.4 % at mu = 0.1, 4.6 % at mu = 0.01 (e.g. an acceptance test of PTRS off by
#   lgamma(k + 1.02) instead of lgamma(k + 1) biases the mean by -0.24 % at mu = 10 and is caught);
# * variance: a relative error of 4.57 sqrt((mu + 2 mu^2) / n) / mu: 0.66 % at mu = 10, 0.65 %
#   for large mu, 4.6 % at mu = 0.01;
# * chi-squared (bins of expected count >= 20, tails merged): e.g. 1 % of the mass moved
#   between neighbouring counts near the mode.


def poisson_bins(mu, n, min_expected=20.0):
    """Cut points c_0 < c_1 < ... and bin probabilities for the bins [0, c_0), [c_0, c_1), ...,
    [c_last, inf): scanned upwards, a bin is closed once it and the rest of the tail both
    expect at least ``min_expected`` draws."""
    dist = stats.poisson(mu)
    kmax = int(dist.isf(1e-15)) + 2
    pmf = dist.pmf(np.arange(kmax + 1))
    sf = dist.sf(np.arange(kmax + 1))           # P(X > k)
    cuts, acc = [], 0.0
    for k in range(kmax + 1):
        acc += pmf[k]
        if acc * n >= min_expected and sf[k] * n >= min_expected:
            cuts.append(k + 1)
            acc = 0.0
    edges = [0] + cuts
    probs = [dist.cdf(b - 1) - (dist.cdf(a - 1) if a else 0.0)
             for a, b in zip(edges[:-1], edges[1:])]
    probs.append(dist.sf(edges[-1] - 1))
    return np.array(cuts), np.array(probs)


@pytest.mark.parametrize("mu", MUS)
def test_poisson_counts_goodness_of_fit(mu):
    k = poisson_counts(20240601, 3, sites(N_POISSON), mu)
    assert k.dtype == np.int64 and k.shape == (N_POISSON,)
    assert k.min() >= 0
    cuts, probs = poisson_bins(mu, N_POISSON)
    assert len(probs) >= 2 and abs(probs.sum() - 1.0) < 1e-9
    observed = np.bincount(np.searchsorted(cuts, k, side="right"), minlength=len(probs))
    assert observed.sum() == N_POISSON
    assert stats.chisquare(observed, probs * N_POISSON).pvalue > ALPHA
    z_mean = (k.mean() - mu) / np.sqrt(mu / N_POISSON)
    assert abs(z_mean) < Z_CRIT, z_mean
    z_var = (k.var(ddof=1) - mu) / np.sqrt((mu + 2 * mu ** 2) / N_POISSON)
    assert abs(z_var) < Z_CRIT, z_var


def test_poisson_tiny_mean_has_the_right_share_of_ones_and_twos():
    """mu = 0.01: almost all zeros; P(1) = 0.0099, P(>=2) = 5e-5. With 1e6 draws the count of
    ones has SE 99, so a 1.5 % error in P(1) is detected; P(>=2) is checked at the 3.29 SE level."""
    n, mu = 1_000_000, 0.01
    k = poisson_counts(1, 1, sites(n), mu)
    for observed, p in (((k == 1).sum(), stats.poisson.pmf(1, mu)),
                        ((k >= 2).sum(), stats.poisson.sf(1, mu))):
        assert abs(observed - n * p) < Z_CRIT * np.sqrt(n * p * (1 - p)), (observed, n * p)


def test_poisson_zero_mean_gives_zeros():
    assert not np.any(poisson_counts(3, 3, sites(1000), 0.0))


def test_poisson_counts_are_never_negative_for_an_infinite_mean():
    assert poisson_counts(3, 3, sites(3), float("inf")).min() >= 0


# -- 3. determinism --------------------------------------------------------------------------------
def test_same_seed_stream_site_gives_the_same_draws():
    s = sites(500, start=77)
    a = uniform_doubles(12, 34, s, per_site=5)
    assert np.array_equal(a, uniform_doubles(12, 34, s.copy(), per_site=5))
    p = poisson_counts(12, 34, s, 4.2)
    assert np.array_equal(p, poisson_counts(12, 34, s.copy(), 4.2))


def test_draws_do_not_depend_on_which_other_sites_are_drawn():
    """Counter-based: site s gives the same numbers alone, in a batch, or in any order — what
    makes results independent of the number of threads and processes."""
    s = np.array([5, 2 ** 33 + 1, 0, 123456789], dtype=np.uint64)
    batch = uniform_doubles(8, 9, s, per_site=3)
    for i, site in enumerate(s):
        assert np.array_equal(batch[i], uniform_doubles(8, 9, s[i:i + 1], per_site=3)[0])
    assert np.array_equal(uniform_doubles(8, 9, s[::-1].copy(), per_site=3), batch[::-1])
    for mu in (2.5, 50.0):
        batch = poisson_counts(8, 9, s, mu)
        for i in range(len(s)):
            assert poisson_counts(8, 9, s[i:i + 1], mu)[0] == batch[i]


def test_more_draws_per_site_extend_the_same_sequence():
    s = sites(50)
    assert np.array_equal(uniform_doubles(1, 1, s, per_site=9)[:, :4],
                          uniform_doubles(1, 1, s, per_site=4))


@pytest.mark.parametrize("other", [(2, 1, 0), (1, 2, 0), (1, 1, 1000)],
                         ids=["seed", "stream", "site"])
def test_different_seed_stream_or_site_gives_different_draws(other):
    base = uniform_doubles(1, 1, sites(1000), per_site=2)
    seed, stream, offset = other
    changed = uniform_doubles(seed, stream, sites(1000, start=offset), per_site=2)
    assert not np.any(base == changed)
    pb = poisson_counts(1, 1, sites(1000), 30.0)
    pc = poisson_counts(seed, stream, sites(1000, start=offset), 30.0)
    assert np.mean(pb == pc) < 0.2      # P(equal) for two Poisson(30) draws is 0.05


# -- hypothesis: invariants for arbitrary keys and counters --------------------------------------
@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2 ** 64 - 1), stream=st.integers(0, U32),
       first_site=st.integers(0, 2 ** 64 - 64), per_site=st.integers(1, 40))
def test_uniform_draws_lie_in_the_open_unit_interval(seed, stream, first_site, per_site):
    u = uniform_doubles(seed, stream, sites(64, start=first_site), per_site=per_site)
    assert u.shape == (64, per_site)
    assert np.all(u > 0.0) and np.all(u < 1.0)
    again = uniform_doubles(seed, stream, sites(64, start=first_site), per_site=per_site)
    assert np.array_equal(u, again)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(1, U32), stream=st.integers(0, U32), site=st.integers(0, 2 ** 64 - 16),
       mu=st.one_of(st.floats(0.0, 30.0), st.floats(30.0, 1e7)))
def test_poisson_counts_are_deterministic_non_negative_integers(seed, stream, site, mu):
    k = poisson_counts(seed, stream, sites(16, start=site), mu)
    assert k.dtype == np.int64 and np.all(k >= 0)
    assert np.array_equal(k, poisson_counts(seed, stream, sites(16, start=site), mu))
    # a crude range check: no draw more than 12 SD (+ a margin for tiny mu) from the mean
    assert np.all(np.abs(k - mu) <= 12 * np.sqrt(mu) + 12)


# -- 4. the poisson_generator's table path -------------------------------------------------------
@pytest.mark.parametrize("mu", [1e-6, 0.02, 0.5, 2.0, 5.5, 9.999, 12.0])
@pytest.mark.parametrize("site", [0, 7, 2 ** 32 + 5])
def test_table_draws_equal_sequential_search_draws(mu, site):
    """The batched uniforms (vectorized Philox) and the CDF/guide tables give exactly the
    counts of the one-stream-at-a-time ``poisson`` (so trains did not change when the
    generator got faster); above the table range both use ``poisson``."""
    fast = poisson_counts_at(99, 1234, site, 3, 50_000, mu, True)
    slow = poisson_counts_at(99, 1234, site, 3, 50_000, mu, False)
    np.testing.assert_array_equal(fast, slow)
    assert abs(fast.mean() - mu) < 6 * np.sqrt(mu / fast.size)


needs_avx512 = pytest.mark.skipif(not has_avx512(), reason="the CPU has no AVX-512")


@needs_avx512
@pytest.mark.parametrize("mu", [1e-9, 0.02, 0.3, 2.0, 4.0, 5.2])
def test_avx512_counts_equal_the_table_search_on_and_around_the_cdf(mu):
    """The AVX-512 count (a binary search over cdf[0..15] in registers, then the sequential
    search past 16) equals the scalar table search for uniforms on each CDF value, one ulp
    either side, past cdf[15], above cdf[last] (the cap) and at the ends of (0, 1)."""
    cdf, _, last = poisson_tables(np.array([mu]))
    values = cdf[0, :last[0] + 1]
    u = np.concatenate([values, np.nextafter(values, 0.0), np.nextafter(values, 2.0),
                        [5e-324, 1e-300, 0.5, 1.0 - 2.0 ** -53, 1.0],
                        np.random.default_rng(5).random(1000)])
    u = u[(u > 0.0) & (u <= 1.0)]
    fast = poisson_counts_of_uniforms(u, mu, True)
    np.testing.assert_array_equal(fast, poisson_counts_of_uniforms(u, mu, False))
    # the cases the registers cannot settle were met: the cap where the CDF's sum stays below
    # 1 (0.02), and counts of 16 or more
    above = u > values[-1]
    assert np.all(fast[above] == 1000) and above.any() == (values[-1] < 1.0)
    if last[0] >= 16:
        assert np.any((fast >= 16) & (fast < 1000))


@needs_avx512
@pytest.mark.parametrize("mu", [1e-9, 0.3, 2.0, 5.2, 8.0])
@pytest.mark.parametrize("lanes", [False, True])
def test_avx512_deposits_equal_the_portable_ones_and_the_sequential_search(mu, lanes):
    """np_poisson_deposit and np_poisson_deposit_lanes on the AVX-512 path (four vectors of
    8 lanes, a vector at a time for the rest, masked tails) add the same bits as the portable
    loops, and w x the counts of the one-stream-at-a-time search; a mean whose counts often
    reach 16 (8.0) takes the portable path on both sides."""
    rng = np.random.default_rng(int(mu * 1000) + lanes)
    for n in (0, 1, 7, 9, 31, 33, 127, 129, 1000):
        key1 = rng.integers(0, 2 ** 32, max(n, 1), dtype=np.uint64).astype(np.uint32)
        c2 = rng.integers(0, 2 ** 32, max(n, 1), dtype=np.uint64).astype(np.uint32)
        # without lanes the counter word wraps within the call, from an odd site and an even
        firsts = [int(c2[0])] if lanes else [2 ** 32 - 5, 2 ** 32 - 6]
        for first, w in ((f, w) for f in firsts for w in (0.7, -2.5)):
            c2[0] = first
            fast = poisson_deposits(3, key1, 11, 13, c2, n, mu, w, lanes, True)
            slow = poisson_deposits(3, key1, 11, 13, c2, n, mu, w, lanes, False)
            assert fast.tobytes() == slow.tobytes()
            site = 11 + (13 << 32)
            counts = [poisson_counts_at(3, int(key1[j if lanes else 0]), site,
                                        int(c2[j]) if lanes else (int(c2[0]) + j) % 2 ** 32,
                                        1, mu, False)[0] for j in range(n)]
            np.testing.assert_array_equal(fast, w * np.array(counts, dtype=np.float64))


def _unit(hi, lo):
    return ((((hi << 32) | lo) >> 12) + 0.5) / 2.0 ** 52


@pytest.mark.parametrize("first", [0, 7, 2 ** 32 - 3])
def test_pairs_of_sites_share_a_block(first):
    """A table draw's uniform at site 2k is the first double of the block with counter word
    2k (words 3 and 2), at site 2k + 1 its second (words 1 and 0), whether drawn in a batch
    (from any start, odd or even, through the wrap of the counter word; on the AVX-512 and
    the portable path) or one at a time."""
    seed, stream_id, site, n = 99, 1234, 5 + (6 << 32), 37
    batched = site_uniforms(seed, stream_id, site, first, n, True)
    np.testing.assert_array_equal(batched, site_uniforms(seed, stream_id, site, first, n, False))
    np.testing.assert_array_equal(batched, site_uniforms(seed, stream_id, site, first, n, True,
                                                         avx512=False))
    key = (seed & U32, stream_id ^ (seed >> 32))
    for j in range(n):
        s = (first + j) % 2 ** 32
        w = philox_block((site & U32, site >> 32, s & ~1, 0), key)
        assert batched[j] == (_unit(w[1], w[0]) if s & 1 else _unit(w[3], w[2]))
    # the two sites of a pair draw independently
    u = site_uniforms(seed, stream_id, site, 0, 20_000, True)
    assert abs(stats.pearsonr(u[0::2], u[1::2])[0]) < Z_CRIT / np.sqrt(10_000)


def test_table_search_returns_the_cap_where_the_cdf_stays_below_the_uniform():
    """The CDF of a mean near the switch saturates below 1 when summed in floating point;
    the table ends where it stops changing and the guide never points past that end."""
    cdf, guide, last = poisson_tables(np.array([0.0, 2.0, 9.5, 11.0]))
    assert last[0] == 0 and last[3] == 0            # unused rows (outside 0 < mu < 10)
    for row in (1, 2):
        assert np.all(np.diff(cdf[row, :last[row] + 1]) >= 0)
        assert guide[row].max() <= last[row]
        assert cdf[row, last[row]] <= 1.0


@pytest.mark.parametrize("seed", [0, 1234, 2**40 + 7, 2**64 - 1])
@pytest.mark.parametrize("first", [0, 1, 6, 2**33 - 3])
def test_batched_span_draws_equal_the_per_site_draws(seed, first):
    """uniform_doubles_span (whole Philox blocks batched) gives each site the value
    uniform_doubles_at gives it: odd first sites, odd lengths, the 32-bit block carry."""
    from kernel.random._draws import uniform_doubles_at, uniform_doubles_span
    for n in (0, 1, 2, 3, 8, 1001):
        span = uniform_doubles_span(seed, 99, first, n, 3)
        at = uniform_doubles_at(seed, 99, np.arange(first, first + n, dtype=np.uint64), 3)
        assert span.tobytes() == at.tobytes()


def test_normal_quantiles_are_scipys_ndtri_bit_for_bit():
    """normal_quantiles (the normal family's inversion) gives scipy.special.ndtri's bits:
    uniforms, both sides of each branch's bounds (exp(-2), 1 - exp(-2), the tails' switch at
    sqrt(-2 log y) = 8), deep tails down to the smallest double, the ends and values outside
    [0, 1]; also in place."""
    from scipy.special import ndtri

    from kernel.random._draws import normal_quantiles
    rng = np.random.default_rng(11)
    e2, e32 = np.exp(-2.0), np.exp(-32.0)
    bounds = np.array([e2, 1.0 - e2, e32, 1.0 - e32, 0.5])
    edges = np.concatenate([bounds, np.nextafter(bounds, 0.0), np.nextafter(bounds, 1.0),
                            [0.0, -0.0, 1.0, 5e-324, 1e-300, 2.0 ** -53, 1.0 - 2.0 ** -53,
                             -0.1, 1.1, np.nan, np.inf, -np.inf]])
    u = np.concatenate([rng.random(200_000), edges, rng.random(20_000) ** 30,
                        1.0 - rng.random(20_000) ** 30, np.exp(-rng.uniform(0.0, 740.0, 20_000))])
    assert normal_quantiles(u).tobytes() == ndtri(u).tobytes()
    inplace = u.copy()
    assert normal_quantiles(inplace, out=inplace) is inplace
    assert inplace.tobytes() == ndtri(u).tobytes()
    with pytest.raises(ValueError, match="out must be"):
        normal_quantiles(u, out=np.empty(3))
