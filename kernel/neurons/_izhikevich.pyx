"""Update loop of the izhikevich neuron (NEST's fixed-step schemes, no ODE solver).

dv/dt = 0.04 v^2 + 5 v + 140 - u + I,  du/dt = a (b v - u); v >= V_th: v <- c, u <- u + d.

``consistent_integration`` True: one forward-Euler step of size h for v and u from the values
at the start of the step; incoming spikes make v jump by their weight. False: the scheme of
Izhikevich (2003): two half steps for v (spike input entering as a current), then u from the
new v. The lower bound V_min is applied before the threshold test. Channels: 0 spikes (mV),
1 current (pA). Recordables: U_m, V_m.
"""
from kernel._types cimport real_t, step_t
from kernel.parallel._region cimport (NeuronPart, RingView, Samples, ThreadedCore,
                                      ring_channel, sample_row)


ctypedef struct IzhikevichArrays:
    const real_t* a
    const real_t* b
    const real_t* c
    const real_t* d
    const real_t* I_e
    const real_t* V_th
    const real_t* V_min
    const unsigned char* consistent
    real_t* V_m
    real_t* U_m
    real_t* I
    real_t h


cdef class IzhikevichCore(ThreadedCore):
    """Parameters and state of an izhikevich block; its nodes are updated in parts by the
    slice engine's threads (NeuronPart)."""
    cdef public real_t[::1] a, b, c, d, I_e, V_th, V_min, V_m, U_m, I
    cdef public unsigned char[::1] consistent
    cdef public real_t h
    cdef IzhikevichArrays arrays

    cdef NeuronPart part_function(self):
        return _izhikevich_part

    cdef Py_ssize_t size(self):
        return self.V_m.shape[0]

    cdef void* part_state(self):
        # pointers into the arrays above (taken again for every update)
        s = &self.arrays
        s.a, s.b, s.c, s.d = &self.a[0], &self.b[0], &self.c[0], &self.d[0]
        s.I_e, s.V_th, s.V_min = &self.I_e[0], &self.V_th[0], &self.V_min[0]
        s.consistent = &self.consistent[0]
        s.V_m, s.U_m, s.I = &self.V_m[0], &self.U_m[0], &self.I[0]
        s.h = self.h
        return s


cdef Py_ssize_t _izhikevich_part(void* state, const RingView* ring, Py_ssize_t first,
                                 step_t t0, int nsteps, Py_ssize_t i0, Py_ssize_t i1,
                                 int* spk_node, int* spk_lag, long* spk_mult,
                                 const Samples* samples) noexcept nogil:
    cdef const IzhikevichArrays* s = <const IzhikevichArrays*>state
    cdef Py_ssize_t i, j, lag, slot, nspk = 0
    cdef real_t v, u, spikes, h = s.h, drive
    cdef real_t* spikes_in
    cdef real_t* current_in
    cdef real_t* row
    for lag in range(nsteps):
        slot = (t0 + lag) % ring.length
        spikes_in = ring_channel(ring, slot, 0, first)
        current_in = ring_channel(ring, slot, 1, first)
        for i in range(i0, i1):
            spikes = spikes_in[i]
            spikes_in[i] = 0.0
            v = s.V_m[i]
            u = s.U_m[i]
            drive = s.I[i] + s.I_e[i]
            if s.consistent[i]:
                s.V_m[i] = v + (h * (0.04 * v * v + 5.0 * v + 140.0 - u + s.I[i] + s.I_e[i])
                                + spikes)
                s.U_m[i] = u + h * s.a[i] * (s.b[i] * v - u)
            else:
                v = v + h / 2 * (0.04 * v * v + 5.0 * v + 140.0 - u + drive + spikes)
                v = v + h / 2 * (0.04 * v * v + 5.0 * v + 140.0 - u + drive + spikes)
                s.V_m[i] = v
                s.U_m[i] = u + h * s.a[i] * (s.b[i] * v - u)
            if s.V_m[i] < s.V_min[i]:
                s.V_m[i] = s.V_min[i]
            if s.V_m[i] >= s.V_th[i]:
                s.V_m[i] = s.c[i]
                s.U_m[i] = s.U_m[i] + s.d[i]
                spk_node[nspk] = <int>i
                spk_lag[nspk] = <int>lag
                nspk += 1
            s.I[i] = current_in[i]
            current_in[i] = 0.0
        if samples.n_rec and samples.flags[lag]:
            for j in range(samples.n_rec):
                i = samples.rec_nodes[j]
                if i0 <= i < i1:
                    row = sample_row(samples, lag, j)
                    row[0] = s.U_m[i]
                    row[1] = s.V_m[i]
    return nspk
