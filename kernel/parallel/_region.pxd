from kernel._types cimport RingView, real_t, ring_channel, step_t


ctypedef struct Samples:
    # the recorded nodes (local indices) and, for each step of the update, whether it is
    # sampled and which output row it fills: out[(row * n_rec + j) * n_vars + var]
    const int* rec_nodes
    Py_ssize_t n_rec, n_vars
    const unsigned char* flags
    const long* row_of_step
    real_t* out


cdef inline real_t* sample_row(const Samples* s, Py_ssize_t lag, Py_ssize_t j) noexcept nogil:
    # the n_vars variables of recorded node j at step lag of the update (a sampled step)
    return s.out + (s.row_of_step[lag] * s.n_rec + j) * s.n_vars


cdef inline void sample_state_columns(const Samples* s, Py_ssize_t lag, const real_t[:, ::1] y,
                                      const int[::1] cols, Py_ssize_t i0,
                                      Py_ssize_t i1) noexcept nogil:
    # at step lag (a sampled step), the recorded nodes among i0 <= i < i1: their variables
    # are the state columns y[i, cols[0]], ..., y[i, cols[n_vars - 1]]
    cdef Py_ssize_t j, i, q
    cdef real_t* row
    for j in range(s.n_rec):
        i = s.rec_nodes[j]
        if i0 <= i < i1:
            row = sample_row(s, lag, j)
            for q in range(s.n_vars):
                row[q] = y[i, cols[q]]


# Advance nodes i0 <= i < i1 (local indices) of a block by nsteps steps from t0, reading and
# clearing their ring columns first + i; list the spikes (node, step of the update) from
# spk_node[0], spk_lag[0], in step order and by node within a step; return how many. A core
# whose node may emit several spikes in one step (ThreadedCore.multiple_spikes) lists each
# such event once, with its multiplicity in spk_mult; the others leave spk_mult alone (it may
# be NULL for them).
ctypedef Py_ssize_t (*NeuronPart)(void* state, const RingView* ring, Py_ssize_t first,
                                  step_t t0, int nsteps, Py_ssize_t i0, Py_ssize_t i1,
                                  int* spk_node, int* spk_lag, long* spk_mult,
                                  const Samples* samples) noexcept nogil


cdef class ThreadedCore:
    """A neuron core whose nodes can be updated in parts by several threads."""
    # False while no current source was ever connected to the core's nodes (their current
    # channels then hold only zeros: a core may leave them alone)
    cdef public bint current_input
    cdef NeuronPart part_function(self)
    cdef void* part_state(self)
    cdef Py_ssize_t size(self)
    cdef bint multiple_spikes(self)
    cdef object _scratch


cdef class SolverCore(ThreadedCore):
    """A ThreadedCore of neurons integrated by an ODE solver; see _region.pyx."""
    cdef public long[::1] fail_steps
    cdef public int[::1] fail_codes
    cdef Py_ssize_t _part(self, const RingView* ring, Py_ssize_t first, step_t t0, int nsteps,
                          Py_ssize_t i0, Py_ssize_t i1, int* spk_node, int* spk_lag,
                          long* spk_mult, const Samples* samples) noexcept nogil
    cdef bint part_failed(self, Py_ssize_t i0, Py_ssize_t i1) noexcept nogil
