"""Update loops of iaf_psc_alpha, iaf_psc_exp, iaf_psc_delta and parrot_neuron.

The loops follow NEST's exact-integration formulation: all propagators are computed once per
resolution in Python (``iaf_psc.py``), and a step only multiplies and adds. Membrane
potentials are held relative to the resting potential E_L, as in NEST, so that threshold
comparisons happen on the same numbers.
"""
from cython.parallel cimport prange
from libc.math cimport exp

import numpy as np

from kernel._types cimport node_t, real_t, step_t
from kernel.parallel._region cimport NeuronPart, RingView, Samples, ThreadedCore

cdef extern from "iaf_delta_step.h":
    long np_iaf_delta_step(long i0, long i1, const double* P30, const double* P33,
                           const double* I_e, const double* v_min, const double* theta,
                           const double* v_reset, const long* refractory_counts, double* y0,
                           double* y3, long* r, double* spikes_in, double* current_in, int lag,
                           int* spk_node, int* spk_lag, long nspk) noexcept nogil


cdef class IafPscAlphaCore:
    """Propagators, state and buffers of an iaf_psc_alpha block (one array entry per node)."""
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

    def update(self, real_t[:, :, ::1] ring, int first, step_t t0, int nsteps,
               int[::1] spk_node, int[::1] spk_lag,
               int[::1] rec_nodes, unsigned char[::1] sample_flags, real_t[:, :, ::1] sample_out):
        """Advance all nodes by ``nsteps`` steps; return the number of spikes emitted.

        Channels: 0 excitatory spikes, 1 inhibitory spikes, 2 current input.
        Recordables, in order: I_syn_ex, I_syn_in, V_m.
        """
        cdef Py_ssize_t n = self.y3.shape[0], L = ring.shape[0]
        cdef Py_ssize_t i, j, lag, slot, g, nspk = 0, k = 0
        with nogil:
            for lag in range(nsteps):
                slot = (t0 + lag) % L
                for i in range(n):
                    g = first + i
                    if self.r[i] == 0:
                        self.y3[i] = (self.P30[i] * (self.y0[i] + self.I_e[i])
                                      + self.P31_ex[i] * self.dI_ex[i] + self.P32_ex[i] * self.I_ex[i]
                                      + self.P31_in[i] * self.dI_in[i] + self.P32_in[i] * self.I_in[i]
                                      + self.expm1_tau_m[i] * self.y3[i] + self.y3[i])
                        if self.y3[i] < self.v_min[i]:
                            self.y3[i] = self.v_min[i]
                    else:
                        self.r[i] -= 1
                    self.I_ex[i] = self.P21_ex[i] * self.dI_ex[i] + self.P11_ex[i] * self.I_ex[i]
                    self.dI_ex[i] = self.dI_ex[i] * self.P11_ex[i] + self.psc_scale_ex[i] * ring[slot, 0, g]
                    self.I_in[i] = self.P21_in[i] * self.dI_in[i] + self.P11_in[i] * self.I_in[i]
                    self.dI_in[i] = self.dI_in[i] * self.P11_in[i] + self.psc_scale_in[i] * ring[slot, 1, g]
                    ring[slot, 0, g] = 0.0
                    ring[slot, 1, g] = 0.0
                    if self.y3[i] >= self.theta[i]:
                        self.r[i] = self.refractory_counts[i]
                        self.y3[i] = self.v_reset[i]
                        spk_node[nspk] = i
                        spk_lag[nspk] = lag
                        nspk += 1
                    self.y0[i] = ring[slot, 2, g]
                    ring[slot, 2, g] = 0.0
                if sample_flags[lag]:
                    for j in range(rec_nodes.shape[0]):
                        i = rec_nodes[j]
                        sample_out[k, j, 0] = self.I_ex[i]
                        sample_out[k, j, 1] = self.I_in[i]
                        sample_out[k, j, 2] = self.y3[i] + self.E_L[i]
                    k += 1
        return nspk


