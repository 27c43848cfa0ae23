# What the plastic-synapse loops share: the postsynaptic spike archive and the event sink.
#
# ArchiveCore holds the archive of every archiving node (a neuron that is the target of
# STDP-type connections) as structure-of-arrays: per row (one row per archiving node) the
# traces and bookkeeping, and per row a ring of history entries (spike time, K-minus and
# triplet trace just after the spike, access counter). kernel/archive.py owns the numpy
# arrays behind these views and re-assigns them when the archive grows.
#
# EventSink collects the events a delivery loop hands to weight recorders.
from libc.math cimport exp

cdef class ArchiveCore:
    cdef public int[::1] row_of           # node id -> row, -1 if the node does not archive
    cdef public double[::1] kminus         # K-minus after the last spike
    cdef public double[::1] kminus_trip    # triplet K-minus after the last spike
    cdef public double[::1] last_spike     # ms, -1 before the first spike
    cdef public double[::1] trace          # the last K value handed to a synapse (post_trace)
    cdef public double[::1] tau_inv        # 1 / tau_minus
    cdef public double[::1] tau_trip_inv   # 1 / tau_minus_triplet
    cdef public double[::1] max_delay      # ms: largest dendritic delay of incoming connections
    cdef public long[::1] n_incoming       # archiving connections onto the node
    cdef public long[::1] head             # ring position of the oldest entry
    cdef public long[::1] size             # number of entries
    cdef public double[:, ::1] h_t         # entry spike time (ms)
    cdef public double[:, ::1] h_k         # K-minus just after the spike
    cdef public double[:, ::1] h_kt        # triplet K-minus just after the spike
    cdef public long[:, ::1] h_count       # how many connections have read the entry
    cdef public long mask                  # capacity - 1 (capacity is a power of 2)
    cdef public double min_delay_ms        # the kernel's min_delay in ms
    cdef public double eps                 # tolerance of time comparisons (NEST: 1e-6 ms)


cdef inline double k_value(ArchiveCore a, int row, double t) noexcept nogil:
    """K-minus of ``row`` at time t: from the latest entry strictly before t (0 if none)."""
    cdef long j, pos
    cdef double value = 0.0
    for j in range(a.size[row] - 1, -1, -1):
        pos = (a.head[row] + j) & a.mask
        if t - a.h_t[row, pos] > a.eps:
            value = a.h_k[row, pos] * exp((a.h_t[row, pos] - t) * a.tau_inv[row])
            break
    a.trace[row] = value
    return value


cdef inline void history_range(ArchiveCore a, int row, double t1, double t2, long* first,
                               long* stop) noexcept nogil:
    """Entries j in [first, stop) with t1 < t_j <= t2 (to within eps); marks them read."""
    cdef long j = a.size[row] - 1, pos
    while j >= 0 and a.h_t[row, (a.head[row] + j) & a.mask] >= t2 + a.eps:
        j -= 1
    stop[0] = j + 1
    while j >= 0:
        pos = (a.head[row] + j) & a.mask
        if a.h_t[row, pos] < t1 + a.eps:
            break
        a.h_count[row, pos] += 1
        j -= 1
    first[0] = j + 1


cdef inline double entry_time(ArchiveCore a, int row, long j) noexcept nogil:
    return a.h_t[row, (a.head[row] + j) & a.mask]


cdef inline double entry_kminus_triplet(ArchiveCore a, int row, long j) noexcept nogil:
    """The triplet K-minus just after entry j's spike."""
    return a.h_kt[row, (a.head[row] + j) & a.mask]


cdef class EventSink:
    cdef public bint active
    cdef public Py_ssize_t n
    cdef public long[::1] sender
    cdef public long[::1] target
    cdef public long[::1] stamp
    cdef public long[::1] receptor
    cdef public long[::1] port
    cdef public double[::1] weight


cdef inline void sink_put(EventSink s, long sender, long target, long stamp, long receptor,
                          long port, double weight) noexcept nogil:
    cdef Py_ssize_t i
    if not s.active:
        return
    i = s.n
    s.sender[i] = sender
    s.target[i] = target
    s.stamp[i] = stamp
    s.receptor[i] = receptor
    s.port[i] = port
    s.weight[i] = weight
    s.n = i + 1
