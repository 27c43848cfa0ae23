from libc.stdint cimport uint32_t, uint64_t

from kernel._types cimport RingView, channel_t, delay_t, real_t, step_t


ctypedef struct PoissonRun:
    # One generator's trains to consecutive targets g0, g0 + 1, ... (ring columns) whose
    # draw sites are site0, site0 + 1, ..., all with one weight, delay and channel; or, when
    # lane_key1 is not NULL, the trains of n generators with one connection each (to g0 + j
    # for generator j, with key1 lane_key1[j] and draw site lane_site[j]) that share
    # everything else
    uint32_t key0, key1
    const uint32_t* lane_key1
    const uint32_t* lane_site
    uint64_t site0
    long g0
    Py_ssize_t n
    long first_stamp, last_stamp
    const double* cdf
    const unsigned short* guide
    long cdf_last
    real_t weight
    delay_t delay
    channel_t channel


cdef class PoissonRuns:
    cdef PoissonRun* runs
    cdef readonly Py_ssize_t n
    cdef object _keep


cdef void poisson_run_part(const PoissonRun* run, const RingView* ring, step_t t0,
                           int nsteps, long lo, long hi) noexcept nogil


ctypedef struct CurrentRun:
    # One current generator's current to its targets (ring columns): weight x
    # amplitude[t - t_first] at step t (the current of the step ending at t + 1; 0: none)
    const real_t* amplitude
    step_t t_first
    const int* targets
    const real_t* weights
    const delay_t* delays
    const channel_t* channels
    Py_ssize_t n


cdef class CurrentRuns:
    cdef CurrentRun* runs
    cdef readonly Py_ssize_t n
    cdef readonly object block
    cdef object _keep


cdef void current_run_part(const CurrentRun* run, const RingView* ring, step_t t0,
                           int nsteps, long lo, long hi) noexcept nogil
