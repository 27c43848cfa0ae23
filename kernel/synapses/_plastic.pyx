"""Delivery loops of the spike-timing-dependent synapses (NEST's event-driven formulation).

One driver (``_deliver``) delivers a slice's spikes (sorted by sender, then time) through one
synapse table: for every unit of multiplicity and every connection of the sender it has the
model's rule update the connection's state from the postsynaptic archive (facilitation by
the postsynaptic spikes since the connection's previous presynaptic spike, depression by
K-minus just before this one), deposits the new weight into the target's input ring and
reports the event to the weight recorder sink. A rule is a final extension type holding the
table's columns, with one ``update`` method; the driver is fused over the rule types, so each
model gets its own compiled loop with the update inlined. The whole delay counts as dendritic
delay: a presynaptic spike stamped t is paired with postsynaptic spikes up to t - d.

Times are in ms as NEST computes them: a stamp of s steps is (s * tics_per_step) * ms_per_tic,
a delay of d steps is d * resolution.

Parameter columns arrive as 1-D views; a homogeneous column (or a common property) is a
0-stride view, so one rule serves the per-connection and the ``_hom`` models.
"""
cimport cython
import numpy as np
from libc.math cimport exp, expm1, fabs, copysign, lround, pow

from kernel._types cimport RingView, channel_t, delay_t, real_t, ring_view
from kernel.delivery._deliver cimport event_entry
from kernel.synapses._core cimport (ArchiveCore, EventSink, entry_kminus_triplet, entry_time,
                                    history_range, k_value, sink_put)


ctypedef fused Rule:
    _Stdp
    _StdpPl
    _Vogels
    _Dopamine
    _Facets
    _Triplet


cdef void _deliver(Rule m, real_t[:, :, ::1] ring, const int[::1] senders,
                   const long[::1] stamps, const long[::1] mults, const long[::1] indptr,
                   const int[:] targets, const delay_t[:] delays, const channel_t[:] receptors,
                   const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                   ArchiveCore a, EventSink sink, long tics_per_step, double ms_per_tic,
                   double ms_per_step):
    """Deliver the events through rule ``m``: the update returns the weight to send.

    The ring entry being added to is held in a register while consecutive connections add to
    it (multapses, the same target of the next spike): the same additions in the same
    order, without a store and a reload between them."""
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef Py_ssize_t slot = 0
    cdef long rep, delay
    cdef int src, tgt
    cdef double t_spike, w
    cdef RingView view = ring_view(ring)
    cdef real_t* entry
    cdef real_t* held = NULL        # the entry whose sum is in ``total``
    cdef real_t total = 0.0, amount
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            delay = -1
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    tgt = targets[k]
                    w = m.update(a, k, a.row_of[tgt], delays[k] * ms_per_step, t_spike)
                    if delays[k] != delay:
                        delay = delays[k]
                        slot = (stamps[e] + delay - 1) % view.length
                    entry = event_entry(&view, slot, receptors[k], tgt, w, 1.0, target_kind,
                                        neg_shift, &amount)
                    if entry != held:
                        if held != NULL:
                            held[0] = total
                        held = entry
                        if entry != NULL:
                            total = entry[0]
                    if entry != NULL:
                        total = total + amount
                    sink_put(sink, src, tgt, stamps[e], receptors[k], k, w)
        if held != NULL:
            held[0] = total


@cython.final
cdef class _Stdp:
    """stdp_synapse and stdp_synapse_hom (Guetig et al. 2003 weight dependence)."""
    cdef double[::1] weight, kplus, t_last
    cdef const double[:] tau_plus, lam, alpha, mu_plus, mu_minus, wmax

    cdef inline double update(self, ArchiveCore a, Py_ssize_t k, int row, double d,
                              double t_spike) noexcept nogil:
        cdef long j, j0, j1
        cdef double w = self.weight[k], norm, minus_dt
        cdef double wmax = self.wmax[k], lam = self.lam[k]
        history_range(a, row, self.t_last[k] - d, t_spike - d, &j0, &j1)
        for j in range(j0, j1):
            minus_dt = self.t_last[k] - (entry_time(a, row, j) + d)
            norm = (w / wmax) + (lam * pow(1.0 - (w / wmax), self.mu_plus[k]) *
                                 self.kplus[k] * exp(minus_dt / self.tau_plus[k]))
            w = norm * wmax if norm < 1.0 else wmax
        norm = (w / wmax) - (self.alpha[k] * lam * pow(w / wmax, self.mu_minus[k]) *
                             k_value(a, row, t_spike - d))
        w = norm * wmax if norm > 0.0 else 0.0
        self.weight[k] = w
        self.kplus[k] = self.kplus[k] * exp((self.t_last[k] - t_spike) / self.tau_plus[k]) + 1.0
        self.t_last[k] = t_spike
        return w


