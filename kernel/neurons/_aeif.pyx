"""Update loop of the adaptive exponential integrate-and-fire family (aeif_*).

One core class runs all seven models; they differ in the right-hand side of their ODE (picked
once per block), in how input spikes change the state and in their state layout:

=============================  ====================================================  ==========
model                          state vector y                                        spike input
=============================  ====================================================  ==========
aeif_cond_alpha                V, dg_ex, g_ex, dg_in, g_in, w                        dg += w e/tau
aeif_cond_exp                  V, g_ex, g_in, w                                      g += w
aeif_psc_alpha                 V, dI_ex, I_ex, dI_in, I_in, w                        dI += w e/tau
aeif_psc_exp                   V, I_ex, I_in, w                                      I += w
aeif_psc_delta                 V, w                                                  V += w
aeif_cond_*_multisynapse       V, w, (dg_k, g_k) for each receptor k                 dg_k += w g0_k
=============================  ====================================================  ==========

Every simulation step follows NEST's order: count the refractory period down; integrate from t
to t + h with the adaptive RKF45 solver (kernel/neurons/_odeint.pyx), and after *every*
internal step check the state (NumericalInstability if V_m < -1e3 or |w| > 1e6), hold V_m at
V_reset while refractory, otherwise emit a spike when V_m >= V_peak (V_th if Delta_T == 0),
reset V_m, add b to w and start the refractory period, which lasts for the rest of the step
plus t_ref / h steps; then add the spikes that arrive at the end of the step to the synaptic
state, latch the step's input current for the next step, and let multimeters sample.
aeif_psc_delta adds its input to V_m after the first internal step of the step (dropped while
refractory), so an input that carries V_m past V_peak spikes in the step it arrives.
"""
from libc.math cimport exp, fmin
from libc.stdlib cimport free, malloc

from kernel._types cimport real_t, step_t
from kernel.neurons._odeint cimport ODE_WORK_PER_DIM, evolve_apply_control, rhs_fn
from kernel.parallel._region cimport (RingView, Samples, SolverCore, ring_channel,
                                      sample_state_columns)

import numpy as np

# model kinds (the order of aeif.py's KINDS)
cdef enum:
    COND_ALPHA = 0
    COND_EXP = 1
    PSC_ALPHA = 2
    PSC_EXP = 3
    PSC_DELTA = 4
    MULTI = 5

# error codes of the update (per node, see AeifCore), turned into exceptions by aeif.py
cdef enum:
    ERR_NONE = 0
    ERR_INSTABILITY = 1     # V_m < -1e3 or |w| > 1e6 after an internal step (NEST's test)
    ERR_SOLVER = 2          # non-finite state or step size underflow
    ERR_NEGATIVE = 3        # a negative weight arrived at a multisynapse receptor

# the same codes for aeif.py
ERROR_INSTABILITY = ERR_INSTABILITY
ERROR_SOLVER = ERR_SOLVER
ERROR_NEGATIVE_WEIGHT = ERR_NEGATIVE


cdef struct Params:
    double g_L, E_L, C_m, Delta_T, V_th, V_peak, V_reset, a, tau_w, I_e
    double E_ex, E_in, tau_ex, tau_in
    double I_stim           # input current of the running step (pA)
    int refractory
    int n_rec
    const double* E_rev
    const double* tau_rise
    const double* tau_decay


cdef inline double _spike_current(const Params* p, double V) noexcept nogil:
    # Delta_T == 0 is the integrate-and-fire limit: no exponential term at all
    if p.Delta_T == 0.0:
        return 0.0
    return p.Delta_T * p.g_L * exp((V - p.V_th) / p.Delta_T)


cdef inline double _membrane_v(const Params* p, const double* y) noexcept nogil:
    # while refractory the dynamics see V_reset; otherwise V is capped at V_peak so that the
    # exponential cannot overflow inside a trial step that overshoots
    return p.V_reset if p.refractory else fmin(y[0], p.V_peak)


cdef void rhs_cond_alpha(double t, const double* y, double* f, void* params) noexcept nogil:
    cdef const Params* p = <const Params*>params
    cdef double V = _membrane_v(p, y)
    cdef double w = y[5]
    cdef double I_ex = y[2] * (V - p.E_ex)
    cdef double I_in = y[4] * (V - p.E_in)
    f[0] = 0.0 if p.refractory else (
        -p.g_L * (V - p.E_L) + _spike_current(p, V) - I_ex - I_in - w + p.I_e + p.I_stim) / p.C_m
    f[1] = -y[1] / p.tau_ex
    f[2] = y[1] - y[2] / p.tau_ex
    f[3] = -y[3] / p.tau_in
    f[4] = y[3] - y[4] / p.tau_in
    f[5] = (p.a * (V - p.E_L) - w) / p.tau_w


