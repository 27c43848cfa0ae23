"""Update loops of the Hodgkin-Huxley neurons hh_psc_alpha and hh_cond_exp_traub (RKF45).

Order within a step, as in NEST: remember V_m, integrate the ODEs over the step
(``_library_ode.integrate_capped``, one internal step size per node carried over between steps), add
the spikes arriving in this step to the synaptic state, then spike detection: while the
refractory counter runs it counts down; otherwise a spike is emitted when V_m is at or above
the detection threshold (0 mV for hh_psc_alpha, V_T + 30 mV for hh_cond_exp_traub) and lower
than at the start of the step (the peak has passed). Refractoriness only blocks detection; the
dynamics run on. Finally the current input for the next step is read.

State vectors (one row of ``y`` per node):

* hh_psc_alpha: V_m, Act_m, Inact_h, Act_n, dI_ex, I_ex, dI_in, I_in
* hh_cond_exp_traub: V_m, Act_m, Inact_h, Act_n, g_ex, g_in

Input channels: 0 excitatory spikes, 1 inhibitory spikes (negative weights), 2 current.
"""
from libc.math cimport exp

from kernel._types cimport real_t, step_t
from kernel.neurons._library_ode cimport integrate_capped
from kernel.parallel._region cimport (RingView, Samples, SolverCore, ring_channel,
                                      sample_state_columns)


cdef struct HHParams:
    double C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, E_ex, E_in, V_T, I_e, I_stim
    double tau_ex, tau_in


cdef void rhs_psc_alpha(double t, const double* y, double* f, void* params) noexcept nogil:
    """Hodgkin-Huxley squid axon (rates for V in mV, resting near -65 mV), alpha currents.

    Rates of the form x / (1 - exp(-x / s)) take their limit s where x is exactly 0: NEST
    evaluates them as written, which gives 0/0 = NaN when V_m sits exactly on such a point
    (-40 or -55 mV here) and NaN for the rest of the run. Everywhere else the expressions are
    NEST's, so traces are equal.
    """
    cdef HHParams* p = <HHParams*>params
    cdef double V = y[0], m = y[1], h = y[2], n = y[3]
    cdef double alpha_n = (0.01 * (V + 55.0)) / (1.0 - exp(-(V + 55.0) / 10.0)) \
        if V != -55.0 else 0.01 * 10.0
    cdef double beta_n = 0.125 * exp(-(V + 65.0) / 80.0)
    cdef double alpha_m = (0.1 * (V + 40.0)) / (1.0 - exp(-(V + 40.0) / 10.0)) \
        if V != -40.0 else 0.1 * 10.0
    cdef double beta_m = 4.0 * exp(-(V + 65.0) / 18.0)
    cdef double alpha_h = 0.07 * exp(-(V + 65.0) / 20.0)
    cdef double beta_h = 1.0 / (1.0 + exp(-(V + 35.0) / 10.0))
    cdef double I_Na = p.g_Na * m * m * m * h * (V - p.E_Na)
    cdef double I_K = p.g_K * n * n * n * n * (V - p.E_K)
    cdef double I_L = p.g_L * (V - p.E_L)
    f[0] = (-(I_Na + I_K + I_L) + p.I_stim + p.I_e + y[5] + y[7]) / p.C_m
    f[1] = alpha_m * (1.0 - m) - beta_m * m
    f[2] = alpha_h * (1.0 - h) - beta_h * h
    f[3] = alpha_n * (1.0 - n) - beta_n * n
    f[4] = -y[4] / p.tau_ex
    f[5] = y[4] - y[5] / p.tau_ex
    f[6] = -y[6] / p.tau_in
    f[7] = y[6] - y[7] / p.tau_in


cdef void rhs_traub(double t, const double* y, double* f, void* params) noexcept nogil:
    """Traub-Miles Hodgkin-Huxley neuron (rates in V - V_T), exponential conductances.

    Singular points of the rates take their limits, as in rhs_psc_alpha.
    """
    cdef HHParams* p = <HHParams*>params
    cdef double V = y[0], m = y[1], h = y[2], n = y[3]
    cdef double I_Na = p.g_Na * m * m * m * h * (V - p.E_Na)
    cdef double I_K = p.g_K * n * n * n * n * (V - p.E_K)
    cdef double I_L = p.g_L * (V - p.E_L)
    cdef double I_syn_exc = y[4] * (V - p.E_ex)
    cdef double I_syn_inh = y[5] * (V - p.E_in)
    cdef double u = V - p.V_T
    cdef double alpha_n = 0.032 * (15.0 - u) / (exp((15.0 - u) / 5.0) - 1.0) \
        if u != 15.0 else 0.032 * 5.0
    cdef double beta_n = 0.5 * exp((10.0 - u) / 40.0)
    cdef double alpha_m = 0.32 * (13.0 - u) / (exp((13.0 - u) / 4.0) - 1.0) \
        if u != 13.0 else 0.32 * 4.0
    cdef double beta_m = 0.28 * (u - 40.0) / (exp((u - 40.0) / 5.0) - 1.0) \
        if u != 40.0 else 0.28 * 5.0
    cdef double alpha_h = 0.128 * exp((17.0 - u) / 18.0)
    cdef double beta_h = 4.0 / (1.0 + exp((40.0 - u) / 5.0))
    f[0] = (-I_Na - I_K - I_L - I_syn_exc - I_syn_inh + p.I_stim + p.I_e) / p.C_m
    f[1] = alpha_m - (alpha_m + beta_m) * m
    f[2] = alpha_h - (alpha_h + beta_h) * h
    f[3] = alpha_n - (alpha_n + beta_n) * n
    f[4] = -y[4] / p.tau_ex
    f[5] = -y[5] / p.tau_in


