"""Delivery loops of the spike-timing-dependent synapses (NEST's event-driven formulation).

Each loop delivers a slice's spikes (sorted by sender, then time) through one synapse table:
for every unit of multiplicity and every connection of the sender it updates the
connection's state from the postsynaptic archive (facilitation by the postsynaptic spikes
since the connection's previous presynaptic spike, depression by K-minus just before this
one), deposits the new weight into the target's input ring and reports the event to the
weight recorder sink. The whole delay counts as dendritic delay: a presynaptic spike
stamped t is paired with postsynaptic spikes up to t - d.

Times are in ms as NEST computes them: a stamp of s steps is (s * tics_per_step) * ms_per_tic,
a delay of d steps is d * resolution.

Parameter columns arrive as 1-D views; a homogeneous column (or a common property) is a
0-stride view, so one loop serves the per-connection and the ``_hom`` models.
"""
from libc.math cimport exp, expm1, fabs, copysign, lround, pow

from kernel._types cimport channel_t, delay_t, real_t
from kernel.delivery._deliver cimport deposit_spike
from kernel.synapses._core cimport (ArchiveCore, EventSink, entry_kminus_triplet, entry_time,
                                    history_range, k_value, sink_put)


def deliver_stdp(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                 const long[::1] mults, const long[::1] indptr, const int[:] targets,
                 const delay_t[:] delays, const channel_t[:] receptors,
                 const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                 double[::1] weight, double[::1] kplus, double[::1] t_last,
                 const double[:] tau_plus, const double[:] lam, const double[:] alpha,
                 const double[:] mu_plus, const double[:] mu_minus, const double[:] wmax,
                 ArchiveCore a, EventSink sink, long tics_per_step, double ms_per_tic,
                 double ms_per_step):
    """stdp_synapse and stdp_synapse_hom (Guetig et al. 2003 weight dependence)."""
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep, j, j0, j1
    cdef int src, tgt, row
    cdef double t_spike, d, w, norm, minus_dt
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    tgt = targets[k]
                    row = a.row_of[tgt]
                    d = delays[k] * ms_per_step
                    w = weight[k]
                    history_range(a, row, t_last[k] - d, t_spike - d, &j0, &j1)
                    for j in range(j0, j1):
                        minus_dt = t_last[k] - (entry_time(a, row, j) + d)
                        norm = (w / wmax[k]) + (lam[k] * pow(1.0 - (w / wmax[k]), mu_plus[k]) *
                                                kplus[k] * exp(minus_dt / tau_plus[k]))
                        w = norm * wmax[k] if norm < 1.0 else wmax[k]
                    norm = (w / wmax[k]) - (alpha[k] * lam[k] * pow(w / wmax[k], mu_minus[k]) *
                                            k_value(a, row, t_spike - d))
                    w = norm * wmax[k] if norm > 0.0 else 0.0
                    weight[k] = w
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], tgt, w, 1.0,
                                  target_kind, neg_shift)
                    sink_put(sink, src, tgt, stamps[e], receptors[k], k, w)
                    kplus[k] = kplus[k] * exp((t_last[k] - t_spike) / tau_plus[k]) + 1.0
                    t_last[k] = t_spike


def deliver_stdp_pl(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                    const long[::1] mults, const long[::1] indptr, const int[:] targets,
                    const delay_t[:] delays, const channel_t[:] receptors,
                    const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                    double[::1] weight, double[::1] kplus, double[::1] t_last,
                    double tau_plus, double lam, double alpha, double mu,
                    ArchiveCore a, EventSink sink, long tics_per_step, double ms_per_tic,
                    double ms_per_step):
    """stdp_pl_synapse_hom (Morrison et al. 2007 power-law facilitation)."""
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep, j, j0, j1
    cdef int src, tgt, row
    cdef double t_spike, d, w, minus_dt, tau_inv = 1.0 / tau_plus
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    tgt = targets[k]
                    row = a.row_of[tgt]
                    d = delays[k] * ms_per_step
                    w = weight[k]
                    history_range(a, row, t_last[k] - d, t_spike - d, &j0, &j1)
                    for j in range(j0, j1):
                        minus_dt = t_last[k] - (entry_time(a, row, j) + d)
                        w = w + (lam * pow(w, mu) * kplus[k] * exp(minus_dt * tau_inv))
                    w = w - lam * alpha * w * k_value(a, row, t_spike - d)
                    if not w > 0.0:
                        w = 0.0
                    weight[k] = w
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], tgt, w, 1.0,
                                  target_kind, neg_shift)
                    sink_put(sink, src, tgt, stamps[e], receptors[k], k, w)
                    kplus[k] = kplus[k] * exp((t_last[k] - t_spike) * tau_inv) + 1.0
                    t_last[k] = t_spike


