"""Counting sort of connections by source: what packs a table's staged chunks into CSR."""
import numpy as np


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
                      value_t[::1] out):
    """``out[next_slot[s]] = value`` for each connection of a chunk, advancing the source's slot:
    a stable counting-sort placement straight into the packed column (no permutation array,
    no concatenated copy of the staged columns)."""
    cdef Py_ssize_t i
    cdef int s
    with nogil:
        for i in range(sources.shape[0]):
            s = sources[i]
            out[next_slot[s]] = values[i]
            next_slot[s] += 1


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
