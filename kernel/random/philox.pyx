"""Philox4x32-10 streams and the distributions the kernel draws from them."""
from libc.math cimport exp, fabs, floor, lgamma, log, sqrt
from libc.stdint cimport uint32_t, uint64_t

import numpy as np

cdef uint32_t PHILOX_M0 = 0xD2511F53u
cdef uint32_t PHILOX_M1 = 0xCD9E8D57u
cdef uint32_t PHILOX_W0 = 0x9E3779B9u
cdef uint32_t PHILOX_W1 = 0xBB67AE85u
cdef double TWO_POW_M53 = 1.0 / 9007199254740992.0


cdef void philox4x32_10(uint32_t* ctr, uint32_t k0, uint32_t k1, uint32_t* out) noexcept nogil:
    cdef uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3]
    cdef uint64_t p0, p1
    cdef int r
    for r in range(10):
        p0 = <uint64_t>PHILOX_M0 * c0
        p1 = <uint64_t>PHILOX_M1 * c2
        c0 = <uint32_t>(p1 >> 32) ^ c1 ^ k0
        c1 = <uint32_t>p1
        c2 = <uint32_t>(p0 >> 32) ^ c3 ^ k1
        c3 = <uint32_t>p0
        k0 += PHILOX_W0
        k1 += PHILOX_W1
    out[0] = c0
    out[1] = c1
    out[2] = c2
    out[3] = c3


cdef void stream_init(Stream* s, uint64_t seed, uint32_t stream_id, uint64_t c01, uint32_t c2) noexcept nogil:
    # key: the 32-bit seed and the stream (e.g. a node id or a Connect call); counter words 0-2
    # name the draw site (e.g. step and target); word 3 counts draws within the site.
    s.key0 = <uint32_t>seed
    s.key1 = stream_id ^ <uint32_t>(seed >> 32)
    s.ctr0 = <uint32_t>c01
    s.ctr1 = <uint32_t>(c01 >> 32)
    s.ctr2 = c2
    s.ctr3 = 0
    s.avail = 0


cdef uint32_t next_u32(Stream* s) noexcept nogil:
    cdef uint32_t ctr[4]
    if s.avail == 0:
        ctr[0] = s.ctr0
        ctr[1] = s.ctr1
        ctr[2] = s.ctr2
        ctr[3] = s.ctr3
        philox4x32_10(ctr, s.key0, s.key1, s.out)
        s.ctr3 += 1
        s.avail = 4
    s.avail -= 1
    return s.out[s.avail]


cdef double next_double(Stream* s) noexcept nogil:
    # 53 random bits, centred in their bin: the result lies in the open interval (0, 1).
    cdef uint64_t hi = next_u32(s)
    cdef uint64_t lo = next_u32(s)
    cdef uint64_t bits = ((hi << 32) | lo) >> 11
    return (<double>bits + 0.5) * TWO_POW_M53


cdef long poisson(Stream* s, double mu) noexcept nogil:
    cdef double u, p, cdf, slam, loglam, b, a, invalpha, vr, us, v
    cdef long k
    if mu <= 0.0:
        return 0
    if mu < 10.0:
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
