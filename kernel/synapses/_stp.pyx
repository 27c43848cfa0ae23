"""Delivery loops of the short-term plastic and stochastic synapses, and of static synapses
whose events go to a weight recorder.

As in NEST, every unit of a spike's multiplicity is a separate event. The state is updated at
each presynaptic spike from the time since the connection's previous spike (``t_last``, in
ms). Stochastic models draw from the counter-based generator: the stream is keyed by
(rng_seed, 0x80000000 | source id) and the counter by (spike stamp, unit of multiplicity,
synapse model id, rank of the connection among its source's connections of the model), so a
draw depends neither on the order of delivery nor on how the network is distributed.
"""
from libc.math cimport exp
from libc.stdint cimport uint32_t, uint64_t

from kernel._types cimport channel_t, delay_t, real_t
from kernel.delivery._deliver cimport deposit_spike
from kernel.random.philox cimport Stream, next_double, stream_init
from kernel.synapses._core cimport EventSink, sink_put

cdef uint64_t STAMP_MASK = (<uint64_t>1 << 40) - 1


cdef inline void _stream(Stream* st, uint64_t seed, int src, long stamp, long rep,
                         long model_id, long rank) noexcept nogil:
    cdef uint64_t site = (<uint64_t>stamp & STAMP_MASK) | ((<uint64_t>rep & 0xFF) << 40) | \
        ((<uint64_t>model_id & 0xFFFF) << 48)
    stream_init(st, seed, 0x80000000u | (<uint32_t>src & 0x7FFFFFFFu), site, <uint32_t>rank)


def deliver_static_recorded(real_t[:, :, ::1] ring, const int[::1] senders,
                            const long[::1] stamps, const long[::1] mults,
                            const long[::1] indptr, const int[:] targets, const real_t[:] weights,
                            const delay_t[:] delays, const channel_t[:] receptors,
                            const unsigned char[::1] target_kind,
                            const unsigned char[::1] neg_shift, EventSink sink):
    """A static synapse whose model has a weight recorder: one event per unit of
    multiplicity."""
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep
    cdef int src
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k],
                                  weights[k], 1.0, target_kind, neg_shift)
                    sink_put(sink, src, targets[k], stamps[e], receptors[k], k, weights[k])


def deliver_tsodyks(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                    const long[::1] mults, const long[::1] indptr, const int[:] targets,
                    const real_t[:] weights, const delay_t[:] delays,
                    const channel_t[:] receptors, const unsigned char[::1] target_kind,
                    const unsigned char[::1] neg_shift, double[::1] x, double[::1] y,
                    double[::1] u, double[::1] t_last, const double[:] U,
                    const double[:] tau_psc, const double[:] tau_fac, const double[:] tau_rec,
                    EventSink sink, long tics_per_step, double ms_per_tic):
    """tsodyks_synapse / tsodyks_synapse_hom (Tsodyks, Uziel, Markram 2000).

    Between spikes u decays with tau_fac, the active fraction y with tau_psc and the
    inactive fraction z = 1 - x - y recovers into x with tau_rec (exact propagators). At a
    spike u grows by U (1 - u) first, then u x moves from x to y; the transmitted weight is
    u x times the weight.
    """
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep
    cdef int src
    cdef double t_spike, h, Puu, Pyy, Pzz, Pxy, Pxz, z, dy, w
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    h = t_spike - t_last[k]
                    Puu = 0.0 if tau_fac[k] == 0.0 else exp(-h / tau_fac[k])
                    Pyy = exp(-h / tau_psc[k])
                    Pzz = exp(-h / tau_rec[k])
                    Pxy = ((Pzz - 1.0) * tau_rec[k] - (Pyy - 1.0) * tau_psc[k]) / \
                        (tau_psc[k] - tau_rec[k])
                    Pxz = 1.0 - Pzz
                    z = 1.0 - x[k] - y[k]
                    u[k] *= Puu
                    x[k] += Pxy * y[k] + Pxz * z
                    y[k] *= Pyy
                    u[k] += U[k] * (1.0 - u[k])
                    dy = u[k] * x[k]
                    x[k] -= dy
                    y[k] += dy
                    w = dy * weights[k]
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k], w,
                                  1.0, target_kind, neg_shift)
                    sink_put(sink, src, targets[k], stamps[e], receptors[k], k, w)
                    t_last[k] = t_spike


