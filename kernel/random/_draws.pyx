"""Uniform draws at an explicit counter word, for parameter expressions.

``philox.uniform_doubles`` counts draws within a site with the last counter word; parameter
expressions also need to name *which attempt* a draw belongs to (a redraw round), so that a
value redrawn for one site is still a pure function of (seed, stream, site, attempt). The
attempt goes into the third counter word. Two neighbouring sites share one Philox block, so
a draw costs half a block.
"""
from libc.stdint cimport uint32_t, uint64_t

import numpy as np

from kernel.random.philox cimport philox4x32_10


cdef extern from "philox_batch.h":
    void np_philox_pair_uniforms(uint32_t key0, uint32_t key1, uint32_t word, uint32_t c3,
                                 uint64_t block_first, long n_blocks, double* out) nogil

# Counter word 3 of these draws: keeps them apart from Stream draws, which count from 0.
cdef uint32_t PAIR_DOMAIN = 0x80000000u
cdef double TWO_POW_M52 = 1.0 / 4503599627370496.0


cdef inline double _word_pair_to_double(uint32_t hi, uint32_t lo) noexcept nogil:
    # as next_double in philox.pxd: 52 bits, so the value is strictly inside (0, 1)
    cdef uint64_t bits = ((<uint64_t>hi << 32) | lo) >> 12
    return (<double>bits + 0.5) * TWO_POW_M52


cdef inline void _block(uint64_t seed, uint32_t stream_id, uint64_t block, uint32_t word,
                        uint32_t* out) noexcept nogil:
    cdef uint32_t ctr[4]
    ctr[0] = <uint32_t>block
    ctr[1] = <uint32_t>(block >> 32)
    ctr[2] = word
    ctr[3] = PAIR_DOMAIN
    philox4x32_10(ctr, <uint32_t>seed, stream_id ^ <uint32_t>(seed >> 32), out)


def uniform_doubles_at(uint64_t seed, uint32_t stream_id, const uint64_t[::1] sites,
                       uint32_t word=0):
    """One uniform draw in the open interval (0, 1) for each counter site.

    Sites 2b and 2b+1 share one Philox block (words 0-1 and 2-3), so consecutive sites cost
    half a block each; every value is still a pure function of (seed, stream, site, word).

    Parameters
    ----------
    seed, stream_id : int
        The stream's key (the kernel's rng_seed and e.g. one leaf of a Connect call).
    sites : ndarray of uint64
        Counter sites (e.g. connection indices within a call, or node ids).
    word : int
        The third counter word: the attempt (redraw round) the draws belong to.

    Returns
    -------
    ndarray of float64, shape (len(sites),)
    """
    cdef Py_ssize_t i, n = sites.shape[0]
    cdef uint32_t out4[4]
    cdef uint64_t block, cached = 0
    cdef bint have = False
    cdef int half
    out = np.empty(n, dtype=np.float64)
    cdef double[::1] o = out
    with nogil:
        for i in range(n):
            block = sites[i] >> 1
            if not have or block != cached:
                _block(seed, stream_id, block, word, out4)
                cached = block
                have = True
            half = <int>(sites[i] & 1) * 2
            o[i] = _word_pair_to_double(out4[half], out4[half + 1])
    return out


def uniform_doubles_span(uint64_t seed, uint32_t stream_id, uint64_t first, Py_ssize_t n,
                         uint32_t word=0):
    """The same draws as :func:`uniform_doubles_at` for the sites first, ..., first + n - 1,
    without an array of sites (whole blocks batched, see philox_batch.h)."""
    cdef Py_ssize_t i = 0, n_pairs
    cdef uint32_t out4[4]
    cdef uint32_t key1 = stream_id ^ <uint32_t>(seed >> 32)
    out = np.empty(n, dtype=np.float64)
    cdef double[::1] o = out
    if n == 0:
        return out
    with nogil:
        if first & 1:
            _block(seed, stream_id, first >> 1, word, out4)
            o[0] = _word_pair_to_double(out4[2], out4[3])
            i = 1
        n_pairs = (n - i) // 2
        np_philox_pair_uniforms(<uint32_t>seed, key1, word, PAIR_DOMAIN, (first + i) >> 1,
                                n_pairs, &o[i])
        i += 2 * n_pairs
        if i < n:
            _block(seed, stream_id, (first + i) >> 1, word, out4)
            o[i] = _word_pair_to_double(out4[0], out4[1])
    return out


cdef extern from "ndtri.h":
    void np_ndtri(const double* u, long n, double* out) nogil


def normal_quantiles(u, out=None):
    """The standard normal quantiles of ``u`` (float64): scipy.special.ndtri's values, bit
    for bit, about four times faster on uniforms (the central 73 % vectorized).

    Parameters
    ----------
    u : array_like of float64
        Probabilities; 0 gives -inf, 1 gives inf, values outside [0, 1] NaN.
    out : ndarray of float64, optional
        Where to write (may be ``u`` itself); a new array if None.
    """
    values = np.ascontiguousarray(u, dtype=np.float64)
    if out is None:
        out = np.empty_like(values)
    elif not (isinstance(out, np.ndarray) and out.dtype == np.float64 and
              out.flags.c_contiguous and out.shape == values.shape):
        raise ValueError("out must be a C-contiguous float64 array of u's shape")
    cdef const double[::1] src = values.reshape(-1)
    cdef double[::1] dst = out.reshape(-1)
    with nogil:
        if src.shape[0]:
            np_ndtri(&src[0], src.shape[0], &dst[0])
    return out
