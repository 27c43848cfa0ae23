"""Update loops of generators that write straight into their targets' input rings.

Generators whose output differs per target (poisson_generator: an independent train for each
target, as in NEST) or that send a value every step (dc_generator) do not go through the spike
register: they walk their own outgoing connections.
"""
from cython.parallel cimport prange
from libc.stdint cimport uint32_t, uint64_t
from libc.stdlib cimport free, malloc

from kernel._types cimport (RingView, channel_t, delay_t, node_t, real_t, ring_channel,
                             ring_view, step_t)
from kernel.delivery._deliver cimport (TAKES_COUNT, TAKES_NOTHING, deposit_spike,
                                       parallel_threads)
from kernel.random.philox cimport (POISSON_GUIDE_SIZE, POISSON_SEARCH_CAP,
                                    POISSON_TABLE_MAX_MU, Stream, next_double,
                                    np_philox_uniforms, np_poisson_deposit,
                                    np_poisson_deposit_lanes, poisson,
                                    poisson_lookup, site_uniform, stream_init,
                                    stream_keys)

import numpy as np

cdef enum:
    UNIFORM_BATCH = 256     # uniforms drawn at once (2 kB on the stack)


cdef inline uint64_t _site_counter(uint64_t step, uint64_t site) noexcept nogil:
    # A connection's draws are named by its target id (low word of ``site``, see
    # Kernel.draw_sites) and by which connection to that target it is (high word, folded in
    # above bit 40 of the step counter), not by its position in the generator's list: the
    # list differs between MPI ranks (each holds the connections to its own nodes).
    return step | ((site >> 32) << 40)


cdef inline void _site_uniforms(uint32_t key0, uint32_t key1, uint64_t seed, uint32_t gid,
                                step_t t, const uint64_t* sites, Py_ssize_t n,
                                double* out) noexcept nogil:
    # Each connection's uniform, site_uniform(seed, gid, _site_counter(t, site), site): one
    # batched call when the sites are consecutive (a generator's targets in id order, the
    # usual case), else one at a time; both give the same numbers.
    cdef Py_ssize_t j
    cdef uint64_t c
    if n <= 0:
        return
    for j in range(1, n):
        if sites[j] != sites[0] + <uint64_t>j:
            break
    else:
        c = _site_counter(t, sites[0])
        np_philox_uniforms(key0, key1, <uint32_t>c, <uint32_t>(c >> 32), <uint32_t>sites[0],
                           n, out)
        return
    for j in range(n):
        out[j] = site_uniform(seed, gid, _site_counter(t, sites[j]), <uint32_t>sites[j])


cdef inline bint _consecutive(const uint64_t[::1] sites, Py_ssize_t k0,
                             Py_ssize_t k1) noexcept nogil:
    # sites[k0:k1] == sites[k0] + 0, 1, 2, ...
    cdef Py_ssize_t k
    for k in range(k0 + 1, k1):
        if sites[k] != sites[k0] + <uint64_t>(k - k0):
            return False
    return True


