"""Philox4x32-10 streams and the distributions the kernel draws from them."""
from libc.math cimport exp, fabs, floor, lgamma, log, sqrt
from libc.stdint cimport uint32_t, uint64_t

import numpy as np

cdef long poisson(Stream* s, double mu) noexcept nogil:
    cdef double u, p, cdf, slam, loglam, b, a, invalpha, vr, us, v
    cdef long k
    if not mu > 0.0 or mu > 1e15:
        # zero, negative and NaN means give nothing; callers reject infinite or huge rates
        return 0
    if mu < POISSON_TABLE_MAX_MU:
        # Inversion by sequential search: one uniform per draw.
        u = next_double(s)
        p = exp(-mu)
        cdf = p
        k = 0
        while u > cdf and k < 1000:
            k += 1
            p *= mu / k
            cdf += p
        return k
    # PTRS, transformed rejection with squeeze (Hörmann 1993).
    slam = sqrt(mu)
    loglam = log(mu)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = next_double(s) - 0.5
        v = next_double(s)
        us = 0.5 - fabs(u)
        k = <long>floor((2.0 * a / us + b) * u + mu + 0.43)
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if log(v) + log(invalpha) - log(a / (us * us) + b) <= -mu + k * loglam - lgamma(k + 1.0):
            return k


def uniform_doubles(uint64_t seed, uint32_t stream_id, uint64_t[::1] sites, int per_site=1):
    """Uniform draws in (0, 1): ``per_site`` draws for each counter site.

    Parameters
    ----------
    seed, stream_id : int
        The stream's key.
    sites : ndarray of uint64
        Counter sites (e.g. target ids); each gives an independent sub-stream.
    per_site : int
        Draws per site.

    Returns
    -------
    ndarray of float64, shape (len(sites), per_site)
    """
    cdef Py_ssize_t i, j, n = sites.shape[0]
    cdef Stream st
    out = np.empty((n, per_site), dtype=np.float64)
    cdef double[:, ::1] o = out
    with nogil:
        for i in range(n):
            stream_init(&st, seed, stream_id, sites[i], 0)
            for j in range(per_site):
                o[i, j] = next_double(&st)
    return out


def poisson_counts(uint64_t seed, uint32_t stream_id, uint64_t[::1] sites, double mu):
    """One Poisson(mu) draw for each counter site (used by tests of the generator)."""
    cdef Py_ssize_t i, n = sites.shape[0]
    cdef Stream st
    out = np.empty(n, dtype=np.int64)
    cdef long long[::1] o = out
    with nogil:
        for i in range(n):
            stream_init(&st, seed, stream_id, sites[i], 0)
            o[i] = poisson(&st, mu)
    return out


def poisson_tables(const double[::1] mu):
    """CDF and guide tables of ``poisson_lookup`` for each mean (per step) in ``mu``.

    Row i serves mu[i] when 0 < mu[i] < POISSON_TABLE_MAX_MU (other rows are unused). The CDF
    is accumulated exactly as ``poisson``'s sequential search accumulates it, and is cut where
    it stops changing (``last``), so a lookup returns the count the search would.

    Returns
    -------
    cdf : ndarray of float64, shape (len(mu), width)
    guide : ndarray of uint16, shape (len(mu), POISSON_GUIDE_SIZE)
    last : ndarray of int64, shape (len(mu),)
    """
    cdef Py_ssize_t n = mu.shape[0], i, m
    cdef long k, kend
    cdef double p, c
    full = np.zeros((n, POISSON_SEARCH_CAP), dtype=np.float64)
    last = np.zeros(n, dtype=np.int64)
    guide = np.zeros((n, POISSON_GUIDE_SIZE), dtype=np.uint16)
    cdef double[:, ::1] f = full
    cdef long[::1] lst = last
    cdef unsigned short[:, ::1] g = guide
    with nogil:
        for i in range(n):
            if not (0.0 < mu[i] < POISSON_TABLE_MAX_MU):
                continue
            p = exp(-mu[i])
            c = p
            f[i, 0] = c
            kend = 0
            for k in range(1, POISSON_SEARCH_CAP):
                p *= mu[i] / k
                c += p
                f[i, k] = c
                if c != f[i, k - 1]:
                    kend = k
            lst[i] = kend
            k = 0
            for m in range(POISSON_GUIDE_SIZE):
                # the first k whose CDF reaches m / size: no smaller count can be the answer
                while k < kend and f[i, k] < m * (1.0 / POISSON_GUIDE_SIZE):
                    k += 1
                g[i, m] = <unsigned short>k
    width = int(last.max()) + 1 if n else 1
    return np.ascontiguousarray(full[:, :width]), guide, last


