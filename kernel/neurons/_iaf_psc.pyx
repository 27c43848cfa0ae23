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
from kernel.delivery._deliver cimport parallel_threads

cdef extern from "iaf_delta_step.h":
    long np_iaf_delta_step(long i0, long i1, const double* P30, const double* P33,
                           const double* I_e, const double* v_min, const double* theta,
                           const double* v_reset, const long* refractory_counts, double* y0,
                           double* y3, long* r, double* spikes_in, double* current_in, int lag,
                           int* spk_node, int* spk_lag, long nspk) nogil


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


cdef class IafPscDeltaCore:
    """Propagators, state and buffers of an iaf_psc_delta block."""
    cdef public real_t[::1] P30, P33, theta, v_reset, v_min, I_e, E_L, tau_m
    cdef public long[::1] refractory_counts
    cdef public unsigned char[::1] refractory_input
    cdef public real_t[::1] y0, y3, refr_spikes
    cdef public long[::1] r
    cdef public real_t h

    def update(self, real_t[:, :, ::1] ring, int first, step_t t0, int nsteps,
               int[::1] spk_node, int[::1] spk_lag,
               int[::1] rec_nodes, unsigned char[::1] sample_flags, real_t[:, :, ::1] sample_out,
               const long[::1] bounds=None):
        """Advance all nodes by ``nsteps`` steps; return the number of spikes emitted.

        Channels: 0 spikes (weights in mV, either sign), 1 current input. Recordables: V_m.
        ``bounds`` (local indices, ascending, first 0 and last n) splits the nodes between
        threads; each thread updates its part for all steps, and the spikes are merged into
        the order of one thread (by step, then node), so results do not depend on threads.
        """
        cdef Py_ssize_t n = self.y3.shape[0], n_parts, c, lag, j, pos, total = 0
        if n == 0:
            return 0
        if bounds is None:
            bounds = np.array([0, n], dtype=np.int64)
        n_parts = bounds.shape[0] - 1
        sample_index = np.cumsum(sample_flags, dtype=np.int64) - 1
        cdef const long[::1] kof = sample_index
        if n_parts == 1:
            return self._part(ring, first, t0, nsteps, 0, n, spk_node, spk_lag, rec_nodes,
                              sample_flags, kof, sample_out)
        counts_arr = np.zeros(n_parts, dtype=np.int64)
        tmp_node_arr = np.empty(max(n * nsteps, 1), dtype=np.int32)
        tmp_lag_arr = np.empty(max(n * nsteps, 1), dtype=np.int32)
        cdef long[::1] counts = counts_arr
        cdef int[::1] tmp_node = tmp_node_arr
        cdef int[::1] tmp_lag = tmp_lag_arr
        cdef long[::1] cursor = np.zeros(n_parts, dtype=np.int64)
        for c in prange(n_parts, nogil=True, schedule="static", chunksize=1,
                        num_threads=parallel_threads(n_parts, n * nsteps)):
            counts[c] = self._part(ring, first, t0, nsteps, bounds[c], bounds[c + 1],
                                   tmp_node[bounds[c] * nsteps:], tmp_lag[bounds[c] * nsteps:],
                                   rec_nodes, sample_flags, kof, sample_out)
        with nogil:
            for lag in range(nsteps):
                for c in range(n_parts):
                    pos = bounds[c] * nsteps + cursor[c]
                    while cursor[c] < counts[c] and tmp_lag[pos] == lag:
                        spk_node[total] = tmp_node[pos]
                        spk_lag[total] = lag
                        total += 1
                        cursor[c] += 1
                        pos += 1
        return total

    cdef Py_ssize_t _part(self, real_t[:, :, ::1] ring, int first, step_t t0, int nsteps,
                          Py_ssize_t i0, Py_ssize_t i1, int[::1] spk_node, int[::1] spk_lag,
                          int[::1] rec_nodes, unsigned char[::1] sample_flags,
                          const long[::1] kof, real_t[:, :, ::1] sample_out) noexcept nogil:
        # Nodes i0 <= i < i1 for all steps. The arrays are read through local pointers, so
        # the compiler keeps them in registers (the arithmetic is the same, op for op).
        cdef Py_ssize_t L = ring.shape[0]
        cdef Py_ssize_t i, j, lag, nspk = 0
        if i1 <= i0:
            return 0
        cdef real_t* P30 = &self.P30[0]
        cdef real_t* P33 = &self.P33[0]
        cdef real_t* theta = &self.theta[0]
        cdef real_t* v_reset = &self.v_reset[0]
        cdef real_t* v_min = &self.v_min[0]
        cdef real_t* I_e = &self.I_e[0]
        cdef real_t* tau_m = &self.tau_m[0]
        cdef real_t* y0 = &self.y0[0]
        cdef real_t* y3 = &self.y3[0]
        cdef real_t* refr_spikes = &self.refr_spikes[0]
        cdef long* r = &self.r[0]
        cdef long* refractory_counts = &self.refractory_counts[0]
        cdef unsigned char* refractory_input = &self.refractory_input[0]
        cdef real_t h = self.h
        cdef real_t* spikes_in
        cdef real_t* current_in
        cdef bint keeps_input = False
        for i in range(i0, i1):
            keeps_input = keeps_input or refractory_input[i]
        for lag in range(nsteps):
            spikes_in = &ring[(t0 + lag) % L, 0, first]
            current_in = &ring[(t0 + lag) % L, 1, first]
            if not keeps_input:
                nspk = np_iaf_delta_step(i0, i1, P30, P33, I_e, v_min, theta, v_reset,
                                         refractory_counts, y0, y3, r, spikes_in, current_in,
                                         <int>lag, &spk_node[0], &spk_lag[0], nspk)
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
                            refr_spikes[i] += spikes_in[i] * exp(-r[i] * h / tau_m[i])
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
            if sample_flags[lag]:
                for j in range(rec_nodes.shape[0]):
                    i = rec_nodes[j]
                    if i0 <= i < i1:
                        sample_out[kof[lag], j, 0] = y3[i] + self.E_L[i]
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