def poisson_update(real_t[:, :, ::1] ring, step_t t0, int nsteps, uint64_t seed,
                   const int[::1] gids, const real_t[::1] mean_per_step,
                   const long[::1] first_stamp, const long[::1] last_stamp,
                   const long[::1] table_row, const double[:, ::1] cdf,
                   const unsigned short[:, ::1] guide,
                   const long[::1] cdf_last, const unsigned char[::1] plain,
                   const long[::1] indptr, const uint64_t[::1] sites, const int[::1] targets,
                   const real_t[::1] weights,
                   const delay_t[::1] delays, const channel_t[::1] channels,
                   const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift,
                   long[::1] ev_conn, long[::1] ev_stamp, long[::1] ev_count,
                   const long[::1] bounds=None):
    """Draw a Poisson count for every (generator, connection, step) and deposit it.

    The draw for connection k of generator g at step t is keyed by (seed, g) and counted by
    (t, sites[k]) (see _site_counter), so the trains do not depend on threads, processes or
    update order. Means below POISSON_TABLE_MAX_MU draw from the tables of ``poisson_tables`` (cdf, guide, cdf_last;
    row table_row[i] for generator i) with the uniforms of a step computed in batches; larger
    means draw with ``poisson``. A generator whose row is ``plain`` (see
    kernel.delivery._deliver.plain_rows) adds weight x count to one ring slot per step.
    Counts for recorders (targets that take nothing from the ring) are listed in ev_*
    (connection, stamp t + 1, count) instead; the number listed is returned.

    ``bounds`` (node ids, ascending) splits the targets between threads: thread t deposits
    into the nodes bounds[t] <= id < bounds[t + 1] and the first thread lists the recorders'
    counts, each in the one-thread order, so the result does not depend on threads.
    """
    cdef Py_ssize_t t, n_parts
    if bounds is None:
        bounds = np.array([0, ring.shape[2]], dtype=np.int64)
    n_parts = bounds.shape[0] - 1
    if n_parts == 1:
        return _poisson_part(ring, t0, nsteps, seed, gids, mean_per_step, first_stamp,
                             last_stamp, table_row, cdf, guide, cdf_last, plain, indptr,
                             sites, targets, weights, delays, channels, target_kind, neg_shift,
                             ev_conn, ev_stamp, ev_count, bounds[0], bounds[1], True)
    listed_arr = np.zeros(n_parts, dtype=np.int64)
    cdef long[::1] listed = listed_arr
    cdef Py_ssize_t work = (indptr[indptr.shape[0] - 1] - indptr[0]) * nsteps
    for t in prange(n_parts, nogil=True, schedule="static", chunksize=1,
                    num_threads=parallel_threads(n_parts, work)):
        listed[t] = _poisson_part(ring, t0, nsteps, seed, gids, mean_per_step, first_stamp,
                                  last_stamp, table_row, cdf, guide, cdf_last, plain, indptr,
                                  sites, targets, weights, delays, channels, target_kind, neg_shift,
                                  ev_conn, ev_stamp, ev_count, bounds[t], bounds[t + 1], t == 0)
    return listed[0]


cdef Py_ssize_t _poisson_part(real_t[:, :, ::1] ring, step_t t0, int nsteps, uint64_t seed,
                              const int[::1] gids, const real_t[::1] mean_per_step,
                              const long[::1] first_stamp, const long[::1] last_stamp,
                              const long[::1] table_row, const double[:, ::1] cdf,
                              const unsigned short[:, ::1] guide,
                              const long[::1] cdf_last, const unsigned char[::1] plain,
                              const long[::1] indptr, const uint64_t[::1] sites,
                              const int[::1] targets,
                              const real_t[::1] weights, const delay_t[::1] delays,
                              const channel_t[::1] channels,
                              const unsigned char[::1] target_kind,
                              const unsigned char[::1] neg_shift, long[::1] ev_conn,
                              long[::1] ev_stamp, long[::1] ev_count, long lo, long hi,
                              bint lists) noexcept nogil:
    # targets lo <= id < hi; recorders' counts only if ``lists``
    cdef Py_ssize_t i, k, kb, j, j0, j1, nb, lag, n_ev = 0, L = ring.shape[0]
    cdef step_t t
    cdef long count
    cdef int g
    cdef bint by_table
    cdef double mu
    cdef double u[UNIFORM_BATCH]
    cdef uint32_t key0, key1
    cdef Stream st
    cdef real_t w
    cdef real_t* slot
    cdef Py_ssize_t row
    cdef PoissonRun run
    cdef RingView view = ring_view(ring)
    for i in range(gids.shape[0]):
        mu = mean_per_step[i]
        if mu <= 0.0:
            continue
        by_table = mu < POISSON_TABLE_MAX_MU
        row = table_row[i]
        stream_keys(seed, <uint32_t>gids[i], &key0, &key1)
        if by_table and plain[i] and _consecutive(sites, indptr[i], indptr[i + 1]):
            # targets g0, g0 + 1, ... (the sites' low words): this thread's are one run,
            # drawn and deposited in one call per step
            _fill_run(&run, key0, key1, i, table_row, first_stamp, last_stamp, cdf, guide,
                      cdf_last, indptr, sites, targets, weights, delays, channels)
            poisson_run_part(&run, &view, t0, nsteps, lo, hi)
            continue
        for lag in range(nsteps):
            t = t0 + lag
            if t + 1 < first_stamp[i] or t + 1 > last_stamp[i]:
                continue
            kb = indptr[i]
            while kb < indptr[i + 1]:
                nb = min(<Py_ssize_t>UNIFORM_BATCH, indptr[i + 1] - kb)
                if by_table and plain[i]:
                    # draw only from the first to the last target of this thread (all of
                    # them when targets are in id order, as a generator's usually are)
                    j0, j1 = 0, nb
                    while j0 < nb and (targets[kb + j0] < lo or targets[kb + j0] >= hi):
                        j0 += 1
                    while j1 > j0 and (targets[kb + j1 - 1] < lo or targets[kb + j1 - 1] >= hi):
                        j1 -= 1
                    _site_uniforms(key0, key1, seed, <uint32_t>gids[i], t, &sites[kb + j0],
                                   j1 - j0, &u[j0])
                    w = weights[kb]
                    slot = &ring[(t + delays[kb]) % L, channels[kb], 0]
                    for j in range(j0, j1):
                        g = targets[kb + j]
                        if g < lo or g >= hi:
                            continue
                        count = poisson_lookup(u[j], &cdf[row, 0], &guide[row, 0],
                                               cdf_last[row])
                        if count > 0:
                            slot[g] += w * <real_t>count
                    kb += nb
                    continue
                if by_table:
                    _site_uniforms(key0, key1, seed, <uint32_t>gids[i], t, &sites[kb], nb, u)
                for j in range(nb):
                    k = kb + j
                    g = targets[k]
                    if target_kind[g] == TAKES_NOTHING:
                        if not lists:
                            continue
                    elif g < lo or g >= hi:
                        continue
                    if by_table:
                        count = poisson_lookup(u[j], &cdf[row, 0], &guide[row, 0],
                                               cdf_last[row])
                    else:
                        stream_init(&st, seed, <uint32_t>gids[i], _site_counter(t, sites[k]),
                                    <uint32_t>sites[k])
                        count = poisson(&st, mu)
                    if count > 0:
                        n_ev = _deliver_or_list(ring, t, k, count, delays, channels, targets,
                                                weights, target_kind, neg_shift, ev_conn,
                                                ev_stamp, ev_count, n_ev)
                kb += nb
    return n_ev


