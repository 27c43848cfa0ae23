"""spike_generator's spikes, stepped by the slice engine (generators.SpikeGenerator).

A ThreadedCore like a neuron core: the thread that owns a generator's ring column lists its
spikes of each slice, which then go through the spike register and the static tables as the
general path sends them.
"""
import numpy as np

from kernel._types cimport step_t
from kernel.parallel._region cimport NeuronPart, RingView, Samples, ThreadedCore


ctypedef struct SpikeTimes:
    # node i's spikes are k = first[i] ... first[i + 1] - 1, stamps increasing
    const long* first
    const long* stamps
    const long* mults
    # node i emits stamps in (t_start[i], t_stop[i]]
    const long* t_start
    const long* t_stop
    # node i's first spike not yet listed (advanced as time goes on)
    long* cursor


cdef class SpikeTimesCore(ThreadedCore):
    """The spikes of a spike_generator block with at most one spike a node and step (and no
    per-spike weights), as the slice engine lists them.

    Parameters
    ----------
    first : ndarray of int64
        Node i's spikes are first[i] ... first[i + 1] - 1 of ``stamps`` and ``mults``.
    stamps, mults : ndarray of int64
        Each spike's stamp (steps) and multiplicity (0: not sent).
    t_start, t_stop : ndarray of int64
        Each node's window: it sends the stamps in (t_start, t_stop].
    """
    cdef SpikeTimes times
    cdef Py_ssize_t n
    cdef object _arrays

    def __init__(self, first, stamps, mults, t_start, t_stop):
        arrays = [np.ascontiguousarray(a, dtype=np.int64)
                  for a in (first, stamps, mults, t_start, t_stop)]
        arrays.append(arrays[0][:-1].copy())
        cdef const long[::1] f = arrays[0]
        cdef const long[::1] s = arrays[1]
        cdef const long[::1] m = arrays[2]
        cdef const long[::1] a = arrays[3]
        cdef const long[::1] b = arrays[4]
        cdef long[::1] c = arrays[5]
        self.n = f.shape[0] - 1
        # (one entry more than used, so that an empty generator still has a pointer)
        self.times.first, self.times.t_start, self.times.t_stop = &f[0], &a[0], &b[0]
        self.times.stamps = &s[0] if s.shape[0] else &f[0]
        self.times.mults = &m[0] if m.shape[0] else &f[0]
        self.times.cursor = &c[0] if c.shape[0] else NULL
        self._arrays = arrays

    cdef NeuronPart part_function(self):
        return _times_part

    cdef void* part_state(self):
        return &self.times

    cdef Py_ssize_t size(self):
        return self.n

    cdef bint multiple_spikes(self):
        return True


cdef Py_ssize_t _times_part(void* state, const RingView* ring, Py_ssize_t first, step_t t0,
                            int nsteps, Py_ssize_t i0, Py_ssize_t i1, int* spk_node,
                            int* spk_lag, long* spk_mult, const Samples* samples) noexcept nogil:
    # nodes i0 <= i < i1, steps t0 ... t0 + nsteps - 1 (NeuronPart): their spikes stamped
    # t0 + 1 ... t0 + nsteps, by step, then node
    cdef SpikeTimes* s = <SpikeTimes*>state
    cdef Py_ssize_t i, k, lag, nspk = 0
    cdef step_t stamp
    for i in range(i0, i1):
        k = s.cursor[i]
        while k < s.first[i + 1] and s.stamps[k] <= t0:
            k += 1
        s.cursor[i] = k
    for lag in range(nsteps):
        stamp = t0 + 1 + lag
        for i in range(i0, i1):
            k = s.cursor[i]
            if k < s.first[i + 1] and s.stamps[k] == stamp:
                if s.mults[k] > 0 and s.t_start[i] < stamp <= s.t_stop[i]:
                    spk_node[nspk] = <int>i
                    spk_lag[nspk] = <int>lag
                    spk_mult[nspk] = s.mults[k]
                    nspk += 1
                s.cursor[i] = k + 1
    return nspk
