"""Uniform draws at an explicit counter word, for parameter expressions.

``philox.uniform_doubles`` counts draws within a site with the last counter word; parameter
expressions also need to name *which attempt* a draw belongs to (a redraw round), so that a
value redrawn for one site is still a pure function of (seed, stream, site, attempt). The
attempt goes into the third counter word, which ``uniform_doubles`` leaves at 0: with
``word=0`` the draws here are exactly the first column of ``uniform_doubles``.
"""
from libc.stdint cimport uint32_t, uint64_t

import numpy as np

from kernel.random.philox cimport Stream, next_double, stream_init


def uniform_doubles_at(uint64_t seed, uint32_t stream_id, const uint64_t[::1] sites,
                       uint32_t word=0):
    """One uniform draw in the open interval (0, 1) for each counter site.

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
    cdef Stream st
    out = np.empty(n, dtype=np.float64)
    cdef double[::1] o = out
    with nogil:
        for i in range(n):
            stream_init(&st, seed, stream_id, sites[i], word)
            o[i] = next_double(&st)
    return out