cdef inline void _fill_run(PoissonRun* run, uint32_t key0, uint32_t key1, Py_ssize_t i,
                           const long[::1] table_row, const long[::1] first_stamp,
                           const long[::1] last_stamp, const double[:, ::1] cdf,
                           const unsigned short[:, ::1] guide, const long[::1] cdf_last,
                           const long[::1] indptr, const uint64_t[::1] sites,
                           const int[::1] targets, const real_t[::1] weights,
                           const delay_t[::1] delays, const channel_t[::1] channels) noexcept nogil:
    # generator i's connections as one run (its targets consecutive, from targets[indptr[i]])
    cdef Py_ssize_t kb = indptr[i], row = table_row[i]
    run.key0, run.key1 = key0, key1
    run.lane_key1 = run.lane_site = NULL
    run.site0 = sites[kb]
    run.g0 = targets[kb]
    run.n = indptr[i + 1] - kb
    run.first_stamp, run.last_stamp = first_stamp[i], last_stamp[i]
    run.cdf, run.guide, run.cdf_last = &cdf[row, 0], &guide[row, 0], cdf_last[row]
    run.weight, run.delay, run.channel = weights[kb], delays[kb], channels[kb]


cdef void poisson_run_part(const PoissonRun* run, const RingView* ring, step_t t0,
                           int nsteps, long lo, long hi) noexcept nogil:
    # the run's targets lo <= id < hi, every step: one fused draw-and-deposit call a step
    cdef Py_ssize_t lag, L = ring.length
    cdef long j0 = min(max(lo - run.g0, 0), run.n), j1 = min(max(hi - run.g0, 0), run.n)
    cdef step_t t
    cdef uint64_t c
    cdef real_t* slot
    if j1 <= j0:
        return
    for lag in range(nsteps):
        t = t0 + lag
        if t + 1 < run.first_stamp or t + 1 > run.last_stamp:
            continue
        slot = ring_channel(ring, (t + run.delay) % L, run.channel, run.g0 + j0)
        if run.lane_key1 != NULL:
            # a lone connection's site is its target id (_site_counter adds nothing)
            np_poisson_deposit_lanes(run.key0, &run.lane_key1[j0], <uint32_t>t,
                                     <uint32_t>(t >> 32), &run.lane_site[j0],
                                     j1 - j0, run.cdf, run.guide, POISSON_GUIDE_SIZE,
                                     run.cdf_last, POISSON_SEARCH_CAP, run.weight, slot)
            continue
        c = _site_counter(t, run.site0)
        np_poisson_deposit(run.key0, run.key1, <uint32_t>c, <uint32_t>(c >> 32),
                           <uint32_t>(run.site0 + j0), j1 - j0, run.cdf, run.guide,
                           POISSON_GUIDE_SIZE, run.cdf_last, POISSON_SEARCH_CAP, run.weight,
                           slot)


