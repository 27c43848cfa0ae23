"""Delivery of the spike register through a source-sorted connection table."""
from cython.parallel cimport prange

import numpy as np

from kernel._types cimport channel_t, delay_t, node_t, real_t, step_t
from kernel._types cimport RingView, ring_channel, ring_view
from kernel.delivery._deliver cimport (TAKES_COUNT, TAKES_NOTHING, TAKES_WEIGHT, TableParts,
                                       deposit_event)

cdef extern from "prefetch.h":
    void np_prefetch(const void* address) noexcept nogil

cdef extern from "deposit.h":
    void np_deposit_offsets(real_t* slot, const unsigned short* offsets, Py_ssize_t n,
                            real_t w) noexcept nogil
    void np_deposit_targets(real_t* slot, const int* targets, Py_ssize_t n,
                            real_t w) noexcept nogil


# A parallel region costs waking the other threads (tens of microseconds on a shared machine
# with OMP_WAIT_POLICY=PASSIVE, more than a small network's whole slice of work). A threaded
# loop with fewer elementary updates than this (synapse events, Poisson draws, neuron steps)
# runs its threads' parts one after the other on the calling thread: the same parts in the
# same order, so the same result.
cdef Py_ssize_t _parallel_min_work = 50000


cdef int parallel_threads(Py_ssize_t n_parts, Py_ssize_t work) noexcept nogil:
    return <int>n_parts if work >= _parallel_min_work else 1


def set_parallel_min_work(Py_ssize_t work):
    """Set the least work (elementary updates) a threaded loop runs in parallel for; return the
    previous value. Tests set 0 so that small networks take the parallel paths."""
    global _parallel_min_work
    previous, _parallel_min_work = _parallel_min_work, work
    return previous


cdef class ThreadedTable:
    """A static table as ``deliver`` walks it: each thread's part of every row (see
    TableParts in _deliver.pxd). Made by ``threaded_table``."""


