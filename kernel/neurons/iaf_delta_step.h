/* One step of iaf_psc_delta for nodes i0 <= i < i1 whose input during refractoriness is
 * dropped (refractory_input false), written so that the compiler vectorizes the update.
 *
 * The same arithmetic, op for op, as the general loop in _iaf_psc.pyx: the new potential is
 * computed for every node and kept only where the node is not refractory (an unused result
 * has no effect), then a second pass applies the threshold. Compiled for several instruction
 * sets (target_clones, picked at load time); the build turns off FMA contraction, so every
 * clone gives the same bits. The arrays do not overlap (restrict: spikes_in and current_in
 * are two channels of the input ring).
 *
 * Two versions share the body: parameters per node (arrays), and parameters every node of
 * the block shares (scalars: a population created with one set of values), which leaves the
 * step 5 streams of memory to read instead of 12 and gives the same numbers.
 */
#ifndef NEUROPIL_IAF_DELTA_STEP_H
#define NEUROPIL_IAF_DELTA_STEP_H
#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define NP_IAF_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NP_IAF_CLONES
#endif

/* The step; PARAM(name) is node i's value of a parameter. Returns the new number of spikes
 * in spk_node/spk_lag (nspk on entry). */
#define NP_IAF_DELTA_BODY(PARAM)                                                           \
    for (int64_t i = i0; i < i1; i++) {                                                    \
        double v = PARAM(P30) * (y0[i] + PARAM(I_e)) + PARAM(P33) * y3[i] + spikes_in[i];  \
        v = v < PARAM(v_min) ? PARAM(v_min) : v;                                           \
        long ri = r[i];                                                                    \
        y3[i] = ri == 0 ? v : y3[i];                                                       \
        r[i] = ri == 0 ? ri : ri - 1;                                                      \
        spikes_in[i] = 0.0;                                                                \
        y0[i] = current_in[i];                                                             \
        current_in[i] = 0.0;                                                               \
    }                                                                                      \
    for (int64_t i = i0; i < i1; i++) {                                                    \
        if (y3[i] >= PARAM(theta)) {                                                       \
            r[i] = PARAM(refractory_counts);                                               \
            y3[i] = PARAM(v_reset);                                                        \
            spk_node[nspk] = (int)i;                                                       \
            spk_lag[nspk] = lag;                                                           \
            nspk++;                                                                        \
        }                                                                                  \
    }                                                                                      \
    return nspk;

#define NP_PER_NODE(name) name[i]
#define NP_SHARED(name) name

NP_IAF_CLONES
static int64_t np_iaf_delta_step(int64_t i0, int64_t i1,
                                 const double *restrict P30, const double *restrict P33,
                                 const double *restrict I_e, const double *restrict v_min,
                                 const double *restrict theta, const double *restrict v_reset,
                                 const long *restrict refractory_counts,
                                 double *restrict y0, double *restrict y3, long *restrict r,
                                 double *restrict spikes_in, double *restrict current_in,
                                 int lag, int *restrict spk_node, int *restrict spk_lag,
                                 int64_t nspk)
{
    NP_IAF_DELTA_BODY(NP_PER_NODE)
}

NP_IAF_CLONES
static int64_t np_iaf_delta_step_shared(int64_t i0, int64_t i1, double P30, double P33,
                                        double I_e, double v_min, double theta, double v_reset,
                                        long refractory_counts,
                                        double *restrict y0, double *restrict y3,
                                        long *restrict r, double *restrict spikes_in,
                                        double *restrict current_in, int lag,
                                        int *restrict spk_node, int *restrict spk_lag,
                                        int64_t nspk)
{
    NP_IAF_DELTA_BODY(NP_SHARED)
}

#endif