cdef class PoissonRuns:
    """Poisson generators whose every train is drawn and deposited by ``poisson_run_part``
    (made by ``poisson_runs``)."""

    def __dealloc__(self):
        free(self.runs)


cdef bint _counting_row(Py_ssize_t i, const long[::1] indptr, const int[::1] targets,
                       const delay_t[::1] delays, const channel_t[::1] channels,
                       const unsigned char[::1] target_kind) noexcept nogil:
    # every connection of row i reaches a target that counts spikes, with one delay and channel
    cdef Py_ssize_t k, k0 = indptr[i]
    for k in range(k0, indptr[i + 1]):
        if target_kind[targets[k]] != TAKES_COUNT or delays[k] != delays[k0] or \
                channels[k] != channels[k0]:
            return False
    return True


def poisson_runs(uint64_t seed, const int[::1] gids, const real_t[::1] mean_per_step,
                 const long[::1] first_stamp, const long[::1] last_stamp,
                 const long[::1] table_row, const double[:, ::1] cdf,
                 const unsigned short[:, ::1] guide, const long[::1] cdf_last,
                 const unsigned char[::1] plain, const long[::1] indptr,
                 const uint64_t[::1] sites, const int[::1] targets, const real_t[::1] weights,
                 const delay_t[::1] delays, const channel_t[::1] channels,
                 const unsigned char[::1] target_kind):
    """The generators' trains as PoissonRuns (the arguments of ``poisson_update`` up to
    ``target_kind``), or None when one of them needs the general loop (a mean above the
    tables', targets that are not consecutive ids or differ in weight, delay or channel,
    recorders among the targets).

    A train whose targets all count spikes (parrots: TAKES_COUNT) deposits the counts
    themselves, whatever the weights, as ``poisson_update`` does.
    """
    cdef Py_ssize_t i, k, n = 0
    cdef bint counting
    cdef PoissonRuns out = PoissonRuns()
    out._keep = (cdf.base, guide.base, cdf_last.base)
    out.runs = <PoissonRun*>malloc(max(gids.shape[0], 1) * sizeof(PoissonRun))
    if out.runs == NULL:
        raise MemoryError()
    cdef uint32_t key0, key1
    for i in range(gids.shape[0]):
        if mean_per_step[i] <= 0.0 or indptr[i + 1] == indptr[i]:
            continue
        counting = not plain[i] and _counting_row(i, indptr, targets, delays, channels,
                                                  target_kind)
        if mean_per_step[i] >= POISSON_TABLE_MAX_MU or not (plain[i] or counting) or \
                not _consecutive(sites, indptr[i], indptr[i + 1]):
            return None
        for k in range(indptr[i] + 1, indptr[i + 1]):
            if targets[k] != targets[k - 1] + 1:
                return None
        stream_keys(seed, <uint32_t>gids[i], &key0, &key1)
        _fill_run(&out.runs[n], key0, key1, i, table_row, first_stamp, last_stamp, cdf, guide,
                  cdf_last, indptr, sites, targets, weights, delays, channels)
        if counting:
            out.runs[n].weight = 1.0
        n += 1
    out.n = _as_lanes(out, n)
    return out


cdef Py_ssize_t _as_lanes(PoissonRuns out, Py_ssize_t n):
    # Runs of one target each that follow one another with consecutive targets and the same
    # everything but key1 and site become one run of lanes (deposits into each target keep
    # their order); returns the number of runs left.
    cdef Py_ssize_t i = 0, j, m, kept = 0
    cdef PoissonRun* r = out.runs
    lanes = np.empty((2, max(n, 1)), dtype=np.uint32)
    cdef uint32_t[:, ::1] lane = lanes
    out._keep += (lanes,)
    while i < n:
        m = 1
        while i + m < n and _same_lane_run(&r[i], &r[i + m], m):
            m += 1
        r[kept] = r[i]
        if m > 1:
            for j in range(m):
                lane[0, i + j] = r[i + j].key1
                lane[1, i + j] = <uint32_t>r[i + j].site0
            r[kept].lane_key1, r[kept].lane_site = &lane[0, i], &lane[1, i]
            r[kept].n = m
        kept += 1
        i += m
    return kept


cdef inline bint _same_lane_run(const PoissonRun* a, const PoissonRun* b,
                                Py_ssize_t m) noexcept nogil:
    # b can be lane m of the lanes that start with run a (each a generator's one connection)
    return (a.n == 1 and b.n == 1 and b.g0 == a.g0 + m and b.key0 == a.key0 and
            a.site0 >> 32 == 0 and b.site0 >> 32 == 0 and
            b.cdf == a.cdf and b.guide == a.guide and b.cdf_last == a.cdf_last and
            b.weight == a.weight and b.delay == a.delay and b.channel == a.channel and
            b.first_stamp == a.first_stamp and b.last_stamp == a.last_stamp)


