"""Update loops of the conductance-based integrate-and-fire neurons (adaptive RKF45).

iaf_cond_alpha, iaf_cond_beta, iaf_cond_exp, iaf_cond_exp_sfa_rr and iaf_cond_alpha_mc, in
NEST's order within a step: integrate the ODEs over the step (``_library_ode.integrate_capped``, one
internal step size per node carried over from step to step), then refractoriness or the
threshold test (reset to V_reset, spike), then the spikes that arrive in this step are added
to the synaptic state, and the current input for the next step is read. During the refractory
period the membrane potential is clamped to V_reset after each step.

State vectors (one row of ``y`` per node):

* alpha / beta: V_m, dg_ex, g_ex, dg_in, g_in
* exp: V_m, g_ex, g_in;  exp_sfa_rr: V_m, g_ex, g_in, g_sfa, g_rr
* alpha_mc: (V_m, dg_ex, g_ex, dg_in, g_in) for soma, proximal and distal

Input channels: 0 excitatory spikes, 1 inhibitory spikes (negative weights, receptor 0),
2 current; alpha_mc: channel = receptor (1-6 spikes, 7-9 currents).
"""
from kernel._types cimport real_t, step_t
from kernel.neurons._library_ode cimport integrate_capped
from kernel.parallel._region cimport (RingView, Samples, SolverCore, ring_channel,
                                      sample_row)

import numpy as np


# state variables of each kind's solver calls (fixed, so that their loops are unrolled):
# iaf_cond_alpha/beta V_m, dg_ex, g_ex, dg_in, g_in; iaf_cond_exp V_m, g_ex, g_in;
# iaf_cond_exp_sfa_rr those and g_sfa, g_rr
cdef enum:
    BETA_DIM = 5
    EXP_DIM = 3
    SFA_RR_DIM = 5


cdef struct CondParams:
    double C_m, g_L, E_L, E_ex, E_in, I_e, I_stim, V_reset, V_th
    double tau_rise_ex, tau_decay_ex, tau_rise_in, tau_decay_in
    double E_sfa, E_rr, tau_sfa, tau_rr
    int refractory


cdef inline void rhs_beta(double t, const double* y, double* f, void* params) noexcept nogil:
    """iaf_cond_alpha / iaf_cond_beta: V clamped to V_reset while refractory, else bounded by
    V_th; the conductance g is driven by dg (the alpha case has tau_rise == tau_decay)."""
    cdef CondParams* p = <CondParams*>params
    cdef double V
    if p.refractory:
        V = p.V_reset
    else:
        V = y[0] if y[0] < p.V_th else p.V_th
    cdef double I_syn_exc = y[2] * (V - p.E_ex)
    cdef double I_syn_inh = y[4] * (V - p.E_in)
    cdef double I_leak = p.g_L * (V - p.E_L)
    f[0] = 0.0 if p.refractory else \
        (-I_leak - I_syn_exc - I_syn_inh + p.I_stim + p.I_e) / p.C_m
    f[1] = -y[1] / p.tau_decay_ex
    f[2] = y[1] - y[2] / p.tau_rise_ex
    f[3] = -y[3] / p.tau_decay_in
    f[4] = y[3] - y[4] / p.tau_rise_in


cdef inline void rhs_exp(double t, const double* y, double* f, void* params) noexcept nogil:
    """iaf_cond_exp."""
    cdef CondParams* p = <CondParams*>params
    cdef double V = y[0]
    cdef double I_syn_exc = y[1] * (V - p.E_ex)
    cdef double I_syn_inh = y[2] * (V - p.E_in)
    cdef double I_leak = p.g_L * (V - p.E_L)
    f[0] = (-I_leak + p.I_stim + p.I_e - I_syn_exc - I_syn_inh) / p.C_m
    f[1] = -y[1] / p.tau_decay_ex
    f[2] = -y[2] / p.tau_decay_in