def deliver_stdp(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                 const long[::1] mults, const long[::1] indptr, const int[:] targets,
                 const delay_t[:] delays, const channel_t[:] receptors,
                 const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                 double[::1] weight, double[::1] kplus, double[::1] t_last,
                 const double[:] tau_plus, const double[:] lam, const double[:] alpha,
                 const double[:] mu_plus, const double[:] mu_minus, const double[:] wmax,
                 ArchiveCore a, EventSink sink, long tics_per_step, double ms_per_tic,
                 double ms_per_step):
    """stdp_synapse and stdp_synapse_hom: see ``_Stdp``."""
    cdef _Stdp m = _Stdp()
    m.weight, m.kplus, m.t_last = weight, kplus, t_last
    m.tau_plus, m.lam, m.alpha, m.mu_plus, m.mu_minus, m.wmax = \
        tau_plus, lam, alpha, mu_plus, mu_minus, wmax
    _deliver(m, ring, senders, stamps, mults, indptr, targets, delays, receptors, target_kind,
             neg_shift, a, sink, tics_per_step, ms_per_tic, ms_per_step)


cdef enum:
    _FAC_SLOTS = 1024  # facilitation factors kept per presynaptic spike (a power of 2)


@cython.final
cdef class _StdpPl:
    """stdp_pl_synapse_hom (Morrison et al. 2007 power-law facilitation).

    The connections of one sender are usually in the same presynaptic state (every spike of
    the sender updates all of them, so they share t_last and Kplus), and multapses onto one
    target also share the weight. The update therefore reuses results whose operands are
    the same numbers: the last connection's whole update (same target row, delay, weight,
    Kplus, t_last and spike time), the K+ decay of the last (t_last, t_spike), the
    facilitation factor Kplus e^((t_last - t_post - d) / tau_plus) of each postsynaptic time
    for the current (t_last, Kplus, d), and K-minus per target row and time. A reused value
    is the value the same operations would compute again, so nothing changes by reuse.
    """
    cdef double[::1] weight, kplus, t_last
    cdef double tau_inv, lam, lam_alpha, mu
    # the last connection's update: its inputs and the weight it produced
    cdef int m_row
    cdef long m_j0, m_j1
    cdef double m_d, m_w, m_kp, m_tl, m_ts, m_w_new
    # the last K+ decay e^((t_last - t_spike) / tau_plus)
    cdef double e_tl, e_ts, e_val
    # facilitation factors of (f_tl, f_kp, f_d), generation f_gen: slot by postsynaptic step
    cdef double f_tl, f_kp, f_d, steps_per_ms
    cdef long f_gen
    cdef double[::1] f_t, f_v
    cdef long[::1] f_g
    # K-minus of each archive row at time kv_t[row]
    cdef double[::1] kv_t, kv_v

    cdef inline double facilitation(self, double t_post, double tl, double kp,
                                    double d) noexcept nogil:
        """Kplus e^((t_last - (t_post + d)) / tau_plus), NEST's operand of facilitate_."""
        cdef Py_ssize_t slot = (<long>(t_post * self.steps_per_ms + 0.5)) & (_FAC_SLOTS - 1)
        if not (tl == self.f_tl and kp == self.f_kp and d == self.f_d):
            self.f_tl, self.f_kp, self.f_d = tl, kp, d
            self.f_gen += 1
        elif self.f_g[slot] == self.f_gen and self.f_t[slot] == t_post:
            return self.f_v[slot]
        self.f_g[slot], self.f_t[slot] = self.f_gen, t_post
        self.f_v[slot] = kp * exp((tl - (t_post + d)) * self.tau_inv)
        return self.f_v[slot]

    cdef inline double kminus(self, ArchiveCore a, int row, double t) noexcept nogil:
        if self.kv_t[row] != t:
            self.kv_t[row] = t
            self.kv_v[row] = k_value(a, row, t)
        return self.kv_v[row]

    cdef inline double update(self, ArchiveCore a, Py_ssize_t k, int row, double d,
                              double t_spike) noexcept nogil:
        cdef long j, j0, j1
        cdef double w = self.weight[k], kp = self.kplus[k], tl = self.t_last[k]
        if (row == self.m_row and d == self.m_d and w == self.m_w and kp == self.m_kp
                and tl == self.m_tl and t_spike == self.m_ts):
            # the same history entries: mark them read once more
            for j in range(self.m_j0, self.m_j1):
                a.h_count[row, (a.head[row] + j) & a.mask] += 1
            w = self.m_w_new
        else:
            history_range(a, row, tl - d, t_spike - d, &j0, &j1)
            self.m_row, self.m_d, self.m_w, self.m_kp, self.m_tl, self.m_ts = \
                row, d, w, kp, tl, t_spike
            self.m_j0, self.m_j1 = j0, j1
            for j in range(j0, j1):
                w = w + self.lam * pow(w, self.mu) * \
                    self.facilitation(entry_time(a, row, j), tl, kp, d)
            w = w - self.lam_alpha * w * self.kminus(a, row, t_spike - d)
            if not w > 0.0:
                w = 0.0
            self.m_w_new = w
        if not (tl == self.e_tl and t_spike == self.e_ts):
            self.e_tl, self.e_ts = tl, t_spike
            self.e_val = exp((tl - t_spike) * self.tau_inv)
        self.weight[k] = w
        self.kplus[k] = kp * self.e_val + 1.0
        self.t_last[k] = t_spike
        return w


