/* A barrier for the threads of the enclosing OpenMP parallel region (an orphaned directive:
 * Cython has no barrier statement). Every thread of the team must call it. */
#ifndef NEUROPIL_OMP_BARRIER_H
#define NEUROPIL_OMP_BARRIER_H
#ifdef _OPENMP
#include <omp.h>
static inline void np_team_barrier(void) {
#pragma omp barrier
}
static inline int np_team_rank(void) { return omp_get_thread_num(); }
static inline int np_team_size(void) { return omp_get_num_threads(); }
#else
static inline void np_team_barrier(void) {}
static inline int np_team_rank(void) { return 0; }
static inline int np_team_size(void) { return 1; }
#endif
#endif
