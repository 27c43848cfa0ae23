"""Node blocks and the table that maps node ids to them.

A block is a contiguous range of node ids of one model. It keeps every per-node quantity as a
numpy array (structure of arrays), so that get/set are array reads and writes and an update is
one compiled loop over the block.
"""
import numpy as np

from .errors import (BadParameterType, KernelStateError, ReadOnlyParameter, UnknownNode, UnknownParameter,
                     Unsupported)
from .parallel._region import ThreadedCore
from .parallel.mpi import processes
from .registry import BOOL, FLOAT, FLOAT_ARRAY, INT, NEURON, READONLY_STATUS, STR, STR_LIST

# How a target node takes spikes arriving on its channel 0 (see delivery/_deliver.pyx).
TAKES_WEIGHT = 0      # adds weight x multiplicity
TAKES_COUNT = 1       # adds the multiplicity only (parrot neurons)
TAKES_NOTHING = 2     # recorders: they read the spike register instead


class NodeBlock:
    """Base class of all node blocks.

    Subclasses set the class attributes below and implement ``calibrate`` and ``update``.

    Attributes
    ----------
    n_channels : int
        Input channels the block reads from the ring buffer.
    spike_receptors : dict of int to int
        receptor_type -> input channel for spike events.
    current_receptors : dict of int to int
        receptor_type -> input channel for current events.
    split_sign : bool
        True if spikes with negative weight on receptor 0 go to channel 1 (inhibitory).
    takes : int
        TAKES_WEIGHT, TAKES_COUNT or TAKES_NOTHING.
    emits_spikes : bool
        True if the block's spikes go through the spike register.
    can_be_sampled : bool
        True if multimeters can record the block's recordables.
    sends : str or None
        Event type the block's outgoing connections carry: 'spike', 'current' or 'request'
        (a multimeter's data request); None if it cannot be a source.
    accepts : tuple of str
        Event types the block's nodes can receive.
    writes_directly : bool
        True if the block writes its events into its targets' rings itself (per-target
        Poisson trains, currents) instead of going through the spike register.
    """

    n_channels = 0
    spike_receptors = {}
    current_receptors = {}
    split_sign = False
    takes = TAKES_WEIGHT
    emits_spikes = False
    can_be_sampled = False
    sends = None
    accepts = ()
    writes_directly = False
    state_names = ()
    ring_first = None       # the block's first column in the input ring (NodeTable.add)
    params_version = 0      # counts the calls of apply: the values may have changed

    def __init__(self, spec, first, n, defaults, grid):
        self.spec = spec
        self.grid = grid
        self.first = int(first)
        self.n_global = int(n)
        # the nodes this process holds: first + offset, first + offset + stride, ... (all of
        # them in one process; a neuron block under MPI holds its nodes g with g % K == rank)
        self.offset, self.stride = _layout(spec, self.first)
        self.n = len(range(self.offset, self.n_global, self.stride))
        self.values = {}
        for name, param in spec.params.items():
            if name in self.state_names:
                continue
            self.values[name] = _filled(param, defaults[name], self.n)
        self.init_state(defaults)

    # -- state ---------------------------------------------------------------------------------
    def init_state(self, defaults):
        """Create the state arrays from the defaults (state values are set via set_values)."""

    def get_state(self, name, idx):
        """Read a state variable for local indices ``idx``."""
        raise KeyError(name)

    def set_state(self, name, idx, values):
        """Write a state variable for local indices ``idx``."""
        raise KeyError(name)

    # -- parameters ----------------------------------------------------------------------------
    @property
    def last(self):
        return self.first + self.n_global - 1

    def ids_of(self, local):
        """Node ids of the held nodes with local indices ``local`` (int64 array)."""
        return self.first + self.offset + self.stride * np.asarray(local, dtype=np.int64)

    def held_ids(self):
        """Ids of every node this process holds of the block."""
        return self.ids_of(np.arange(self.n))

    def nbytes(self):
        """Bytes of the block's per-node arrays: parameters, state and its core's arrays."""
        objects = list(self.values.values()) + list(vars(self).values())
        core = getattr(self, "core", None)
        for name in dir(core) if core is not None else ():
            try:
                objects.append(getattr(core, name))
            except Exception:       # an array the core has not been given yet
                continue
        sizes = {}
        for obj in objects:
            if isinstance(obj, (np.ndarray, memoryview)) or \
                    type(obj).__name__ == "_memoryviewslice":
                arr = np.asarray(obj)
                if arr.dtype != object:     # arrays shared with the core count once
                    sizes[arr.__array_interface__["data"][0]] = arr.nbytes
        return sum(sizes.values())

    def remade(self, defaults):
        """A fresh block of the same nodes and ring columns with the model's ``defaults``."""
        fresh = type(self)(self.spec, self.first, self.n_global, defaults, self.grid)
        fresh.ring_first = self.ring_first
        return fresh

    def keys(self):
        """Names users can get from this block (in the spec's order)."""
        return list(self.spec.params)

    def get_values(self, name, idx):
        """Per-node values of ``name`` for local indices ``idx`` (array or list)."""
        if name in self.state_names:
            return self.get_state(name, idx)
        if name not in self.values:
            raise UnknownParameter(name, self.spec.name, self.keys())
        arr = self.values[name]
        if isinstance(arr, list):
            return [arr[i] for i in idx]
        return arr[idx]

    def set_values(self, updates, idx):
        """Set several parameters at once for local indices ``idx``, all or nothing.

        Parameters
        ----------
        updates : dict of str to value
            Each value is a scalar (for all nodes in ``idx``) or a sequence of len(idx).
        idx : ndarray of int
            Local indices.
        """
        self.apply(self.stage_values(updates, idx), idx)

    def stage_values(self, updates, idx):
        """Coerce and check ``updates`` for local indices ``idx`` without changing anything.

        Returns
        -------
        dict
            The coerced values, ready for :meth:`apply`.

        Raises
        ------
        UnknownParameter, ReadOnlyParameter, Unsupported, BadParameterValue, BadParameterType
        """
        coerced = {}
        for name, value in updates.items():
            param = self.spec.params.get(name)
            if param is None:
                check_status_entry(self.spec, name, value)
                continue
            if param.readonly:
                raise ReadOnlyParameter(name, self.spec.name)
            coerced[name] = _coerce_for_nodes(param, value, len(idx))
        proposed = {name: self.get_values(name, idx) for name in self.spec.params
                    if self.spec.params[name].kind in (FLOAT, INT, BOOL)}
        for name, value in coerced.items():
            if name in proposed:
                proposed[name] = np.broadcast_to(value, (len(idx),)).copy()
        self.check(proposed, coerced)
        return coerced

    def check(self, proposed, updates):
        """Check consistency between parameters; raise BadParameterValue.

        ``proposed`` holds the values every numeric parameter would have after the update.
        """

    def apply(self, updates, idx):
        """Store validated values (subclasses adjust derived state first, then call this)."""
        self.params_version += 1
        for name, value in updates.items():
            if name in self.state_names:
                self.set_state(name, idx, value)
            elif isinstance(self.values[name], list):
                for i in idx:
                    self.values[name][i] = _copy(value)
            else:
                self.values[name][idx] = value

    def receptor_refusal(self, receptor, event):
        """How NEST refuses ``receptor`` for ``event`` ('spike' or 'current') on this model.

        'incompatible' (NEST's IncompatibleReceptorType: the port exists but does not take
        this event type) or 'unknown' (UnknownReceptorType), so that the connection check
        raises IncompatibleReceptor or UnknownReceptor as NEST does.
        """
        return "unknown"

    # -- simulation ----------------------------------------------------------------------------
    def fail(self, error):
        """Remember that an update stopped half-way with ``error`` and return the error.

        As in NEST, the network cannot be simulated further after an error during the update
        (only ResetKernel, which makes new blocks, helps); see :meth:`check_not_failed`.
        """
        self._failed = True
        return error

    def check_not_failed(self):
        """Raise KernelStateError if an earlier update of this block stopped with an error."""
        if getattr(self, "_failed", False):
            raise KernelStateError(
                f"{self.spec.name} nodes {self.first}-{self.last} were left in an undefined state "
                "by an error during an earlier update (half of a step done); call ResetKernel "
                "before simulating again.")

    def calibrate(self, grid):
        """Compute everything that depends on the resolution (propagators, step counts)."""

    def derive(self, grid, what, compute):
        """Call ``compute(grid)`` unless ``what`` was computed since the values last changed
        (:meth:`apply`) at this resolution: for calibrations that depend on nothing else, which
        a loop of short Simulate calls would otherwise repeat every call."""
        key = (self.params_version, grid.tics_per_ms, grid.tics_per_step)
        derived = self.__dict__.setdefault("_derived_for", {})
        if derived.get(what) != key:
            compute(grid)
            derived[what] = key

    def note_current_sources(self, connected):
        """Told at every Prepare whether a current source is connected to any of the block's
        nodes (a block whose step can leave an idle current channel alone keeps that)."""

    def check_solver(self, t0, nsteps):
        """Raise if the block's ODE solver failed in the update of steps t0 ...
        t0 + nsteps - 1 (blocks that integrate ODEs; the others never fail there)."""

    def failure_step(self):
        """The step at which the block's last update stopped with an error of its ODE
        solver, or -1 (the slice engine updates many steps in one call)."""
        return getattr(getattr(self, "core", None), "failure_step", -1)

    def engine_task(self, sim):
        """What the slice engine (kernel/parallel/slices.py) runs for this block: a
        ThreadedCore, PoissonRuns, or () for nothing to update; None if the block needs its
        own update (the network then takes the general path). A block whose ``core`` is a
        ThreadedCore is run by the threads, in parts."""
        core = getattr(self, "core", None)
        if isinstance(core, ThreadedCore):
            self.check_not_failed()
            return core
        return () if type(self).update is NodeBlock.update else None

    def update(self, sim, t0, nsteps):
        """Advance by ``nsteps`` steps from absolute step ``t0``.

        Returns
        -------
        (local_idx, lag, multiplicity) arrays of emitted spikes, or None.
        """
        return None