cdef class IafPscExpCore:
    """Propagators, state and buffers of an iaf_psc_exp block."""
    cdef public real_t[::1] P11_ex, P11_in, P21_ex, P21_in, P20, P22
    cdef public real_t[::1] theta, v_reset, I_e, E_L
    cdef public long[::1] refractory_counts
    cdef public real_t[::1] i_0, i_1, i_syn_ex, i_syn_in, V_m
    cdef public long[::1] r

    def update(self, real_t[:, :, ::1] ring, int first, step_t t0, int nsteps,
               int[::1] spk_node, int[::1] spk_lag,
               int[::1] rec_nodes, unsigned char[::1] sample_flags, real_t[:, :, ::1] sample_out):
        """Advance all nodes by ``nsteps`` steps; return the number of spikes emitted.

        Channels: 0 excitatory spikes, 1 inhibitory spikes, 2 current (receptor 0),
        3 current filtered by the excitatory synapse (receptor 1).
        Recordables, in order: I_syn_ex, I_syn_in, V_m.
        """
        cdef Py_ssize_t n = self.V_m.shape[0], L = ring.shape[0]
        cdef Py_ssize_t i, j, lag, slot, g, nspk = 0, k = 0
        with nogil:
            for lag in range(nsteps):
                slot = (t0 + lag) % L
                for i in range(n):
                    g = first + i
                    if self.r[i] == 0:
                        self.V_m[i] = (self.V_m[i] * self.P22[i]
                                       + self.i_syn_ex[i] * self.P21_ex[i]
                                       + self.i_syn_in[i] * self.P21_in[i]
                                       + (self.I_e[i] + self.i_0[i]) * self.P20[i])
                    else:
                        self.r[i] -= 1
                    self.i_syn_ex[i] = self.i_syn_ex[i] * self.P11_ex[i] + (1.0 - self.P11_ex[i]) * self.i_1[i]
                    self.i_syn_in[i] = self.i_syn_in[i] * self.P11_in[i]
                    self.i_syn_ex[i] += ring[slot, 0, g]
                    self.i_syn_in[i] += ring[slot, 1, g]
                    ring[slot, 0, g] = 0.0
                    ring[slot, 1, g] = 0.0
                    if self.V_m[i] >= self.theta[i]:
                        self.r[i] = self.refractory_counts[i]
                        self.V_m[i] = self.v_reset[i]
                        spk_node[nspk] = i
                        spk_lag[nspk] = lag
                        nspk += 1
                    self.i_0[i] = ring[slot, 2, g]
                    self.i_1[i] = ring[slot, 3, g]
                    ring[slot, 2, g] = 0.0
                    ring[slot, 3, g] = 0.0
                if sample_flags[lag]:
                    for j in range(rec_nodes.shape[0]):
                        i = rec_nodes[j]
                        sample_out[k, j, 0] = self.i_syn_ex[i]
                        sample_out[k, j, 1] = self.i_syn_in[i]
                        sample_out[k, j, 2] = self.V_m[i] + self.E_L[i]
                    k += 1
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
    cdef DeltaArrays arrays

    cdef NeuronPart part_function(self):
        return _delta_part

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
        return a


cdef Py_ssize_t _delta_part(void* state, const RingView* ring, Py_ssize_t first, step_t t0,
                            int nsteps, Py_ssize_t i0, Py_ssize_t i1, int* spk_node,
                            int* spk_lag, const Samples* samples) noexcept nogil:
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
        spikes_in = ring.data + (slot * ring.channels + 0) * ring.width + first
        current_in = ring.data + (slot * ring.channels + 1) * ring.width + first
        if not keeps_input:
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
                    samples.out[(samples.row_of_step[lag] * samples.n_rec + j)
                                * samples.n_vars] = y3[i] + a.E_L[i]
    return nspk


def update_parrot(real_t[:, :, ::1] ring, int first, int n, step_t t0, int nsteps,
                  int[::1] spk_node, int[::1] spk_lag, long[::1] spk_mult):
    """Repeat every spike that arrived: one output event per step with the summed multiplicity.

    Channel 0 counts incoming spikes (weights are ignored by the parrot).
    """
    cdef Py_ssize_t i, lag, slot, g, L = ring.shape[0], nspk = 0
    cdef long count
    with nogil:
        for lag in range(nsteps):
            slot = (t0 + lag) % L
            for i in range(n):
                g = first + i
                count = <long>(ring[slot, 0, g] + 0.5)
                ring[slot, 0, g] = 0.0
                if count > 0:
                    spk_node[nspk] = i
                    spk_lag[nspk] = lag
                    spk_mult[nspk] = count
                    nspk += 1
    return nspk