cdef inline Py_ssize_t _deliver_or_list(real_t[:, :, ::1] ring, step_t t, Py_ssize_t k, long count,
                                        const delay_t[::1] delays, const channel_t[::1] channels,
                                        const int[::1] targets, const real_t[::1] weights,
                                        const unsigned char[::1] target_kind,
                                        const unsigned char[::1] neg_shift, long[::1] ev_conn,
                                        long[::1] ev_stamp, long[::1] ev_count,
                                        Py_ssize_t n_ev) noexcept nogil:
    """Deposit ``count`` spikes of connection k drawn in step t, or list them for a recorder."""
    if target_kind[targets[k]] == TAKES_NOTHING:
        if n_ev < ev_conn.shape[0]:
            ev_conn[n_ev] = k
            ev_stamp[n_ev] = t + 1
            ev_count[n_ev] = count
            n_ev += 1
        return n_ev
    deposit_spike(ring, t + delays[k], channels[k], targets[k], weights[k], <real_t>count,
                  target_kind, neg_shift)
    return n_ev


def current_update(real_t[:, :, ::1] ring, step_t t0, int nsteps, const real_t[:, ::1] amplitude,
                   const long[::1] indptr, const int[::1] targets, const real_t[::1] weights,
                   const delay_t[::1] delays, const channel_t[::1] channels):
    """Send each generator's current of every step to its targets (weight x current).

    ``amplitude[i, lag]`` is generator i's current at step t0 + lag (0 when inactive).
    """
    cdef RingView view = ring_view(ring)
    cdef CurrentRun run
    cdef Py_ssize_t i
    with nogil:
        for i in range(amplitude.shape[0]):
            _point_run(&run, i, indptr, targets, weights, delays, channels)
            run.amplitude, run.t_first = &amplitude[i, 0], t0
            current_run_part(&run, &view, t0, nsteps, 0, view.width)


cdef void _point_run(CurrentRun* run, Py_ssize_t i, const long[::1] indptr,
                     const int[::1] targets, const real_t[::1] weights,
                     const delay_t[::1] delays, const channel_t[::1] channels) noexcept nogil:
    # run's connections: generator i's (indptr[i] ... indptr[i + 1] - 1)
    cdef Py_ssize_t k = indptr[i]
    run.n = indptr[i + 1] - k
    run.targets = &targets[k] if k < targets.shape[0] else NULL
    run.weights = &weights[k] if k < weights.shape[0] else NULL
    run.delays = &delays[k] if k < delays.shape[0] else NULL
    run.channels = &channels[k] if k < channels.shape[0] else NULL


cdef void current_run_part(const CurrentRun* run, const RingView* ring, step_t t0,
                           int nsteps, long lo, long hi) noexcept nogil:
    # one generator's currents to its targets lo <= column < hi: step by step, connection by
    # connection (current_update sends every target's this way)
    cdef Py_ssize_t k, lag, L = ring.length
    cdef step_t t
    cdef int g
    cdef real_t a
    for lag in range(nsteps):
        t = t0 + lag
        a = run.amplitude[t - run.t_first]
        if a == 0.0:
            continue
        for k in range(run.n):
            g = run.targets[k]
            if lo <= g < hi:
                ring_channel(ring, (t + run.delays[k]) % L, run.channels[k], g)[0] += \
                    run.weights[k] * a


cdef class CurrentRuns:
    """A current generator block's currents as ``current_run_part`` sends them (for the
    slice engine), one run a generator; the engine points them at each call's currents
    (SliceEngine.run).

    Parameters
    ----------
    block : CurrentGenerator
        The generators (its ``currents`` gives the values).
    indptr, targets, weights, delays, channels : ndarray
        The generators' outgoing connections (Kernel.outgoing: targets as ring columns).
    """

    def __cinit__(self, block, const long[::1] indptr, const int[::1] targets,
                  const real_t[::1] weights, const delay_t[::1] delays,
                  const channel_t[::1] channels):
        cdef Py_ssize_t i
        self.block = block
        self.n = indptr.shape[0] - 1
        self.runs = <CurrentRun*>malloc(max(self.n, 1) * sizeof(CurrentRun))
        if self.runs == NULL:
            raise MemoryError()
        self._keep = (targets, weights, delays, channels)
        for i in range(self.n):
            _point_run(&self.runs[i], i, indptr, targets, weights, delays, channels)
            self.runs[i].amplitude, self.runs[i].t_first = NULL, 0

    def __dealloc__(self):
        free(self.runs)


