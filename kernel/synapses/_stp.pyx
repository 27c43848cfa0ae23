"""Delivery loops of the short-term plastic and stochastic synapses, and of static synapses
whose events go to a weight recorder.

As in NEST, every unit of a spike's multiplicity is a separate event. One driver
(``_deliver``, fused over the rule types) walks the events; a rule's ``update`` brings the
connection's state to the spike from the time since its previous spike (``t_last``, in ms),
sets the weight to send and says whether anything is sent. Stochastic models draw from the
counter-based generator: the stream is keyed by (rng_seed, 0x80000000 | source id) and the
counter by (spike stamp, unit of multiplicity, synapse model id, rank of the connection among
its source's connections of the model), so a draw depends neither on the order of delivery nor
on how the network is distributed.
"""
cimport cython
from libc.math cimport exp
from libc.stdint cimport uint32_t, uint64_t

from kernel._types cimport channel_t, delay_t, real_t
from kernel.delivery._deliver cimport deposit_spike, unroll_flags
from kernel.random.philox cimport Stream, next_double, stream_init
from kernel.synapses._core cimport EventSink, sink_put

cdef uint64_t STAMP_MASK = (<uint64_t>1 << 40) - 1


cdef inline void _stream(Stream* st, uint64_t seed, int src, long stamp, long rep,
                         long model_id, long rank) noexcept nogil:
    cdef uint64_t site = (<uint64_t>stamp & STAMP_MASK) | ((<uint64_t>rep & 0xFF) << 40) | \
        ((<uint64_t>model_id & 0xFFFF) << 48)
    stream_init(st, seed, 0x80000000u | (<uint32_t>src & 0x7FFFFFFFu), site, <uint32_t>rank)


ctypedef fused Rule:
    _Recorded
    _Tsodyks
    _Tsodyks2
    _Quantal
    _Bernoulli
    _Ht


cdef void _deliver(Rule m, real_t[:, :, ::1] ring, const int[::1] senders,
                   const long[::1] stamps, const long[::1] mults, const long[::1] indptr,
                   const int[:] targets, const real_t[:] weights, const delay_t[:] delays,
                   const channel_t[:] receptors, const unsigned char[::1] target_kind,
                   const unsigned char[::1] neg_shift, EventSink sink, long tics_per_step,
                   double ms_per_tic, const unsigned char* unrolls=NULL):
    """Deliver the events through rule ``m``: the update sets the weight to send and returns
    whether to send it. A spike of multiplicity m is m events, except from a sender that
    ``unrolls`` (a flag per sender id; NULL: every sender unrolls) does not flag: a device,
    whose spike NEST delivers as one event of weight m w, past the rule and the sink."""
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep
    cdef int src
    cdef double t_spike, w
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            if unrolls != NULL and not unrolls[src]:
                for k in range(indptr[src], indptr[src + 1]):
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k],
                                  weights[k], <real_t>mults[e], target_kind, neg_shift)
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    if m.update(k, t_spike, weights[k], src, stamps[e], rep, k - indptr[src],
                                &w):
                        deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], targets[k],
                                      w, 1.0, target_kind, neg_shift)
                        sink_put(sink, src, targets[k], stamps[e], receptors[k], k, w)


@cython.final
cdef class _Recorded:
    """A static synapse whose model has a weight recorder."""

    cdef inline bint update(self, Py_ssize_t k, double t_spike, double weight, int src,
                            long stamp, long rep, long rank, double* w) noexcept nogil:
        w[0] = weight
        return True


def deliver_static_recorded(real_t[:, :, ::1] ring, const int[::1] senders,
                            const long[::1] stamps, const long[::1] mults,
                            const long[::1] indptr, const int[:] targets, const real_t[:] weights,
                            const delay_t[:] delays, const channel_t[:] receptors,
                            const unsigned char[::1] target_kind,
                            const unsigned char[::1] neg_shift, EventSink sink,
                            const unsigned char[::1] unrolls):
    """A static synapse whose model has a weight recorder: one recorded event per unit of
    multiplicity from a neuron; from a device (not flagged in ``unrolls``, a flag per sender
    id) one event of weight m w, which NEST's weight recorder does not see."""
    _deliver(_Recorded(), ring, senders, stamps, mults, indptr, targets, weights, delays,
             receptors, target_kind, neg_shift, sink, 0, 0.0,
             unroll_flags(unrolls, indptr.shape[0] - 1))


