"""Delivery of the spike register through a source-sorted connection table."""
from cython.parallel cimport prange

import numpy as np

from kernel._types cimport channel_t, delay_t, node_t, real_t, step_t
from kernel.delivery._deliver cimport TAKES_COUNT, TAKES_WEIGHT, deposit_spike


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


def deliver_spikes(real_t[:, :, ::1] ring, const int[::1] sources, const long[::1] stamps,
                   const long[::1] multiplicities, const long[::1] indptr,
                   const int[:] targets, const real_t[:] weights, const delay_t[:] delays,
                   const channel_t[:] receptors, const unsigned char[::1] target_kind,
                   const unsigned char[::1] neg_shift, const unsigned char[::1] plain=None):
    """Deliver every spike in the register to every connection of its source.

    A spike stamped at step s with delay d is seen by its target in the update of step
    s + d - 1 (which advances the target to s + d), as in NEST. A spike's input channel is its
    receptor type; homogeneous columns arrive as 0-stride views. When weight, delay and
    receptor are all homogeneous (static synapses of one projection) the slot, channel and
    weight x multiplicity are fixed per spike, and the inner loop is one load of a target and
    one add; it gives the same sums in the same order as the general loop. ``plain`` (from
    ``plain_rows``, one flag per source) marks the rows whose targets need no kind or sign
    looked up.
    """
    cdef Py_ssize_t e, k, n_events = sources.shape[0], n_sources = indptr.shape[0] - 1
    cdef int src
    cdef const long[:, ::1] rows
    cdef const int[::1] row_targets
    cdef const unsigned char[::1] flags
    if weights.strides[0] == 0 and delays.strides[0] == 0 and receptors.strides[0] == 0 and \
            weights.shape[0] > 0:
        # the whole row is one thread's part: the threaded loop with a single part
        rows = np.asarray(indptr).reshape(1, -1)
        row_targets = np.ascontiguousarray(targets)
        flags = plain if plain is not None else np.zeros(indptr.shape[0], np.uint8)
        with nogil:
            _deliver_part_homogeneous(ring, sources, stamps, multiplicities, rows, 0,
                                      row_targets, weights[0], delays[0], receptors[0],
                                      target_kind, neg_shift, flags)
        return
    with nogil:
        for e in range(n_events):
            src = sources[e]
            if src >= n_sources:
                continue
            for k in range(indptr[src], indptr[src + 1]):
                deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k],
                              weights[k], multiplicities[e], target_kind, neg_shift)


def deliver_threaded(real_t[:, :, ::1] ring, const int[::1] sources, const long[::1] stamps,
                     const long[::1] multiplicities, const long[:, ::1] part_ptr,
                     const long[::1] perm, const int[::1] part_targets, const int[:] targets,
                     const real_t[:] weights, const delay_t[:] delays,
                     const channel_t[:] receptors, const unsigned char[::1] target_kind,
                     const unsigned char[::1] neg_shift, const unsigned char[::1] plain=None):
    """``deliver_spikes`` on several threads: thread t walks, for every spike, its own part
    of the source's row (positions perm[part_ptr[t, src]:part_ptr[t, src + 1]], the
    connections whose targets it owns, in row order). No two threads write the same ring
    entry, so no locks are needed, and each entry gets its adds in the one-thread order.
    A homogeneous table is walked through ``part_targets`` (the targets in that order, so
    ``perm`` may be empty), with ``plain`` rows as in ``deliver_spikes``."""
    cdef Py_ssize_t t, n_parts = part_ptr.shape[0]
    cdef bint hom = weights.strides[0] == 0 and delays.strides[0] == 0 and \
        receptors.strides[0] == 0 and weights.shape[0] > 0
    cdef const unsigned char[::1] flags = plain if plain is not None else \
        np.zeros(part_ptr.shape[1], np.uint8)
    cdef Py_ssize_t e, src, work = 0, n_rows = part_ptr.shape[1] - 1
    with nogil:
        for e in range(sources.shape[0]):
            src = sources[e]
            if src < n_rows:
                for t in range(n_parts):
                    work += part_ptr[t, src + 1] - part_ptr[t, src]
    for t in prange(n_parts, nogil=True, num_threads=parallel_threads(n_parts, work),
                    schedule="static", chunksize=1):
        if hom:
            _deliver_part_homogeneous(ring, sources, stamps, multiplicities, part_ptr, t,
                                      part_targets, weights[0], delays[0], receptors[0],
                                      target_kind, neg_shift, flags)
        else:
            _deliver_part(ring, sources, stamps, multiplicities, part_ptr, t, perm, targets,
                          weights, delays, receptors, target_kind, neg_shift)