# -- generators of issue 4: noise, inhomogeneous/sinusoidal Poisson, gamma_sup, pulsepacket,
# spike_generator with per-spike weights. Their random streams are keyed by
# (rng_seed, node id ^ DEVICE_DOMAIN), so they never share a key with a Connect call's stream
# (small call numbers), and the counter names the draw site (step or interval, connection).
from libc.math cimport cos, floor, log, sin, sqrt, M_PI

cdef int DEVICE_DOMAIN = 0x40000000


cdef inline double std_normal(Stream* st) noexcept nogil:
    """One standard normal deviate (Box-Muller with two fresh uniforms in (0, 1))."""
    cdef double u1 = next_double(st)
    cdef double u2 = next_double(st)
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2)


cdef long binomial(Stream* st, long n, double p) noexcept nogil:
    """Binomial(n, p) by inversion on the smaller of p and 1 - p (exact; O(n min(p, 1-p)))."""
    cdef double q, r, u, prob, cdf
    cdef long k
    cdef bint flip = False
    if n <= 0 or not p > 0.0:
        return 0
    if p >= 1.0:
        return n
    q = p
    if q > 0.5:
        q = 1.0 - q
        flip = True
    if n * q >= 500.0:
        # inversion would take ~n q steps (and (1-q)^n may underflow): the normal limit,
        # rounded and clipped, is statistically indistinguishable here
        k = <long>floor(n * q + sqrt(n * q * (1.0 - q)) * std_normal(st) + 0.5)
        k = 0 if k < 0 else (n if k > n else k)
        return n - k if flip else k
    r = q / (1.0 - q)
    prob = (1.0 - q) ** n
    u = next_double(st)
    cdf = prob
    k = 0
    while u > cdf and k < n:
        prob *= r * (n - k) / (k + 1.0)
        k += 1
        cdf += prob
    return n - k if flip else k


def noise_update(real_t[:, :, ::1] ring, step_t t0, int nsteps, uint64_t seed,
                 const int[::1] gids, const real_t[::1] mean, const real_t[::1] std,
                 const real_t[::1] std_mod, const real_t[::1] omega, const real_t[::1] phi,
                 const long[::1] t_start, const long[::1] t_stop, const long[::1] anchor,
                 const long[::1] dt_steps, double ms_per_step, const long[::1] indptr,
                 const uint64_t[::1] sites,
                 const int[::1] targets,
                 const real_t[::1] weights, const delay_t[::1] delays,
                 const channel_t[::1] channels, real_t[:, ::1] average):
    """noise_generator: a Gaussian current per target, redrawn every ``dt`` steps.

    The current of stamp s (the step t = s - 1 -> s) is active for t_start <= s < t_stop and
    belongs to interval j = (s - anchor) // dt (anchor: the first active stamp), whose value
    for connection k is
    mean + N(seed, node, j, sites[k]) * sqrt(std^2 + std_mod^2 sin(omega t_j + phi)), with t_j the
    interval's first stamp in ms. ``average[i, lag]`` receives the mean over the targets
    (NEST's recordable ``I``).
    """
    cdef Py_ssize_t i, k, lag, L = ring.shape[0]
    cdef step_t s, j, last_j
    cdef long n_conn
    cdef real_t value = 0.0, sigma
    cdef Stream st
    with nogil:
        for i in range(gids.shape[0]):
            for lag in range(nsteps):
                average[i, lag] = 0.0
            n_conn = indptr[i + 1] - indptr[i]
            if n_conn == 0:
                continue
            for k in range(indptr[i], indptr[i + 1]):
                last_j = -1
                for lag in range(nsteps):
                    s = t0 + lag + 1
                    if s < t_start[i] or s >= t_stop[i]:
                        continue
                    j = (s - anchor[i]) // dt_steps[i]
                    if j != last_j:
                        sigma = sqrt(std[i] * std[i] + std_mod[i] * std_mod[i] *
                                     sin(omega[i] * (anchor[i] + j * dt_steps[i]) * ms_per_step
                                          + phi[i]))
                        stream_init(&st, seed, <uint32_t>(gids[i] ^ DEVICE_DOMAIN),
                                    _site_counter(j, sites[k]), <uint32_t>sites[k])
                        value = mean[i] + sigma * std_normal(&st)
                        last_j = j
                    ring[(t0 + lag + delays[k]) % L, channels[k], targets[k]] += weights[k] * value
                    average[i, lag] += value / n_conn