def poisson_counts_at(uint64_t seed, uint32_t stream_id, uint64_t site, uint32_t first,
                      Py_ssize_t n, double mu, bint table=True):
    """Poisson(mu) draws at the counter sites (site, first + j), j < n, as the
    poisson_generator draws them: by table and batched uniforms if ``table`` (and mu is
    small enough), else by ``poisson`` one site at a time, on the site's stream (site_stream,
    shared by pairs of sites) where the tables cover mu and on a stream of its own above.
    Both give the same counts."""
    cdef Py_ssize_t j
    cdef Stream st
    cdef uint32_t key0, key1
    out = np.empty(n, dtype=np.int64)
    u = np.empty(max(n, 1), dtype=np.float64)
    cdef long long[::1] o = out
    cdef double[::1] uu = u
    cdf, guide, last = poisson_tables(np.array([mu]))
    cdef const double[:, ::1] c = cdf
    cdef const unsigned short[:, ::1] g = guide
    cdef long lst = last[0]
    table = table and 0.0 < mu < POISSON_TABLE_MAX_MU
    stream_keys(seed, stream_id, &key0, &key1)
    with nogil:
        if table:
            np_philox_uniforms(key0, key1, <uint32_t>site, <uint32_t>(site >> 32), first, n, &uu[0])
        for j in range(n):
            if table:
                o[j] = poisson_lookup(uu[j], &c[0, 0], &g[0, 0], lst)
            else:
                if 0.0 < mu < POISSON_TABLE_MAX_MU:
                    site_stream(&st, seed, stream_id, site, first + <uint32_t>j)
                else:
                    stream_init(&st, seed, stream_id, site, first + <uint32_t>j)
                o[j] = poisson(&st, mu)
    return out


def site_uniforms(uint64_t seed, uint32_t stream_id, uint64_t site, uint32_t first,
                  Py_ssize_t n, bint batched, bint avx512=True):
    """The uniforms of the table draws at the counter sites (site, first + j), j < n: batched
    (np_philox_uniforms, on the AVX-512 path where the CPU has it if ``avx512``, else on the
    portable one) or one at a time (site_uniform). For tests of the pairing of sites."""
    cdef Py_ssize_t j
    cdef uint32_t key0, key1
    out = np.empty(max(n, 1), dtype=np.float64)
    cdef double[::1] o = out
    stream_keys(seed, stream_id, &key0, &key1)
    cdef int before = np_set_avx512(avx512)
    try:
        with nogil:
            if batched:
                np_philox_uniforms(key0, key1, <uint32_t>site, <uint32_t>(site >> 32), first,
                                   n, &o[0])
            else:
                for j in range(n):
                    o[j] = site_uniform(seed, stream_id, site, first + <uint32_t>j)
    finally:
        np_set_avx512(before)
    return out[:n]


def philox_block(ctr, key):
    """One Philox4x32-10 block: the 4 output words for a 4-word counter and a 2-word key.

    Exposed so that the generator can be checked against the published Random123 known-answer
    vectors (``tests/kat_vectors``, lines ``philox4x32 10 ...``).

    Parameters
    ----------
    ctr : sequence of 4 ints in [0, 2**32)
    key : sequence of 2 ints in [0, 2**32)

    Returns
    -------
    tuple of 4 ints
    """
    cdef uint32_t c[4]
    cdef uint32_t out[4]
    words = []
    for name, seq, n in (("ctr", ctr, 4), ("key", key, 2)):
        seq = list(seq)
        if len(seq) != n:
            raise ValueError(f"{name} must have {n} words; got {len(seq)}.")
        for w in seq:
            if isinstance(w, bool) or not isinstance(w, (int, np.integer)) or not 0 <= w <= 0xFFFFFFFF:
                raise ValueError(f"{name} words must be integers in [0, 2**32); got {w!r}.")
        words.append([int(w) for w in seq])
    for i in range(4):
        c[i] = <uint32_t>words[0][i]
    philox4x32_10(c, <uint32_t>words[1][0], <uint32_t>words[1][1], out)
    return (int(out[0]), int(out[1]), int(out[2]), int(out[3]))


