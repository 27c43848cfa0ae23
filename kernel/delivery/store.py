"""Connection tables: one per synapse model, compressed sparse rows by source.

Connect stages array chunks; ``pack`` (at Prepare, or before connections are read) merges
them into CSR form: ``indptr`` by source id and one column per connection property. Within
a source, connections keep the order in which they were made, and connections made later
come after earlier ones, so (source, rank within source) names a connection for as long as
none is deleted.

A column whose values are all equal is stored once (``hom``) instead of per connection: a
static synapse costs target (4 B) + weight (8 B) + delay (2 B) = 14 B, and 12 B when the
table has a single delay; ``*_hom_w`` models store their weight once.

Targets are given as node ids and stored as ring columns (the local numbering of the nodes
this MPI process holds, see kernel.nodes.NodeTable.ring_ids; the ids themselves in one
process): delivery indexes the ring with them directly, and ``column('target')`` gives ids.
"""
import numpy as np

from ..errors import KernelError, KernelStateError
from ..parallel.mpi import processes
from ._pack import count_by_source, count_chunks, scatter_by_source


class RepeatedIds:
    """A column of ids, each repeated ``repeat`` times (``np.repeat(values, repeat)``) and
    kept that way until packing places it: the targets of a fixed_indegree Connect, 4 B a
    connection less to stage. Anything else that reads it gets the array (``__array__``)."""

    ndim = 1

    def __init__(self, values, repeat):
        self.values = np.ascontiguousarray(values, dtype=np.int32)
        self.repeat = int(repeat)
        self.dtype = self.values.dtype
        self.shape = (self.values.shape[0] * self.repeat,)

    def __len__(self):
        return self.shape[0]

    def __array__(self, dtype=None, copy=None):
        return np.repeat(self.values, self.repeat).astype(dtype or self.dtype, copy=False)

    def __getitem__(self, key):
        return np.asarray(self)[key]


# name -> dtype of every column a table can have; model-specific ones are added by specs.
BASE_COLUMNS = {"target": np.int32, "weight": np.float64, "delay": np.uint16,
                "receptor": np.uint8}


