/* The inner loop of delivery for a row part whose connections share weight, delay and
 * receptor: w added to slot[target] for each target, in row order. Unrolled (GCC does not
 * unroll at -O3), which saves the loop's add, compare and branch on three deposits of four:
 * 10 % of a deposit, which is a load, an add and a store to a random place in the slot. */
#ifndef NEUROPIL_DEPOSIT_H
#define NEUROPIL_DEPOSIT_H
#include <stddef.h>
#include <stdint.h>

static inline void np_deposit_offsets(double *slot, const uint16_t *offsets, ptrdiff_t n,
                                      double w)
{
#pragma GCC unroll 4
    for (ptrdiff_t j = 0; j < n; j++)
        slot[offsets[j]] += w;
}

static inline void np_deposit_targets(double *slot, const int32_t *targets, ptrdiff_t n,
                                      double w)
{
#pragma GCC unroll 4
    for (ptrdiff_t j = 0; j < n; j++)
        slot[targets[j]] += w;
}
#endif