def rate_poisson_update(real_t[:, :, ::1] ring, step_t t0, int nsteps, uint64_t seed,
                        const int[::1] gids, const real_t[:, ::1] mean,
                        const long[::1] indptr, const uint64_t[::1] sites, const int[::1] targets,
                        const real_t[::1] weights, const delay_t[::1] delays,
                        const channel_t[::1] channels, const unsigned char[::1] target_kind,
                        const unsigned char[::1] neg_shift, long[::1] ev_conn,
                        long[::1] ev_stamp, long[::1] ev_count):
    """Independent Poisson trains per target with a mean count ``mean[i, lag]`` per step.

    The count of connection k of generator i in step t0 + lag is keyed by
    (seed, node ^ DEVICE_DOMAIN) and counted by (step, sites[k]); a count lands at t + delay, or is
    listed in ev_* for a recorder (see poisson_update). Returns the number listed.
    """
    cdef Py_ssize_t i, k, lag, n_ev = 0
    cdef step_t t
    cdef long count
    cdef Stream st
    with nogil:
        for i in range(gids.shape[0]):
            for lag in range(nsteps):
                if not mean[i, lag] > 0.0:
                    continue
                t = t0 + lag
                for k in range(indptr[i], indptr[i + 1]):
                    stream_init(&st, seed, <uint32_t>(gids[i] ^ DEVICE_DOMAIN),
                                _site_counter(t, sites[k]), <uint32_t>sites[k])
                    count = poisson(&st, mean[i, lag])
                    if count > 0:
                        n_ev = _deliver_or_list(ring, t, k, count, delays, channels, targets,
                                                weights, target_kind, neg_shift, ev_conn,
                                                ev_stamp, ev_count, n_ev)
    return n_ev


def shared_poisson_counts(uint64_t seed, const int[::1] gids, step_t t0,
                          const real_t[:, ::1] mean):
    """One Poisson count per generator and step (a train shared by all targets).

    Returns
    -------
    ndarray of int64, shape mean.shape
    """
    cdef Py_ssize_t i, lag
    cdef Stream st
    out = np.zeros((mean.shape[0], mean.shape[1]), dtype=np.int64)
    cdef long long[:, ::1] o = out
    with nogil:
        for i in range(mean.shape[0]):
            for lag in range(mean.shape[1]):
                if mean[i, lag] > 0.0:
                    stream_init(&st, seed, <uint32_t>(gids[i] ^ DEVICE_DOMAIN),
                                <uint64_t>(t0 + lag), 0xFFFFFFFFu)
                    o[i, lag] = poisson(&st, mean[i, lag])
    return out


def gamma_sup_update(real_t[:, :, ::1] ring, step_t t0, int nsteps, uint64_t seed,
                     const int[::1] gids, const real_t[::1] p, const long[::1] shape,
                     const unsigned char[:, ::1] active, long long[:, ::1] occupation,
                     long long[::1] moved, const long[::1] indptr, const uint64_t[::1] sites,
                     const int[::1] targets,
                     const real_t[::1] weights, const delay_t[::1] delays,
                     const channel_t[::1] channels, const unsigned char[::1] target_kind,
                     const unsigned char[::1] neg_shift, long[::1] ev_conn, long[::1] ev_stamp,
                     long[::1] ev_count):
    """gamma_sup_generator: n_proc gamma processes of order ``shape`` per target.

    Each target k keeps the occupation numbers of the shape phases (row k of
    ``occupation``). In every active step each process leaves its phase with probability p
    (Binomial draws, all from the occupations at the start of the step); processes leaving
    the last phase fire and start again in phase 0. ``moved`` is scratch of length >= shape.
    Spikes for recorders are listed in ev_* (see poisson_update); returns how many.
    """
    cdef Py_ssize_t i, k, lag, ph, n_ev = 0
    cdef long n_ph, spikes
    cdef step_t t
    cdef Stream st
    with nogil:
        for i in range(gids.shape[0]):
            n_ph = shape[i]
            for k in range(indptr[i], indptr[i + 1]):
                for lag in range(nsteps):
                    if not active[i, lag]:
                        continue
                    t = t0 + lag
                    stream_init(&st, seed, <uint32_t>(gids[i] ^ DEVICE_DOMAIN),
                                _site_counter(t, sites[k]), <uint32_t>sites[k])
                    for ph in range(n_ph):
                        moved[ph] = binomial(&st, occupation[k, ph], p[i])
                    for ph in range(n_ph):
                        occupation[k, ph] -= moved[ph]
                        occupation[k, (ph + 1) % n_ph] += moved[ph]
                    spikes = moved[n_ph - 1]
                    if spikes > 0:
                        n_ev = _deliver_or_list(ring, t, k, spikes, delays, channels, targets,
                                                weights, target_kind, neg_shift, ev_conn,
                                                ev_stamp, ev_count, n_ev)
    return n_ev


