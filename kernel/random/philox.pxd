# Philox4x32-10 (Salmon et al., SC'11): a counter-based generator. A stream is keyed by
# (seed, stream id); the counter names the draw, so any thread or MPI rank can compute any draw
# without communication and results do not depend on how the work is split.
from libc.stdint cimport uint32_t, uint64_t

cdef struct Stream:
    uint32_t key0
    uint32_t key1
    uint32_t ctr0
    uint32_t ctr1
    uint32_t ctr2
    uint32_t ctr3
    uint32_t out[4]
    int avail

cdef void philox4x32_10(uint32_t* ctr, uint32_t k0, uint32_t k1, uint32_t* out) noexcept nogil
cdef void stream_init(Stream* s, uint64_t seed, uint32_t stream_id, uint64_t c01, uint32_t c2) noexcept nogil
cdef uint32_t next_u32(Stream* s) noexcept nogil
cdef double next_double(Stream* s) noexcept nogil
cdef long poisson(Stream* s, double mu) noexcept nogil
