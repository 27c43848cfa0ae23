/* One step of iaf_psc_delta for nodes i0 <= i < i1 whose input during refractoriness is
 * dropped (refractory_input false), written so that the compiler vectorizes the update.
 *
 * The same arithmetic, op for op, as the general loop in _iaf_psc.pyx: the new potential is
 * computed for every node and kept only where the node is not refractory (an unused result
 * has no effect), then a second pass applies the threshold. Compiled for several instruction
 * sets (target_clones, picked at load time); the build turns off FMA contraction, so every
 * clone gives the same bits. The arrays do not overlap (restrict: spikes_in and current_in
 * are two channels of the input ring).
 */
#ifndef NEUROPIL_IAF_DELTA_STEP_H
#define NEUROPIL_IAF_DELTA_STEP_H
#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define NP_IAF_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NP_IAF_CLONES
#endif

/* Returns the new number of spikes in spk_node/spk_lag (nspk on entry). */
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
    for (int64_t i = i0; i < i1; i++) {
        double v = P30[i] * (y0[i] + I_e[i]) + P33[i] * y3[i] + spikes_in[i];
        v = v < v_min[i] ? v_min[i] : v;
        long ri = r[i];
        y3[i] = ri == 0 ? v : y3[i];
        r[i] = ri == 0 ? ri : ri - 1;
        spikes_in[i] = 0.0;
        y0[i] = current_in[i];
        current_in[i] = 0.0;
    }
    for (int64_t i = i0; i < i1; i++) {
        if (y3[i] >= theta[i]) {
            r[i] = refractory_counts[i];
            y3[i] = v_reset[i];
            spk_node[nspk] = (int)i;
            spk_lag[nspk] = lag;
            nspk++;
        }
    }
    return nspk;
}

#endif
