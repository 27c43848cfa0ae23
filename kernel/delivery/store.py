"""Connection tables: one per synapse model, compressed sparse rows by source.

Connections are staged as array chunks during Connect and packed at Prepare: sorted by source
(stably, so connections of one source keep the order in which they were made), with
structure-of-arrays columns. A connection is a target id (4 B), a weight (8 B), a delay in
steps (2 B) and an input channel (1 B) — no object per connection.
"""
import numpy as np

DELAY_DTYPE = np.uint16
CHANNEL_DTYPE = np.uint8


class SynapseTable:
    """All connections of one synapse model.

    Attributes
    ----------
    sources, targets : ndarray of int32
        Node ids.
    weights : ndarray of float64
    delays : ndarray of uint16
        Delays in steps.
    channels : ndarray of uint8
        Input channel of the target (resolved from receptor_type at Connect).
    receptors : ndarray of int32
        The receptor_type users gave (reported back by GetConnections).
    indptr : ndarray of int64
        indptr[g]..indptr[g+1] are the connections of source id g (valid after ``pack``).
    """

    COLUMNS = (("sources", np.int32), ("targets", np.int32), ("weights", np.float64),
               ("delays", DELAY_DTYPE), ("channels", CHANNEL_DTYPE), ("receptors", np.int32))

    def __init__(self, model):
        self.model = model
        for name, dtype in self.COLUMNS:
            setattr(self, name, np.zeros(0, dtype=dtype))
        self._staged = []
        self.indptr = np.zeros(1, dtype=np.int64)

    def __len__(self):
        return self.sources.shape[0] + sum(c[0].shape[0] for c in self._staged)

    def stage(self, sources, targets, weights, delays, channels, receptors):
        """Add connections (already validated arrays of equal length)."""
        if len(sources):
            self._staged.append((sources, targets, weights, delays, channels, receptors))

    def pack(self, network_size):
        """Merge staged connections, sort by source and build ``indptr``."""
        if self._staged:
            merged = list(zip(*self._staged))
            for (name, dtype), old, new in zip(self.COLUMNS, self.columns(), merged):
                setattr(self, name, np.concatenate([old] + [np.asarray(a, dtype=dtype) for a in new]))
            self._staged = []
            order = np.argsort(self.sources, kind="stable")
            if np.any(order[1:] < order[:-1]):
                for name, _ in self.COLUMNS:
                    setattr(self, name, getattr(self, name)[order])
        counts = np.bincount(self.sources, minlength=network_size + 1)
        self.indptr = np.zeros(network_size + 2, dtype=np.int64)
        np.cumsum(counts, out=self.indptr[1:network_size + 2])

    def columns(self):
        return [getattr(self, name) for name, _ in self.COLUMNS]

    def delay_range(self):
        """(min, max) delay in steps over all connections, or None when empty."""
        parts = [self.delays] + [np.asarray(c[3]) for c in self._staged]
        parts = [p for p in parts if p.size]
        if not parts:
            return None
        return min(int(p.min()) for p in parts), max(int(p.max()) for p in parts)

    def outgoing(self, first, last):
        """Slices of the packed columns for sources first..last: (indptr rebased, columns)."""
        lo, hi = self.indptr[first], self.indptr[last + 1]
        ptr = self.indptr[first:last + 2] - lo
        return ptr, self.targets[lo:hi], self.weights[lo:hi], self.delays[lo:hi], self.channels[lo:hi]