@cython.final
cdef class _Tsodyks:
    """tsodyks_synapse / tsodyks_synapse_hom (Tsodyks, Uziel, Markram 2000).

    Between spikes u decays with tau_fac, the active fraction y with tau_psc and the
    inactive fraction z = 1 - x - y recovers into x with tau_rec (exact propagators). At a
    spike u grows by U (1 - u) first, then u x moves from x to y; the transmitted weight is
    u x times the weight.
    """
    cdef double[::1] x, y, u, t_last
    cdef const double[:] U, tau_psc, tau_fac, tau_rec

    cdef inline bint update(self, Py_ssize_t k, double t_spike, double weight, int src,
                            long stamp, long rep, long rank, double* w) noexcept nogil:
        cdef double h = t_spike - self.t_last[k], Puu, Pyy, Pzz, Pxy, Pxz, z, dy
        cdef double tau_psc = self.tau_psc[k], tau_rec = self.tau_rec[k]
        Puu = 0.0 if self.tau_fac[k] == 0.0 else exp(-h / self.tau_fac[k])
        Pyy = exp(-h / tau_psc)
        Pzz = exp(-h / tau_rec)
        Pxy = ((Pzz - 1.0) * tau_rec - (Pyy - 1.0) * tau_psc) / (tau_psc - tau_rec)
        Pxz = 1.0 - Pzz
        z = 1.0 - self.x[k] - self.y[k]
        self.u[k] *= Puu
        self.x[k] += Pxy * self.y[k] + Pxz * z
        self.y[k] *= Pyy
        self.u[k] += self.U[k] * (1.0 - self.u[k])
        dy = self.u[k] * self.x[k]
        self.x[k] -= dy
        self.y[k] += dy
        w[0] = dy * weight
        self.t_last[k] = t_spike
        return True


def deliver_tsodyks(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                    const long[::1] mults, const long[::1] indptr, const int[:] targets,
                    const real_t[:] weights, const delay_t[:] delays,
                    const channel_t[:] receptors, const unsigned char[::1] target_kind,
                    const unsigned char[::1] neg_shift, double[::1] x, double[::1] y,
                    double[::1] u, double[::1] t_last, const double[:] U,
                    const double[:] tau_psc, const double[:] tau_fac, const double[:] tau_rec,
                    EventSink sink, long tics_per_step, double ms_per_tic):
    """tsodyks_synapse / tsodyks_synapse_hom: see ``_Tsodyks``."""
    cdef _Tsodyks m = _Tsodyks()
    m.x, m.y, m.u, m.t_last = x, y, u, t_last
    m.U, m.tau_psc, m.tau_fac, m.tau_rec = U, tau_psc, tau_fac, tau_rec
    _deliver(m, ring, senders, stamps, mults, indptr, targets, weights, delays, receptors,
             target_kind, neg_shift, sink, tics_per_step, ms_per_tic)


cdef inline double _facilitate(double u, double U, double tau_fac, double h) noexcept nogil:
    """u brought to a spike h ms after the previous one (no facilitation when tau_fac is 0)."""
    return U + u * (1.0 - U) * (0.0 if tau_fac < 1.0e-10 else exp(-h / tau_fac))


@cython.final
cdef class _Tsodyks2:
    """tsodyks2_synapse (Tsodyks & Markram 1997; Fuhrmann et al. 2002).

    The weight sent is x u times the weight. From the second spike on, x and u are first
    brought to the spike: x = 1 + (x - x u - 1) exp(-h/tau_rec), u = U + u (1 - U)
    exp(-h/tau_fac) (no facilitation when tau_fac is 0). ``t_last`` < 0 marks a connection
    that has not transmitted yet.
    """
    cdef double[::1] x, u, t_last
    cdef const double[:] U, tau_fac, tau_rec

    cdef inline bint update(self, Py_ssize_t k, double t_spike, double weight, int src,
                            long stamp, long rep, long rank, double* w) noexcept nogil:
        cdef double h
        if self.t_last[k] >= 0.0:
            h = t_spike - self.t_last[k]
            self.x[k] = 1.0 + (self.x[k] - self.x[k] * self.u[k] - 1.0) * \
                exp(-h / self.tau_rec[k])
            self.u[k] = _facilitate(self.u[k], self.U[k], self.tau_fac[k], h)
        w[0] = self.x[k] * self.u[k] * weight
        self.t_last[k] = t_spike
        return True


def deliver_tsodyks2(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                     const long[::1] mults, const long[::1] indptr, const int[:] targets,
                     const real_t[:] weights, const delay_t[:] delays,
                     const channel_t[:] receptors, const unsigned char[::1] target_kind,
                     const unsigned char[::1] neg_shift, double[::1] x, double[::1] u,
                     double[::1] t_last, const double[:] U, const double[:] tau_fac,
                     const double[:] tau_rec, EventSink sink, long tics_per_step,
                     double ms_per_tic):
    """tsodyks2_synapse: see ``_Tsodyks2``."""
    cdef _Tsodyks2 m = _Tsodyks2()
    m.x, m.u, m.t_last, m.U, m.tau_fac, m.tau_rec = x, u, t_last, U, tau_fac, tau_rec
    _deliver(m, ring, senders, stamps, mults, indptr, targets, weights, delays, receptors,
             target_kind, neg_shift, sink, tics_per_step, ms_per_tic)


