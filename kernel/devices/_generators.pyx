"""Update loops of generators that write straight into their targets' input rings.

Generators whose output differs per target (poisson_generator: an independent train for each
target, as in NEST) or that send a value every step (dc_generator) do not go through the spike
register: they walk their own outgoing connections.
"""
from libc.stdint cimport uint32_t, uint64_t

from kernel._types cimport channel_t, delay_t, node_t, real_t, step_t
from kernel.delivery._deliver cimport deposit_spike
from kernel.random.philox cimport Stream, poisson, stream_init


def poisson_update(real_t[:, :, ::1] ring, step_t t0, int nsteps, uint64_t seed,
                   const int[::1] gids, const real_t[::1] mean_per_step,
                   const long[::1] first_stamp, const long[::1] last_stamp,
                   const long[::1] indptr, const int[::1] targets, const real_t[::1] weights,
                   const delay_t[::1] delays, const channel_t[::1] channels,
                   const unsigned char[::1] target_kind, const unsigned char[::1] neg_shift):
    """Draw a Poisson count for every (generator, connection, step) and deposit it.

    The draw for connection k of generator g at step t is keyed by (seed, g) and counted by
    (t, k), so the trains do not depend on threads, processes or update order.
    """
    cdef Py_ssize_t i, k, lag
    cdef step_t t
    cdef long count
    cdef Stream st
    with nogil:
        for i in range(gids.shape[0]):
            if mean_per_step[i] <= 0.0:
                continue
            for lag in range(nsteps):
                t = t0 + lag
                if t + 1 < first_stamp[i] or t + 1 > last_stamp[i]:
                    continue
                for k in range(indptr[i], indptr[i + 1]):
                    stream_init(&st, seed, <uint32_t>gids[i], <uint64_t>t, <uint32_t>(k - indptr[i]))
                    count = poisson(&st, mean_per_step[i])
                    if count > 0:
                        deposit_spike(ring, t + delays[k], channels[k], targets[k], weights[k],
                                      <real_t>count, target_kind, neg_shift)


def current_update(real_t[:, :, ::1] ring, step_t t0, int nsteps, const real_t[:, ::1] amplitude,
                   const long[::1] indptr, const int[::1] targets, const real_t[::1] weights,
                   const delay_t[::1] delays, const channel_t[::1] channels):
    """Send each generator's current of every step to its targets (weight x current).

    ``amplitude[i, lag]`` is generator i's current at step t0 + lag (0 when inactive).
    """
    cdef Py_ssize_t i, k, lag, L = ring.shape[0]
    cdef step_t t
    cdef real_t a
    with nogil:
        for i in range(amplitude.shape[0]):
            for lag in range(nsteps):
                a = amplitude[i, lag]
                if a == 0.0:
                    continue
                t = t0 + lag
                for k in range(indptr[i], indptr[i + 1]):
                    ring[(t + delays[k]) % L, channels[k], targets[k]] += weights[k] * a
