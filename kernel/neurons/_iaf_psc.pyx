"""Update loops of iaf_psc_alpha, iaf_psc_exp, iaf_psc_delta and parrot_neuron.

The loops follow NEST's exact-integration formulation: all propagators are computed once per
resolution in Python (``iaf_psc.py``), and a step only multiplies and adds. Membrane
potentials are held relative to the resting potential E_L, as in NEST, so that threshold
comparisons happen on the same numbers. The steps are C (``iaf_steps.h``, vectorized), in two
versions: parameters per node, and parameters every node of a block shares (read once).
"""
from libc.math cimport exp

from kernel._types cimport real_t, step_t
from kernel.parallel._region cimport (NeuronPart, RingView, Samples, ThreadedCore,
                                      ring_channel, sample_row)

cdef extern from "iaf_steps.h":
    long np_iaf_delta_step(long i0, long i1, const double* P30, const double* P33,
                           const double* I_e, const double* v_min, const double* theta,
                           const double* v_reset, const long* refractory_counts, double* y0,
                           double* y3, long* r, double* spikes_in, double* current_in, int lag,
                           int* spk_node, int* spk_lag, long nspk) noexcept nogil
    long np_iaf_delta_step_shared(long i0, long i1, double P30, double P33, double I_e,
                                  double v_min, double theta, double v_reset,
                                  long refractory_counts, double* y0, double* y3, long* r,
                                  double* spikes_in, double* current_in, int lag,
                                  int* spk_node, int* spk_lag, long nspk) noexcept nogil
    long np_iaf_exp_step(long i0, long i1, const double* P11_ex, const double* P11_in,
                         const double* P21_ex, const double* P21_in, const double* P20,
                         const double* P22, const double* I_e, const double* theta,
                         const double* v_reset, const long* refractory_counts, double* i_0,
                         double* i_1, double* i_syn_ex, double* i_syn_in, double* V_m, long* r,
                         double* ex_in, double* in_in, double* current_in, double* filtered_in,
                         int lag, int* spk_node, int* spk_lag, long nspk) noexcept nogil
    long np_iaf_exp_step_shared(long i0, long i1, double P11_ex, double P11_in, double P21_ex,
                                double P21_in, double P20, double P22, double I_e,
                                double theta, double v_reset, long refractory_counts,
                                double* i_0, double* i_1, double* i_syn_ex, double* i_syn_in,
                                double* V_m, long* r, double* ex_in, double* in_in,
                                double* current_in, double* filtered_in, int lag,
                                int* spk_node, int* spk_lag, long nspk) noexcept nogil
    long np_iaf_alpha_step(long i0, long i1, const double* P11_ex, const double* P21_ex,
                           const double* P31_ex, const double* P32_ex, const double* P11_in,
                           const double* P21_in, const double* P31_in, const double* P32_in,
                           const double* P30, const double* expm1_tau_m,
                           const double* psc_scale_ex, const double* psc_scale_in,
                           const double* theta, const double* v_reset, const double* v_min,
                           const double* I_e, const long* refractory_counts, double* y0,
                           double* dI_ex, double* I_ex, double* dI_in, double* I_in,
                           double* y3, long* r, double* ex_in, double* in_in,
                           double* current_in, int lag, int* spk_node, int* spk_lag,
                           long nspk) noexcept nogil
    long np_iaf_alpha_step_shared(long i0, long i1, double P11_ex, double P21_ex,
                                  double P31_ex, double P32_ex, double P11_in, double P21_in,
                                  double P31_in, double P32_in, double P30, double expm1_tau_m,
                                  double psc_scale_ex, double psc_scale_in, double theta,
                                  double v_reset, double v_min, double I_e,
                                  long refractory_counts, double* y0, double* dI_ex,
                                  double* I_ex, double* dI_in, double* I_in, double* y3,
                                  long* r, double* ex_in, double* in_in, double* current_in,
                                  int lag, int* spk_node, int* spk_lag, long nspk) noexcept nogil


ctypedef fused per_node_t:
    real_t
    long


cdef bint _constant(const per_node_t[::1] values) noexcept nogil:
    # every value equal to the first
    cdef Py_ssize_t i
    for i in range(1, values.shape[0]):
        if values[i] != values[0]:
            return False
    return True