def deliver_stdp_pl(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                    const long[::1] mults, const long[::1] indptr, const int[:] targets,
                    const delay_t[:] delays, const channel_t[:] receptors,
                    const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                    double[::1] weight, double[::1] kplus, double[::1] t_last,
                    double tau_plus, double lam, double alpha, double mu,
                    ArchiveCore a, EventSink sink, long tics_per_step, double ms_per_tic,
                    double ms_per_step):
    """stdp_pl_synapse_hom: see ``_StdpPl``."""
    cdef _StdpPl m = _StdpPl()
    m.weight, m.kplus, m.t_last = weight, kplus, t_last
    m.tau_inv, m.lam, m.lam_alpha, m.mu = 1.0 / tau_plus, lam, lam * alpha, mu
    m.m_row = -1
    m.e_tl = m.e_ts = m.f_tl = m.f_kp = m.f_d = np.nan
    m.steps_per_ms = 1.0 / ms_per_step
    m.f_t, m.f_v = np.empty(_FAC_SLOTS), np.empty(_FAC_SLOTS)
    m.f_g = np.zeros(_FAC_SLOTS, dtype=np.int_)
    m.f_gen = 0
    m.kv_t, m.kv_v = np.full(a.size.shape[0], np.nan), np.empty(a.size.shape[0])
    _deliver(m, ring, senders, stamps, mults, indptr, targets, delays, receptors, target_kind,
             neg_shift, a, sink, tics_per_step, ms_per_tic, ms_per_step)


