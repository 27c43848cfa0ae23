"""What rules and parameter expressions need to draw random numbers reproducibly.

Every random number of a Connect call (or of a randomized node parameter) is a pure
function of (rng_seed, stream, site, draw): the stream names the call, the site names what
the draw is for (a target node id, a connection index within the call, a node id), so the
same seed gives the same network for any number of threads or processes.
"""
from dataclasses import dataclass

import numpy as np


@dataclass
class DrawContext:
    """Where values are drawn for.

    Attributes
    ----------
    seed : int
        The kernel's rng_seed.
    stream : int
        Unique per Connect call (or per parameterized Create/set), counted by the kernel
        since the last ResetKernel.
    sources, targets : ndarray of int64 or None
        Node ids of the pre- and postsynaptic side of each value (None when not applicable,
        e.g. targets only for a node parameter).
    sites : ndarray of uint64 or None
        One counter site per value (e.g. a node id). None means the sites 0 .. count-1
        (e.g. connection indices within a call), without materializing them.
    count : int
        Number of values when ``sites`` is None.
    geometry : object or None
        For spatial parameters: positions and displacements of each value's pair
        (``kernel.spatial.parameters.Geometry``); derived from sources and targets when None.
    """

    seed: int
    stream: int
    sources: object = None
    targets: object = None
    sites: object = None
    count: int = 0
    geometry: object = None

    @property
    def size(self):
        return int(self.count if self.sites is None else self.sites.shape[0])

    @property
    def site_array(self):
        """The sites as an array (materialized when given as a count)."""
        if self.sites is None:
            return np.arange(self.count, dtype=np.uint64)
        return self.sites

    def substream(self, tag):
        """The stream id for a sub-draw (e.g. one random leaf of an expression)."""
        return (self.stream * 1000003 + 7919 * (tag + 1)) & 0xFFFFFFFF


def occurrence(keys, *more):
    """For each entry, how many earlier entries hold the same key (0 if unique); the key is
    ``keys[i]``, or the tuple of ``keys[i]`` and ``more[j][i]``."""
    n = keys.shape[0]
    if n < 2 or (not more and bool(np.all(keys[1:] > keys[:-1]))):
        return np.zeros(n, dtype=np.uint32)
    order = np.lexsort(tuple(reversed(more)) + (keys,)) if more else \
        np.argsort(keys, kind="stable")
    new = np.empty(n, dtype=bool)
    new[0] = True
    new[1:] = False
    for k in (keys,) + more:
        s = k[order]
        new[1:] |= s[1:] != s[:-1]
    starts = np.flatnonzero(new)
    occ = np.empty(n, dtype=np.uint32)
    occ[order] = np.arange(n) - starts[np.cumsum(new) - 1]
    return occ


def _mixed_stream(stream, group, level):
    """A stream for the connections of one (group, occurrence) level (splitmix64 finalizer)."""
    mask = 0xFFFFFFFFFFFFFFFF
    x = (int(stream) * 0x9E3779B97F4A7C15 + int(group) * 0xBF58476D1CE4E5B9 +
         (int(level) + 1) * 0x94D049BB133111EB) & mask
    x ^= x >> 31
    x = (x * 0xBF58476D1CE4E5B9) & mask
    x ^= x >> 29
    return x & 0xFFFFFFFF


def evaluate_by_identity(param, seed, stream, sources, targets, groups=None):
    """One value of ``param`` per connection, keyed by the connection's identity.

    The counter site of connection c is ``targets[c] << 32 | sources[c]``; the k-th
    connection of the same (group, source, target) in the given order (multapses) draws from
    a stream of its own, as does each group (e.g. the synapse model). A value therefore does
    not depend on which other connections are drawn with it, nor on how they are split over
    MPI processes, so a process draws the values of its own connections only.

    Parameters
    ----------
    param : object with ``evaluate(DrawContext)``
        A parameter expression (kernel node or nest.Parameter).
    seed, stream : int
        The kernel's rng_seed and a stream unique to the call.
    sources, targets : ndarray of int
        Node ids of each connection.
    groups : ndarray of int, optional
        A non-negative group code per connection (connections of different groups are
        different even between the same nodes).

    Returns
    -------
    ndarray of float64, one value per connection
    """
    sources = np.asarray(sources).reshape(-1)
    targets = np.asarray(targets).reshape(-1)
    sites = (targets.astype(np.uint64) << np.uint64(32)) | sources.astype(np.uint64)
    if groups is None:
        level = occurrence(sites).astype(np.uint64)
    else:
        groups = np.asarray(groups, dtype=np.uint64).reshape(-1)
        # groups and occurrences as one level code: occurrences below 2**32 in a call
        level = (groups << np.uint64(32)) | occurrence(sites, groups).astype(np.uint64)
    if not level.any():
        return param.evaluate(DrawContext(seed, stream, sources, targets, sites))
    out = np.empty(sites.shape[0])
    for code in np.unique(level):
        idx = np.flatnonzero(level == code)
        sub = stream if code == 0 else _mixed_stream(stream, int(code) >> 32,
                                                     int(code) & 0xFFFFFFFF)
        out[idx] = param.evaluate(DrawContext(seed, sub, sources[idx], targets[idx], sites[idx]))
    return out