def deliver_tsodyks2(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                     const long[::1] mults, const long[::1] indptr, const int[:] targets,
                     const real_t[:] weights, const delay_t[:] delays,
                     const channel_t[:] receptors, const unsigned char[::1] target_kind,
                     const unsigned char[::1] neg_shift, double[::1] x, double[::1] u,
                     double[::1] t_last, const double[:] U, const double[:] tau_fac,
                     const double[:] tau_rec, EventSink sink, long tics_per_step,
                     double ms_per_tic):
    """tsodyks2_synapse (Tsodyks & Markram 1997; Fuhrmann et al. 2002).

    The weight sent is x u times the weight. From the second spike on, x and u are first
    brought to the spike: x = 1 + (x - x u - 1) exp(-h/tau_rec), u = U + u (1 - U)
    exp(-h/tau_fac) (no facilitation when tau_fac is 0). ``t_last`` < 0 marks a connection
    that has not transmitted yet.
    """
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep
    cdef int src
    cdef double t_spike, h, x_decay, u_decay, w
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    if t_last[k] >= 0.0:
                        h = t_spike - t_last[k]
                        x_decay = exp(-h / tau_rec[k])
                        u_decay = 0.0 if tau_fac[k] < 1.0e-10 else exp(-h / tau_fac[k])
                        x[k] = 1.0 + (x[k] - x[k] * u[k] - 1.0) * x_decay
                        u[k] = U[k] + u[k] * (1.0 - U[k]) * u_decay
                    w = x[k] * u[k] * weights[k]
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k], w,
                                  1.0, target_kind, neg_shift)
                    sink_put(sink, src, targets[k], stamps[e], receptors[k], k, w)
                    t_last[k] = t_spike


def deliver_quantal(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                    const long[::1] mults, const long[::1] indptr, const int[:] targets,
                    const real_t[:] weights, const delay_t[:] delays,
                    const channel_t[:] receptors, const unsigned char[::1] target_kind,
                    const unsigned char[::1] neg_shift, double[::1] u, int[::1] avail,
                    double[::1] t_last, const double[:] U, const double[:] tau_fac,
                    const double[:] tau_rec, const int[:] n_sites, EventSink sink,
                    long tics_per_step, double ms_per_tic, uint64_t seed, long model_id):
    """quantal_stp_synapse (Fuhrmann et al. 2002; Loebel et al. 2009).

    From the second spike on, u is brought to the spike as in tsodyks2_synapse and each of
    the n - a depleted sites recovers with probability 1 - exp(-h/tau_rec). Then each of the
    a available sites releases with probability u; the weight sent is the number of released
    sites times the weight (nothing is sent when none is released).
    """
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep, i, released
    cdef int src
    cdef double t_spike, h, p_recover, u_decay, w
    cdef Stream st
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    _stream(&st, seed, src, stamps[e], rep, model_id, k - indptr[src])
                    if t_last[k] >= 0.0:
                        h = t_spike - t_last[k]
                        p_recover = 1.0 - exp(-h / tau_rec[k])
                        u_decay = 0.0 if tau_fac[k] < 1.0e-10 else exp(-h / tau_fac[k])
                        u[k] = U[k] + u[k] * (1.0 - U[k]) * u_decay
                        for i in range(n_sites[k] - avail[k]):
                            if next_double(&st) < p_recover:
                                avail[k] += 1
                    released = 0
                    for i in range(avail[k]):
                        if next_double(&st) < u[k]:
                            released += 1
                    t_last[k] = t_spike
                    if released > 0:
                        avail[k] -= released
                        w = released * weights[k]
                        deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k],
                                      w, 1.0, target_kind, neg_shift)
                        sink_put(sink, src, targets[k], stamps[e], receptors[k], k, w)


def deliver_bernoulli(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                      const long[::1] mults, const long[::1] indptr, const int[:] targets,
                      const real_t[:] weights, const delay_t[:] delays,
                      const channel_t[:] receptors, const unsigned char[::1] target_kind,
                      const unsigned char[::1] neg_shift, const double[:] p_transmit,
                      EventSink sink, uint64_t seed, long model_id):
    """bernoulli_synapse: each unit of multiplicity is transmitted with probability
    p_transmit."""
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep
    cdef int src
    cdef Stream st
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    _stream(&st, seed, src, stamps[e], rep, model_id, k - indptr[src])
                    if next_double(&st) < p_transmit[k]:
                        deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k],
                                      weights[k], 1.0, target_kind, neg_shift)
                        sink_put(sink, src, targets[k], stamps[e], receptors[k], k, weights[k])


def deliver_ht(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
               const long[::1] mults, const long[::1] indptr, const int[:] targets,
               const real_t[:] weights, const delay_t[:] delays,
               const channel_t[:] receptors, const unsigned char[::1] target_kind,
               const unsigned char[::1] neg_shift, double[::1] P, double[::1] t_last,
               const double[:] delta_P, const double[:] tau_P, EventSink sink,
               long tics_per_step, double ms_per_tic):
    """ht_synapse (depression of Hill & Tononi 2005).

    The vesicle pool P recovers towards 1 with tau_P since the previous spike (the first
    spike counts from t = 0), the spike sends P times the weight, then P shrinks by the
    fraction delta_P.
    """
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep
    cdef int src
    cdef double t_spike, w
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    P[k] = 1.0 - (1.0 - P[k]) * exp(-(t_spike - t_last[k]) / tau_P[k])
                    w = P[k] * weights[k]
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k], w,
                                  1.0, target_kind, neg_shift)
                    sink_put(sink, src, targets[k], stamps[e], receptors[k], k, w)
                    P[k] *= 1.0 - delta_P[k]
                    t_last[k] = t_spike