def threaded_table(const long[::1] indptr, targets, weights, delays, receptors,
                   const unsigned char[::1] plain, const long[::1] bounds=None,
                   const unsigned char[::1] target_kind=None,
                   const unsigned char[::1] neg_shift=None):
    """Split a source-sorted table between the threads that own the targets.

    Thread t owns the ring columns bounds[t] <= target < bounds[t + 1] (one thread for
    None). Where the owners along every row never decrease (targets in id order, as the rules
    stage them) each thread's part of a row is a subrange of it and nothing is copied;
    otherwise the parts come from ``thread_parts`` (a permutation, and for homogeneous tables
    the targets in that order instead). Either way each part keeps the row order, so every
    target gets its adds in the order one thread would make them. Targets that take nothing
    from the ring (``target_kind``: recorders) may fall in any part: nothing is written.
    ``plain`` (from ``plain_rows``) is computed here if None and the kinds are given.

    A homogeneous table (one weight, delay and receptor) is delivered from 16-bit offsets
    (``_monotone_offset_rows`` in one pass for rows in owner order, else ``_offset_rows``)
    when ``target_kind`` and ``neg_shift`` are given and no thread owns
    more than 65536 columns: 2 bytes a connection to read instead of 4 (delivery reads every
    target of every spike, mostly from memory, not cache).
    """
    cdef ThreadedTable tt = ThreadedTable()
    n_rows = indptr.shape[0] - 1
    cols = [np.asarray(c) for c in (weights, delays, receptors)]
    strides = [0 if c.strides[0] == 0 else 1 for c in cols]
    cols = [c[:1] if s == 0 else np.ascontiguousarray(c) for c, s in zip(cols, strides)]
    hom = strides == [0, 0, 0] and cols[0].shape[0] > 0
    tgt = np.ascontiguousarray(targets, dtype=np.int32)
    perm = offsets = None
    if target_kind is not None:
        owned = np.asarray(bounds) if bounds is not None else \
            np.array([0, target_kind.shape[0]], np.int64)
    if hom and target_kind is not None and neg_shift is not None and \
            np.all(np.diff(owned) <= 65536):
        shifts = bool(cols[0][0] < 0.0 and cols[2][0] == 0)
        parts = _monotone_offset_rows(indptr, tgt, owned, target_kind, neg_shift, shifts)
        lo, hi, offsets, plain = parts if parts is not None else \
            _offset_rows(indptr, tgt, owned, target_kind, neg_shift, shifts)
        tgt = None
    elif bounds is None or bounds.shape[0] <= 2:
        lo, hi = np.asarray(indptr[:n_rows]).reshape(1, -1), np.asarray(indptr[1:]).reshape(1, -1)
    else:
        split = _row_splits(indptr, tgt, bounds, target_kind)
        if split is not None:
            lo, hi = np.ascontiguousarray(split[:-1]), np.ascontiguousarray(split[1:])
        else:
            part_ptr, perm = thread_parts(indptr, tgt, bounds)
            lo, hi = np.ascontiguousarray(part_ptr[:, :-1]), np.ascontiguousarray(part_ptr[:, 1:])
            if hom:     # the targets in part order replace the permutation (4 B, not 8)
                tgt, perm = tgt[perm], None
    lo, hi = np.ascontiguousarray(lo), np.ascontiguousarray(hi)
    if plain is None and target_kind is not None and neg_shift is not None:
        plain = plain_rows(indptr, targets, weights, delays, receptors, target_kind, neg_shift,
                           lo.shape[0])
    flags = np.zeros(max(n_rows, 1), np.uint8) if plain is None else np.asarray(plain)
    tt._keep = (lo, hi, tgt, perm, cols, flags, offsets, bounds)
    tt.n_parts = lo.shape[0]
    tt.parts.n_rows = n_rows
    tt.parts.lo = _long_ptr(lo)
    tt.parts.hi = _long_ptr(hi)
    tt.parts.targets = NULL if tgt is None else _int_ptr(tgt)
    tt.parts.perm = NULL if perm is None else _long_ptr(perm)
    cdef const unsigned short[::1] off
    tt.parts.offsets = tt.parts.base = NULL
    if offsets is not None:
        off = offsets
        tt.parts.offsets = &off[0] if off.shape[0] else NULL
        tt._keep += (owned,)
        tt.parts.base = _long_ptr(owned)
    cdef const real_t[::1] w = cols[0]
    cdef const delay_t[::1] d = cols[1]
    cdef const channel_t[::1] r = cols[2]
    cdef const unsigned char[::1] f = flags
    tt.parts.weights = &w[0] if w.shape[0] else NULL
    tt.parts.delays = &d[0] if d.shape[0] else NULL
    tt.parts.receptors = &r[0] if r.shape[0] else NULL
    tt.parts.w_stride, tt.parts.d_stride, tt.parts.r_stride = strides
    tt.parts.homogeneous = hom
    tt.parts.plain = &f[0]
    return tt


cdef const long* _long_ptr(a):
    # a C-contiguous array the caller keeps alive
    cdef const long[::1] v = a.reshape(-1)
    return &v[0] if v.shape[0] else NULL


cdef const int* _int_ptr(a):
    cdef const int[::1] v = a
    return &v[0] if v.shape[0] else NULL


def deliver(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
            const long[::1] multiplicities, ThreadedTable table,
            const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
            const unsigned char[::1] unrolls=None):
    """Deliver every spike in the register through a static table.

    A spike stamped at step s with delay d is seen by its target in the update of step
    s + d - 1 (which advances the target to s + d), as in NEST. A spike's input channel is its
    receptor type. Thread t walks its part of each sender's row; no two threads write the same
    ring entry, so no locks are needed, and every entry gets its adds in the one-thread order.
    A spike of multiplicity m from a sender flagged in ``unrolls`` (a neuron; all senders for
    None) arrives as m spikes, from any other (a device) as one spike of weight m w.
    """
    cdef Py_ssize_t t, n = senders.shape[0], n_parts = table.n_parts, work = 0
    if n == 0:
        return
    cdef const TableParts* tp = &table.parts
    cdef RingView view = ring_view(ring)
    cdef const unsigned char* flags = unroll_flags(unrolls, tp.n_rows)
    if n_parts > 1:
        with nogil:
            for t in range(n_parts):
                work += _part_events(tp, t, &senders[0], n)
    for t in prange(n_parts, nogil=True, num_threads=parallel_threads(n_parts, work),
                    schedule="static", chunksize=1):
        deliver_part(&view, tp, t, &senders[0], &stamps[0], &multiplicities[0], n,
                     target_kind, neg_shift, flags)


