/* NP_CLONES: compile a function for several instruction sets (target_clones); the loader
 * picks the widest the CPU has. Loops meant to vectorize use it; with the build's
 * -ffp-contract=off every clone gives the same bits. */
#ifndef NEUROPIL_CLONES_H
#define NEUROPIL_CLONES_H
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define NP_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NP_CLONES
#endif
#endif