cdef inline void rhs_sfa_rr(double t, const double* y, double* f, void* params) noexcept nogil:
    """iaf_cond_exp_sfa_rr: iaf_cond_exp plus spike-frequency adaptation and relative
    refractoriness conductances."""
    cdef CondParams* p = <CondParams*>params
    cdef double V
    if p.refractory:
        V = p.V_reset
    else:
        V = y[0] if y[0] < p.V_th else p.V_th
    cdef double I_syn_exc = y[1] * (V - p.E_ex)
    cdef double I_syn_inh = y[2] * (V - p.E_in)
    cdef double I_L = p.g_L * (V - p.E_L)
    cdef double I_sfa = y[3] * (V - p.E_sfa)
    cdef double I_rr = y[4] * (V - p.E_rr)
    f[0] = 0.0 if p.refractory else \
        (-I_L + p.I_stim + p.I_e - I_syn_exc - I_syn_inh - I_sfa - I_rr) / p.C_m
    f[1] = -y[1] / p.tau_decay_ex
    f[2] = -y[2] / p.tau_decay_in
    f[3] = -y[3] / p.tau_sfa
    f[4] = -y[4] / p.tau_rr


cdef inline bint reset_or_fire(long* r, double* v, double V_reset, double V_th,
                               long refractory_count) noexcept nogil:
    # the end of a step after the solver (NEST's iaf_cond models): a refractory node counts
    # down, clamped at V_reset; else one at or above V_th fires (True), resets and turns
    # refractory
    if r[0] > 0:
        r[0] -= 1
        v[0] = V_reset
        return False
    if v[0] >= V_th:
        r[0] = refractory_count
        v[0] = V_reset
        return True
    return False


cdef enum:
    COND_MAX_DIM = 5        # state components of the single-compartment models


cdef class CondCore(SolverCore):
    """Parameters, state and loop of a block of single-compartment iaf_cond_* neurons.

    ``kind``: 0 alpha/beta, 1 exp, 2 exp_sfa_rr (selects the right-hand side and the layout).
    Recordables: alpha/beta V_m, g_ex, g_in, t_ref_remaining; exp V_m, g_ex, g_in;
    exp_sfa_rr V_m, g_ex, g_in, g_rr, g_sfa.

    A node whose solver fails stops its part of the block (SolverCore; the codes are
    _odeint's).
    """
    cdef public real_t[:, ::1] y
    cdef public real_t[::1] h_int, C_m, g_L, E_L, E_ex, E_in, I_e, I_stim, V_reset, V_th
    cdef public real_t[::1] tau_rise_ex, tau_decay_ex, tau_rise_in, tau_decay_in
    cdef public real_t[::1] E_sfa, E_rr, tau_sfa, tau_rr, q_sfa, q_rr
    cdef public real_t[::1] init_ex, init_in
    cdef public long[::1] r, refractory_counts
    cdef public int kind
    cdef public double h, eps_abs, eps_rel

    cdef Py_ssize_t size(self):
        return self.y.shape[0]

    def solver_dim(self):
        """The number of state variables the solver integrates for this kind."""
        return (BETA_DIM, EXP_DIM, SFA_RR_DIM)[self.kind]

    cdef Py_ssize_t _part(self, const RingView* ring, Py_ssize_t first, step_t t0, int nsteps,
                          Py_ssize_t i0, Py_ssize_t i1, int* spk_node, int* spk_lag,
                          long* spk_mult, const Samples* samples) noexcept nogil:
        # nodes i0 <= i < i1 for all steps (NeuronPart); NEST's order within a step (module
        # docstring)
        cdef Py_ssize_t i, j, lag, slot, nspk = 0, dim = self.y.shape[1]
        cdef CondParams p
        cdef int code
        cdef Py_ssize_t gex = 2 if self.kind == 0 else 1, dgex = 1
        cdef Py_ssize_t gin = 4 if self.kind == 0 else 2, dgin = 3
        cdef double work[9 * COND_MAX_DIM]
        cdef real_t* exc_in
        cdef real_t* inh_in
        cdef real_t* current_in
        cdef real_t* row
        if self.part_failed(i0, i1):
            return 0
        for lag in range(nsteps):
            slot = (t0 + lag) % ring.length
            exc_in = ring_channel(ring, slot, 0, first)
            inh_in = ring_channel(ring, slot, 1, first)
            current_in = ring_channel(ring, slot, 2, first)
            for i in range(i0, i1):
                p.C_m = self.C_m[i]
                p.g_L = self.g_L[i]
                p.E_L = self.E_L[i]
                p.E_ex = self.E_ex[i]
                p.E_in = self.E_in[i]
                p.I_e = self.I_e[i]
                p.I_stim = self.I_stim[i]
                p.V_reset = self.V_reset[i]
                p.V_th = self.V_th[i]
                p.tau_rise_ex = self.tau_rise_ex[i]
                p.tau_decay_ex = self.tau_decay_ex[i]
                p.tau_rise_in = self.tau_rise_in[i]
                p.tau_decay_in = self.tau_decay_in[i]
                if self.kind == 2:
                    p.E_sfa = self.E_sfa[i]
                    p.E_rr = self.E_rr[i]
                    p.tau_sfa = self.tau_sfa[i]
                    p.tau_rr = self.tau_rr[i]
                p.refractory = self.r[i] > 0
                # each model's own call, so that its right-hand side is compiled in
                if self.kind == 1:
                    code = integrate_capped(rhs_exp, &p, &self.y[i, 0], EXP_DIM, self.h,
                                            &self.h_int[i], self.eps_abs, self.eps_rel, work)
                elif self.kind == 0:
                    code = integrate_capped(rhs_beta, &p, &self.y[i, 0], BETA_DIM, self.h,
                                            &self.h_int[i], self.eps_abs, self.eps_rel, work)
                else:
                    code = integrate_capped(rhs_sfa_rr, &p, &self.y[i, 0], SFA_RR_DIM, self.h,
                                            &self.h_int[i], self.eps_abs, self.eps_rel, work)
                if code != 0:
                    self.fail_steps[i], self.fail_codes[i] = t0 + lag, code
                    return nspk
                if reset_or_fire(&self.r[i], &self.y[i, 0], self.V_reset[i], self.V_th[i],
                                 self.refractory_counts[i]):
                    if self.kind == 2:
                        self.y[i, 3] += self.q_sfa[i]
                        self.y[i, 4] += self.q_rr[i]
                    spk_node[nspk] = <int>i
                    spk_lag[nspk] = <int>lag
                    nspk += 1
                if self.kind == 0:
                    self.y[i, dgex] += exc_in[i] * self.init_ex[i]
                    self.y[i, dgin] += -inh_in[i] * self.init_in[i]
                else:
                    self.y[i, gex] += exc_in[i]
                    self.y[i, gin] += -inh_in[i]
                exc_in[i] = 0.0
                inh_in[i] = 0.0
                self.I_stim[i] = current_in[i]
                current_in[i] = 0.0
            if samples.n_rec and samples.flags[lag]:
                for j in range(samples.n_rec):
                    i = samples.rec_nodes[j]
                    if i0 <= i < i1:
                        row = sample_row(samples, lag, j)
                        row[0], row[1], row[2] = self.y[i, 0], self.y[i, gex], self.y[i, gin]
                        if self.kind == 0:
                            row[3] = self.r[i] * self.h
                        elif self.kind == 2:
                            row[3], row[4] = self.y[i, 4], self.y[i, 3]
        return nspk