# state variables of the larger model (hh_psc_alpha): each thread's solver scratch is sized
# for it, on its stack
cdef enum:
    HH_MAX_DIM = 8


cdef class HHCore(SolverCore):
    """Parameters, state and loop of a block of Hodgkin-Huxley neurons; its nodes are updated
    in parts by the slice engine's threads (SolverCore).

    ``kind``: 0 hh_psc_alpha, 1 hh_cond_exp_traub. Recordables: hh_psc_alpha Act_m, Act_n,
    I_syn_ex, I_syn_in, Inact_h, V_m; hh_cond_exp_traub Act_m, Act_n, Inact_h, V_m, g_ex, g_in.
    """
    cdef public real_t[:, ::1] y
    cdef public real_t[::1] h_int, C_m, g_Na, g_K, g_L, E_Na, E_K, E_L, E_ex, E_in, V_T
    cdef public real_t[::1] I_e, I_stim, tau_ex, tau_in, init_ex, init_in
    cdef public long[::1] r, refractory_counts
    # the state column of each recordable, in the samples' order (HHBlock.new_core)
    cdef public int[::1] rec_cols
    cdef public int kind
    cdef public double h, eps_abs, eps_rel

    cdef Py_ssize_t size(self):
        return self.y.shape[0]

    cdef Py_ssize_t _part(self, const RingView* ring, Py_ssize_t first, step_t t0, int nsteps,
                          Py_ssize_t i0, Py_ssize_t i1, int* spk_node, int* spk_lag,
                          long* spk_mult, const Samples* samples) noexcept nogil:
        # nodes i0 <= i < i1 for all steps (NeuronPart), NEST's order within a step (module
        # docstring)
        cdef Py_ssize_t i, lag, slot, nspk = 0, dim = self.y.shape[1]
        cdef HHParams p
        cdef int code
        cdef double V_old, theta
        cdef double work[9 * HH_MAX_DIM]
        cdef real_t* exc_in
        cdef real_t* inh_in
        cdef real_t* current_in
        if self.part_failed(i0, i1):
            return 0
        for lag in range(nsteps):
            slot = (t0 + lag) % ring.length
            exc_in = ring_channel(ring, slot, 0, first)
            inh_in = ring_channel(ring, slot, 1, first)
            current_in = ring_channel(ring, slot, 2, first)
            for i in range(i0, i1):
                p.C_m = self.C_m[i]
                p.g_Na = self.g_Na[i]
                p.g_K = self.g_K[i]
                p.g_L = self.g_L[i]
                p.E_Na = self.E_Na[i]
                p.E_K = self.E_K[i]
                p.E_L = self.E_L[i]
                p.E_ex = self.E_ex[i]
                p.E_in = self.E_in[i]
                p.V_T = self.V_T[i]
                p.I_e = self.I_e[i]
                p.I_stim = self.I_stim[i]
                p.tau_ex = self.tau_ex[i]
                p.tau_in = self.tau_in[i]
                V_old = self.y[i, 0]
                if self.kind == 0:
                    code = integrate_capped(rhs_psc_alpha, &p, &self.y[i, 0], <int>dim, self.h,
                                            &self.h_int[i], self.eps_abs, self.eps_rel, work)
                else:
                    code = integrate_capped(rhs_traub, &p, &self.y[i, 0], <int>dim, self.h,
                                            &self.h_int[i], self.eps_abs, self.eps_rel, work)
                if code != 0:
                    self.fail_steps[i], self.fail_codes[i] = t0 + lag, code
                    return nspk
                if self.kind == 0:
                    self.y[i, 4] += exc_in[i] * self.init_ex[i]
                    self.y[i, 6] += inh_in[i] * self.init_in[i]
                    theta = 0.0
                else:
                    self.y[i, 4] += exc_in[i]
                    self.y[i, 5] -= inh_in[i]
                    theta = self.V_T[i] + 30.0
                exc_in[i] = 0.0
                inh_in[i] = 0.0
                if self.r[i] > 0:
                    self.r[i] -= 1
                elif self.y[i, 0] >= theta and V_old > self.y[i, 0]:
                    self.r[i] = self.refractory_counts[i]
                    spk_node[nspk] = <int>i
                    spk_lag[nspk] = <int>lag
                    nspk += 1
                self.I_stim[i] = current_in[i]
                current_in[i] = 0.0
            if samples.n_rec and samples.flags[lag]:
                sample_state_columns(samples, lag, self.y, self.rec_cols, i0, i1)
        return nspk