def deliver_vogels(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                   const long[::1] mults, const long[::1] indptr, const int[:] targets,
                   const delay_t[:] delays, const channel_t[:] receptors,
                   const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                   double[::1] weight, double[::1] kplus, double[::1] t_last,
                   const double[:] tau, const double[:] eta, const double[:] alpha,
                   const double[:] wmax, ArchiveCore a, EventSink sink, long tics_per_step,
                   double ms_per_tic, double ms_per_step):
    """vogels_sprekeler_synapse (Vogels et al. 2011 inhibitory plasticity)."""
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep, j, j0, j1
    cdef int src, tgt, row
    cdef double t_spike, d, w, minus_dt
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    tgt = targets[k]
                    row = a.row_of[tgt]
                    d = delays[k] * ms_per_step
                    w = weight[k]
                    history_range(a, row, t_last[k] - d, t_spike - d, &j0, &j1)
                    for j in range(j0, j1):
                        minus_dt = t_last[k] - (entry_time(a, row, j) + d)
                        w = _vs_facilitate(w, kplus[k] * exp(minus_dt / tau[k]), eta[k], wmax[k])
                    w = _vs_facilitate(w, k_value(a, row, t_spike - d), eta[k], wmax[k])
                    w = fabs(w) - alpha[k] * eta[k]
                    w = copysign(w if w > 0.0 else 0.0, wmax[k])
                    weight[k] = w
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], tgt, w, 1.0,
                                  target_kind, neg_shift)
                    sink_put(sink, src, tgt, stamps[e], receptors[k], k, w)
                    kplus[k] = kplus[k] * exp((t_last[k] - t_spike) / tau[k]) + 1.0
                    t_last[k] = t_spike


cdef inline double _vs_facilitate(double w, double trace, double eta, double wmax) noexcept nogil:
    cdef double new_w = fabs(w) + eta * trace
    return copysign(new_w if new_w < fabs(wmax) else wmax, wmax)


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


cdef inline void _load(DopaState* s, Py_ssize_t k, double[::1] weight, double[::1] c,
                       double[::1] n, double[::1] kplus, double[::1] t_last,
                       long[::1] idx) noexcept nogil:
    s.w = weight[k]
    s.c = c[k]
    s.n = n[k]
    s.kplus = kplus[k]
    s.t_last = t_last[k]
    s.idx = idx[k]


cdef inline void _store(DopaState* s, Py_ssize_t k, double[::1] weight, double[::1] c,
                        double[::1] n, double[::1] kplus, double[::1] t_last,
                        long[::1] idx) noexcept nogil:
    weight[k] = s.w
    c[k] = s.c
    n[k] = s.n
    kplus[k] = s.kplus
    t_last[k] = s.t_last
    idx[k] = s.idx


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
    """stdp_dopamine_synapse (Izhikevich 2007; Potjans et al. 2010): presynaptic spikes.

    ``dopa_t``/``dopa_m`` are the volume transmitter's dopamine spikes since its last
    trigger, starting with the pseudo spike at the trigger time; ``t_last`` is the time of
    the connection's last update and ``idx`` its position in the dopamine list.
    """
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep, j, j0, j1
    cdef int src, tgt, row
    cdef double t_spike, d, t0, t_post
    cdef DopaParams p
    cdef DopaState s
    p.A_plus, p.A_minus, p.tau_plus, p.tau_c, p.tau_n = A_plus, A_minus, tau_plus, tau_c, tau_n
    p.b, p.Wmin, p.Wmax = b, Wmin, Wmax
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    tgt = targets[k]
                    row = a.row_of[tgt]
                    d = delays[k] * ms_per_step
                    _load(&s, k, weight, c, n, kplus, t_last, idx)
                    history_range(a, row, s.t_last - d, t_spike - d, &j0, &j1)
                    t0 = s.t_last
                    for j in range(j0, j1):
                        t_post = entry_time(a, row, j)
                        _dopa_process(&s, dopa_t, dopa_m, t0, t_post + d, &p, a.eps)
                        t0 = t_post + d
                        if t_spike - t_post > a.eps:
                            s.c = s.c + p.A_plus * s.kplus * exp((s.t_last - t0) / p.tau_plus)
                    _dopa_process(&s, dopa_t, dopa_m, t0, t_spike, &p, a.eps)
                    s.c = s.c - p.A_minus * k_value(a, row, t_spike - d)
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], tgt, s.w, 1.0,
                                  target_kind, neg_shift)
                    sink_put(sink, src, tgt, stamps[e], receptors[k], k, s.w)
                    s.kplus = s.kplus * exp((s.t_last - t_spike) / p.tau_plus) + 1.0
                    s.t_last = t_spike
                    _store(&s, k, weight, c, n, kplus, t_last, idx)