# -- iaf_cond_alpha_mc --------------------------------------------------------------------------
cdef struct McParams:
    double C_m[3]
    double g_L[3]
    double E_L[3]
    double E_ex[3]
    double E_in[3]
    double I_e[3]
    double I_stim[3]
    double tau_ex[3]
    double tau_in[3]
    double g_conn[2]     # soma-proximal, proximal-distal
    double V_reset, V_th
    int refractory


cdef inline void rhs_mc(double t, const double* y, double* f, void* params) noexcept nogil:
    """Three passive compartments with alpha conductances, coupled in a chain. The somatic
    potential enters the currents bounded by V_th; while the neuron is refractory the
    potentials of all compartments are frozen (the soma is held at V_reset)."""
    cdef McParams* p = <McParams*>params
    cdef int c, o
    cdef double V, I_L, I_syn_exc, I_syn_inh, I_conn
    for c in range(3):
        o = 5 * c
        V = y[o]
        if c == 0:
            if p.refractory:
                V = p.V_reset
            elif V > p.V_th:
                V = p.V_th
        I_L = p.g_L[c] * (V - p.E_L[c])
        I_syn_exc = y[o + 2] * (V - p.E_ex[c])
        I_syn_inh = y[o + 4] * (V - p.E_in[c])
        I_conn = 0.0
        if c > 0:
            I_conn = I_conn + p.g_conn[c - 1] * (V - y[o - 5])
        if c < 2:
            I_conn = I_conn + p.g_conn[c] * (V - y[o + 5])
        f[o] = 0.0 if p.refractory else \
            (-I_L - I_syn_exc - I_syn_inh - I_conn + p.I_stim[c] + p.I_e[c]) / p.C_m[c]
        f[o + 1] = -y[o + 1] / p.tau_ex[c]
        f[o + 2] = y[o + 1] - y[o + 2] / p.tau_ex[c]
        f[o + 3] = -y[o + 3] / p.tau_in[c]
        f[o + 4] = y[o + 3] - y[o + 4] / p.tau_in[c]