cdef void rhs_cond_exp(double t, const double* y, double* f, void* params) noexcept nogil:
    cdef const Params* p = <const Params*>params
    cdef double V = _membrane_v(p, y)
    cdef double w = y[3]
    cdef double I_ex = y[1] * (V - p.E_ex)
    cdef double I_in = y[2] * (V - p.E_in)
    f[0] = 0.0 if p.refractory else (
        -p.g_L * (V - p.E_L) + _spike_current(p, V) - I_ex - I_in - w + p.I_e + p.I_stim) / p.C_m
    f[1] = -y[1] / p.tau_ex
    f[2] = -y[2] / p.tau_in
    f[3] = (p.a * (V - p.E_L) - w) / p.tau_w


cdef void rhs_psc_alpha(double t, const double* y, double* f, void* params) noexcept nogil:
    cdef const Params* p = <const Params*>params
    cdef double V = _membrane_v(p, y)
    cdef double w = y[5]
    f[0] = 0.0 if p.refractory else (
        -p.g_L * (V - p.E_L) + _spike_current(p, V) + y[2] - y[4] - w + p.I_e + p.I_stim) / p.C_m
    f[1] = -y[1] / p.tau_ex
    f[2] = y[1] - y[2] / p.tau_ex
    f[3] = -y[3] / p.tau_in
    f[4] = y[3] - y[4] / p.tau_in
    f[5] = (p.a * (V - p.E_L) - w) / p.tau_w


cdef void rhs_psc_exp(double t, const double* y, double* f, void* params) noexcept nogil:
    cdef const Params* p = <const Params*>params
    cdef double V = _membrane_v(p, y)
    cdef double w = y[3]
    f[0] = 0.0 if p.refractory else (
        -p.g_L * (V - p.E_L) + _spike_current(p, V) + y[1] - y[2] - w + p.I_e + p.I_stim) / p.C_m
    f[1] = -y[1] / p.tau_ex
    f[2] = -y[2] / p.tau_in
    f[3] = (p.a * (V - p.E_L) - w) / p.tau_w


cdef void rhs_psc_delta(double t, const double* y, double* f, void* params) noexcept nogil:
    cdef const Params* p = <const Params*>params
    cdef double V = _membrane_v(p, y)
    cdef double w = y[1]
    # NEST's aeif_psc_delta multiplies by reciprocals where the other models divide; the
    # same form gives bitwise agreement with its traces
    f[0] = 0.0 if p.refractory else (
        -p.g_L * (V - p.E_L) + _spike_current(p, V) - w + p.I_e + p.I_stim) * (1.0 / p.C_m)
    f[1] = (p.a * (V - p.E_L) - w) * (1.0 / p.tau_w)


cdef void rhs_multi(double t, const double* y, double* f, void* params) noexcept nogil:
    # alpha receptors are beta receptors with tau_rise == tau_decay == tau_syn
    cdef const Params* p = <const Params*>params
    cdef double V = _membrane_v(p, y)
    cdef double w = y[1]
    cdef double I_syn = 0.0
    cdef int k
    for k in range(p.n_rec):
        I_syn += y[3 + 2 * k] * (p.E_rev[k] - V)
        f[2 + 2 * k] = -y[2 + 2 * k] / p.tau_rise[k]
        f[3 + 2 * k] = y[2 + 2 * k] - y[3 + 2 * k] / p.tau_decay[k]
    f[0] = 0.0 if p.refractory else (
        -p.g_L * (V - p.E_L) + _spike_current(p, V) + I_syn - w + p.I_e + p.I_stim) / p.C_m
    f[1] = (p.a * (V - p.E_L) - w) / p.tau_w


