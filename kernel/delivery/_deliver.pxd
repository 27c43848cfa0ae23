from kernel._types cimport channel_t, node_t, real_t, step_t

cdef int parallel_threads(Py_ssize_t n_parts, Py_ssize_t work) noexcept nogil

# How a target takes spikes on channel 0 (mirrors kernel/nodes.py).
cdef enum:
    TAKES_WEIGHT = 0
    TAKES_COUNT = 1
    TAKES_NOTHING = 2


cdef inline void deposit_spike(real_t[:, :, ::1] ring, step_t arrival, channel_t channel,
                               node_t target, real_t weight, real_t multiplicity,
                               const unsigned char[::1] target_kind,
                               const unsigned char[::1] neg_shift) noexcept nogil:
    """Add one spike event to the input ring of ``target`` for step ``arrival``."""
    cdef unsigned char kind = target_kind[target]
    if kind == TAKES_NOTHING:
        return
    if kind == TAKES_COUNT:
        ring[arrival % ring.shape[0], channel, target] += multiplicity
        return
    if weight < 0.0 and channel == 0:
        channel = channel + neg_shift[target]
    ring[arrival % ring.shape[0], channel, target] += weight * multiplicity
