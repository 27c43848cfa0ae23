"""Update loops of iaf_psc_alpha_multisynapse and iaf_psc_exp_multisynapse.

Exact integration as for iaf_psc_alpha / iaf_psc_exp, with one synaptic current per receptor
port and a time constant per port. Per-synapse arrays are 2-D, (node, synapse), padded to the
largest number of synapses in the block; node i uses the first ``nsyn[i]`` columns. Spikes for
receptor r (1-based) arrive on input channel r; channel 0 carries current input.

Recordables (block layout, see ``multisynapse.py``): column 0 is I_syn (sum over the node's
synapses), columns 1 .. nmax are I_syn_<rec_syn[m] + 1> (0 for a synapse the node does not
have), the last column is V_m.
"""
from kernel._types cimport real_t, step_t


cdef class AlphaMultisynapseCore:
    """Propagators, state and parameters of an iaf_psc_alpha_multisynapse block."""
    # per synapse (node, synapse)
    cdef public real_t[:, ::1] P11, P21, P31, P32, psc_init, y1, y2
    # per node
    cdef public real_t[::1] P30, P33, theta, v_reset, v_min, I_e, E_L, V_m, I_const
    cdef public long[::1] refractory_counts, r, nsyn, rec_syn

    def update(self, real_t[:, :, ::1] ring, int first, step_t t0, int nsteps,
               int[::1] spk_node, int[::1] spk_lag,
               int[::1] rec_nodes, unsigned char[::1] sample_flags, real_t[:, :, ::1] sample_out):
        """Advance all nodes by ``nsteps`` steps; return the number of spikes emitted."""
        cdef Py_ssize_t n = self.V_m.shape[0], L = ring.shape[0], nmax = self.y1.shape[1]
        cdef Py_ssize_t i, j, k, m, lag, slot, g, nspk = 0, row = 0
        cdef real_t v, s
        with nogil:
            for lag in range(nsteps):
                slot = (t0 + lag) % L
                for i in range(n):
                    g = first + i
                    if self.r[i] == 0:
                        v = self.P30[i] * (self.I_e[i] + self.I_const[i]) + self.P33[i] * self.V_m[i]
                        for k in range(self.nsyn[i]):
                            v = v + self.P31[i, k] * self.y1[i, k] + self.P32[i, k] * self.y2[i, k]
                        self.V_m[i] = v if v >= self.v_min[i] else self.v_min[i]
                    else:
                        self.r[i] -= 1
                    for k in range(self.nsyn[i]):
                        self.y2[i, k] = self.P21[i, k] * self.y1[i, k] + self.P11[i, k] * self.y2[i, k]
                        self.y1[i, k] = self.y1[i, k] * self.P11[i, k] \
                            + self.psc_init[i, k] * ring[slot, k + 1, g]
                    for k in range(nmax):
                        ring[slot, k + 1, g] = 0.0
                    if self.V_m[i] >= self.theta[i]:
                        self.r[i] = self.refractory_counts[i]
                        self.V_m[i] = self.v_reset[i]
                        spk_node[nspk] = i
                        spk_lag[nspk] = lag
                        nspk += 1
                    self.I_const[i] = ring[slot, 0, g]
                    ring[slot, 0, g] = 0.0
                if sample_flags[lag]:
                    for j in range(rec_nodes.shape[0]):
                        i = rec_nodes[j]
                        s = 0.0
                        for k in range(self.nsyn[i]):
                            s = s + self.y2[i, k]
                        sample_out[row, j, 0] = s
                        for m in range(nmax):
                            k = self.rec_syn[m]
                            sample_out[row, j, 1 + m] = self.y2[i, k] if k < self.nsyn[i] else 0.0
                        sample_out[row, j, nmax + 1] = self.V_m[i] + self.E_L[i]
                    row += 1
        return nspk


cdef class ExpMultisynapseCore:
    """Propagators, state and parameters of an iaf_psc_exp_multisynapse block."""
    cdef public real_t[:, ::1] P11, P21, i_syn
    cdef public real_t[::1] P20, P22, theta, v_reset, I_e, E_L, V_m, I_const
    cdef public long[::1] refractory_counts, r, nsyn, rec_syn

    def update(self, real_t[:, :, ::1] ring, int first, step_t t0, int nsteps,
               int[::1] spk_node, int[::1] spk_lag,
               int[::1] rec_nodes, unsigned char[::1] sample_flags, real_t[:, :, ::1] sample_out):
        """Advance all nodes by ``nsteps`` steps; return the number of spikes emitted."""
        cdef Py_ssize_t n = self.V_m.shape[0], L = ring.shape[0], nmax = self.i_syn.shape[1]
        cdef Py_ssize_t i, j, k, m, lag, slot, g, nspk = 0, row = 0
        cdef real_t v, s
        with nogil:
            for lag in range(nsteps):
                slot = (t0 + lag) % L
                for i in range(n):
                    g = first + i
                    if self.r[i] == 0:
                        v = self.V_m[i] * self.P22[i] + (self.I_e[i] + self.I_const[i]) * self.P20[i]
                        for k in range(self.nsyn[i]):
                            v = v + self.P21[i, k] * self.i_syn[i, k]
                        self.V_m[i] = v
                    else:
                        self.r[i] -= 1
                    for k in range(self.nsyn[i]):
                        self.i_syn[i, k] = self.P11[i, k] * self.i_syn[i, k] + ring[slot, k + 1, g]
                    for k in range(nmax):
                        ring[slot, k + 1, g] = 0.0
                    if self.V_m[i] >= self.theta[i]:
                        self.r[i] = self.refractory_counts[i]
                        self.V_m[i] = self.v_reset[i]
                        spk_node[nspk] = i
                        spk_lag[nspk] = lag
                        nspk += 1
                    self.I_const[i] = ring[slot, 0, g]
                    ring[slot, 0, g] = 0.0
                if sample_flags[lag]:
                    for j in range(rec_nodes.shape[0]):
                        i = rec_nodes[j]
                        s = 0.0
                        for k in range(self.nsyn[i]):
                            s = s + self.i_syn[i, k]
                        sample_out[row, j, 0] = s
                        for m in range(nmax):
                            k = self.rec_syn[m]
                            sample_out[row, j, 1 + m] = self.i_syn[i, k] if k < self.nsyn[i] else 0.0
                        sample_out[row, j, nmax + 1] = self.V_m[i] + self.E_L[i]
                    row += 1
        return nspk