@cython.final
cdef class _Vogels:
    """vogels_sprekeler_synapse (Vogels et al. 2011 inhibitory plasticity)."""
    cdef double[::1] weight, kplus, t_last
    cdef const double[:] tau, eta, alpha, wmax

    cdef inline double update(self, ArchiveCore a, Py_ssize_t k, int row, double d,
                              double t_spike) noexcept nogil:
        cdef long j, j0, j1
        cdef double w = self.weight[k], minus_dt
        cdef double eta = self.eta[k], wmax = self.wmax[k]
        history_range(a, row, self.t_last[k] - d, t_spike - d, &j0, &j1)
        for j in range(j0, j1):
            minus_dt = self.t_last[k] - (entry_time(a, row, j) + d)
            w = _vs_facilitate(w, self.kplus[k] * exp(minus_dt / self.tau[k]), eta, wmax)
        w = _vs_facilitate(w, k_value(a, row, t_spike - d), eta, wmax)
        w = fabs(w) - self.alpha[k] * eta
        w = copysign(w if w > 0.0 else 0.0, wmax)
        self.weight[k] = w
        self.kplus[k] = self.kplus[k] * exp((self.t_last[k] - t_spike) / self.tau[k]) + 1.0
        self.t_last[k] = t_spike
        return w


cdef inline double _vs_facilitate(double w, double trace, double eta, double wmax) noexcept nogil:
    cdef double new_w = fabs(w) + eta * trace
    return copysign(new_w if new_w < fabs(wmax) else wmax, wmax)


def deliver_vogels(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                   const long[::1] mults, const long[::1] indptr, const int[:] targets,
                   const delay_t[:] delays, const channel_t[:] receptors,
                   const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                   double[::1] weight, double[::1] kplus, double[::1] t_last,
                   const double[:] tau, const double[:] eta, const double[:] alpha,
                   const double[:] wmax, ArchiveCore a, EventSink sink, long tics_per_step,
                   double ms_per_tic, double ms_per_step):
    """vogels_sprekeler_synapse: see ``_Vogels``."""
    cdef _Vogels m = _Vogels()
    m.weight, m.kplus, m.t_last = weight, kplus, t_last
    m.tau, m.eta, m.alpha, m.wmax = tau, eta, alpha, wmax
    _deliver(m, ring, senders, stamps, mults, indptr, targets, delays, receptors, target_kind,
             neg_shift, a, sink, tics_per_step, ms_per_tic, ms_per_step)


# -- stdp_dopamine_synapse -------------------------------------------------------------------
cdef struct DopaParams:
    double A_plus, A_minus, tau_plus, tau_c, tau_n, b, Wmin, Wmax


cdef struct DopaState:
    double w, c, n, kplus, t_last
    long idx


cdef inline void _dopa_weight(DopaState* s, double c0, double n0, double minus_dt,
                              DopaParams* p) noexcept nogil:
    """Propagate the weight over minus_dt (< 0 forward) given eligibility c0, dopamine n0."""
    cdef double taus = (p.tau_c + p.tau_n) / (p.tau_c * p.tau_n)
    s.w = s.w - c0 * (n0 / taus * expm1(taus * minus_dt) - p.b * p.tau_c * expm1(minus_dt / p.tau_c))
    if s.w < p.Wmin:
        s.w = p.Wmin
    if s.w > p.Wmax:
        s.w = p.Wmax


cdef inline void _dopa_trace(DopaState* s, const double[::1] dt, const double[::1] dm,
                             DopaParams* p) noexcept nogil:
    """Advance the dopamine trace n to the next dopamine spike and add it."""
    cdef double minus_dt = dt[s.idx] - dt[s.idx + 1]
    s.idx += 1
    s.n = s.n * exp(minus_dt / p.tau_n) + dm[s.idx] / p.tau_n


cdef inline void _dopa_process(DopaState* s, const double[::1] dt, const double[::1] dm,
                               double t0, double t1, DopaParams* p, double eps) noexcept nogil:
    """Propagate weight and traces from t0 to t1 through the dopamine spikes in (t0, t1]."""
    cdef Py_ssize_t n_dopa = dt.shape[0]
    cdef double cd, n0
    if n_dopa > s.idx + 1 and t1 - dt[s.idx + 1] > -eps:
        n0 = s.n * exp((dt[s.idx] - t0) / p.tau_n)
        _dopa_weight(s, s.c, n0, t0 - dt[s.idx + 1], p)
        _dopa_trace(s, dt, dm, p)
        while n_dopa > s.idx + 1 and t1 - dt[s.idx + 1] > -eps:
            cd = s.c * exp((t0 - dt[s.idx]) / p.tau_c)
            _dopa_weight(s, cd, s.n, dt[s.idx] - dt[s.idx + 1], p)
            _dopa_trace(s, dt, dm, p)
        cd = s.c * exp((t0 - dt[s.idx]) / p.tau_c)
        _dopa_weight(s, cd, s.n, dt[s.idx] - t1, p)
    else:
        n0 = s.n * exp((dt[s.idx] - t0) / p.tau_n)
        _dopa_weight(s, s.c, n0, t0 - t1, p)
    s.c = s.c * exp((t0 - t1) / p.tau_c)


