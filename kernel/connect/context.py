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
