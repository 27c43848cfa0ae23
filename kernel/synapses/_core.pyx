"""The postsynaptic spike archive's compiled parts and the weight-recorder event sink.

See _core.pxd for the layout. ``archive_spikes`` feeds the spikes of a slice into the
archive with NEST's ArchivingNode rules: a spike of a node with archiving connections first
prunes history entries that every connection has read and that lie more than
(max dendritic delay + min_delay) before it, then updates K-minus and appends an entry.
"""
from libc.math cimport exp

from kernel._types cimport step_t


cdef class ArchiveCore:
    pass


cdef class EventSink:
    pass


def archive_spikes(ArchiveCore a, const int[::1] senders, const long[::1] stamps,
                   const long[::1] mults, Py_ssize_t start, long tics_per_step,
                   double ms_per_tic):
    """Append the spikes senders[e], e >= start, to the archive (one entry per unit of
    multiplicity).

    Returns
    -------
    int
        -1 when all spikes were archived; otherwise the index e of the first spike that did
        not fit (the caller grows the rings and calls again with ``start=e``). A spike is
        archived completely or not at all.
    """
    cdef Py_ssize_t e, n_events = senders.shape[0], stopped = -1
    cdef int row, n_rows = a.row_of.shape[0]
    cdef long m, pos, nxt
    cdef double t_sp
    with nogil:
        for e in range(start, n_events):
            if senders[e] >= n_rows:
                continue
            row = a.row_of[senders[e]]
            if row < 0:
                continue
            if a.size[row] + mults[e] > a.mask + 1:
                stopped = e
                break
            t_sp = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for m in range(mults[e]):
                while a.size[row] > 1:
                    pos = a.head[row]
                    nxt = (pos + 1) & a.mask
                    if a.h_count[row, pos] >= a.n_incoming[row] and \
                            t_sp - a.h_t[row, nxt] > a.max_delay[row] + a.min_delay_ms + a.eps:
                        a.head[row] = nxt
                        a.size[row] -= 1
                    else:
                        break
                a.kminus[row] = a.kminus[row] * exp((a.last_spike[row] - t_sp) * a.tau_inv[row]) + 1.0
                a.kminus_trip[row] = a.kminus_trip[row] * \
                    exp((a.last_spike[row] - t_sp) * a.tau_trip_inv[row]) + 1.0
                a.last_spike[row] = t_sp
                pos = (a.head[row] + a.size[row]) & a.mask
                a.h_t[row, pos] = t_sp
                a.h_k[row, pos] = a.kminus[row]
                a.h_kt[row, pos] = a.kminus_trip[row]
                a.h_count[row, pos] = 0
                a.size[row] += 1
    return stopped


def max_by_target(const int[::1] targets, const unsigned short[:] delays, long[::1] out):
    """out[t] = max(out[t], delay) over all connections (targets[k], delays[k])."""
    cdef Py_ssize_t k, n = targets.shape[0]
    with nogil:
        for k in range(n):
            if delays[k] > out[targets[k]]:
                out[targets[k]] = delays[k]
