/* The threads of the enclosing OpenMP parallel region (orphaned: Cython has no directives
 * for them) and the meeting where they wait for each other once a slice.
 *
 * A meeting counts arrivals. A thread that has arrived may keep working (the engine draws
 * the next slice's Poisson input while it waits) and asks `np_meeting_complete` between
 * pieces of work; with nothing left to do it calls `np_meeting_wait`, which spins for a
 * bounded time and then sleeps on a futex. The last thread to arrive pays one atomic add, and
 * a futex wake only when someone sleeps: libgomp's barrier makes a wake system call at every
 * barrier, about a microsecond on this virtual machine, against slices of 50-500 us.
 */
#ifndef NEUROPIL_MEETING_H
#define NEUROPIL_MEETING_H
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#else
#include <sched.h>
#endif
#ifdef _OPENMP
#include <omp.h>
static inline int np_team_rank(void) { return omp_get_thread_num(); }
static inline int np_team_size(void) { return omp_get_num_threads(); }
static inline double np_seconds(void) { return omp_get_wtime(); }
#else
static inline int np_team_rank(void) { return 0; }
static inline int np_team_size(void) { return 1; }
static inline double np_seconds(void) { return 0.0; }
#endif

/* alone on its cache line: the threads write it and nothing else there */
typedef struct {
    _Atomic int arrived;
    _Atomic int sleepers;
    char pad[64 - 2 * sizeof(int)];
} np_meeting;

static inline np_meeting *np_meeting_new(void)
{
    void *m = NULL;
    if (posix_memalign(&m, 64, sizeof(np_meeting)) != 0)
        return NULL;
    atomic_init(&((np_meeting *)m)->arrived, 0);
    atomic_init(&((np_meeting *)m)->sleepers, 0);
    return (np_meeting *)m;
}

/* before the parallel region (its start orders it before every arrival) */
static inline void np_meeting_reset(np_meeting *m)
{
    atomic_store(&m->arrived, 0);
    atomic_store(&m->sleepers, 0);
}

/* What a thread wrote before it arrives is seen by every thread that found the meeting
 * complete (sequentially consistent: an arrival either sees a sleeper, whom it wakes, or the
 * sleeper sees the arrival before it sleeps). */
static inline void np_meeting_arrive(np_meeting *m)
{
    atomic_fetch_add(&m->arrived, 1);
#ifdef __linux__
    if (atomic_load(&m->sleepers) > 0)
        syscall(SYS_futex, (int *)&m->arrived, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#endif
}

static inline int np_meeting_complete(np_meeting *m, int expected)
{
    return atomic_load(&m->arrived) >= expected;
}

/* Until `expected` arrivals: spin for `spin_seconds` (< 0: for ever), then sleep. */
static inline void np_meeting_wait(np_meeting *m, int expected, double spin_seconds)
{
    double start = np_seconds();
    int spins = 0, spinning = spin_seconds != 0.0;
    while (!np_meeting_complete(m, expected)) {
        /* the clock is read every 64 pauses */
        if (spinning && spin_seconds > 0.0 && (++spins & 63) == 0)
            spinning = np_seconds() - start < spin_seconds;
        if (spinning) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
            continue;
        }
#ifdef __linux__
        atomic_fetch_add(&m->sleepers, 1);
        int seen = atomic_load(&m->arrived);
        if (seen < expected) {
            /* the timeout only bounds the damage of a wake that never comes */
            struct timespec limit = {0, 1000000};
            syscall(SYS_futex, (int *)&m->arrived, FUTEX_WAIT_PRIVATE, seen, &limit, NULL, 0);
        }
        atomic_fetch_sub(&m->sleepers, 1);
#else
        sched_yield();
#endif
    }
}
#endif