cdef void _deliver_part_homogeneous(real_t[:, :, ::1] ring, const int[::1] sources,
                                    const long[::1] stamps, const long[::1] multiplicities,
                                    const long[:, ::1] part_ptr, Py_ssize_t t,
                                    const int[::1] part_targets, real_t weight, delay_t delay,
                                    channel_t receptor, const unsigned char[::1] target_kind,
                                    const unsigned char[::1] neg_shift,
                                    const unsigned char[::1] plain) noexcept nogil:
    # weight, delay and receptor fixed: one slot and one weight x count per spike, over
    # thread t's parts of the rows (targets already permuted)
    cdef Py_ssize_t e, j, n_sources = part_ptr.shape[1] - 1
    cdef Py_ssize_t L = ring.shape[0], width = ring.shape[2]
    cdef int src, g
    cdef unsigned char kind
    cdef bint shifts = weight < 0.0 and receptor == 0
    cdef real_t wm, m
    cdef real_t* slot
    for e in range(sources.shape[0]):
        src = sources[e]
        if src >= n_sources:
            continue
        m = <real_t>multiplicities[e]
        wm = weight * m
        slot = &ring[(stamps[e] + delay - 1) % L, receptor, 0]
        if plain[src]:
            for j in range(part_ptr[t, src], part_ptr[t, src + 1]):
                slot[part_targets[j]] += wm
            continue
        for j in range(part_ptr[t, src], part_ptr[t, src + 1]):
            g = part_targets[j]
            kind = target_kind[g]
            if kind == TAKES_WEIGHT:
                if shifts:
                    slot[g + neg_shift[g] * width] += wm
                else:
                    slot[g] += wm
            elif kind == TAKES_COUNT:
                slot[g] += m


cdef void _deliver_part(real_t[:, :, ::1] ring, const int[::1] sources, const long[::1] stamps,
                        const long[::1] multiplicities, const long[:, ::1] part_ptr,
                        Py_ssize_t t, const long[::1] perm, const int[:] targets,
                        const real_t[:] weights, const delay_t[:] delays,
                        const channel_t[:] receptors, const unsigned char[::1] target_kind,
                        const unsigned char[::1] neg_shift) noexcept nogil:
    cdef Py_ssize_t e, j, k, n_sources = part_ptr.shape[1] - 1
    cdef int src
    for e in range(sources.shape[0]):
        src = sources[e]
        if src >= n_sources:
            continue
        for j in range(part_ptr[t, src], part_ptr[t, src + 1]):
            k = perm[j]
            deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k],
                          weights[k], multiplicities[e], target_kind, neg_shift)


def plain_rows(const long[::1] indptr, const int[:] targets, const real_t[:] weights,
               const delay_t[:] delays, const channel_t[:] channels,
               const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift):
    """For each CSR row: 1 if its connections share weight, delay and channel and every target
    adds weight x count on that channel (TAKES_WEIGHT, no sign split), else 0.

    A plain row is delivered by the short loops (one slot and one increment for the row).
    """
    cdef Py_ssize_t r, k, n = indptr.shape[0] - 1
    out = np.zeros(max(n, 0), dtype=np.uint8)
    cdef unsigned char[::1] o = out
    cdef bint ok, shifts = False
    cdef int g
    with nogil:
        for r in range(n):
            ok = True
            if indptr[r + 1] > indptr[r]:
                k = indptr[r]
                shifts = weights[k] < 0.0 and channels[k] == 0
            for k in range(indptr[r], indptr[r + 1]):
                g = targets[k]
                if weights[k] != weights[indptr[r]] or delays[k] != delays[indptr[r]] or \
                        channels[k] != channels[indptr[r]] or target_kind[g] != TAKES_WEIGHT or \
                        (shifts and neg_shift[g] != 0):
                    ok = False
                    break
            o[r] = ok
    return out


def thread_parts(const long[::1] indptr, const int[:] targets, const long[::1] bounds):
    """Each thread's part of every CSR row, for ``deliver_threaded``.

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