cdef bint _all_constant(tuple parameters, const long[::1] counts):
    # whether each of the parameters (real_t arrays) and the counts has one value
    cdef const real_t[::1] values
    for values in parameters:
        if not _constant(values):
            return False
    return _constant(counts)


ctypedef struct AlphaArrays:
    const real_t* P11_ex
    const real_t* P21_ex
    const real_t* P31_ex
    const real_t* P32_ex
    const real_t* P11_in
    const real_t* P21_in
    const real_t* P31_in
    const real_t* P32_in
    const real_t* P30
    const real_t* expm1_tau_m
    const real_t* psc_scale_ex
    const real_t* psc_scale_in
    const real_t* theta
    const real_t* v_reset
    const real_t* v_min
    const real_t* I_e
    const real_t* E_L
    const long* refractory_counts
    real_t* y0
    real_t* dI_ex
    real_t* I_ex
    real_t* dI_in
    real_t* I_in
    real_t* y3
    long* r
    bint shared
    bint current_input


cdef class IafPscAlphaCore(ThreadedCore):
    """Propagators, state and buffers of an iaf_psc_alpha block (one array entry per node).

    Channels: 0 excitatory spikes, 1 inhibitory spikes, 2 current input.
    Recordables, in order: I_syn_ex, I_syn_in, V_m.
    """
    # propagators
    cdef public real_t[::1] P11_ex, P21_ex, P31_ex, P32_ex
    cdef public real_t[::1] P11_in, P21_in, P31_in, P32_in
    cdef public real_t[::1] P30, expm1_tau_m, psc_scale_ex, psc_scale_in
    # parameters, relative to E_L where they are potentials
    cdef public real_t[::1] theta, v_reset, v_min, I_e
    cdef public long[::1] refractory_counts
    # state
    cdef public real_t[::1] y0, dI_ex, I_ex, dI_in, I_in, y3, E_L
    cdef public long[::1] r
    # whether every node has the same propagators and parameters (IafPscAlpha.calibrate):
    # the step then reads them once
    cdef public bint shared_parameters
    cdef AlphaArrays arrays

    cdef NeuronPart part_function(self):
        return _alpha_part

    def parameters_shared(self):
        """Whether every node has the first node's propagators, psc scales, theta, v_reset,
        v_min, I_e and refractory_counts (False for no nodes)."""
        return self.y3.shape[0] > 0 and _all_constant(
            (self.P11_ex, self.P21_ex, self.P31_ex, self.P32_ex, self.P11_in, self.P21_in,
             self.P31_in, self.P32_in, self.P30, self.expm1_tau_m, self.psc_scale_ex,
             self.psc_scale_in, self.theta, self.v_reset, self.v_min, self.I_e),
            self.refractory_counts)

    cdef Py_ssize_t size(self):
        return self.y3.shape[0]

    cdef void* part_state(self):
        # pointers into the arrays above, taken again for every update (see IafPscDeltaCore)
        a = &self.arrays
        a.P11_ex, a.P21_ex = &self.P11_ex[0], &self.P21_ex[0]
        a.P31_ex, a.P32_ex = &self.P31_ex[0], &self.P32_ex[0]
        a.P11_in, a.P21_in = &self.P11_in[0], &self.P21_in[0]
        a.P31_in, a.P32_in = &self.P31_in[0], &self.P32_in[0]
        a.P30, a.expm1_tau_m = &self.P30[0], &self.expm1_tau_m[0]
        a.psc_scale_ex, a.psc_scale_in = &self.psc_scale_ex[0], &self.psc_scale_in[0]
        a.theta, a.v_reset, a.v_min = &self.theta[0], &self.v_reset[0], &self.v_min[0]
        a.I_e, a.E_L = &self.I_e[0], &self.E_L[0]
        a.refractory_counts = &self.refractory_counts[0]
        a.y0, a.y3, a.r = &self.y0[0], &self.y3[0], &self.r[0]
        a.dI_ex, a.I_ex = &self.dI_ex[0], &self.I_ex[0]
        a.dI_in, a.I_in = &self.dI_in[0], &self.I_in[0]
        a.shared = self.shared_parameters
        a.current_input = self.current_input
        return a