@cython.final
cdef class _Dopamine:
    """stdp_dopamine_synapse (Izhikevich 2007; Potjans et al. 2010).

    ``dopa_t``/``dopa_m`` are the volume transmitter's dopamine spikes since its last
    trigger, starting with the pseudo spike at the trigger time; ``t_last`` is the time of
    the connection's last update and ``idx`` its position in the dopamine list.
    """
    cdef double[::1] weight, c, n, kplus, t_last
    cdef long[::1] idx
    cdef const double[::1] dopa_t, dopa_m
    cdef DopaParams p

    cdef inline void load(self, DopaState* s, Py_ssize_t k) noexcept nogil:
        s.w, s.c, s.n = self.weight[k], self.c[k], self.n[k]
        s.kplus, s.t_last, s.idx = self.kplus[k], self.t_last[k], self.idx[k]

    cdef inline void store(self, DopaState* s, Py_ssize_t k) noexcept nogil:
        self.weight[k], self.c[k], self.n[k] = s.w, s.c, s.n
        self.kplus[k], self.t_last[k], self.idx[k] = s.kplus, s.t_last, s.idx

    cdef inline double update(self, ArchiveCore a, Py_ssize_t k, int row, double d,
                              double t_spike) noexcept nogil:
        """A presynaptic spike."""
        cdef long j, j0, j1
        cdef double t0, t_post
        cdef DopaState s
        self.load(&s, k)
        history_range(a, row, s.t_last - d, t_spike - d, &j0, &j1)
        t0 = s.t_last
        for j in range(j0, j1):
            t_post = entry_time(a, row, j)
            _dopa_process(&s, self.dopa_t, self.dopa_m, t0, t_post + d, &self.p, a.eps)
            t0 = t_post + d
            if t_spike - t_post > a.eps:
                s.c = s.c + self.p.A_plus * s.kplus * exp((s.t_last - t0) / self.p.tau_plus)
        _dopa_process(&s, self.dopa_t, self.dopa_m, t0, t_spike, &self.p, a.eps)
        s.c = s.c - self.p.A_minus * k_value(a, row, t_spike - d)
        s.kplus = s.kplus * exp((s.t_last - t_spike) / self.p.tau_plus) + 1.0
        s.t_last = t_spike
        self.store(&s, k)
        return s.w

    cdef void trigger(self, ArchiveCore a, const int[:] targets, const delay_t[:] delays,
                      double t_trig, double ms_per_step) noexcept nogil:
        """Bring every connection to ``t_trig``."""
        cdef Py_ssize_t k
        cdef long j, j0, j1
        cdef int row
        cdef double d, t0, minus_dt
        cdef DopaState s
        for k in range(targets.shape[0]):
            row = a.row_of[targets[k]]
            d = delays[k] * ms_per_step
            self.load(&s, k)
            history_range(a, row, s.t_last - d, t_trig - d, &j0, &j1)
            t0 = s.t_last
            for j in range(j0, j1):
                _dopa_process(&s, self.dopa_t, self.dopa_m, t0, entry_time(a, row, j) + d,
                              &self.p, a.eps)
                t0 = entry_time(a, row, j) + d
                minus_dt = s.t_last - t0
                s.c = s.c + self.p.A_plus * s.kplus * exp(minus_dt / self.p.tau_plus)
            _dopa_process(&s, self.dopa_t, self.dopa_m, t0, t_trig, &self.p, a.eps)
            s.n = s.n * exp((self.dopa_t[s.idx] - t_trig) / self.p.tau_n)
            s.kplus = s.kplus * exp((s.t_last - t_trig) / self.p.tau_plus)
            s.t_last = t_trig
            s.idx = 0
            self.store(&s, k)


