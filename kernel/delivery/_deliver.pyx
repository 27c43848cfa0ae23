"""Delivery of the spike register through a source-sorted connection table."""
from kernel._types cimport channel_t, delay_t, node_t, real_t, step_t
from kernel.delivery._deliver cimport deposit_spike


def deliver_spikes(real_t[:, :, ::1] ring, const int[::1] sources, const long[::1] stamps,
                   const long[::1] multiplicities, const long[::1] indptr,
                   const int[:] targets, const real_t[:] weights, const delay_t[:] delays,
                   const channel_t[:] receptors, const unsigned char[::1] target_kind,
                   const unsigned char[::1] neg_shift):
    """Deliver every spike in the register to every connection of its source.

    A spike stamped at step s with delay d is seen by its target in the update of step
    s + d - 1 (which advances the target to s + d), as in NEST. A spike's input channel is its
    receptor type; homogeneous columns arrive as 0-stride views.
    """
    cdef Py_ssize_t e, k, n_events = sources.shape[0], n_sources = indptr.shape[0] - 1
    cdef int src
    with nogil:
        for e in range(n_events):
            src = sources[e]
            if src >= n_sources:
                continue
            for k in range(indptr[src], indptr[src + 1]):
                deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k],
                              weights[k], multiplicities[e], target_kind, neg_shift)