def has_avx512():
    """Whether the Poisson draws take the AVX-512 path (philox_avx512.h) on this CPU."""
    return bool(np_avx512())


def poisson_deposits(uint32_t key0, const uint32_t[::1] key1, uint32_t c0, uint32_t c1,
                     const uint32_t[::1] c2, Py_ssize_t n, double mu, double w, bint lanes,
                     bint avx512):
    """w x the Poisson(mu) counts that np_poisson_deposit adds to n zero slots (key1[0],
    sites c2[0] + j), or with ``lanes`` np_poisson_deposit_lanes (key1[j], c2[j]); on the
    AVX-512 path where the CPU has it if ``avx512``, else on the portable one. For tests that
    compare the two."""
    need = max(n, 1) if lanes else 1
    if key1.shape[0] < need or c2.shape[0] < need:
        raise ValueError(f"key1 and c2 need {need} values, not {key1.shape[0]} and {c2.shape[0]}")
    cdf, guide, last = poisson_tables(np.array([mu]))
    cdef const double[:, ::1] c = cdf
    cdef const unsigned short[:, ::1] g = guide
    cdef long lst = last[0]
    out = np.zeros(max(n, 1), dtype=np.float64)
    cdef double[::1] slot = out
    cdef int before = np_set_avx512(avx512)
    try:
        with nogil:
            if lanes:
                np_poisson_deposit_lanes(key0, &key1[0], c0, c1, &c2[0], n, &c[0, 0], &g[0, 0],
                                         POISSON_GUIDE_SIZE, lst, POISSON_SEARCH_CAP, w,
                                         &slot[0])
            else:
                np_poisson_deposit(key0, key1[0], c0, c1, c2[0], n, &c[0, 0], &g[0, 0],
                                   POISSON_GUIDE_SIZE, lst, POISSON_SEARCH_CAP, w, &slot[0])
    finally:
        np_set_avx512(before)
    return out[:n]


def poisson_counts_of_uniforms(const double[::1] u, double mu, bint avx512):
    """The counts np_counts_deposit (or, if ``avx512``, its AVX-512 version, which needs the
    CPU and a table whose counts rarely reach 16) gives the uniforms ``u`` for mean ``mu``.
    For tests that try uniforms on and around the CDF's values."""
    cdf, guide, last = poisson_tables(np.array([mu]))
    cdef const double[:, ::1] c = cdf
    cdef const unsigned short[:, ::1] g = guide
    cdef long lst = last[0], n = u.shape[0]
    if avx512 and not (np_avx512() and np_table16_ok(&c[0, 0], lst)):
        raise ValueError("the AVX-512 path needs the CPU (has_avx512()) and a mean whose "
                         f"counts rarely reach 16, not mu={mu}")
    out = np.zeros(max(n, 1), dtype=np.float64)
    cdef double[::1] slot = out
    cdef long j0 = 0, m
    with nogil:
        while j0 < n:
            m = min(<long>NP_DEPOSIT_CHUNK, n - j0)
            if avx512:
                np_counts_deposit_v4(&u[j0], m, &c[0, 0], &g[0, 0], POISSON_GUIDE_SIZE, lst,
                                     POISSON_SEARCH_CAP, 1.0, &slot[j0])
            else:
                np_counts_deposit(&u[j0], m, &c[0, 0], &g[0, 0], POISSON_GUIDE_SIZE, lst,
                                  POISSON_SEARCH_CAP, 1.0, &slot[j0])
            j0 += m
    return out[:n].astype(np.int64)