cdef const unsigned char* unroll_flags(const unsigned char[::1] unrolls,
                                      Py_ssize_t n_rows) except? NULL:
    """deliver_part's ``unrolls`` from a flag per sender id (NULL for None: every sender
    unrolls); ValueError if the flags do not cover the table's ``n_rows`` rows."""
    if unrolls is None:
        return NULL
    if unrolls.shape[0] < max(n_rows, 1):
        raise ValueError(f"unrolls needs a flag for each of the table's {n_rows} rows, "
                         f"not {unrolls.shape[0]}")
    return &unrolls[0]


def deliver_spikes(real_t[:, :, ::1] ring, const int[::1] sources, const long[::1] stamps,
                   const long[::1] multiplicities, const long[::1] indptr,
                   const int[:] targets, const real_t[:] weights, const delay_t[:] delays,
                   const channel_t[:] receptors, const unsigned char[::1] target_kind,
                   const unsigned char[::1] neg_shift, const unsigned char[::1] plain=None):
    """``deliver`` on one thread, from the table's columns (homogeneous ones as 0-stride
    views); ``plain`` as from ``plain_rows``."""
    deliver(ring, sources, stamps, multiplicities,
            threaded_table(indptr, targets, weights, delays, receptors, plain),
            target_kind, neg_shift)


cdef Py_ssize_t _part_events(const TableParts* tp, Py_ssize_t part, const int* senders,
                             Py_ssize_t n_events) noexcept nogil:
    # synapse events of thread ``part`` for these senders
    cdef Py_ssize_t e, src, work = 0
    cdef const long* lo = tp.lo + part * tp.n_rows
    cdef const long* hi = tp.hi + part * tp.n_rows
    for e in range(n_events):
        src = senders[e]
        if src < tp.n_rows:
            work += hi[src] - lo[src]
    return work


cdef void deliver_part(const RingView* ring, const TableParts* tp, Py_ssize_t part,
                       const int* senders, const long* stamps, const long* multiplicities,
                       Py_ssize_t n_events, const unsigned char[::1] target_kind,
                       const unsigned char[::1] neg_shift,
                       const unsigned char* unrolls) noexcept nogil:
    # thread ``part``'s connections of every sender, spike after spike (multiplicities NULL:
    # one each). As in NEST, a neuron's spike of multiplicity m is delivered as m spikes, one
    # after the other (its targets add w m times: w + w + w differs from 3 w in the last
    # bit), a device's once with weight m w; ``unrolls`` (a flag per sender id) tells which
    # senders are neurons, NULL that all are.
    cdef Py_ssize_t e, src
    cdef long rep, reps
    cdef real_t m
    cdef const long* lo = tp.lo + part * tp.n_rows
    cdef const long* hi = tp.hi + part * tp.n_rows
    for e in range(n_events):
        src = senders[e]
        if src >= tp.n_rows:
            continue
        _prefetch_next_row(tp, lo, hi, senders, e, n_events)
        reps, m = 1, 1.0
        if multiplicities != NULL:
            if unrolls == NULL or unrolls[src]:
                reps = multiplicities[e]
            else:
                m = <real_t>multiplicities[e]
        for rep in range(reps):
            if tp.homogeneous:
                _deliver_homogeneous_row(ring, tp, part, src, lo[src], hi[src], stamps[e], m,
                                         target_kind, neg_shift)
            else:
                _deliver_row(ring, tp, lo[src], hi[src], stamps[e], m, target_kind, neg_shift)