class SynapseTable:
    """All connections of one synapse model.

    Attributes
    ----------
    model : str
    dtypes : dict of str to dtype
        The table's columns.
    indptr : ndarray of int64
        Connections of source id g are positions indptr[g]..indptr[g+1] (after ``pack``).
    deletions : int
        Counts Disconnect calls; collections made before a deletion are stale.
    version : int
        Changes with every change of the packed columns (for views cached by the kernel).
    """

    def __init__(self, model, extra_columns=None, nodes=None):
        self.model = model
        self._nodes = nodes                   # NodeTable: ids <-> ring columns of targets
        self.dtypes = dict(BASE_COLUMNS)
        self.dtypes.update(extra_columns or {})
        self._cols = {}                       # name -> per-connection array
        self._hom = {}                        # name -> the one value of a homogeneous column
        self._size = 0
        self._staged = []
        self._staged_size = 0
        self.indptr = np.zeros(2, dtype=np.int64)
        self.deletions = 0
        self.version = 0                      # changes whenever a column or indptr changes

    def __len__(self):
        return self._size + self._staged_size

    @property
    def packed_size(self):
        return self._size

    # -- building --------------------------------------------------------------------------------
    def stage(self, sources, values):
        """Add connections: ``sources`` (ids) and ``values`` (column -> array or scalar)."""
        n = len(sources)
        if n == 0:
            return
        missing = set(self.dtypes) - set(values)
        if missing:
            raise KeyError(f"missing columns {sorted(missing)}")
        values = {**values, "target": self._ring_targets(values["target"])}
        self._staged.append((np.ascontiguousarray(sources, dtype=np.int32), values))
        self._staged_size += n

    def pack(self, network_size, threads=1):
        """Merge staged connections into the CSR arrays (stable by source), on ``threads``
        threads."""
        if not self._staged and self.indptr.shape[0] == network_size + 2:
            return
        chunks = [self.sources()] + [s for s, _ in self._staged]
        counts, ordered, piece_counts = count_chunks(chunks, network_size, threads)
        indptr = np.zeros(network_size + 2, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        # already by source (e.g. all_to_all emits source-major): the parts just concatenate
        placement = None if ordered else (chunks, piece_counts, indptr[:-1])
        for name, dtype in self.dtypes.items():
            # popped from the staged chunks (and freed by _store as it places them), so that
            # packing needs little more memory than the staged connections themselves
            parts = [self._column_values(name, self._size)] + \
                [_staged_column(v.pop(name), dtype) for s, v in self._staged]
            self._store(name, parts, placement, dtype)
        self._size = int(indptr[-1])
        self._staged, self._staged_size = [], 0
        self.indptr = indptr
        self.version += 1

    def _store(self, name, parts, placement, dtype):
        """Keep a column per connection, or once if all values are equal.

        ``placement`` is None when the parts are in source order, else (source chunks, their
        piece counts from count_chunks, first slot of each source): each part's values are
        scattered into their packed slots, and each is released once placed (``parts`` is
        emptied).
        """
        values = {p.item() if isinstance(p, np.ndarray) else p for p in parts if np.ndim(p) == 0}
        if not any(np.ndim(p) > 0 and len(p) for p in parts) and len(values) == 1:
            self._cols.pop(name, None)
            self._hom[name] = values.pop()
            return
        # arrays as they are: a broadcast view is read-only and would be copied below
        pieces = [_piece(p, n, dtype) for p, n in zip(parts, self._part_sizes(parts))]
        parts.clear()
        if not any(len(p) for p in pieces):
            self._cols.pop(name, None)
            self._hom.pop(name, None)
            return
        if placement is not None:
            full = _scatter(pieces, *placement, dtype)
        elif sum(1 for p in pieces if len(p)) == 1:
            # a single array is kept as it is: copying large arrays costs page faults
            full = np.ascontiguousarray(next(p for p in pieces if len(p)))
        else:
            full = np.concatenate(pieces)
        # a per-connection column usually differs within its first values: look there before
        # comparing all of them (a full comparison is a bool temporary per connection)
        if full.size and np.all(full[:64] == full[0]) and np.all(full == full[0]):
            self._cols.pop(name, None)
            self._hom[name] = full[0].item()
        else:
            self._hom.pop(name, None)
            full = np.ascontiguousarray(full, dtype=dtype)
            # a lone staged part may be a read-only (e.g. broadcast) view: columns are written
            # in place (set_column, plastic delivery), so keep only arrays that can be
            self._cols[name] = full if full.flags.writeable else full.copy()

    def _ring_targets(self, values):
        """Targets given as node ids as they are stored: ring columns (staged as such, so
        that the ids need not be kept until ``pack``)."""
        dtype = self.dtypes["target"]
        if self._nodes is not None and not self._nodes.identity:
            values = np.asarray(values)
            columns = np.asarray(self._nodes.ring_ids(values), dtype=dtype)
            if not columns.all():       # a target this process does not hold: a kernel bug
                raise KernelError(f"a {self.model} connection to node "
                                  f"{int(values[np.argmin(columns)])} was stored on MPI rank "
                                  f"{processes().rank}, which does not hold that node.")
            return columns
        return values

    def _part_sizes(self, parts):
        return [self._size] + [len(s) for s, _ in self._staged]

    def _column_values(self, name, n):
        if name in self._cols:
            return self._cols[name]
        if name in self._hom:
            return np.asarray(self._hom[name], dtype=self.dtypes[name]) if n else \
                np.zeros(0, dtype=self.dtypes[name])
        return np.zeros(0, dtype=self.dtypes[name])

    # -- reading ---------------------------------------------------------------------------------
    def require_packed(self):
        if self._staged:
            raise KernelStateError("connection table has staged connections; pack it first")

    def sources(self):
        """Source id of every packed connection (derived from indptr)."""
        return np.repeat(np.arange(self.indptr.shape[0] - 1, dtype=np.int32),
                         np.diff(self.indptr)).astype(np.int32)

    def column(self, name, positions=None):
        """Values of a column for all packed connections or for ``positions`` (targets as
        node ids; :meth:`view` and :meth:`ring_targets` give ring columns)."""
        if name == "target" and self._nodes is not None and not self._nodes.identity:
            return self._nodes.global_ids(self.ring_targets(positions))
        return self._raw(name, positions)

    def ring_targets(self, positions=None):
        """Targets as ring columns, of all packed connections or of ``positions``."""
        return self._raw("target", positions)

    def _raw(self, name, positions):
        if name in self._cols:
            col = self._cols[name]
            return col if positions is None else col[positions]
        n = self._size if positions is None else len(positions)
        return np.full(n, self._hom.get(name, 0), dtype=self.dtypes[name])

    def view(self, name):
        """A per-connection view for compiled loops (0-stride when the column is homogeneous)."""
        if name in self._cols:
            return self._cols[name]
        return np.broadcast_to(np.asarray(self._hom.get(name, 0), dtype=self.dtypes[name]),
                               (max(self._size, 1),))

    def is_homogeneous(self, name):
        return name not in self._cols

    def longest_delay(self, first, last):
        """The longest delay (steps) of the packed connections from sources first ... last
        (node ids), 0 when there are none."""
        n_rows = self.indptr.shape[0] - 1
        lo, hi = self.indptr[min(first, n_rows)], self.indptr[min(last + 1, n_rows)]
        if hi <= lo:
            return 0
        if self.is_homogeneous("delay"):
            return int(self._hom.get("delay", 0))
        return int(self._cols["delay"][lo:hi].max())

    def expand(self, name):
        """Store column ``name`` once per connection (if it was stored once) and return it.

        For loops that write a column in place (plastic state): the array returned is the
        table's own, writable and contiguous, until the next ``pack`` or ``delete``.
        """
        if name not in self._cols:
            self._cols[name] = self.column(name)      # a fresh array of the common value
            self._hom.pop(name, None)
        return self._cols[name]

    def set_column(self, name, positions, values):
        """Write values of a column at ``positions`` (values already validated)."""
        values = np.asarray(values, dtype=self.dtypes[name])
        if name not in self._cols:
            if values.size and np.all(values == self._hom.get(name)):
                return
            self.expand(name)
        self._cols[name][positions] = values
        self.version += 1

    def delay_range(self):
        """(min, max) delay in steps over all connections, or None when empty."""
        if not len(self):
            return None
        parts = [self._column_values("delay", self._size)] if self._size else []
        parts += [np.asarray(v["delay"]) for _, v in self._staged]
        lo = min(int(np.min(p)) for p in parts if np.size(p))
        hi = max(int(np.max(p)) for p in parts if np.size(p))
        return lo, hi

    def delete(self, positions):
        """Remove packed connections at ``positions``."""
        self.require_packed()
        keep = np.ones(self._size, dtype=bool)
        keep[positions] = False
        sources = self.sources()[keep]
        for name in list(self._cols):
            self._cols[name] = self._cols[name][keep]
        self._size = int(keep.sum())
        counts = count_by_source(np.ascontiguousarray(sources, dtype=np.int32), self.indptr.shape[0] - 2)
        self.indptr[1:] = np.cumsum(counts)
        self.deletions += 1
        self.version += 1

    def nbytes(self):
        """Memory of the connection columns (without indptr)."""
        return sum(c.nbytes for c in self._cols.values())



def _staged_column(values, dtype):
    """A staged column as ``dtype`` (RepeatedIds of that type as they are)."""
    if isinstance(values, RepeatedIds) and values.dtype == dtype:
        return values
    return np.asarray(values, dtype=dtype)


def _piece(part, n, dtype):
    """``part`` as n values of ``dtype``: an array of that length (or RepeatedIds) as it is, a
    scalar broadcast."""
    if isinstance(part, RepeatedIds) and len(part) == n:
        return part
    values = np.asarray(part, dtype=dtype)
    return values if values.shape == (n,) else np.broadcast_to(values, (n,))


_BITS = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def _scatter(pieces, chunks, piece_counts, starts, dtype):
    """The pieces' values placed by source: piece i belongs to the sources ``chunks[i]``
    (placed on threads where ``piece_counts[i]`` is given)."""
    dtype = np.dtype(dtype)
    out = np.empty(sum(len(p) for p in pieces), dtype=dtype)
    bits = _BITS[dtype.itemsize]
    next_slot = starts.copy()
    for i, sources in enumerate(chunks):
        piece = pieces[i]
        values, repeat = (piece.values, piece.repeat) if isinstance(piece, RepeatedIds) else \
            (piece, 1)
        scatter_by_source(sources, values.view(bits), next_slot, out.view(bits),
                          piece_counts[i], repeat)
        pieces[i] = None           # the staged values of this chunk are no longer needed
    return out