def _layout(spec, first):
    """(offset, stride) of the nodes of a block starting at id ``first`` that this process
    holds: neurons are owned round-robin (id g by rank g % K, as in NEST); devices and the
    other nodes are replicated on every process."""
    procs = processes()
    if procs.size == 1 or spec.element_type != NEURON:
        return 0, 1
    return (procs.rank - first) % procs.size, procs.size


def _filled(param, default, n):
    if param.kind == FLOAT:
        return np.full(n, default, dtype=np.float64)
    if param.kind == INT:
        return np.full(n, default, dtype=np.int64)
    if param.kind == BOOL:
        return np.full(n, default, dtype=bool)
    return [_copy(default) for _ in range(n)]


def _copy(v):
    return v.copy() if isinstance(v, np.ndarray) else (list(v) if isinstance(v, list) else v)


def _coerce_for_nodes(param, value, n):
    """Coerce a value given for n nodes: a scalar, or one entry per node."""
    if param.kind == STR:
        return param.coerce(value)
    if param.kind == FLOAT_ARRAY:
        try:
            arr = np.asarray(value)
            ok = arr.dtype != bool and (np.issubdtype(arr.dtype, np.integer) or
                                        np.issubdtype(arr.dtype, np.floating))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise BadParameterType(param.name, f"expected an array of numbers, got {value!r}.")
        return arr.astype(np.float64).reshape(-1)
    if param.kind == STR_LIST:
        if isinstance(value, str) or not isinstance(value, (list, tuple, np.ndarray)) or \
                not all(isinstance(v, str) for v in value):
            raise BadParameterType(param.name, f"expected a list of names, got {value!r}.")
        return list(value)
    arr = param.coerce(value)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != n):
        raise BadParameterType(
            param.name, f"expected a single value or {n} values (one per node), got {value!r}.")
    return arr


