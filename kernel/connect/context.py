"""What rules and parameter expressions need to draw random numbers reproducibly.

Every random number of a Connect call (or of a randomized node parameter) is a pure
function of (rng_seed, stream, site, draw): the stream names the call, the site names what
the draw is for (a target node id, a connection index within the call, a node id), so the
same seed gives the same network for any number of threads or processes.
"""
from dataclasses import dataclass, field

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
    sites : ndarray of uint64
        One counter site per value (e.g. the connection's index within the call).
    """

    seed: int
    stream: int
    sources: object = None
    targets: object = None
    sites: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))

    @property
    def size(self):
        return int(self.sites.shape[0])

    def substream(self, tag):
        """The stream id for a sub-draw (e.g. one random leaf of an expression)."""
        return (self.stream * 1000003 + 7919 * (tag + 1)) & 0xFFFFFFFF
