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


def count_chunks(list chunks, Py_ssize_t n_nodes, int n_parts=1):
    """Connections per source id over int32 ``chunks`` taken in order, whether the
    concatenation is sorted by source (then packing needs no permutation), and for each
    chunk the counts of its ``n_parts`` pieces, or None.

    A chunk at least as large as the network (a count per piece and node costs n_parts x
    n_nodes) is counted in pieces on ``n_parts`` threads; its piece counts, an (n_parts,
    n_nodes + 1) int64 array, let ``scatter_by_source`` place the pieces on as many threads.
    """
    counts = np.zeros(n_nodes + 1, dtype=np.int64)
    cdef long[::1] c = counts
    cdef long[:, ::1] pc
    cdef const int[::1] s
    cdef Py_ssize_t i, p, g, n, n_pieces
    cdef int last = -2147483648
    cdef bint ordered = True
    cdef int threads
    in_order_arr = np.zeros(max(n_parts, 1), dtype=np.uint8)
    cdef unsigned char[::1] in_order = in_order_arr
    pieces = []
    for chunk in chunks:
        s = chunk
        n = s.shape[0]
        threads = parallel_threads(n_parts, n) if n_parts > 1 and n >= n_nodes else 1
        if threads == 1:            # one piece, counted straight into the totals
            n_pieces = 1
            pieces.append(None)
            in_order[0] = _count_piece(s, 0, n, c)
        else:
            n_pieces = n_parts
            piece_counts = np.zeros((n_parts, n_nodes + 1), dtype=np.int64)
            pc = piece_counts
            pieces.append(piece_counts)
            for p in prange(n_parts, nogil=True, num_threads=threads, schedule="static",
                            chunksize=1):
                in_order[p] = _count_piece(s, p * n // n_parts, (p + 1) * n // n_parts,
                                           pc[p])
            with nogil:
                for p in range(n_parts):
                    for g in range(n_nodes + 1):
                        c[g] += pc[p, g]
        with nogil:
            # in order when each piece is and the pieces follow each other and earlier chunks
            for p in range(n_pieces):
                i = p * n // n_pieces
                if i == (p + 1) * n // n_pieces:
                    continue
                if not in_order[p] or s[i] < last:
                    ordered = False
                last = s[(p + 1) * n // n_pieces - 1]
    return counts, ordered, pieces


cdef bint _count_piece(const int[::1] sources, Py_ssize_t i0, Py_ssize_t i1,
                       long[::1] counts) noexcept nogil:
    # counts of sources[i0:i1] by id; whether they are in order
    cdef Py_ssize_t i
    cdef bint ordered = True
    for i in range(i0, i1):
        counts[sources[i]] += 1
        if i > i0 and sources[i] < sources[i - 1]:
            ordered = False
    return ordered


# columns are placed as raw bits of their item size (any dtype, via a same-size view)
ctypedef fused value_t:
    unsigned char
    unsigned short
    unsigned int
    unsigned long


def scatter_by_source(const int[::1] sources, const value_t[:] values, long[::1] next_slot,
                      value_t[::1] out, piece_counts=None, Py_ssize_t repeat=1):
    """``out[next_slot[s]] = value`` for each connection of a chunk, advancing the source's slot:
    a stable counting-sort placement straight into the packed column (no permutation array,
    no concatenated copy of the staged columns). Connection i takes values[i // repeat].

    With ``piece_counts`` (from ``count_chunks``) the chunk's pieces are placed by as many
    threads: each piece's connections of a source go after those of the earlier pieces, so
    the placement is the same.
    """
    cdef Py_ssize_t p, n = sources.shape[0], n_nodes = next_slot.shape[0], n_parts
    cdef long c
    cdef int s
    if repeat < 1 or values.shape[0] * repeat != n:
        raise ValueError(f"{values.shape[0]} values x {repeat} for {n} connections")
    if piece_counts is None:
        with nogil:
            _place(sources, values, repeat, 0, n, next_slot, out)
        return
    cursor_arr = np.array(piece_counts, dtype=np.int64)     # a copy: consumed below
    cdef long[:, ::1] cursor = cursor_arr
    n_parts = cursor.shape[0]
    with nogil:
        for s in range(n_nodes):
            for p in range(n_parts):
                c = cursor[p, s]
                cursor[p, s] = next_slot[s]
                next_slot[s] += c
    for p in prange(n_parts, nogil=True, num_threads=n_parts, schedule="static", chunksize=1):
        _place(sources, values, repeat, p * n // n_parts, (p + 1) * n // n_parts, cursor[p],
               out)


cdef void _place(const int[::1] sources, const value_t[:] values, Py_ssize_t repeat,
                 Py_ssize_t i0, Py_ssize_t i1, long[::1] slot, value_t[::1] out) noexcept nogil:
    # connections i0 <= i < i1 into out[slot[source]], advancing the slots
    cdef Py_ssize_t i, r = i0 // repeat, left = repeat - i0 % repeat
    cdef int s
    for i in range(i0, i1):
        s = sources[i]
        out[slot[s]] = values[r]
        slot[s] += 1
        left -= 1
        if left == 0:
            r += 1
            left = repeat


def positions_flagged(const int[::1] targets, const unsigned char[::1] flags, int n_parts=1):
    """Positions k (int64, ascending) with ``flags[targets[k]]`` set: a count, then a fill,
    instead of a bool temporary per connection (in ``n_parts`` pieces on as many threads).

    Both passes test blocks of targets against the range of flagged columns first, a loop the
    compiler vectorizes: flagged columns are few (recorders) and, created after the neurons,
    outside the neurons' range, so most blocks need no lookup."""
    cdef Py_ssize_t p, n = targets.shape[0]
    cdef int threads = parallel_threads(n_parts, n) if n_parts > 1 else 1
    flagged = np.flatnonzero(np.asarray(flags))
    if not flagged.size or not n:
        return np.zeros(0, dtype=np.int64)
    cdef int lo = flagged[0]
    cdef unsigned int span = flagged[-1] - flagged[0]
    n_parts = threads
    first_arr = np.zeros(n_parts + 1, dtype=np.int64)
    cdef long[::1] first = first_arr
    for p in prange(n_parts, nogil=True, num_threads=threads, schedule="static", chunksize=1):
        first[p + 1] = _flagged_in(targets, flags, lo, span, p * n // n_parts,
                                   (p + 1) * n // n_parts, NULL)
    for p in range(n_parts):
        first[p + 1] += first[p]
    out = np.empty(first[n_parts], dtype=np.int64)
    cdef long[::1] o = out
    if first[n_parts]:
        for p in prange(n_parts, nogil=True, num_threads=threads, schedule="static",
                        chunksize=1):
            _flagged_in(targets, flags, lo, span, p * n // n_parts, (p + 1) * n // n_parts,
                        &o[0] + first[p])
    return out


cdef enum:
    FLAG_BLOCK = 64     # targets tested against the flagged range at a time


cdef Py_ssize_t _flagged_in(const int[::1] targets, const unsigned char[::1] flags, int lo,
                            unsigned int span, Py_ssize_t k0, Py_ssize_t k1,
                            long* out) noexcept nogil:
    # how many k0 <= k < k1 have flags[targets[k]] set; their positions into out unless NULL
    cdef Py_ssize_t b, e, k, m = 0
    cdef unsigned int hit
    b = k0
    while b < k1:
        e = min(b + FLAG_BLOCK, k1)
        hit = 0
        for k in range(b, e):
            hit |= <unsigned int>(targets[k] - lo) <= span
        if hit:
            for k in range(b, e):
                if flags[targets[k]]:
                    if out != NULL:
                        out[m] = k
                    m += 1
        b = e
    return m