cdef class McCore:
    """Parameters, state and loop of a block of iaf_cond_alpha_mc neurons.

    Per-compartment arrays are (node, compartment) with compartments soma, proximal, distal.
    """
    cdef public real_t[:, ::1] y, C_m, g_L, E_L, E_ex, E_in, I_e, I_stim, tau_ex, tau_in
    cdef public real_t[:, ::1] init_ex, init_in
    cdef public real_t[::1] h_int, g_sp, g_pd, V_reset, V_th, work
    cdef public long[::1] r, refractory_counts
    cdef public int failed, fail_code
    cdef public double h, eps_abs, eps_rel

    def __init__(self):
        self.failed = -1
        self.fail_code = 0

    def update(self, real_t[:, :, ::1] ring, int first, step_t t0, int nsteps,
               int[::1] spk_node, int[::1] spk_lag,
               int[::1] rec_nodes, unsigned char[::1] sample_flags, real_t[:, :, ::1] sample_out):
        """Advance all nodes by ``nsteps`` steps; return the number of spikes emitted.

        Recordables: V_m.d, V_m.p, V_m.s, g_ex.d, g_ex.p, g_ex.s, g_in.d, g_in.p, g_in.s,
        t_ref_remaining.
        """
        cdef Py_ssize_t n = self.y.shape[0], L = ring.shape[0]
        cdef Py_ssize_t i, j, c, lag, slot, g, nspk = 0, row = 0
        cdef McParams p
        cdef int code
        with nogil:
            for lag in range(nsteps):
                slot = (t0 + lag) % L
                for i in range(n):
                    g = first + i
                    for c in range(3):
                        p.C_m[c] = self.C_m[i, c]
                        p.g_L[c] = self.g_L[i, c]
                        p.E_L[c] = self.E_L[i, c]
                        p.E_ex[c] = self.E_ex[i, c]
                        p.E_in[c] = self.E_in[i, c]
                        p.I_e[c] = self.I_e[i, c]
                        p.I_stim[c] = self.I_stim[i, c]
                        p.tau_ex[c] = self.tau_ex[i, c]
                        p.tau_in[c] = self.tau_in[i, c]
                    p.g_conn[0] = self.g_sp[i]
                    p.g_conn[1] = self.g_pd[i]
                    p.V_reset = self.V_reset[i]
                    p.V_th = self.V_th[i]
                    p.refractory = self.r[i] > 0
                    code = integrate_capped(rhs_mc, &p, &self.y[i, 0], 15, self.h, &self.h_int[i],
                                          self.eps_abs, self.eps_rel, &self.work[0])
                    if code != 0:
                        self.failed = <int>i
                        self.fail_code = code
                        break
                    if reset_or_fire(&self.r[i], &self.y[i, 0], self.V_reset[i], self.V_th[i],
                                     self.refractory_counts[i]):
                        spk_node[nspk] = <int>i
                        spk_lag[nspk] = <int>lag
                        nspk += 1
                    for c in range(3):
                        self.y[i, 5 * c + 1] += ring[slot, 1 + 2 * c, g] * self.init_ex[i, c]
                        self.y[i, 5 * c + 3] += ring[slot, 2 + 2 * c, g] * self.init_in[i, c]
                        ring[slot, 1 + 2 * c, g] = 0.0
                        ring[slot, 2 + 2 * c, g] = 0.0
                        self.I_stim[i, c] = ring[slot, 7 + c, g]
                        ring[slot, 7 + c, g] = 0.0
                if self.failed >= 0:
                    break
                if sample_flags[lag]:
                    for j in range(rec_nodes.shape[0]):
                        i = rec_nodes[j]
                        for c in range(3):
                            # recordables sorted by name: .d, .p, .s
                            sample_out[row, j, 2 - c] = self.y[i, 5 * c]
                            sample_out[row, j, 5 - c] = self.y[i, 5 * c + 2]
                            sample_out[row, j, 8 - c] = self.y[i, 5 * c + 4]
                        sample_out[row, j, 9] = self.r[i] * self.h
                    row += 1
        return nspk


def new_work(int dim):
    """Scratch memory for the solver (9 doubles per state component)."""
    return np.zeros(9 * dim)