cdef class AeifCore(SolverCore):
    """State, per-node parameters and the update loop of one aeif block.

    The Python block (aeif.py) owns the parameter arrays and hands them over in
    :meth:`set_params` (at every calibration); the core keeps C structs built from them.
    Its nodes are updated in parts (ThreadedCore), a spike entry may stand for several
    spikes of a node in one step. A node that meets a numerical error stops its part
    (SolverCore; the codes are ERR_*).
    """
    cdef Params* P
    cdef Py_ssize_t n, n_alloc
    cdef int kind, idx_w, dim_max
    cdef rhs_fn rhs
    # state: one row per node; columns as in the module docstring (padded for multisynapse)
    cdef public real_t[:, ::1] y
    cdef public real_t[::1] h_int, I_stim
    cdef public long[::1] r
    # parameters the loop itself needs
    cdef real_t[::1] V_peak_eff, V_reset, b, tol, g0_ex, g0_in
    cdef long[::1] refractory_counts
    cdef int[::1] dims, n_rec
    cdef real_t[:, ::1] E_rev, tau_rise, tau_decay, g0
    # the resolution (ms) and the state columns multimeters sample, set by the block
    cdef public double h
    cdef public int[::1] rec_cols

    def __cinit__(self):
        self.P = NULL
        self.n_alloc = 0

    def __dealloc__(self):
        free(self.P)

    def __init__(self, int kind, int n, int dim_max, int idx_w):
        self.kind = kind
        self.n = n
        self.idx_w = idx_w
        self.resize_state(dim_max)
        self.h_int = np.zeros(n)
        self.I_stim = np.zeros(n)
        self.r = np.zeros(n, dtype=np.int_)
        self.rec_cols = np.zeros(0, dtype=np.int32)
        self.reset_failures()
        self.rhs = (rhs_cond_alpha if kind == COND_ALPHA else rhs_cond_exp if kind == COND_EXP
                    else rhs_psc_alpha if kind == PSC_ALPHA else rhs_psc_exp if kind == PSC_EXP
                    else rhs_psc_delta if kind == PSC_DELTA else rhs_multi)

    def resize_state(self, int dim_max):
        """Give every node room for ``dim_max`` state variables, keeping what fits."""
        new = np.zeros((self.n, dim_max))
        if self.dim_max:
            keep = min(dim_max, self.dim_max)
            new[:, :keep] = np.asarray(self.y)[:, :keep]
        self.y = new
        self.dim_max = dim_max

    cdef Py_ssize_t size(self):
        return self.n

    cdef bint multiple_spikes(self):
        return True

    def set_params(self, dict v, real_t[::1] V_peak_eff, long[::1] refractory_counts,
                   int[::1] dims, g0_ex=None, g0_in=None, n_rec=None, E_rev=None,
                   tau_rise=None, tau_decay=None, g0=None):
        """Build the per-node C parameter structs from the block's arrays (one per name)."""
        cdef Py_ssize_t i, n = self.n
        if self.n_alloc < n:
            free(self.P)
            self.P = <Params*>malloc(max(n, 1) * sizeof(Params))
            if self.P == NULL:
                raise MemoryError()
            self.n_alloc = n
        self.V_peak_eff = V_peak_eff
        self.V_reset = v["V_reset"]
        self.b = v["b"]
        self.tol = v["gsl_error_tol"]
        self.refractory_counts = refractory_counts
        self.dims = dims
        multi = self.kind == MULTI
        if multi:
            self.n_rec, self.E_rev, self.tau_rise, self.tau_decay, self.g0 = \
                n_rec, E_rev, tau_rise, tau_decay, g0
        elif self.kind != PSC_DELTA:
            self.g0_ex, self.g0_in = g0_ex, g0_in
        cdef real_t[::1] g_L = v["g_L"], E_L = v["E_L"], C_m = v["C_m"], Delta_T = v["Delta_T"]
        cdef real_t[::1] V_th = v["V_th"], V_peak = v["V_peak"], a = v["a"], tau_w = v["tau_w"]
        cdef real_t[::1] I_e = v["I_e"]
        cdef real_t[::1] E_ex = v.get("E_ex", np.zeros(n)), E_in = v.get("E_in", np.zeros(n))
        cdef real_t[::1] tau_ex = v.get("tau_syn_ex", np.ones(n))
        cdef real_t[::1] tau_in = v.get("tau_syn_in", np.ones(n))
        for i in range(n):
            self.P[i].g_L = g_L[i]
            self.P[i].E_L = E_L[i]
            self.P[i].C_m = C_m[i]
            self.P[i].Delta_T = Delta_T[i]
            self.P[i].V_th = V_th[i]
            self.P[i].V_peak = V_peak[i]
            self.P[i].V_reset = self.V_reset[i]
            self.P[i].a = a[i]
            self.P[i].tau_w = tau_w[i]
            self.P[i].I_e = I_e[i]
            self.P[i].E_ex = E_ex[i]
            self.P[i].E_in = E_in[i]
            self.P[i].tau_ex = tau_ex[i]
            self.P[i].tau_in = tau_in[i]
            self.P[i].I_stim = 0.0
            self.P[i].refractory = 0
            self.P[i].n_rec = self.n_rec[i] if multi else 0
            self.P[i].E_rev = &self.E_rev[i, 0] if multi and self.E_rev.shape[1] else NULL
            self.P[i].tau_rise = &self.tau_rise[i, 0] if multi and self.E_rev.shape[1] else NULL
            self.P[i].tau_decay = &self.tau_decay[i, 0] if multi and self.E_rev.shape[1] else NULL

    cdef Py_ssize_t _part(self, const RingView* ring, Py_ssize_t first, step_t t0, int nsteps,
                          Py_ssize_t i0, Py_ssize_t i1, int* spk_node, int* spk_lag,
                          long* spk_mult, const Samples* samples) noexcept nogil:
        # nodes i0 <= i < i1 for all steps (NeuronPart); one entry per (node, step) with
        # spikes, their number in spk_mult
        cdef Py_ssize_t i, lag, slot, nspk = 0
        cdef int kind = self.kind, iw = self.idx_w, code, dim, nrec, q
        cdef double t, h = self.h, pending = 0.0
        cdef long spikes
        cdef Params* p
        cdef double* y
        cdef real_t* row
        cdef real_t* exc_in
        cdef real_t* inh_in
        cdef real_t* current_in
        # current input channel: 0 for multisynapse (spikes use receptors 1..n), 1 for delta
        cdef int ch_cur = 0 if kind == MULTI else (1 if kind == PSC_DELTA else 2)
        if self.part_failed(i0, i1):
            return 0
        if i1 <= i0:
            return 0
        cdef double* work = <double*>malloc(ODE_WORK_PER_DIM * max(self.dim_max, 1) *
                                            sizeof(double))
        if work == NULL:
            self.fail_steps[i0], self.fail_codes[i0] = t0, ERR_SOLVER
            return 0
        for lag in range(nsteps):
            slot = (t0 + lag) % ring.length
            exc_in = ring_channel(ring, slot, 0, first)
            inh_in = ring_channel(ring, slot, 1, first) if ring.channels > 1 else NULL
            current_in = ring_channel(ring, slot, ch_cur, first)
            for i in range(i0, i1):
                p = &self.P[i]
                y = &self.y[i, 0]
                dim = self.dims[i]
                if self.r[i] > 0:
                    self.r[i] -= 1
                p.refractory = self.r[i] > 0
                p.I_stim = self.I_stim[i]
                if kind == PSC_DELTA:
                    # read once: consumed by the first internal step, dropped if refractory
                    pending = exc_in[i]
                    exc_in[i] = 0.0
                spikes = 0
                t = 0.0
                while t < h:
                    # NEST's control for aeif: GSL yp_new(tol, tol)
                    code = evolve_apply_control(self.rhs, p, y, dim, &t, h, &self.h_int[i],
                                                self.tol[i], self.tol[i], 0.0, 1.0, work)
                    if code != 0:
                        self.fail_steps[i], self.fail_codes[i] = t0 + lag, ERR_SOLVER
                        free(work)
                        return nspk
                    if y[0] < -1e3 or y[iw] < -1e6 or y[iw] > 1e6:
                        self.fail_steps[i], self.fail_codes[i] = t0 + lag, ERR_INSTABILITY
                        free(work)
                        return nspk
                    if self.r[i] > 0:
                        y[0] = self.V_reset[i]
                        continue
                    if kind == PSC_DELTA and pending != 0.0:
                        y[0] += pending
                        pending = 0.0
                    if y[0] >= self.V_peak_eff[i]:
                        y[0] = self.V_reset[i]
                        y[iw] += self.b[i]
                        # +1 because the count-down happens at the start of each step
                        self.r[i] = self.refractory_counts[i] + 1 \
                            if self.refractory_counts[i] > 0 else 0
                        p.refractory = self.r[i] > 0
                        spikes += 1
                if spikes:
                    spk_node[nspk] = <int>i
                    spk_lag[nspk] = <int>lag
                    spk_mult[nspk] = spikes
                    nspk += 1
                # spikes arriving at the end of the step act on the synaptic state
                if kind == COND_ALPHA or kind == PSC_ALPHA:
                    y[1] += exc_in[i] * self.g0_ex[i]
                    y[3] += -inh_in[i] * self.g0_in[i]
                elif kind == COND_EXP or kind == PSC_EXP:
                    y[1] += exc_in[i]
                    y[2] += -inh_in[i]
                elif kind == MULTI:
                    nrec = self.n_rec[i]
                    for q in range(self.g0.shape[1]):
                        row = ring_channel(ring, slot, q + 1, first)
                        if row[i] < 0.0:
                            # NEST: conductance weights must be positive (BadProperty)
                            self.fail_steps[i], self.fail_codes[i] = t0 + lag, ERR_NEGATIVE
                            free(work)
                            return nspk
                        if q < nrec:
                            y[2 + 2 * q] += row[i] * self.g0[i, q]
                        row[i] = 0.0
                if kind != PSC_DELTA and kind != MULTI:
                    exc_in[i] = 0.0
                    inh_in[i] = 0.0
                self.I_stim[i] = current_in[i]
                current_in[i] = 0.0
            if samples.n_rec and samples.flags[lag]:
                sample_state_columns(samples, lag, self.y, self.rec_cols, i0, i1)
        free(work)
        return nspk

