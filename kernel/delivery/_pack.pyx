"""Counting sort of connections by source: what packs a table's staged chunks into CSR."""
from cython.parallel cimport prange

import numpy as np

from kernel.delivery._deliver cimport parallel_threads


def count_by_source(const int[::1] sources, Py_ssize_t n_nodes):
    """Connections per source id (0..n_nodes); numpy's bincount is ~10x slower on int32."""
    counts = np.zeros(n_nodes + 1, dtype=np.int64)
    cdef long[::1] c = counts
    cdef Py_ssize_t i
    with nogil:
        for i in range(sources.shape[0]):
            c[sources[i]] += 1
    return counts


def count_chunks(list chunks, Py_ssize_t n_nodes):
    """Connections per source id over int32 ``chunks`` taken in order, and whether the
    concatenation is sorted by source (then packing needs no permutation)."""
    counts = np.zeros(n_nodes + 1, dtype=np.int64)
    cdef long[::1] c = counts
    cdef const int[::1] s
    cdef Py_ssize_t i
    cdef int last = -2147483648
    cdef bint ordered = True
    for chunk in chunks:
        s = chunk
        with nogil:
            for i in range(s.shape[0]):
                c[s[i]] += 1
                if s[i] < last:
                    ordered = False
                last = s[i]
    return counts, ordered


# columns are placed as raw bits of their item size (any dtype, via a same-size view)
ctypedef fused value_t:
    unsigned char
    unsigned short
    unsigned int
    unsigned long


def scatter_by_source(const int[::1] sources, const value_t[:] values, long[::1] next_slot,
                      value_t[::1] out, int n_parts=1):
    """``out[next_slot[s]] = value`` for each connection of a chunk, advancing the source's slot:
    a stable counting-sort placement straight into the packed column (no permutation array,
    no concatenated copy of the staged columns).

    With ``n_parts`` > 1 the chunk is cut into that many pieces placed by as many threads:
    each piece's connections of a source go after those of the earlier pieces (a count per
    piece and source first), so the placement is the same.
    """
    cdef Py_ssize_t i, p, n = sources.shape[0], n_nodes = next_slot.shape[0]
    cdef long c
    cdef int s
    # (a count per piece and node costs n_parts x n_nodes: only for chunks at least as large)
    if n_parts <= 1 or n < n_nodes or parallel_threads(n_parts, n) == 1:
        with nogil:
            for i in range(n):
                s = sources[i]
                out[next_slot[s]] = values[i]
                next_slot[s] += 1
        return
    cursor_arr = np.zeros((n_parts, n_nodes), dtype=np.int64)
    cdef long[:, ::1] cursor = cursor_arr
    for p in prange(n_parts, nogil=True, num_threads=n_parts, schedule="static", chunksize=1):
        for i in range(p * n // n_parts, (p + 1) * n // n_parts):
            cursor[p, sources[i]] += 1
    with nogil:
        for s in range(n_nodes):
            for p in range(n_parts):
                c = cursor[p, s]
                cursor[p, s] = next_slot[s]
                next_slot[s] += c
    for p in prange(n_parts, nogil=True, num_threads=n_parts, schedule="static", chunksize=1):
        for i in range(p * n // n_parts, (p + 1) * n // n_parts):
            s = sources[i]
            out[cursor[p, s]] = values[i]
            cursor[p, s] += 1


def positions_flagged(const int[::1] targets, const unsigned char[::1] flags):
    """Positions k (int64, ascending) with ``flags[targets[k]]`` set: two passes over the
    targets instead of a bool temporary per connection."""
    cdef Py_ssize_t k, n = 0
    with nogil:
        for k in range(targets.shape[0]):
            n += flags[targets[k]] != 0
    out = np.empty(n, dtype=np.int64)
    cdef long[::1] o = out
    n = 0
    with nogil:
        for k in range(targets.shape[0]):
            if flags[targets[k]]:
                o[n] = k
                n += 1
    return out