@cython.final
cdef class _Quantal:
    """quantal_stp_synapse (Fuhrmann et al. 2002; Loebel et al. 2009).

    From the second spike on, u is brought to the spike as in tsodyks2_synapse and each of
    the n - a depleted sites recovers with probability 1 - exp(-h/tau_rec). Then each of the
    a available sites releases with probability u; the weight sent is the number of released
    sites times the weight (nothing is sent when none is released).
    """
    cdef double[::1] u, t_last
    cdef int[::1] avail
    cdef const double[:] U, tau_fac, tau_rec
    cdef const int[:] n_sites
    cdef uint64_t seed
    cdef long model_id

    cdef inline bint update(self, Py_ssize_t k, double t_spike, double weight, int src,
                            long stamp, long rep, long rank, double* w) noexcept nogil:
        cdef long i, released = 0
        cdef double h, p_recover
        cdef Stream st
        _stream(&st, self.seed, src, stamp, rep, self.model_id, rank)
        if self.t_last[k] >= 0.0:
            h = t_spike - self.t_last[k]
            p_recover = 1.0 - exp(-h / self.tau_rec[k])
            self.u[k] = _facilitate(self.u[k], self.U[k], self.tau_fac[k], h)
            for i in range(self.n_sites[k] - self.avail[k]):
                if next_double(&st) < p_recover:
                    self.avail[k] += 1
        for i in range(self.avail[k]):
            if next_double(&st) < self.u[k]:
                released += 1
        self.t_last[k] = t_spike
        self.avail[k] -= released
        w[0] = released * weight
        return released > 0


def deliver_quantal(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                    const long[::1] mults, const long[::1] indptr, const int[:] targets,
                    const real_t[:] weights, const delay_t[:] delays,
                    const channel_t[:] receptors, const unsigned char[::1] target_kind,
                    const unsigned char[::1] neg_shift, double[::1] u, int[::1] avail,
                    double[::1] t_last, const double[:] U, const double[:] tau_fac,
                    const double[:] tau_rec, const int[:] n_sites, EventSink sink,
                    long tics_per_step, double ms_per_tic, uint64_t seed, long model_id):
    """quantal_stp_synapse: see ``_Quantal``."""
    cdef _Quantal m = _Quantal()
    m.u, m.avail, m.t_last, m.U, m.tau_fac, m.tau_rec, m.n_sites = \
        u, avail, t_last, U, tau_fac, tau_rec, n_sites
    m.seed, m.model_id = seed, model_id
    _deliver(m, ring, senders, stamps, mults, indptr, targets, weights, delays, receptors,
             target_kind, neg_shift, sink, tics_per_step, ms_per_tic)


@cython.final
cdef class _Bernoulli:
    """bernoulli_synapse: each unit of multiplicity is transmitted with probability
    p_transmit."""
    cdef const double[:] p_transmit
    cdef uint64_t seed
    cdef long model_id

    cdef inline bint update(self, Py_ssize_t k, double t_spike, double weight, int src,
                            long stamp, long rep, long rank, double* w) noexcept nogil:
        cdef Stream st
        _stream(&st, self.seed, src, stamp, rep, self.model_id, rank)
        w[0] = weight
        return next_double(&st) < self.p_transmit[k]


def deliver_bernoulli(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                      const long[::1] mults, const long[::1] indptr, const int[:] targets,
                      const real_t[:] weights, const delay_t[:] delays,
                      const channel_t[:] receptors, const unsigned char[::1] target_kind,
                      const unsigned char[::1] neg_shift, const double[:] p_transmit,
                      EventSink sink, uint64_t seed, long model_id):
    """bernoulli_synapse: see ``_Bernoulli``."""
    cdef _Bernoulli m = _Bernoulli()
    m.p_transmit, m.seed, m.model_id = p_transmit, seed, model_id
    _deliver(m, ring, senders, stamps, mults, indptr, targets, weights, delays, receptors,
             target_kind, neg_shift, sink, 0, 0.0)


@cython.final
cdef class _Ht:
    """ht_synapse (depression of Hill & Tononi 2005).

    The vesicle pool P recovers towards 1 with tau_P since the previous spike (the first
    spike counts from t = 0), the spike sends P times the weight, then P shrinks by the
    fraction delta_P.
    """
    cdef double[::1] P, t_last
    cdef const double[:] delta_P, tau_P

    cdef inline bint update(self, Py_ssize_t k, double t_spike, double weight, int src,
                            long stamp, long rep, long rank, double* w) noexcept nogil:
        self.P[k] = 1.0 - (1.0 - self.P[k]) * exp(-(t_spike - self.t_last[k]) / self.tau_P[k])
        w[0] = self.P[k] * weight
        self.P[k] *= 1.0 - self.delta_P[k]
        self.t_last[k] = t_spike
        return True


def deliver_ht(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
               const long[::1] mults, const long[::1] indptr, const int[:] targets,
               const real_t[:] weights, const delay_t[:] delays,
               const channel_t[:] receptors, const unsigned char[::1] target_kind,
               const unsigned char[::1] neg_shift, double[::1] P, double[::1] t_last,
               const double[:] delta_P, const double[:] tau_P, EventSink sink,
               long tics_per_step, double ms_per_tic):
    """ht_synapse: see ``_Ht``."""
    cdef _Ht m = _Ht()
    m.P, m.t_last, m.delta_P, m.tau_P = P, t_last, delta_P, tau_P
    _deliver(m, ring, senders, stamps, mults, indptr, targets, weights, delays, receptors,
             target_kind, neg_shift, sink, tics_per_step, ms_per_tic)