def trigger_dopamine(const int[:] targets, const delay_t[:] delays, double[::1] weight,
                     double[::1] c, double[::1] n, double[::1] kplus, double[::1] t_last,
                     long[::1] idx, const double[::1] dopa_t, const double[::1] dopa_m,
                     double t_trig, double A_plus, double A_minus, double tau_plus, double tau_c,
                     double tau_n, double b, double Wmin, double Wmax, ArchiveCore a,
                     double ms_per_step):
    """Bring every connection of a dopamine table to ``t_trig`` (the volume transmitter's
    delivery): facilitation by postsynaptic spikes, dopamine spikes, trace decay."""
    cdef Py_ssize_t k, n_conn = targets.shape[0]
    cdef long j, j0, j1
    cdef int row
    cdef double d, t0, minus_dt
    cdef DopaParams p
    cdef DopaState s
    p.A_plus, p.A_minus, p.tau_plus, p.tau_c, p.tau_n = A_plus, A_minus, tau_plus, tau_c, tau_n
    p.b, p.Wmin, p.Wmax = b, Wmin, Wmax
    with nogil:
        for k in range(n_conn):
            row = a.row_of[targets[k]]
            d = delays[k] * ms_per_step
            _load(&s, k, weight, c, n, kplus, t_last, idx)
            history_range(a, row, s.t_last - d, t_trig - d, &j0, &j1)
            t0 = s.t_last
            for j in range(j0, j1):
                _dopa_process(&s, dopa_t, dopa_m, t0, entry_time(a, row, j) + d, &p, a.eps)
                t0 = entry_time(a, row, j) + d
                minus_dt = s.t_last - t0
                s.c = s.c + p.A_plus * s.kplus * exp(minus_dt / p.tau_plus)
            _dopa_process(&s, dopa_t, dopa_m, t0, t_trig, &p, a.eps)
            s.n = s.n * exp((dopa_t[s.idx] - t_trig) / p.tau_n)
            s.kplus = s.kplus * exp((s.t_last - t_trig) / p.tau_plus)
            s.t_last = t_trig
            s.idx = 0
            _store(&s, k, weight, c, n, kplus, t_last, idx)


cdef inline bint _facets_eval(double a_c, double a_a, double th, double tl,
                              const long[::1] cb) noexcept nogil:
    """The evaluation bit of a configuration: the weighted mean of the low threshold and the
    selected capacitors exceeds that of the high threshold and the others."""
    return (tl + cb[2] * a_c + cb[1] * a_a) / (1 + cb[2] + cb[1]) > \
        (th + cb[0] * a_c + cb[3] * a_a) / (1 + cb[0] + cb[3])


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
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep, j0, j1, entry
    cdef int src, tgt, row
    cdef double t_spike, d, t_first, t_last_post
    cdef bint e0, e1
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    tgt = targets[k]
                    row = a.row_of[tgt]
                    if not init_flag[k]:
                        syn_id[k] = <int>counters[0]
                        counters[0] += 1.0
                        counters[1] = <double>(<long>((counters[0] - 1.0) / per_driver + 1.0)) \
                            * driver_time
                        next_readout[k] = <double>(syn_id[k] // per_driver) * driver_time
                        init_flag[k] = 1
                    if t_spike > next_readout[k]:
                        # a weight outside [0, Wmax] has no table entry (NEST reads past the
                        # table): it is taken as the nearest end
                        entry = lround(weight[k] / w_per_entry)
                        entry = 0 if entry < 0 else (15 if entry > 15 else entry)
                        e0 = _facets_eval(a_causal[k], a_acausal[k], a_th[k], a_tl[k], cb0)
                        e1 = _facets_eval(a_causal[k], a_acausal[k], a_th[k], a_tl[k], cb1)
                        if e0 and not e1:
                            entry = lut0[entry]
                            if reset[0]:
                                a_causal[k] = 0.0
                            if reset[1]:
                                a_acausal[k] = 0.0
                        elif e1 and not e0:
                            entry = lut1[entry]
                            if reset[2]:
                                a_causal[k] = 0.0
                            if reset[3]:
                                a_acausal[k] = 0.0
                        elif e0 and e1:
                            entry = lut2[entry]
                            if reset[4]:
                                a_causal[k] = 0.0
                            if reset[5]:
                                a_acausal[k] = 0.0
                        while t_spike > next_readout[k]:
                            next_readout[k] += counters[1]
                        weight[k] = entry * w_per_entry
                    d = delays[k] * ms_per_step
                    history_range(a, row, t_last[k] - d, t_spike - d, &j0, &j1)
                    if j1 > j0:
                        t_first = entry_time(a, row, j0)
                        t_last_post = entry_time(a, row, j1 - 1)
                        a_causal[k] += exp((t_last[k] - (t_first + d)) / tau_plus)
                        a_acausal[k] += exp(((t_last_post + d) - t_spike) / tau_minus)
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], tgt, weight[k],
                                  1.0, target_kind, neg_shift)
                    sink_put(sink, src, tgt, stamps[e], receptors[k], k, weight[k])
                    t_last[k] = t_spike