cdef inline void _deliver_homogeneous_row(const RingView* ring, const TableParts* tp,
                                          Py_ssize_t part, Py_ssize_t src, Py_ssize_t j0,
                                          Py_ssize_t j1, step_t stamp, real_t m,
                                          const unsigned char[::1] target_kind,
                                          const unsigned char[::1] neg_shift) noexcept nogil:
    # weight, delay and receptor fixed: one slot and one weight x count for the row part
    cdef Py_ssize_t j, width = ring.width
    cdef Py_ssize_t base = 0 if tp.offsets == NULL else tp.base[part]
    cdef real_t wm = tp.weights[0] * m
    cdef real_t* slot = ring_channel(ring, (stamp + tp.delays[0] - 1) % ring.length,
                                     tp.receptors[0], base)
    cdef bint shifts = tp.weights[0] < 0.0 and tp.receptors[0] == 0
    cdef int g
    cdef unsigned char kind
    if tp.plain[src]:
        if tp.offsets != NULL:
            np_deposit_offsets(slot, tp.offsets + j0, j1 - j0, wm)
        else:
            np_deposit_targets(slot, tp.targets + j0, j1 - j0, wm)
        return
    for j in range(j0, j1):
        g = tp.targets[j] if tp.offsets == NULL else tp.offsets[j]
        kind = target_kind[base + g]
        if kind == TAKES_WEIGHT:
            if shifts:
                slot[g + neg_shift[base + g] * width] += wm
            else:
                slot[g] += wm
        elif kind == TAKES_COUNT:
            slot[g] += m


cdef inline void _deliver_row(const RingView* ring, const TableParts* tp, Py_ssize_t j0,
                              Py_ssize_t j1, step_t stamp, real_t m,
                              const unsigned char[::1] target_kind,
                              const unsigned char[::1] neg_shift) noexcept nogil:
    # per-connection values: each connection's own slot, channel and weight
    cdef Py_ssize_t j, k
    for j in range(j0, j1):
        k = j if tp.perm == NULL else tp.perm[j]
        deposit_event(ring, stamp + tp.delays[k * tp.d_stride] - 1,
                      tp.receptors[k * tp.r_stride], tp.targets[k],
                      tp.weights[k * tp.w_stride], m, target_kind, neg_shift)


cdef inline void _prefetch_next_row(const TableParts* tp, const long* lo, const long* hi,
                                    const int* senders, Py_ssize_t e,
                                    Py_ssize_t n_events) noexcept nogil:
    # Ask for the next spike's part of its row while this one is delivered: rows start at
    # random places in memory, and the hardware prefetcher only catches up within a row
    # (Brunel scale 1: delivery a third faster on one thread, 45 % on two)
    cdef Py_ssize_t src, j0, j1
    if e + 1 >= n_events:
        return
    src = senders[e + 1]
    if src >= tp.n_rows:
        return
    j0, j1 = lo[src], hi[src]
    if tp.offsets != NULL:
        _prefetch(tp.offsets + j0, (j1 - j0) * sizeof(unsigned short))
        return
    if tp.perm != NULL:
        return      # (permuted connections are scattered anyway)
    _prefetch(tp.targets + j0, (j1 - j0) * sizeof(int))
    if tp.w_stride:
        _prefetch(tp.weights + j0, (j1 - j0) * sizeof(real_t))
    if tp.d_stride:
        _prefetch(tp.delays + j0, (j1 - j0) * sizeof(delay_t))


cdef inline void _prefetch(const void* start, Py_ssize_t n_bytes) noexcept nogil:
    # every cache line of [start, start + n_bytes)
    cdef const char* line = <const char*>start - (<size_t>start & 63)
    cdef const char* end = <const char*>start + n_bytes
    while line < end:
        np_prefetch(line)
        line += 64