def check_status_entry(spec, name, value):
    """Check setting a key that is not one of the model's parameters.

    Read-only status entries (``global_id``, ``model``, ``recordables`` ...) raise
    ReadOnlyParameter; the constant entries NEST lets users set (``frozen``, ``tau_minus`` ...)
    accept their current value and raise Unsupported for any other; anything else is unknown.

    Parameters
    ----------
    spec : ModelSpec
    name : str
    value : object
    """
    if name in READONLY_STATUS or (name == "recordables" and spec.recordables):
        raise ReadOnlyParameter(name, spec.name)
    if name in spec.extra_status:
        constant = spec.extra_status[name]
        if not _all_equal(value, constant):
            raise Unsupported(name, f"Neuropil keeps {name} of {spec.name} at {constant!r}; "
                                    f"setting it to {value!r} is not supported yet.")
        return
    raise UnknownParameter(name, spec.name, [p for p, par in spec.params.items() if not par.readonly],
                           also=[k for k in spec.extra_status if k not in READONLY_STATUS])


def _all_equal(value, constant):
    """True if ``value`` (or every entry of a per-node sequence) equals ``constant``."""
    if isinstance(constant, dict):
        return value == constant or (isinstance(value, (list, tuple)) and
                                     all(v == constant for v in value))
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return False
    if (arr.dtype == bool) != isinstance(constant, bool) or arr.dtype == object:
        return False
    return bool(np.all(arr == constant))