cdef _Dopamine _dopamine(double[::1] weight, double[::1] c, double[::1] n, double[::1] kplus,
                         double[::1] t_last, long[::1] idx, const double[::1] dopa_t,
                         const double[::1] dopa_m, double A_plus, double A_minus,
                         double tau_plus, double tau_c, double tau_n, double b, double Wmin,
                         double Wmax):
    cdef _Dopamine m = _Dopamine()
    m.weight, m.c, m.n, m.kplus, m.t_last, m.idx = weight, c, n, kplus, t_last, idx
    m.dopa_t, m.dopa_m = dopa_t, dopa_m
    m.p.A_plus, m.p.A_minus, m.p.tau_plus, m.p.tau_c, m.p.tau_n = \
        A_plus, A_minus, tau_plus, tau_c, tau_n
    m.p.b, m.p.Wmin, m.p.Wmax = b, Wmin, Wmax
    return m


def deliver_dopamine(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                     const long[::1] mults, const long[::1] indptr, const int[:] targets,
                     const delay_t[:] delays, const channel_t[:] receptors,
                     const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                     double[::1] weight, double[::1] c, double[::1] n, double[::1] kplus,
                     double[::1] t_last, long[::1] idx, const double[::1] dopa_t,
                     const double[::1] dopa_m, double A_plus, double A_minus, double tau_plus,
                     double tau_c, double tau_n, double b, double Wmin, double Wmax,
                     ArchiveCore a, EventSink sink, long tics_per_step, double ms_per_tic,
                     double ms_per_step):
    """stdp_dopamine_synapse: presynaptic spikes (see ``_Dopamine``)."""
    _deliver(_dopamine(weight, c, n, kplus, t_last, idx, dopa_t, dopa_m, A_plus, A_minus,
                       tau_plus, tau_c, tau_n, b, Wmin, Wmax),
             ring, senders, stamps, mults, indptr, targets, delays, receptors, target_kind,
             neg_shift, a, sink, tics_per_step, ms_per_tic, ms_per_step)


def trigger_dopamine(const int[:] targets, const delay_t[:] delays, double[::1] weight,
                     double[::1] c, double[::1] n, double[::1] kplus, double[::1] t_last,
                     long[::1] idx, const double[::1] dopa_t, const double[::1] dopa_m,
                     double t_trig, double A_plus, double A_minus, double tau_plus, double tau_c,
                     double tau_n, double b, double Wmin, double Wmax, ArchiveCore a,
                     double ms_per_step):
    """Bring every connection of a dopamine table to ``t_trig`` (the volume transmitter's
    delivery): facilitation by postsynaptic spikes, dopamine spikes, trace decay."""
    cdef _Dopamine m = _dopamine(weight, c, n, kplus, t_last, idx, dopa_t, dopa_m, A_plus,
                                 A_minus, tau_plus, tau_c, tau_n, b, Wmin, Wmax)
    with nogil:
        m.trigger(a, targets, delays, t_trig, ms_per_step)


cdef inline bint _facets_eval(double a_c, double a_a, double th, double tl,
                              const long[::1] cb) noexcept nogil:
    """The evaluation bit of a configuration: the weighted mean of the low threshold and the
    selected capacitors exceeds that of the high threshold and the others."""
    return (tl + cb[2] * a_c + cb[1] * a_a) / (1 + cb[2] + cb[1]) > \
        (th + cb[0] * a_c + cb[3] * a_a) / (1 + cb[0] + cb[3])