def _monotone_offset_rows(const long[::1] indptr, const int[::1] targets,
                          const long[::1] bounds, const unsigned char[::1] target_kind,
                          const unsigned char[::1] neg_shift, bint shifts):
    """``_offset_rows`` in one pass, for tables whose rows meet their owners in thread order
    (targets in id order, as the rules stage them); None if a row does not.

    Row r's offsets start at the row's own first position (so no count is needed first):
    thread t's part is lo[t, r] <= j < hi[t, r], and the positions of the row's targets that
    take nothing, left out, stay unused at its end.
    """
    cdef Py_ssize_t n_parts = bounds.shape[0] - 1, n_rows = indptr.shape[0] - 1, r, bad = 0
    if n_rows and indptr[0] != 0:
        return None
    lo_arr = np.empty((n_parts, max(n_rows, 0)), dtype=np.int64)
    hi_arr = np.empty((n_parts, max(n_rows, 0)), dtype=np.int64)
    plain_arr = np.ones(max(n_rows, 1), dtype=np.uint8)
    offsets_arr = np.empty(indptr[n_rows] if n_rows else 0, dtype=np.uint16)
    cdef long[:, ::1] lo = lo_arr
    cdef long[:, ::1] hi = hi_arr
    cdef unsigned char[::1] plain = plain_arr
    cdef unsigned short[::1] offsets = offsets_arr
    cdef int threads = parallel_threads(n_parts, indptr[n_rows] - indptr[0])
    # rows in chunks as threads come free (here and in the other row loops): a table's rows
    # differ in length, and those of other populations are empty, so equal halves of the rows
    # left one thread with all of a table's work (Brunel's inhibitory table: no speed-up)
    for r in prange(n_rows, nogil=True, num_threads=threads, schedule="dynamic", chunksize=64):
        bad += not _offset_row(r, indptr, targets, bounds, target_kind, neg_shift, shifts, lo,
                               hi, plain, offsets)
    return None if bad else (lo_arr, hi_arr, offsets_arr, plain_arr)


cdef bint _offset_row(Py_ssize_t r, const long[::1] indptr, const int[::1] targets,
                      const long[::1] bounds, const unsigned char[::1] target_kind,
                      const unsigned char[::1] neg_shift, bint shifts, long[:, ::1] lo,
                      long[:, ::1] hi, unsigned char[::1] plain,
                      unsigned short[::1] offsets) noexcept nogil:
    # row r's parts and offsets, written from the row's first position on (targets that
    # take nothing are left out); False if an owner decreases along the row
    cdef Py_ssize_t k, w = indptr[r], t = 0, owner, n_parts = bounds.shape[0] - 1
    cdef int g
    cdef unsigned char kind
    lo[0, r] = w
    for k in range(indptr[r], indptr[r + 1]):
        g = targets[k]
        kind = target_kind[g]
        if kind == TAKES_NOTHING:
            continue
        owner = _owner(g, bounds)
        if owner < t:
            return False
        while t < owner:
            hi[t, r] = w
            t += 1
            lo[t, r] = w
        offsets[w] = <unsigned short>(g - bounds[t])
        w += 1
        if _needs_lookup(kind, shifts, neg_shift[g]):
            plain[r] = 0
    hi[t, r] = w
    while t < n_parts - 1:
        t += 1
        lo[t, r] = hi[t, r] = w
    return True


