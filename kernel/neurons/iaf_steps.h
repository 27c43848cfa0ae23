/* One step of iaf_psc_delta (whose input during refractoriness is dropped: refractory_input
 * false), iaf_psc_exp and iaf_psc_alpha for nodes i0 <= i < i1, written so that the compiler
 * vectorizes the update.
 *
 * NEST's arithmetic, op for op, in NEST's order: the new potential is computed for every node
 * and kept only where the node is not refractory (an unused result has no effect), then a
 * second pass applies the threshold. Compiled for several instruction sets (target_clones,
 * picked at load time); the build turns off FMA contraction, so every clone gives the same
 * bits. The arrays do not overlap (restrict: the input channels are rows of the input ring).
 *
 * Two versions of each step share its body: parameters per node (arrays), and parameters
 * every node of the block shares (scalars: a population created with one set of values),
 * which leaves the step 5 streams of memory to read instead of 12 (delta), 12 instead of 22
 * (exp) or 10 instead of 27 (alpha) and gives the same numbers.
 *
 * Each step has two loops: with the current input, and (current_in NULL) for nodes to which
 * no current source was ever connected: their current channels and the state that holds the
 * last step's current are all zeros, so the loop reads 0.0 instead (the same operations on
 * the same values) and leaves those streams alone.
 */
#ifndef NEUROPIL_IAF_STEPS_H
#define NEUROPIL_IAF_STEPS_H
#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define NP_IAF_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NP_IAF_CLONES
#endif

#define NP_PER_NODE(name) name[i]
#define NP_SHARED(name) name

/* The threshold pass every step ends with. */
#define NP_IAF_THRESHOLD(PARAM, v)                                                         \
    for (int64_t i = i0; i < i1; i++) {                                                    \
        if (v[i] >= PARAM(theta)) {                                                        \
            r[i] = PARAM(refractory_counts);                                               \
            v[i] = PARAM(v_reset);                                                         \
            spk_node[nspk] = (int)i;                                                       \
            spk_lag[nspk] = lag;                                                           \
            nspk++;                                                                        \
        }                                                                                  \
    }                                                                                      \
    return nspk;

/* iaf_psc_delta's step; PARAM(name) is node i's value of a parameter. Returns the new number
 * of spikes in spk_node/spk_lag (nspk on entry). */
#define NP_IAF_DELTA_LOOP(PARAM, Y0, TAKE_CURRENT)                                         \
    for (int64_t i = i0; i < i1; i++) {                                                    \
        double v = PARAM(P30) * (Y0 + PARAM(I_e)) + PARAM(P33) * y3[i] + spikes_in[i];     \
        v = v < PARAM(v_min) ? PARAM(v_min) : v;                                           \
        long ri = r[i];                                                                    \
        y3[i] = ri == 0 ? v : y3[i];                                                       \
        r[i] = ri == 0 ? ri : ri - 1;                                                      \
        spikes_in[i] = 0.0;                                                                \
        TAKE_CURRENT                                                                       \
    }

#define NP_IAF_DELTA_BODY(PARAM)                                                           \
    if (current_in == NULL)                                                                \
        NP_IAF_DELTA_LOOP(PARAM, 0.0, )                                                    \
    else                                                                                   \
        NP_IAF_DELTA_LOOP(PARAM, y0[i], y0[i] = current_in[i]; current_in[i] = 0.0;)       \
    NP_IAF_THRESHOLD(PARAM, y3)

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

/* iaf_psc_exp's step: the potential moves with the synaptic currents and the current input
 * of the step before; ex_in and in_in are spike inputs, current_in and filtered_in current
 * inputs (receptors 0 and 1), all taken and cleared. */
#define NP_IAF_EXP_LOOP(PARAM, I0, I1, TAKE_CURRENTS)                                     \
    for (int64_t i = i0; i < i1; i++) {                                                    \
        double ex = i_syn_ex[i], in = i_syn_in[i];                                         \
        double v = V_m[i] * PARAM(P22) + ex * PARAM(P21_ex) + in * PARAM(P21_in)           \
                   + (PARAM(I_e) + I0) * PARAM(P20);                                       \
        long ri = r[i];                                                                    \
        V_m[i] = ri == 0 ? v : V_m[i];                                                     \
        r[i] = ri == 0 ? ri : ri - 1;                                                      \
        i_syn_ex[i] = ex * PARAM(P11_ex) + (1.0 - PARAM(P11_ex)) * I1 + ex_in[i];          \
        i_syn_in[i] = in * PARAM(P11_in) + in_in[i];                                       \
        ex_in[i] = 0.0;                                                                    \
        in_in[i] = 0.0;                                                                    \
        TAKE_CURRENTS                                                                      \
    }

#define NP_IAF_EXP_BODY(PARAM)                                                             \
    if (current_in == NULL)                                                                \
        NP_IAF_EXP_LOOP(PARAM, 0.0, 0.0, )                                                 \
    else                                                                                   \
        NP_IAF_EXP_LOOP(PARAM, i_0[i], i_1[i],                                             \
                        i_0[i] = current_in[i]; i_1[i] = filtered_in[i];                   \
                        current_in[i] = 0.0; filtered_in[i] = 0.0;)                        \
    NP_IAF_THRESHOLD(PARAM, V_m)