@cython.final
cdef class _Facets:
    """stdp_facetshw_synapse_hom (the STDP of the FACETS wafer-scale hardware, Pfeil et al.).

    Each connection accumulates a causal and an acausal charge from pre/post spike pairs
    (the first and the last postsynaptic spike since its previous presynaptic spike). Its
    4-bit weight is updated only when a presynaptic spike comes after its next readout time:
    two evaluation bits compare the charges with the thresholds, select one of three
    look-up tables (none when both bits are 0) and which charges are reset; the readout time
    then advances by whole readout cycles. A connection gets its synapse_id and first readout
    time (its driver's slot) at its first spike; ``counters`` holds the model's common
    no_synapses and readout_cycle_duration, which grow with every new connection.
    """
    cdef double[::1] weight, a_causal, a_acausal, next_readout, t_last, counters
    cdef const double[:] a_th, a_tl
    cdef unsigned char[::1] init_flag
    cdef int[::1] syn_id
    cdef double tau_plus, tau_minus, w_per_entry, driver_time
    cdef long per_driver
    cdef const long[::1] lut0, lut1, lut2, cb0, cb1, reset

    cdef inline void reset_charges(self, Py_ssize_t k, long which) noexcept nogil:
        if self.reset[2 * which]:
            self.a_causal[k] = 0.0
        if self.reset[2 * which + 1]:
            self.a_acausal[k] = 0.0

    cdef inline double update(self, ArchiveCore a, Py_ssize_t k, int row, double d,
                              double t_spike) noexcept nogil:
        cdef long j0, j1, entry
        cdef bint e0, e1
        if not self.init_flag[k]:
            self.syn_id[k] = <int>self.counters[0]
            self.counters[0] += 1.0
            self.counters[1] = <double>(<long>((self.counters[0] - 1.0) / self.per_driver
                                               + 1.0)) * self.driver_time
            self.next_readout[k] = <double>(self.syn_id[k] // self.per_driver) * self.driver_time
            self.init_flag[k] = 1
        if t_spike > self.next_readout[k]:
            # a weight outside [0, Wmax] has no table entry (NEST reads past the table): it
            # is taken as the nearest end
            entry = lround(self.weight[k] / self.w_per_entry)
            entry = 0 if entry < 0 else (15 if entry > 15 else entry)
            e0 = _facets_eval(self.a_causal[k], self.a_acausal[k], self.a_th[k], self.a_tl[k],
                              self.cb0)
            e1 = _facets_eval(self.a_causal[k], self.a_acausal[k], self.a_th[k], self.a_tl[k],
                              self.cb1)
            if e0 and not e1:
                entry = self.lut0[entry]
                self.reset_charges(k, 0)
            elif e1 and not e0:
                entry = self.lut1[entry]
                self.reset_charges(k, 1)
            elif e0 and e1:
                entry = self.lut2[entry]
                self.reset_charges(k, 2)
            while t_spike > self.next_readout[k]:
                self.next_readout[k] += self.counters[1]
            self.weight[k] = entry * self.w_per_entry
        history_range(a, row, self.t_last[k] - d, t_spike - d, &j0, &j1)
        if j1 > j0:
            self.a_causal[k] += exp((self.t_last[k] - (entry_time(a, row, j0) + d))
                                    / self.tau_plus)
            self.a_acausal[k] += exp(((entry_time(a, row, j1 - 1) + d) - t_spike)
                                     / self.tau_minus)
        self.t_last[k] = t_spike
        return self.weight[k]


def deliver_facetshw(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                     const long[::1] mults, const long[::1] indptr, const int[:] targets,
                     const delay_t[:] delays, const channel_t[:] receptors,
                     const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                     double[::1] weight, double[::1] a_causal, double[::1] a_acausal,
                     const double[:] a_th, const double[:] a_tl, unsigned char[::1] init_flag,
                     int[::1] syn_id, double[::1] next_readout, double[::1] t_last,
                     double tau_plus, double tau_minus, double w_per_entry, long per_driver,
                     double driver_time, const long[::1] lut0, const long[::1] lut1,
                     const long[::1] lut2, const long[::1] cb0, const long[::1] cb1,
                     const long[::1] reset, double[::1] counters, ArchiveCore a,
                     EventSink sink, long tics_per_step, double ms_per_tic, double ms_per_step):
    """stdp_facetshw_synapse_hom: see ``_Facets``."""
    cdef _Facets m = _Facets()
    m.weight, m.a_causal, m.a_acausal, m.a_th, m.a_tl = weight, a_causal, a_acausal, a_th, a_tl
    m.init_flag, m.syn_id, m.next_readout, m.t_last = init_flag, syn_id, next_readout, t_last
    m.tau_plus, m.tau_minus, m.w_per_entry, m.per_driver, m.driver_time = \
        tau_plus, tau_minus, w_per_entry, per_driver, driver_time
    m.lut0, m.lut1, m.lut2, m.cb0, m.cb1, m.reset, m.counters = \
        lut0, lut1, lut2, cb0, cb1, reset, counters
    _deliver(m, ring, senders, stamps, mults, indptr, targets, delays, receptors, target_kind,
             neg_shift, a, sink, tics_per_step, ms_per_tic, ms_per_step)


@cython.final
cdef class _Triplet:
    """stdp_triplet_synapse (Pfister & Gerstner 2006, all-to-all interactions).

    Each postsynaptic spike since the previous presynaptic one facilitates |w| by
    K+ e^(-dt/tau_plus) (A+ + A3+ y), y being the postsynaptic triplet trace just before that
    spike (capped at |Wmax|); the presynaptic spike then depresses |w| by
    K- (A- + A3- x), x the presynaptic triplet trace just before it (floored at 0). The sign is
    Wmax's.
    """
    cdef double[::1] weight, kplus, kplus_trip, t_last
    cdef const double[:] tau_plus, tau_plus_trip, a_plus, a_minus, a_plus_trip, a_minus_trip
    cdef const double[:] wmax

    cdef inline double update(self, ArchiveCore a, Py_ssize_t k, int row, double d,
                              double t_spike) noexcept nogil:
        cdef long j, j0, j1
        cdef double w = self.weight[k], minus_dt, ky, wmax = self.wmax[k]
        history_range(a, row, self.t_last[k] - d, t_spike - d, &j0, &j1)
        for j in range(j0, j1):
            minus_dt = self.t_last[k] - (entry_time(a, row, j) + d)
            ky = entry_kminus_triplet(a, row, j) - 1.0
            w = fabs(w) + self.kplus[k] * exp(minus_dt / self.tau_plus[k]) * \
                (self.a_plus[k] + self.a_plus_trip[k] * ky)
            w = copysign(w if w < fabs(wmax) else wmax, wmax)
        self.kplus_trip[k] *= exp((self.t_last[k] - t_spike) / self.tau_plus_trip[k])
        w = fabs(w) - k_value(a, row, t_spike - d) * \
            (self.a_minus[k] + self.a_minus_trip[k] * self.kplus_trip[k])
        w = copysign(w if w > 0.0 else 0.0, wmax)
        self.weight[k] = w
        self.kplus_trip[k] += 1.0
        self.kplus[k] = self.kplus[k] * exp((self.t_last[k] - t_spike) / self.tau_plus[k]) + 1.0
        self.t_last[k] = t_spike
        return w


def deliver_triplet(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                    const long[::1] mults, const long[::1] indptr, const int[:] targets,
                    const delay_t[:] delays, const channel_t[:] receptors,
                    const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                    double[::1] weight, double[::1] kplus, double[::1] kplus_trip,
                    double[::1] t_last, const double[:] tau_plus, const double[:] tau_plus_trip,
                    const double[:] a_plus, const double[:] a_minus, const double[:] a_plus_trip,
                    const double[:] a_minus_trip, const double[:] wmax, ArchiveCore a,
                    EventSink sink, long tics_per_step, double ms_per_tic, double ms_per_step):
    """stdp_triplet_synapse: see ``_Triplet``."""
    cdef _Triplet m = _Triplet()
    m.weight, m.kplus, m.kplus_trip, m.t_last = weight, kplus, kplus_trip, t_last
    m.tau_plus, m.tau_plus_trip, m.a_plus, m.a_minus = tau_plus, tau_plus_trip, a_plus, a_minus
    m.a_plus_trip, m.a_minus_trip, m.wmax = a_plus_trip, a_minus_trip, wmax
    _deliver(m, ring, senders, stamps, mults, indptr, targets, delays, receptors, target_kind,
             neg_shift, a, sink, tics_per_step, ms_per_tic, ms_per_step)