cdef Py_ssize_t _alpha_part(void* state, const RingView* ring, Py_ssize_t first, step_t t0,
                            int nsteps, Py_ssize_t i0, Py_ssize_t i1, int* spk_node,
                            int* spk_lag, long* spk_mult, const Samples* samples) noexcept nogil:
    # Nodes i0 <= i < i1 for all steps (NeuronPart), through local pointers as in _delta_part.
    cdef const AlphaArrays* a = <const AlphaArrays*>state
    cdef Py_ssize_t i, j, lag, slot, nspk = 0
    cdef const real_t* P11_ex = a.P11_ex
    cdef const real_t* P21_ex = a.P21_ex
    cdef const real_t* P31_ex = a.P31_ex
    cdef const real_t* P32_ex = a.P32_ex
    cdef const real_t* P11_in = a.P11_in
    cdef const real_t* P21_in = a.P21_in
    cdef const real_t* P31_in = a.P31_in
    cdef const real_t* P32_in = a.P32_in
    cdef const real_t* P30 = a.P30
    cdef const real_t* expm1_tau_m = a.expm1_tau_m
    cdef const real_t* psc_scale_ex = a.psc_scale_ex
    cdef const real_t* psc_scale_in = a.psc_scale_in
    cdef const real_t* theta = a.theta
    cdef const real_t* v_reset = a.v_reset
    cdef const real_t* v_min = a.v_min
    cdef const real_t* I_e = a.I_e
    cdef const long* refractory_counts = a.refractory_counts
    cdef real_t* y0 = a.y0
    cdef real_t* dI_ex = a.dI_ex
    cdef real_t* I_ex = a.I_ex
    cdef real_t* dI_in = a.dI_in
    cdef real_t* I_in = a.I_in
    cdef real_t* y3 = a.y3
    cdef long* r = a.r
    cdef real_t* ex_in
    cdef real_t* in_in
    cdef real_t* current_in
    cdef real_t* row
    if i1 <= i0:
        return 0
    for lag in range(nsteps):
        slot = (t0 + lag) % ring.length
        ex_in = ring_channel(ring, slot, 0, first)
        in_in = ring_channel(ring, slot, 1, first)
        current_in = ring_channel(ring, slot, 2, first) if a.current_input else NULL
        if a.shared:
            nspk = np_iaf_alpha_step_shared(
                i0, i1, P11_ex[0], P21_ex[0], P31_ex[0], P32_ex[0], P11_in[0], P21_in[0],
                P31_in[0], P32_in[0], P30[0], expm1_tau_m[0], psc_scale_ex[0], psc_scale_in[0],
                theta[0], v_reset[0], v_min[0], I_e[0], refractory_counts[0], y0, dI_ex, I_ex,
                dI_in, I_in, y3, r, ex_in, in_in, current_in, <int>lag, spk_node, spk_lag, nspk)
        else:
            nspk = np_iaf_alpha_step(
                i0, i1, P11_ex, P21_ex, P31_ex, P32_ex, P11_in, P21_in, P31_in, P32_in, P30,
                expm1_tau_m, psc_scale_ex, psc_scale_in, theta, v_reset, v_min, I_e,
                refractory_counts, y0, dI_ex, I_ex, dI_in, I_in, y3, r, ex_in, in_in, current_in,
                <int>lag, spk_node, spk_lag, nspk)
        if samples.n_rec and samples.flags[lag]:
            for j in range(samples.n_rec):
                i = samples.rec_nodes[j]
                if i0 <= i < i1:
                    row = sample_row(samples, lag, j)
                    row[0] = I_ex[i]
                    row[1] = I_in[i]
                    row[2] = y3[i] + a.E_L[i]
    return nspk


ctypedef struct ExpArrays:
    const real_t* P11_ex
    const real_t* P11_in
    const real_t* P21_ex
    const real_t* P21_in
    const real_t* P20
    const real_t* P22
    const real_t* theta
    const real_t* v_reset
    const real_t* I_e
    const real_t* E_L
    const long* refractory_counts
    real_t* i_0
    real_t* i_1
    real_t* i_syn_ex
    real_t* i_syn_in
    real_t* V_m
    long* r
    bint shared
    bint current_input