def _offset_rows(const long[::1] indptr, const int[::1] targets, const long[::1] bounds,
                 const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                 bint shifts):
    """A homogeneous table's rows as 16-bit offsets, thread part by thread part.

    Row r's targets owned by thread t (bounds[t] <= target < bounds[t + 1], at most 65536
    of them), in row order, as target - bounds[t], at positions lo[t, r] <= j < hi[t, r]
    (rows one after the other, each row's parts in thread order); targets that take nothing
    are left out. Returns (lo, hi, offsets, plain): plain[r] when every target kept in row r
    adds weight x count on the channel (and, for ``shifts``, has no sign split).
    """
    cdef Py_ssize_t n_parts = bounds.shape[0] - 1, n_rows = indptr.shape[0] - 1
    cdef Py_ssize_t r, t, k, total = 0
    lo_arr = np.zeros((n_parts, max(n_rows, 0)), dtype=np.int64)
    hi_arr = np.zeros((n_parts, max(n_rows, 0)), dtype=np.int64)
    plain_arr = np.ones(max(n_rows, 1), dtype=np.uint8)
    cdef long[:, ::1] lo = lo_arr
    cdef long[:, ::1] hi = hi_arr
    cdef unsigned char[::1] plain = plain_arr
    cdef int threads = parallel_threads(n_parts, indptr[n_rows] - indptr[0])
    for r in prange(n_rows, nogil=True, num_threads=threads, schedule="dynamic", chunksize=64):
        _count_row(r, indptr, targets, bounds, target_kind, neg_shift, shifts, hi, plain)
    with nogil:                     # hi holds the counts: positions, row after row
        for r in range(n_rows):
            for t in range(n_parts):
                lo[t, r] = total
                total = total + hi[t, r]
                hi[t, r] = lo[t, r]
    offsets_arr = np.empty(total, dtype=np.uint16)
    cdef unsigned short[::1] offsets = offsets_arr
    for r in prange(n_rows, nogil=True, num_threads=threads, schedule="dynamic", chunksize=64):
        for k in range(indptr[r], indptr[r + 1]):
            if target_kind[targets[k]] != TAKES_NOTHING:
                t = _owner(targets[k], bounds)
                offsets[hi[t, r]] = <unsigned short>(targets[k] - bounds[t])
                hi[t, r] += 1
    return lo_arr, hi_arr, offsets_arr, plain_arr


cdef void _count_row(Py_ssize_t r, const long[::1] indptr, const int[::1] targets,
                     const long[::1] bounds, const unsigned char[::1] target_kind,
                     const unsigned char[::1] neg_shift, bint shifts, long[:, ::1] counts,
                     unsigned char[::1] plain) noexcept nogil:
    # row r's kept targets per thread into counts[:, r]; plain[r] cleared if one needs a lookup
    cdef Py_ssize_t k
    cdef int g
    cdef unsigned char kind
    for k in range(indptr[r], indptr[r + 1]):
        g = targets[k]
        kind = target_kind[g]
        if kind == TAKES_NOTHING:
            continue
        counts[_owner(g, bounds), r] += 1
        if _needs_lookup(kind, shifts, neg_shift[g]):
            plain[r] = 0


cdef inline bint _needs_lookup(unsigned char kind, bint shifts,
                               unsigned char neg_shift) noexcept nogil:
    # a target a plain row cannot have: it takes counts or nothing, or a negative weight goes
    # to its split (inhibitory) channel
    return kind != TAKES_WEIGHT or (shifts and neg_shift != 0)


def _row_splits(const long[::1] indptr, const int[::1] targets, const long[::1] bounds,
                const unsigned char[::1] target_kind):
    """(threads + 1, rows) positions where each row passes from one thread's targets to the
    next, or None if some row's owners decrease somewhere (targets that take nothing, if
    ``target_kind`` is given, do not count). Rows are split by the threads themselves."""
    cdef Py_ssize_t n_threads = bounds.shape[0] - 1, n_rows = indptr.shape[0] - 1, r, bad = 0
    out = np.empty((n_threads + 1, max(n_rows, 0)), dtype=np.int64)
    cdef long[:, ::1] split = out
    cdef const unsigned char* kind = &target_kind[0] if target_kind is not None else NULL
    cdef int threads = parallel_threads(n_threads, indptr[n_rows] - indptr[0])
    for r in prange(n_rows, nogil=True, num_threads=threads, schedule="dynamic", chunksize=64):
        bad += not _split_row(r, indptr, targets, bounds, kind, split)
    return out if bad == 0 else None


cdef bint _split_row(Py_ssize_t r, const long[::1] indptr, const int[::1] targets,
                     const long[::1] bounds, const unsigned char* kind,
                     long[:, ::1] split) noexcept nogil:
    # split row r at its owner changes; False if an owner decreases
    cdef Py_ssize_t k, t = 0, owner, n_threads = bounds.shape[0] - 1
    split[0, r] = indptr[r]
    for k in range(indptr[r], indptr[r + 1]):
        if kind != NULL and kind[targets[k]] == TAKES_NOTHING:
            continue
        owner = _owner(targets[k], bounds)
        if owner < t:
            return False
        while t < owner:
            t += 1
            split[t, r] = k
    while t < n_threads:
        t += 1
        split[t, r] = indptr[r + 1]
    return True


