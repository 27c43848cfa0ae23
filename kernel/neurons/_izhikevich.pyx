"""Update loop of the izhikevich neuron (NEST's fixed-step schemes, no ODE solver).

dv/dt = 0.04 v^2 + 5 v + 140 - u + I,  du/dt = a (b v - u); v >= V_th: v <- c, u <- u + d.

``consistent_integration`` True: one forward-Euler step of size h for v and u from the values
at the start of the step; incoming spikes make v jump by their weight. False: the scheme of
Izhikevich (2003): two half steps for v (spike input entering as a current), then u from the
new v. The lower bound V_min is applied before the threshold test. Channels: 0 spikes (mV),
1 current (pA). Recordables: U_m, V_m.
"""
from kernel._types cimport real_t, step_t


cdef class IzhikevichCore:
    """Parameters and state of an izhikevich block."""
    cdef public real_t[::1] a, b, c, d, I_e, V_th, V_min, V_m, U_m, I
    cdef public unsigned char[::1] consistent
    cdef public real_t h

    def update(self, real_t[:, :, ::1] ring, int first, step_t t0, int nsteps,
               int[::1] spk_node, int[::1] spk_lag,
               int[::1] rec_nodes, unsigned char[::1] sample_flags, real_t[:, :, ::1] sample_out):
        """Advance all nodes by ``nsteps`` steps; return the number of spikes emitted."""
        cdef Py_ssize_t n = self.V_m.shape[0], L = ring.shape[0]
        cdef Py_ssize_t i, j, lag, slot, g, nspk = 0, row = 0
        cdef real_t v, u, spikes, h = self.h, drive
        with nogil:
            for lag in range(nsteps):
                slot = (t0 + lag) % L
                for i in range(n):
                    g = first + i
                    spikes = ring[slot, 0, g]
                    ring[slot, 0, g] = 0.0
                    v = self.V_m[i]
                    u = self.U_m[i]
                    drive = self.I[i] + self.I_e[i]
                    if self.consistent[i]:
                        self.V_m[i] = v + (h * (0.04 * v * v + 5.0 * v + 140.0 - u + self.I[i] + self.I_e[i]) + spikes)
                        self.U_m[i] = u + h * self.a[i] * (self.b[i] * v - u)
                    else:
                        v = v + h / 2 * (0.04 * v * v + 5.0 * v + 140.0 - u + drive + spikes)
                        v = v + h / 2 * (0.04 * v * v + 5.0 * v + 140.0 - u + drive + spikes)
                        self.V_m[i] = v
                        self.U_m[i] = u + h * self.a[i] * (self.b[i] * v - u)
                    if self.V_m[i] < self.V_min[i]:
                        self.V_m[i] = self.V_min[i]
                    if self.V_m[i] >= self.V_th[i]:
                        self.V_m[i] = self.c[i]
                        self.U_m[i] = self.U_m[i] + self.d[i]
                        spk_node[nspk] = i
                        spk_lag[nspk] = lag
                        nspk += 1
                    self.I[i] = ring[slot, 1, g]
                    ring[slot, 1, g] = 0.0
                if sample_flags[lag]:
                    for j in range(rec_nodes.shape[0]):
                        i = rec_nodes[j]
                        sample_out[row, j, 0] = self.U_m[i]
                        sample_out[row, j, 1] = self.V_m[i]
                    row += 1
        return nspk
