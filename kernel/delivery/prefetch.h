/* A prefetch the compiler keeps. GCC treats __builtin_prefetch as free of side effects, so a
 * function that only prefetches is found pure and a call to it, whose result is void, is
 * deleted (GCC 12, from -O1): the empty volatile asm is a side effect that keeps it. */
#ifndef NEUROPIL_PREFETCH_H
#define NEUROPIL_PREFETCH_H
static inline void np_prefetch(const void* address) {
    __builtin_prefetch(address);
    __asm__ __volatile__("");
}
#endif
