# Philox4x32-10 (Salmon et al., SC'11): a counter-based generator. A stream is keyed by
# (seed, stream id); the counter names the draw, so any thread or MPI rank can compute any draw
# without communication and results do not depend on how the work is split.
# The block function and the stream helpers are defined here, inline, so that every module's
# hot loop compiles them in instead of calling across modules.
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


cdef inline void philox4x32_10(uint32_t* ctr, uint32_t k0, uint32_t k1, uint32_t* out) noexcept nogil:
    cdef uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3]
    cdef uint64_t p0, p1
    cdef int r
    for r in range(10):
        p0 = <uint64_t>0xD2511F53u * c0
        p1 = <uint64_t>0xCD9E8D57u * c2
        c0 = <uint32_t>(p1 >> 32) ^ c1 ^ k0
        c1 = <uint32_t>p1
        c2 = <uint32_t>(p0 >> 32) ^ c3 ^ k1
        c3 = <uint32_t>p0
        k0 += 0x9E3779B9u
        k1 += 0xBB67AE85u
    out[0] = c0
    out[1] = c1
    out[2] = c2
    out[3] = c3


cdef inline void stream_init(Stream* s, uint64_t seed, uint32_t stream_id, uint64_t c01,
                             uint32_t c2) noexcept nogil:
    # key: the 32-bit seed and the stream (e.g. a node id or a Connect call); counter words 0-2
    # name the draw site (e.g. step and target); word 3 counts draws within the site.
    s.key0 = <uint32_t>seed
    s.key1 = stream_id ^ <uint32_t>(seed >> 32)
    s.ctr0 = <uint32_t>c01
    s.ctr1 = <uint32_t>(c01 >> 32)
    s.ctr2 = c2
    s.ctr3 = 0
    s.avail = 0


cdef inline uint32_t next_u32(Stream* s) noexcept nogil:
    cdef uint32_t ctr[4]
    if s.avail == 0:
        ctr[0] = s.ctr0
        ctr[1] = s.ctr1
        ctr[2] = s.ctr2
        ctr[3] = s.ctr3
        philox4x32_10(ctr, s.key0, s.key1, s.out)
        s.ctr3 += 1
        s.avail = 4
    s.avail -= 1
    return s.out[s.avail]


cdef inline double next_double(Stream* s) noexcept nogil:
    # 52 random bits, centred in their bin: (bits + 0.5) / 2**52 is exact, so the result lies
    # in the open interval (0, 1) (with 53 bits the largest value would round to 1.0).
    cdef uint64_t hi = next_u32(s)
    cdef uint64_t lo = next_u32(s)
    cdef uint64_t bits = ((hi << 32) | lo) >> 12
    return (<double>bits + 0.5) * (1.0 / 4503599627370496.0)


cdef inline void site_stream(Stream* s, uint64_t seed, uint32_t stream_id, uint64_t c01,
                             uint32_t site) noexcept nogil:
    # The stream a table draw at ``site`` reads (its next_double is the site's uniform,
    # site_uniform): sites 2k and 2k + 1 share the stream of counter word 2 = 2k, the odd one
    # from its second double, so that one Philox block serves both (philox_batch.h). Draws
    # that take a stream of their own (``poisson`` above the tables) use stream_init.
    stream_init(s, seed, stream_id, c01, site & ~1u)
    if site & 1u:
        next_double(s)


cdef inline double site_uniform(uint64_t seed, uint32_t stream_id, uint64_t c01,
                                uint32_t site) noexcept nogil:
    cdef Stream st
    site_stream(&st, seed, stream_id, c01, site)
    return next_double(&st)


cdef long poisson(Stream* s, double mu) noexcept nogil


# -- Poisson draws by table (the generators' hot path) -------------------------------------------
# For mu < POISSON_TABLE_MAX_MU a draw inverts one uniform by sequential search over the CDF;
# the table holds that CDF exactly as the search computes it, plus a guide (the first candidate
# for each 1/POISSON_GUIDE_SIZE of the unit interval), so a draw is one lookup and on average
# well under one comparison, and gives the same count as ``poisson``.
cdef extern from "philox_batch.h":
    void np_philox_stream_doubles(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1,
                                  uint32_t c2, long n, double* out) nogil
    void np_philox_uniforms(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1,
                            uint32_t c2_first, long n, double* out) nogil
    void np_poisson_deposit(uint32_t key0, uint32_t key1, uint32_t c0, uint32_t c1,
                            uint32_t c2_first, long n, const double* cdf,
                            const unsigned short* guide, long guide_size, long last, long cap,
                            double w, double* slot) nogil
    void np_poisson_deposit_lanes(uint32_t key0, const uint32_t* key1, uint32_t c0,
                                  uint32_t c1, const uint32_t* c2,
                                  long n, const double* cdf, const unsigned short* guide,
                                  long guide_size, long last, long cap, double w,
                                  double* slot) nogil
    enum: NP_DEPOSIT_CHUNK        # uniforms np_counts_deposit takes at most
    int np_avx512() nogil
    int np_set_avx512(int on) nogil
    int np_table16_ok(const double* cdf, long last) nogil
    void np_counts_deposit(const double* u, long m, const double* cdf,
                           const unsigned short* guide, long guide_size, long last, long cap,
                           double w, double* slot) nogil
    void np_counts_deposit_v4(const double* u, long m, const double* cdf,
                              const unsigned short* guide, long guide_size, long last,
                              long cap, double w, double* slot) nogil

cdef enum:
    POISSON_GUIDE_SIZE = 1024     # 2 kB a mean: a lookup rarely needs a comparison
    POISSON_SEARCH_CAP = 1000
    POISSON_TABLE_MAX_MU = 10     # below it ``poisson`` inverts one uniform


cdef inline long poisson_lookup(double u, const double* cdf, const unsigned short* guide,
                                long last) noexcept nogil:
    # cdf[0..last]: the CDF is constant from ``last`` on; a uniform above it gives the cap
    cdef long k = guide[<int>(u * POISSON_GUIDE_SIZE)]
    while k < last and u > cdf[k]:
        k += 1
    if k == last and u > cdf[last]:
        return POISSON_SEARCH_CAP
    return k


cdef inline void stream_keys(uint64_t seed, uint32_t stream_id, uint32_t* key0,
                             uint32_t* key1) noexcept nogil:
    # the key stream_init uses
    key0[0] = <uint32_t>seed
    key1[0] = stream_id ^ <uint32_t>(seed >> 32)