def normal_draws(uint64_t seed, int gid, uint64_t site, uint32_t word, Py_ssize_t count):
    """``count`` standard normal deviates of node ``gid`` at counter site (site, word)."""
    cdef Py_ssize_t j
    cdef Stream st
    out = np.empty(count, dtype=np.float64)
    cdef double[::1] o = out
    with nogil:
        stream_init(&st, seed, <uint32_t>(gid ^ DEVICE_DOMAIN), site, word)
        for j in range(count):
            o[j] = std_normal(&st)
    return out


def weighted_spike_update(real_t[:, :, ::1] ring, const int[::1] nodes, const long[::1] stamps,
                          const real_t[::1] spike_weights, const long[::1] multiplicities,
                          const long[::1] indptr, const int[::1] targets,
                          const real_t[::1] weights, const delay_t[::1] delays,
                          const channel_t[::1] channels, const unsigned char[::1] target_kind,
                          const unsigned char[::1] neg_shift):
    """Deliver spikes whose weight is the connection weight times a per-spike factor.

    Spike e of local node nodes[e], stamped stamps[e], reaches connection k's target in the
    update of step stamps[e] + delay - 1 (as spikes from the register do).
    """
    cdef Py_ssize_t e, k
    cdef int i
    with nogil:
        for e in range(nodes.shape[0]):
            i = nodes[e]
            for k in range(indptr[i], indptr[i + 1]):
                deposit_spike(ring, stamps[e] + delays[k] - 1, channels[k], targets[k],
                              weights[k] * spike_weights[e], <real_t>multiplicities[e],
                              target_kind, neg_shift)


def ppd_sup_update(real_t[:, :, ::1] ring, step_t t0, int nsteps, uint64_t seed,
                   const int[::1] gids, const real_t[:, ::1] hazard, const long[::1] n_bins,
                   const unsigned char[:, ::1] active, long long[::1] occ_active,
                   long long[:, ::1] occ_dead, long long[::1] cursor, const long[::1] indptr,
                   const uint64_t[::1] sites, const int[::1] targets, const real_t[::1] weights,
                   const delay_t[::1] delays,
                   const channel_t[::1] channels, const unsigned char[::1] target_kind,
                   const unsigned char[::1] neg_shift, long[::1] ev_conn, long[::1] ev_stamp,
                   long[::1] ev_count):
    """ppd_sup_generator: n_proc Poisson processes with dead time per target.

    Target k keeps ``occ_active[k]`` processes able to fire and, in the ring
    ``occ_dead[k, :n_bins]``, the processes that fired in each of the last n_bins active
    steps. In an active step Binomial(occ_active, hazard) processes fire; then the oldest
    dead bin (at ``cursor[k]``) rejoins the active ones and the new spikes take its place.
    Spikes for recorders are listed in ev_* (see poisson_update); returns how many.
    """
    cdef Py_ssize_t i, k, lag, j, n_ev = 0
    cdef long spikes, nb
    cdef step_t t
    cdef Stream st
    with nogil:
        for i in range(gids.shape[0]):
            nb = n_bins[i]
            for k in range(indptr[i], indptr[i + 1]):
                for lag in range(nsteps):
                    if not active[i, lag]:
                        continue
                    t = t0 + lag
                    spikes = 0
                    if occ_active[k] > 0:
                        stream_init(&st, seed, <uint32_t>(gids[i] ^ DEVICE_DOMAIN),
                                    _site_counter(t, sites[k]), <uint32_t>sites[k])
                        spikes = binomial(&st, occ_active[k], hazard[i, lag])
                    if nb > 0:
                        j = cursor[k]
                        occ_active[k] += occ_dead[k, j] - spikes
                        occ_dead[k, j] = spikes
                        cursor[k] = (j + 1) % nb
                    if spikes > 0:
                        n_ev = _deliver_or_list(ring, t, k, spikes, delays, channels, targets,
                                                weights, target_kind, neg_shift, ev_conn,
                                                ev_stamp, ev_count, n_ev)
    return n_ev