def deliver_triplet(real_t[:, :, ::1] ring, const int[::1] senders, const long[::1] stamps,
                    const long[::1] mults, const long[::1] indptr, const int[:] targets,
                    const delay_t[:] delays, const channel_t[:] receptors,
                    const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                    double[::1] weight, double[::1] kplus, double[::1] kplus_trip,
                    double[::1] t_last, const double[:] tau_plus, const double[:] tau_plus_trip,
                    const double[:] a_plus, const double[:] a_minus, const double[:] a_plus_trip,
                    const double[:] a_minus_trip, const double[:] wmax, ArchiveCore a,
                    EventSink sink, long tics_per_step, double ms_per_tic, double ms_per_step):
    """stdp_triplet_synapse (Pfister & Gerstner 2006, all-to-all interactions).

    Each postsynaptic spike since the previous presynaptic one facilitates |w| by
    K+ e^(-dt/tau_plus) (A+ + A3+ y), y being the postsynaptic triplet trace just before that
    spike (capped at |Wmax|); the presynaptic spike then depresses |w| by
    K- (A- + A3- x), x the presynaptic triplet trace just before it (floored at 0). The sign is
    Wmax's.
    """
    cdef Py_ssize_t e, k, n_events = senders.shape[0], n_src = indptr.shape[0] - 1
    cdef long rep, j, j0, j1
    cdef int src, tgt, row
    cdef double t_spike, d, w, minus_dt, ky
    with nogil:
        for e in range(n_events):
            src = senders[e]
            if src >= n_src:
                continue
            t_spike = <double>(stamps[e] * tics_per_step) * ms_per_tic
            for rep in range(mults[e]):
                for k in range(indptr[src], indptr[src + 1]):
                    tgt = targets[k]
                    row = a.row_of[tgt]
                    d = delays[k] * ms_per_step
                    w = weight[k]
                    history_range(a, row, t_last[k] - d, t_spike - d, &j0, &j1)
                    for j in range(j0, j1):
                        minus_dt = t_last[k] - (entry_time(a, row, j) + d)
                        ky = entry_kminus_triplet(a, row, j) - 1.0
                        w = fabs(w) + kplus[k] * exp(minus_dt / tau_plus[k]) * \
                            (a_plus[k] + a_plus_trip[k] * ky)
                        w = copysign(w if w < fabs(wmax[k]) else wmax[k], wmax[k])
                    kplus_trip[k] *= exp((t_last[k] - t_spike) / tau_plus_trip[k])
                    w = fabs(w) - k_value(a, row, t_spike - d) * \
                        (a_minus[k] + a_minus_trip[k] * kplus_trip[k])
                    w = copysign(w if w > 0.0 else 0.0, wmax[k])
                    weight[k] = w
                    kplus_trip[k] += 1.0
                    kplus[k] = kplus[k] * exp((t_last[k] - t_spike) / tau_plus[k]) + 1.0
                    deposit_spike(ring, stamps[e] + delays[k] - 1, receptors[k], tgt, w, 1.0,
                                  target_kind, neg_shift)
                    sink_put(sink, src, tgt, stamps[e], receptors[k], k, w)
                    t_last[k] = t_spike