cdef class IafPscExpCore(ThreadedCore):
    """Propagators, state and buffers of an iaf_psc_exp block.

    Channels: 0 excitatory spikes, 1 inhibitory spikes, 2 current (receptor 0),
    3 current filtered by the excitatory synapse (receptor 1).
    Recordables, in order: I_syn_ex, I_syn_in, V_m.
    """
    cdef public real_t[::1] P11_ex, P11_in, P21_ex, P21_in, P20, P22
    cdef public real_t[::1] theta, v_reset, I_e, E_L
    cdef public long[::1] refractory_counts
    cdef public real_t[::1] i_0, i_1, i_syn_ex, i_syn_in, V_m
    cdef public long[::1] r
    # whether every node has the same propagators, I_e, theta, v_reset and refractory_counts
    # (IafPscExp.calibrate): the step then reads them once
    cdef public bint shared_parameters
    cdef ExpArrays arrays

    cdef NeuronPart part_function(self):
        return _exp_part

    def parameters_shared(self):
        """Whether every node has the first node's propagators, I_e, theta, v_reset and
        refractory_counts (False for no nodes)."""
        return self.V_m.shape[0] > 0 and _all_constant(
            (self.P11_ex, self.P11_in, self.P21_ex, self.P21_in, self.P20, self.P22, self.I_e,
             self.theta, self.v_reset), self.refractory_counts)

    cdef Py_ssize_t size(self):
        return self.V_m.shape[0]

    cdef void* part_state(self):
        # pointers into the arrays above, taken again for every update (see IafPscDeltaCore)
        a = &self.arrays
        a.P11_ex, a.P11_in = &self.P11_ex[0], &self.P11_in[0]
        a.P21_ex, a.P21_in = &self.P21_ex[0], &self.P21_in[0]
        a.P20, a.P22 = &self.P20[0], &self.P22[0]
        a.theta, a.v_reset = &self.theta[0], &self.v_reset[0]
        a.I_e, a.E_L = &self.I_e[0], &self.E_L[0]
        a.refractory_counts = &self.refractory_counts[0]
        a.i_0, a.i_1 = &self.i_0[0], &self.i_1[0]
        a.i_syn_ex, a.i_syn_in = &self.i_syn_ex[0], &self.i_syn_in[0]
        a.V_m, a.r = &self.V_m[0], &self.r[0]
        a.shared = self.shared_parameters
        a.current_input = self.current_input
        return a


cdef Py_ssize_t _exp_part(void* state, const RingView* ring, Py_ssize_t first, step_t t0,
                          int nsteps, Py_ssize_t i0, Py_ssize_t i1, int* spk_node,
                          int* spk_lag, long* spk_mult, const Samples* samples) noexcept nogil:
    # Nodes i0 <= i < i1 for all steps (NeuronPart), through local pointers as in _delta_part.
    cdef const ExpArrays* a = <const ExpArrays*>state
    cdef Py_ssize_t i, j, lag, slot, nspk = 0
    cdef const real_t* P11_ex = a.P11_ex
    cdef const real_t* P11_in = a.P11_in
    cdef const real_t* P21_ex = a.P21_ex
    cdef const real_t* P21_in = a.P21_in
    cdef const real_t* P20 = a.P20
    cdef const real_t* P22 = a.P22
    cdef const real_t* theta = a.theta
    cdef const real_t* v_reset = a.v_reset
    cdef const real_t* I_e = a.I_e
    cdef const long* refractory_counts = a.refractory_counts
    cdef real_t* i_0 = a.i_0
    cdef real_t* i_1 = a.i_1
    cdef real_t* i_syn_ex = a.i_syn_ex
    cdef real_t* i_syn_in = a.i_syn_in
    cdef real_t* V_m = a.V_m
    cdef long* r = a.r
    cdef real_t* ex_in
    cdef real_t* in_in
    cdef real_t* current_in
    cdef real_t* filtered_in
    cdef real_t* row
    if i1 <= i0:
        return 0
    for lag in range(nsteps):
        slot = (t0 + lag) % ring.length
        ex_in = ring_channel(ring, slot, 0, first)
        in_in = ring_channel(ring, slot, 1, first)
        current_in = ring_channel(ring, slot, 2, first) if a.current_input else NULL
        filtered_in = ring_channel(ring, slot, 3, first) if a.current_input else NULL
        if a.shared:
            nspk = np_iaf_exp_step_shared(i0, i1, P11_ex[0], P11_in[0], P21_ex[0], P21_in[0],
                                          P20[0], P22[0], I_e[0], theta[0], v_reset[0],
                                          refractory_counts[0], i_0, i_1, i_syn_ex, i_syn_in,
                                          V_m, r, ex_in, in_in, current_in, filtered_in,
                                          <int>lag, spk_node, spk_lag, nspk)
        else:
            nspk = np_iaf_exp_step(i0, i1, P11_ex, P11_in, P21_ex, P21_in, P20, P22, I_e, theta,
                                   v_reset, refractory_counts, i_0, i_1, i_syn_ex, i_syn_in,
                                   V_m, r, ex_in, in_in, current_in, filtered_in, <int>lag,
                                   spk_node, spk_lag, nspk)
        if samples.n_rec and samples.flags[lag]:
            for j in range(samples.n_rec):
                i = samples.rec_nodes[j]
                if i0 <= i < i1:
                    row = sample_row(samples, lag, j)
                    row[0] = i_syn_ex[i]
                    row[1] = i_syn_in[i]
                    row[2] = V_m[i] + a.E_L[i]
    return nspk