class NodeTable:
    """All blocks of the network, in id order; ids are 1-based and contiguous."""

    def __init__(self):
        self.blocks = []
        self._starts = np.zeros(0, dtype=np.int64)
        self.size = 0
        self.ring_size = 0          # nodes held by this process (ring columns 1 ... ring_size)
        self._maps = None

    def add(self, block):
        block.ring_first = self.ring_size + 1
        self.blocks.append(block)
        self._starts = np.append(self._starts, block.first)
        self.size = block.last
        self.ring_size += block.n
        self._maps = None

    def nbytes(self):
        """Bytes of the per-node arrays of every block (see NodeBlock.nbytes)."""
        return sum(block.nbytes() for block in self.blocks)

    # -- the local numbering of the held nodes (ring columns, connection targets) -----------
    @property
    def identity(self):
        """True when the ring numbering is the node ids (every node is held: one process)."""
        return self.ring_size == self.size

    def _numbering(self):
        """(ring column of every id or 0 where not held, id of every ring column)."""
        if self._maps is None:
            ring_of = np.zeros(self.size + 1, dtype=np.int32)
            global_of = np.zeros(self.ring_size + 1, dtype=np.int64)
            for block in self.blocks:
                cols = block.ring_first + np.arange(block.n)
                ids = block.held_ids()
                ring_of[ids] = cols
                global_of[cols] = ids
            self._maps = ring_of, global_of
        return self._maps

    def ring_ids(self, ids):
        """Ring columns of node ids (0 for nodes held by another process)."""
        if self.identity:
            return ids
        return self._numbering()[0][ids]

    def global_ids(self, columns):
        """Node ids of ring columns (the inverse of :meth:`ring_ids` on held nodes)."""
        if self.identity:
            return columns
        return self._numbering()[1][columns]

    def check_ids(self, ids):
        """Raise UnknownNode unless every id exists."""
        ids = np.asarray(ids)
        if ids.size and (ids.min() < 1 or ids.max() > self.size):
            bad = ids[(ids < 1) | (ids > self.size)][0]
            raise UnknownNode(int(bad), self.size)

    def block_lookup(self):
        """Array mapping every node id (index) to its block's index (-1 for id 0)."""
        if getattr(self, "_lookup", None) is None or self._lookup.shape[0] != self.size + 1:
            sizes = [b.n_global for b in self.blocks]
            self._lookup = np.concatenate([[-1], np.repeat(np.arange(len(self.blocks)),
                                                           sizes)]).astype(np.int32)
        return self._lookup

    def block_index(self, ids):
        """Index into ``blocks`` of each id."""
        return np.searchsorted(self._starts, np.asarray(ids), side="right") - 1

    def group(self, ids, held=True):
        """Split ids by block: yields (block, positions in ids, local indices).

        Only the nodes this process holds are yielded; with ``held=False`` only the others
        (neurons of other MPI processes), with local indices -1.
        """
        ids = np.asarray(ids, dtype=np.int64)
        self.check_ids(ids)
        if ids.size == 0:
            return
        bidx = self.block_index(ids)
        order = np.argsort(bidx, kind="stable")
        bounds = np.flatnonzero(np.diff(bidx[order])) + 1
        for chunk in np.split(order, bounds):
            block = self.blocks[bidx[chunk[0]]]
            rel = ids[chunk] - block.first - block.offset
            if block.stride > 1:
                mine = rel % block.stride == 0
                chunk, rel = (chunk[mine], rel[mine] // block.stride) if held else \
                    (chunk[~mine], np.full(int((~mine).sum()), -1, dtype=np.int64))
            elif not held:
                continue
            if chunk.size:
                yield block, chunk, rel

    def pop(self):
        """Remove the last block (used when creating it failed half-way)."""
        self.ring_size -= self.blocks.pop().n
        self._starts = self._starts[:-1]
        self.size = self.blocks[-1].last if self.blocks else 0
        self._maps = None

    def block_of(self, node_id):
        self.check_ids([node_id])
        return self.blocks[int(self.block_index([node_id])[0])]
