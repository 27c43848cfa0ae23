"""The kernel: one per process, shared by both faces.

It owns the time grid, the model registry, the node blocks, the connection tables, the input
rings and the recording manager, and it runs the network in slices of min_delay steps.
Adapters call it with typed arguments and numpy arrays; it validates everything it is given
before anything reaches a compiled loop.
"""
import numpy as np

from .delivery._deliver import deliver_spikes
from .connections import ConnectionManager
from .errors import BadParameterValue, KernelStateError
from .models import builtin_specs
from .nodes import NodeTable
from .recording import RecordingManager
from .registry import NEURON, RECORDER, STIMULATOR, ModelRegistry
from .time import TimeGrid

DEFAULT_RNG_SEED = 143202461
MAX_RNG_SEED = 2 ** 32 - 1


class Kernel:
    """The simulation kernel.

    Attributes
    ----------
    grid : TimeGrid
        Resolution and tics.
    models : ModelRegistry
        Built-in and copied models with their current defaults.
    nodes : NodeTable
        All node blocks.
    clock : int
        Current simulation time in steps.
    rng_seed : int
        Seed of every random stream.
    """

    def __init__(self):
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------------
    def reset(self):
        """Forget the network, the models' changed defaults and the time (ResetKernel)."""
        self.grid = TimeGrid(0.1)
        self.models = ModelRegistry(builtin_specs())
        self.nodes = NodeTable()
        self.connections = ConnectionManager(self)
        self.recording = RecordingManager()
        self.clock = 0
        self.rng_seed = DEFAULT_RNG_SEED
        self.local_num_threads = 1
        self.ring = np.zeros((1, 1, 1))
        self.target_kind = np.zeros(1, dtype=np.uint8)
        self.neg_shift = np.zeros(1, dtype=np.uint8)
        self.prepared = False
        self.connect_calls = 0
        self._outgoing = {}

    @property
    def network_size(self):
        return self.nodes.size

    @property
    def biological_time(self):
        return float(self.grid.to_ms(self.clock))

    def set_resolution(self, resolution):
        """Change the resolution; only allowed while the network is empty and time is 0."""
        if self.nodes.size or self.clock:
            raise KernelStateError(
                "resolution can only be changed before any node is created or time has passed "
                "(call ResetKernel first).")
        self.grid = TimeGrid(resolution, self.grid.tics_per_ms)

    def set_tics_per_ms(self, tics_per_ms, resolution=None):
        if self.nodes.size or self.clock:
            raise KernelStateError("tics_per_ms can only be changed before any node is created.")
        self.grid = TimeGrid(resolution or self.grid.resolution, tics_per_ms)

    def set_rng_seed(self, seed):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or \
                not 1 <= seed <= MAX_RNG_SEED:
            raise BadParameterValue("rng_seed", f"must be an integer from 1 to {MAX_RNG_SEED}; got {seed!r}.")
        self.rng_seed = int(seed)

    def _require_not_prepared(self, what):
        if self.prepared:
            raise KernelStateError(f"{what} is not allowed between Prepare and Cleanup.")

    # -- nodes -----------------------------------------------------------------------------------
    def create(self, model, n=1):
        """Append a block of ``n`` nodes of ``model``; return the id of the first."""
        spec = self.models.spec(model, (NEURON, STIMULATOR, RECORDER))
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise BadParameterValue("n", f"the number of nodes must be a positive integer; got {n!r}.")
        self._require_not_prepared("Create")
        first = self.nodes.size + 1
        block = spec.block_class(spec, first, int(n), self.models.defaults(model), self.grid)
        if block.emits_spikes:
            block.last_spike = np.full(block.n, -1, dtype=np.int64)
        self.nodes.add(block)
        return first

    def discard_last_block(self):
        """Undo the last ``create`` (its parameters could not be set)."""
        self.nodes.pop()

    def model_of(self, ids):
        """Model names of the given ids (array of str)."""
        out = np.empty(len(ids), dtype=object)
        for block, pos, _ in self.nodes.group(ids):
            out[pos] = block.spec.name
        return out

    def get_node_values(self, ids, name):
        """Values of ``name`` for each id, as a list in the order of ids."""
        out = [None] * len(ids)
        for block, pos, local in self.nodes.group(ids):
            values = self.node_value(block, name, local)
            for p, v in zip(pos, values):
                out[p] = v
        return out

    def node_value(self, block, name, local):
        """Values of one key for local indices of one block (parameters, state, status)."""
        if name == "global_id":
            return list(block.first + local)
        if name == "model":
            return [block.spec.name] * len(local)
        if name == "model_id":
            return [block.spec.model_id] * len(local)
        if name == "recordables" and block.spec.recordables:
            return [list(block.spec.recordables) for _ in local]
        if name == "t_spike" and hasattr(block, "last_spike"):
            steps = block.last_spike[local]
            return list(np.where(steps >= 0, steps * self.grid.resolution, -1.0))
        if name in block.spec.extra_status:
            return [block.spec.extra_status[name]] * len(local)
        return list(block.get_values(name, local))

    def status_keys(self, block):
        """Every key GetStatus reports for nodes of ``block``."""
        keys = set(block.keys()) | set(block.spec.extra_status) | {"global_id", "model", "model_id"}
        if block.spec.recordables:
            keys.add("recordables")
        if hasattr(block, "last_spike"):
            keys.add("t_spike")
        return sorted(keys)

    def set_node_values(self, ids, updates):
        """Set parameters of nodes; ``updates`` maps names to a scalar or one value per id."""
        self._require_not_prepared("Setting node parameters")
        ids = np.asarray(ids, dtype=np.int64)
        for block, pos, local in self.nodes.group(ids):
            block_updates = {}
            for name, value in updates.items():
                if _is_per_node(value, len(ids), block.spec.params.get(name)):
                    value = np.asarray(value)[pos] if not isinstance(value, list) else \
                        [value[p] for p in pos]
                block_updates[name] = value
            try:
                block.set_values(block_updates, local)
            except BadParameterValue as error:
                raise type(error)(error.name, error.detail,
                                  f"Setting status of a '{block.spec.name}' with node ID "
                                  f"{block.first + local[0]}: ") from None

    # -- connections -------------------------------------------------------------------------------
    @property
    def tables(self):
        return self.connections.tables

    def connect(self, sources, targets, synapse_model="static_synapse", values=None):
        """Add connections sources[k] -> targets[k] (see ConnectionManager.connect)."""
        self._require_not_prepared("Connect")
        self.connections.connect(sources, targets, synapse_model, values or {})

    def next_stream(self):
        """A new random stream id for a Connect call or a randomized parameter."""
        self.connect_calls += 1
        return self.connect_calls

    def num_connections(self):
        return self.connections.num_connections()

    def delay_extrema(self):
        """(min_delay, max_delay) in steps over all connections (one step if none)."""
        return self.connections.delay_extrema()

    def outgoing(self, block):
        """Outgoing connections of a directly-writing device block (valid during a run)."""
        return self._outgoing[id(block)]

    # -- simulation --------------------------------------------------------------------------------
    def prepare(self):
        """Pack connections, size the rings, calibrate models and plan recording."""
        if self.prepared:
            raise KernelStateError("Prepare was already called; call Cleanup first.")
        size = self.nodes.size
        self.connections.pack()
        min_d, max_d = self.delay_extrema()
        self._resize_ring(min_d + max_d, size)
        self.target_kind = np.zeros(size + 1, dtype=np.uint8)
        self.neg_shift = np.zeros(size + 1, dtype=np.uint8)
        for block in self.nodes.blocks:
            block.calibrate(self.grid)
            self.target_kind[block.first:block.last + 1] = block.takes
            self.neg_shift[block.first:block.last + 1] = 1 if block.split_sign else 0
        self._outgoing = {id(b): self.connections.outgoing(b) for b in self.nodes.blocks
                          if b.writes_directly}
        self.recording.prepare(self.nodes, *self.connections.pairs())
        self.prepared = True

    def _resize_ring(self, length, size):
        old = self.ring
        channels = max([b.n_channels for b in self.nodes.blocks] + [1])
        if old.shape == (length, channels, size + 1):
            return
        ring = np.zeros((length, channels, size + 1))
        keep_len, keep_ch, keep_n = min(old.shape[0], length), min(old.shape[1], channels), \
            min(old.shape[2], size + 1)
        for s in range(self.clock, self.clock + keep_len):
            ring[s % length, :keep_ch, :keep_n] = old[s % old.shape[0], :keep_ch, :keep_n]
        self.ring = ring

    def run(self, duration_ms):
        """Advance the network by ``duration_ms`` (Prepare must have been called)."""
        if not self.prepared:
            raise KernelStateError("Run requires Prepare first (or use Simulate).")
        steps = self.grid.duration_steps(duration_ms, "simulation time")
        end = self.clock + steps
        m = self.delay_extrema()[0]
        while self.clock < end:
            slice_start = (self.clock // m) * m
            if self.clock == slice_start:
                self.recording.begin_slice(self.nodes)
            stop = min(end, slice_start + m)
            self._update(self.clock, stop - self.clock)
            self.clock = stop
            if stop == slice_start + m:
                self.recording.end_slice()

    def _update(self, t0, nsteps):
        senders, stamps, mults = [], [], []
        for block in self.nodes.blocks:
            out = block.update(self, t0, nsteps)
            if out is None or len(out[0]) == 0:
                continue
            local, lags, mult = out
            block_stamps = t0 + 1 + lags.astype(np.int64)
            block.last_spike[local] = block_stamps
            senders.append(block.first + local)
            stamps.append(block_stamps)
            mults.append(np.ones(len(local), dtype=np.int64) if mult is None else mult)
        if not senders:
            return
        senders = np.concatenate(senders).astype(np.int32)
        stamps = np.concatenate(stamps)
        mults = np.concatenate(mults).astype(np.int64)
        for table in self.tables.values():
            if table.packed_size:
                deliver_spikes(self.ring, senders, stamps, mults, table.indptr, table.view("target"),
                               table.view("weight"), table.view("delay"), table.view("receptor"),
                               self.target_kind, self.neg_shift)
        self.recording.record_spikes(senders, stamps, mults)

    def cleanup(self):
        """End a Prepare/Run sequence (connections and parameters may change again)."""
        self.prepared = False

    def simulate(self, duration_ms):
        """Prepare, run for ``duration_ms`` and clean up."""
        self.grid.duration_steps(duration_ms, "simulation time")
        self.prepare()
        try:
            self.run(duration_ms)
        finally:
            self.cleanup()


def _is_per_node(value, n, param):
    """True if ``value`` gives one entry per node rather than one value for all."""
    if isinstance(value, str) or param is None:
        return False
    if param.kind in ("float_array", "str_list"):
        return isinstance(value, (list, tuple, np.ndarray)) and len(value) == n and n > 1 and \
            all(isinstance(v, (list, tuple, np.ndarray)) for v in value)
    return isinstance(value, (list, tuple, np.ndarray)) and np.ndim(value) == 1