#define NP_IAF_EXP_STATE                                                                   \
    double *restrict i_0, double *restrict i_1, double *restrict i_syn_ex,                 \
    double *restrict i_syn_in, double *restrict V_m, long *restrict r,                     \
    double *restrict ex_in, double *restrict in_in, double *restrict current_in,           \
    double *restrict filtered_in, int lag, int *restrict spk_node, int *restrict spk_lag,  \
    int64_t nspk

NP_IAF_CLONES
static int64_t np_iaf_exp_step(int64_t i0, int64_t i1,
                               const double *restrict P11_ex, const double *restrict P11_in,
                               const double *restrict P21_ex, const double *restrict P21_in,
                               const double *restrict P20, const double *restrict P22,
                               const double *restrict I_e, const double *restrict theta,
                               const double *restrict v_reset,
                               const long *restrict refractory_counts, NP_IAF_EXP_STATE)
{
    NP_IAF_EXP_BODY(NP_PER_NODE)
}

NP_IAF_CLONES
static int64_t np_iaf_exp_step_shared(int64_t i0, int64_t i1, double P11_ex, double P11_in,
                                      double P21_ex, double P21_in, double P20, double P22,
                                      double I_e, double theta, double v_reset,
                                      long refractory_counts, NP_IAF_EXP_STATE)
{
    NP_IAF_EXP_BODY(NP_SHARED)
}

/* iaf_psc_alpha's step: the potential moves with each synapse's current I and its derivative
 * dI (alpha-shaped) and the current input of the step before; ex_in and in_in are spike
 * inputs, current_in current input, all taken and cleared. */
#define NP_IAF_ALPHA_LOOP(PARAM, Y0, TAKE_CURRENT)                                         \
    for (int64_t i = i0; i < i1; i++) {                                                    \
        double dex = dI_ex[i], iex = I_ex[i], din = dI_in[i], iin = I_in[i], y = y3[i];    \
        double v = PARAM(P30) * (Y0 + PARAM(I_e))                                          \
                   + PARAM(P31_ex) * dex + PARAM(P32_ex) * iex                             \
                   + PARAM(P31_in) * din + PARAM(P32_in) * iin                             \
                   + PARAM(expm1_tau_m) * y + y;                                           \
        v = v < PARAM(v_min) ? PARAM(v_min) : v;                                           \
        long ri = r[i];                                                                    \
        y3[i] = ri == 0 ? v : y;                                                           \
        r[i] = ri == 0 ? ri : ri - 1;                                                      \
        I_ex[i] = PARAM(P21_ex) * dex + PARAM(P11_ex) * iex;                               \
        dI_ex[i] = dex * PARAM(P11_ex) + PARAM(psc_scale_ex) * ex_in[i];                   \
        I_in[i] = PARAM(P21_in) * din + PARAM(P11_in) * iin;                               \
        dI_in[i] = din * PARAM(P11_in) + PARAM(psc_scale_in) * in_in[i];                   \
        ex_in[i] = 0.0;                                                                    \
        in_in[i] = 0.0;                                                                    \
        TAKE_CURRENT                                                                       \
    }

#define NP_IAF_ALPHA_BODY(PARAM)                                                           \
    if (current_in == NULL)                                                                \
        NP_IAF_ALPHA_LOOP(PARAM, 0.0, )                                                    \
    else                                                                                   \
        NP_IAF_ALPHA_LOOP(PARAM, y0[i], y0[i] = current_in[i]; current_in[i] = 0.0;)       \
    NP_IAF_THRESHOLD(PARAM, y3)

#define NP_IAF_ALPHA_STATE                                                                 \
    double *restrict y0, double *restrict dI_ex, double *restrict I_ex,                    \
    double *restrict dI_in, double *restrict I_in, double *restrict y3, long *restrict r,  \
    double *restrict ex_in, double *restrict in_in, double *restrict current_in, int lag,  \
    int *restrict spk_node, int *restrict spk_lag, int64_t nspk

NP_IAF_CLONES
static int64_t np_iaf_alpha_step(int64_t i0, int64_t i1,
                                 const double *restrict P11_ex, const double *restrict P21_ex,
                                 const double *restrict P31_ex, const double *restrict P32_ex,
                                 const double *restrict P11_in, const double *restrict P21_in,
                                 const double *restrict P31_in, const double *restrict P32_in,
                                 const double *restrict P30, const double *restrict expm1_tau_m,
                                 const double *restrict psc_scale_ex,
                                 const double *restrict psc_scale_in,
                                 const double *restrict theta, const double *restrict v_reset,
                                 const double *restrict v_min, const double *restrict I_e,
                                 const long *restrict refractory_counts, NP_IAF_ALPHA_STATE)
{
    NP_IAF_ALPHA_BODY(NP_PER_NODE)
}

NP_IAF_CLONES
static int64_t np_iaf_alpha_step_shared(int64_t i0, int64_t i1, double P11_ex, double P21_ex,
                                        double P31_ex, double P32_ex, double P11_in,
                                        double P21_in, double P31_in, double P32_in, double P30,
                                        double expm1_tau_m, double psc_scale_ex,
                                        double psc_scale_in, double theta, double v_reset,
                                        double v_min, double I_e, long refractory_counts,
                                        NP_IAF_ALPHA_STATE)
{
    NP_IAF_ALPHA_BODY(NP_SHARED)
}

#endif