def plain_rows(const long[::1] indptr, const int[:] targets, const real_t[:] weights,
               const delay_t[:] delays, const channel_t[:] channels,
               const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
               int threads=1):
    """For each CSR row: 1 if its connections share weight, delay and channel and every target
    adds weight x count on that channel (TAKES_WEIGHT, no sign split), else 0 (rows shared
    among ``threads`` threads).

    A plain row is delivered by the short loops (one slot and one increment for the row).
    """
    cdef Py_ssize_t r, n = indptr.shape[0] - 1
    out = np.zeros(max(n, 0), dtype=np.uint8)
    cdef unsigned char[::1] o = out
    if n <= 0:
        return out
    threads = parallel_threads(threads, indptr[n] - indptr[0])
    for r in prange(n, nogil=True, num_threads=threads, schedule="dynamic", chunksize=64):
        o[r] = _plain_row(r, indptr, targets, weights, delays, channels, target_kind,
                          neg_shift)
    return out


cdef bint _plain_row(Py_ssize_t r, const long[::1] indptr, const int[:] targets,
                     const real_t[:] weights, const delay_t[:] delays,
                     const channel_t[:] channels, const unsigned char[::1] target_kind,
                     const unsigned char[::1] neg_shift) noexcept nogil:
    cdef Py_ssize_t k, k0 = indptr[r]
    cdef int g
    cdef bint shifts
    if indptr[r + 1] == k0:
        return True
    shifts = weights[k0] < 0.0 and channels[k0] == 0
    for k in range(k0, indptr[r + 1]):
        g = targets[k]
        if weights[k] != weights[k0] or delays[k] != delays[k0] or \
                channels[k] != channels[k0] or \
                _needs_lookup(target_kind[g], shifts, neg_shift[g]):
            return False
    return True


def thread_parts(const long[::1] indptr, const int[:] targets, const long[::1] bounds):
    """Each thread's part of every CSR row, for ``threaded_table`` when rows are not in owner
    order.

    Thread t owns the targets bounds[t] <= id < bounds[t + 1]. Returns part_ptr (threads,
    rows + 1) and perm (table positions, thread by thread, each row's in row order): two
    passes over the targets, no sort.
    """
    cdef Py_ssize_t n_threads = bounds.shape[0] - 1, n_rows = indptr.shape[0] - 1
    cdef Py_ssize_t r, k, t, total = 0
    part_ptr_arr = np.zeros((n_threads, n_rows + 1), dtype=np.int64)
    perm_arr = np.empty(targets.shape[0], dtype=np.int64)
    cdef long[:, ::1] part_ptr = part_ptr_arr
    cdef long[::1] perm = perm_arr
    cdef long[::1] cursor = np.zeros(n_threads, dtype=np.int64)
    with nogil:
        for r in range(n_rows):                 # counts, in part_ptr[t, r + 1]
            for k in range(indptr[r], indptr[r + 1]):
                part_ptr[_owner(targets[k], bounds), r + 1] += 1
        for t in range(n_threads):              # prefix sums, thread after thread
            part_ptr[t, 0] = total
            for r in range(n_rows):
                total += part_ptr[t, r + 1]
                part_ptr[t, r + 1] = total
        for t in range(n_threads):
            cursor[t] = part_ptr[t, 0]
        for r in range(n_rows):                 # rows in order, so each part keeps row order
            for k in range(indptr[r], indptr[r + 1]):
                t = _owner(targets[k], bounds)
                perm[cursor[t]] = k
                cursor[t] += 1
    return part_ptr_arr, perm_arr


cdef inline Py_ssize_t _owner(int target, const long[::1] bounds) noexcept nogil:
    cdef Py_ssize_t t = 0
    while t < bounds.shape[0] - 2 and target >= bounds[t + 1]:
        t += 1
    return t