ctypedef struct DeltaArrays:
    const real_t* P30
    const real_t* P33
    const real_t* theta
    const real_t* v_reset
    const real_t* v_min
    const real_t* I_e
    const real_t* E_L
    const real_t* tau_m
    const long* refractory_counts
    const unsigned char* refractory_input
    real_t* y0
    real_t* y3
    real_t* refr_spikes
    long* r
    real_t h
    bint shared
    bint current_input


cdef class IafPscDeltaCore(ThreadedCore):
    """Propagators, state and buffers of an iaf_psc_delta block.

    Channels: 0 spikes (weights in mV, either sign), 1 current input. Recordables: V_m.
    """
    cdef public real_t[::1] P30, P33, theta, v_reset, v_min, I_e, E_L, tau_m
    cdef public long[::1] refractory_counts
    cdef public unsigned char[::1] refractory_input
    cdef public real_t[::1] y0, y3, refr_spikes
    cdef public long[::1] r
    cdef public real_t h
    # whether every node has the same P30, P33, I_e, v_min, theta, v_reset and
    # refractory_counts (IafPscDelta.calibrate): the step then reads them once
    cdef public bint shared_parameters
    cdef DeltaArrays arrays

    cdef NeuronPart part_function(self):
        return _delta_part

    def parameters_shared(self):
        """Whether every node has the first node's P30, P33, I_e, v_min, theta, v_reset and
        refractory_counts (False for no nodes)."""
        return self.y3.shape[0] > 0 and _all_constant(
            (self.P30, self.P33, self.I_e, self.v_min, self.theta, self.v_reset),
            self.refractory_counts)

    cdef Py_ssize_t size(self):
        return self.y3.shape[0]

    cdef void* part_state(self):
        # pointers into the arrays above (valid until one of them is replaced: taken again
        # for every update)
        a = &self.arrays
        a.P30, a.P33, a.theta = &self.P30[0], &self.P33[0], &self.theta[0]
        a.v_reset, a.v_min, a.I_e = &self.v_reset[0], &self.v_min[0], &self.I_e[0]
        a.E_L, a.tau_m = &self.E_L[0], &self.tau_m[0]
        a.refractory_counts = &self.refractory_counts[0]
        a.refractory_input = &self.refractory_input[0]
        a.y0, a.y3, a.refr_spikes, a.r = &self.y0[0], &self.y3[0], &self.refr_spikes[0], &self.r[0]
        a.h = self.h
        a.shared = self.shared_parameters
        a.current_input = self.current_input
        return a


cdef Py_ssize_t _delta_part(void* state, const RingView* ring, Py_ssize_t first, step_t t0,
                            int nsteps, Py_ssize_t i0, Py_ssize_t i1, int* spk_node,
                            int* spk_lag, long* spk_mult, const Samples* samples) noexcept nogil:
    # Nodes i0 <= i < i1 for all steps, through local pointers (the compiler keeps them in
    # registers; the arithmetic is the same, op for op, in both loops).
    cdef const DeltaArrays* a = <const DeltaArrays*>state
    cdef Py_ssize_t i, j, lag, slot, nspk = 0
    cdef const real_t* P30 = a.P30
    cdef const real_t* P33 = a.P33
    cdef const real_t* theta = a.theta
    cdef const real_t* v_reset = a.v_reset
    cdef const real_t* v_min = a.v_min
    cdef const real_t* I_e = a.I_e
    cdef const long* refractory_counts = a.refractory_counts
    cdef const unsigned char* refractory_input = a.refractory_input
    cdef real_t* y0 = a.y0
    cdef real_t* y3 = a.y3
    cdef real_t* refr_spikes = a.refr_spikes
    cdef long* r = a.r
    cdef real_t* spikes_in
    cdef real_t* current_in
    cdef bint keeps_input = False
    if i1 <= i0:
        return 0
    for i in range(i0, i1):
        keeps_input = keeps_input or refractory_input[i]
    for lag in range(nsteps):
        slot = (t0 + lag) % ring.length
        spikes_in = ring_channel(ring, slot, 0, first)
        # (the loop for refractory_input below always reads the current channel)
        current_in = ring_channel(ring, slot, 1, first) if a.current_input or keeps_input \
            else NULL
        if not keeps_input and a.shared:
            nspk = np_iaf_delta_step_shared(i0, i1, P30[0], P33[0], I_e[0], v_min[0], theta[0],
                                            v_reset[0], refractory_counts[0], y0, y3, r,
                                            spikes_in, current_in, <int>lag, spk_node,
                                            spk_lag, nspk)
        elif not keeps_input:
            nspk = np_iaf_delta_step(i0, i1, P30, P33, I_e, v_min, theta, v_reset,
                                     refractory_counts, y0, y3, r, spikes_in, current_in,
                                     <int>lag, spk_node, spk_lag, nspk)
        else:
            for i in range(i0, i1):
                if r[i] == 0:
                    y3[i] = P30[i] * (y0[i] + I_e[i]) + P33[i] * y3[i] + spikes_in[i]
                    if refractory_input[i] and refr_spikes[i] != 0.0:
                        y3[i] += refr_spikes[i]
                        refr_spikes[i] = 0.0
                    if y3[i] < v_min[i]:
                        y3[i] = v_min[i]
                else:
                    if refractory_input[i]:
                        # input seen during refractoriness decays until it takes effect
                        refr_spikes[i] += spikes_in[i] * exp(-r[i] * a.h / a.tau_m[i])
                    r[i] -= 1
                spikes_in[i] = 0.0
                if y3[i] >= theta[i]:
                    r[i] = refractory_counts[i]
                    y3[i] = v_reset[i]
                    spk_node[nspk] = i
                    spk_lag[nspk] = lag
                    nspk += 1
                y0[i] = current_in[i]
                current_in[i] = 0.0
        if samples.n_rec and samples.flags[lag]:
            for j in range(samples.n_rec):
                i = samples.rec_nodes[j]
                if i0 <= i < i1:
                    sample_row(samples, lag, j)[0] = y3[i] + a.E_L[i]
    return nspk


cdef class ParrotCore(ThreadedCore):
    """A parrot_neuron block: repeats the spikes that arrive, one event a step with their
    summed multiplicity (weights are ignored).

    Channels: 0 counts the spikes to repeat, 1 takes spikes that are ignored (NEST uses that
    port to drive plasticity without triggering the parrot).
    """
    cdef public Py_ssize_t n

    cdef NeuronPart part_function(self):
        return _parrot_part

    cdef Py_ssize_t size(self):
        return self.n

    cdef bint multiple_spikes(self):
        return True


cdef Py_ssize_t _parrot_part(void* state, const RingView* ring, Py_ssize_t first, step_t t0,
                             int nsteps, Py_ssize_t i0, Py_ssize_t i1, int* spk_node,
                             int* spk_lag, long* spk_mult, const Samples* samples) noexcept nogil:
    cdef Py_ssize_t i, lag, nspk = 0
    cdef real_t* counts
    cdef real_t* ignored
    cdef long count
    for lag in range(nsteps):
        counts = ring_channel(ring, (t0 + lag) % ring.length, 0, first)
        ignored = ring_channel(ring, (t0 + lag) % ring.length, 1, first)
        for i in range(i0, i1):
            count = <long>(counts[i] + 0.5)
            counts[i] = 0.0
            ignored[i] = 0.0
            if count > 0:
                spk_node[nspk] = i
                spk_lag[nspk] = lag
                spk_mult[nspk] = count
                nspk += 1
    return nspk
