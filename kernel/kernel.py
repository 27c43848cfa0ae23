"""The kernel: one per process, shared by both faces.

It owns the time grid, the model registry, the node blocks, the connection tables, the input
rings and the recording manager, and it runs the network in slices of min_delay steps.
Adapters call it with typed arguments and numpy arrays; it validates everything it is given
before anything reaches a compiled loop.
"""
import numpy as np

from .archive import ARCHIVE_STATUS, SpikeArchive
from .delivery._deliver import deliver, threaded_table
from .connections import ConnectionManager
from .errors import BadParameterValue, KernelStateError, UnknownModel
from .models import builtin_specs
from .nodes import TAKES_NOTHING, NodeTable
from .pages import on_ordinary_pages
from .parallel.mpi import canonical_order, processes
from .parallel._region import ThreadRings
from .parallel.slices import SlicePlan
from .recording import RecordingManager
from .synapses.plastic import PlasticDelivery
from .registry import NEURON, RECORDER, STIMULATOR, ModelRegistry, settable
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
        self.archive = SpikeArchive()         # postsynaptic spike histories (STDP)
        self.plastic = PlasticDelivery()      # plastic tables, delivered one slice later
        self.clock = 0
        self.rng_seed = DEFAULT_RNG_SEED
        self.local_num_threads = 1
        self.processes = processes()
        self.ring = np.zeros((1, 1, 1))     # (the setter forgets any ThreadRings)
        self.target_kind = np.zeros(1, dtype=np.uint8)
        self.neg_shift = np.zeros(1, dtype=np.uint8)
        self.unrolls = np.zeros(1, dtype=np.uint8)
        self.prepared = False
        self.connect_calls = 0
        self._outgoing = {}
        self._draw_sites = {}
        self._current_fed = np.zeros(1, dtype=bool)    # ring columns a current source feeds
        self._outgoing_version = None
        # False: keys a model does not have (or cannot set) are ignored, as NEST's kernel
        # attribute dict_miss_is_error allows; True: they are errors
        self.dict_miss_is_error = True
        self._static = []           # (table, version, ThreadedTable, layout): static tables
        self._slices = None
        self.thread_bounds = np.array([1, 1], dtype=np.int64)
        # NEST numbers each thread's nodes at Connect and Prepare (thread_local_id); nodes
        # created after the last of those read -1
        self.numbered_up_to = 0
        # NodeCollections remember the generation they were made in; after a reset they are stale
        self.generation = getattr(self, "generation", 0) + 1

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
        """Append a block of ``n`` nodes of ``model``.

        Parameters
        ----------
        model : str
            A node model name (neuron, stimulator or recorder).
        n : int
            Number of nodes, at least 1.

        Returns
        -------
        int
            The id of the first new node (ids are 1-based and contiguous).
        """
        if model in self.models and self.models.spec(model).element_type not in \
                (NEURON, STIMULATOR, RECORDER):
            raise UnknownModel(model, self.models.names((NEURON, STIMULATOR, RECORDER)),
                               hint=f" {model} is a synapse model: use it in Connect's syn_spec;"
                                    " Create makes nodes.")
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
        """Model names of the given ids.

        Parameters
        ----------
        ids : array of int
            Existing node ids.

        Returns
        -------
        ndarray of object
            The model name of each id.
        """
        ids = np.asarray(ids, dtype=np.int64)
        self.nodes.check_ids(ids)
        names = np.array([b.spec.name for b in self.nodes.blocks] + [""], dtype=object)
        return names[self.nodes.block_index(ids)] if ids.size else names[:0]

    def get_node_values(self, ids, name):
        """Values of ``name`` for each id, as a list in the order of ids."""
        ids = np.asarray(ids, dtype=np.int64)
        out = np.full(ids.shape[0], None, dtype=object)
        for block, pos, local in self.nodes.group(ids):
            values = self.node_value(block, name, local)
            out[pos] = values if isinstance(values, np.ndarray) else \
                np.fromiter(values, dtype=object, count=len(local))
        return out.tolist()

    def node_value(self, block, name, local):
        """Values of one key for local indices of one block (parameters, state, status).

        Returns
        -------
        ndarray or list
            One value per index: a numpy array for numeric keys, a list otherwise.
        """
        n = len(local)
        if name == "global_id":
            return block.ids_of(local)
        if name == "model":
            return [block.spec.name] * n
        if name == "model_id":
            return np.full(n, block.spec.model_id, dtype=np.int64)
        if (name == "local" and self.processes.size > 1) or \
                name in ("vp", "thread", "thread_local_id"):
            return self.placement(block, name, block.ids_of(local))
        if name == "recordables" and block.spec.recordables:
            return [list(block.spec.recordables) for _ in range(n)]
        if name in ARCHIVE_STATUS and block.spec.element_type == NEURON:
            return self.archive.status(name, block.ring_first + np.asarray(local, dtype=np.int64))
        if name == "t_spike" and block.spec.element_type == NEURON:
            steps = block.last_spike[local]
            return np.where(steps >= 0, self.grid.to_ms(np.maximum(steps, 0)), -1.0)
        if name in block.spec.extra_status and name not in block.spec.params:
            value = block.spec.extra_status[name]
            return [_copy_status(value) for _ in range(n)] if isinstance(value, (dict, list)) \
                else [value] * n
        return block.get_values(name, local)

    def placement(self, block, name, ids):
        """'local', 'vp', 'thread' or 'thread_local_id' of node ids of ``block`` (held here
        or not): where NEST would run them. NEST puts neuron g on VP g % (processes x
        threads), that VP on rank vp % processes as its thread vp // processes; a device has
        an instance on every thread of every process and reads as the one on this rank's
        thread 0. A thread numbers its nodes in id order at Connect and Prepare, each device
        counting once (nodes created since read -1)."""
        ids = np.asarray(ids, dtype=np.int64)
        if name == "local":
            return self.processes.is_local(ids) | (block.spec.element_type != NEURON)
        n_vps = self.processes.size * self.local_num_threads
        if block.spec.element_type == NEURON:
            vp = ids % n_vps
        else:
            vp = np.full(ids.size, self.processes.rank, dtype=np.int64)
        if name == "vp":
            return vp
        if name == "thread":
            return vp // self.processes.size
        thread_local_id = np.full(ids.size, -1, dtype=np.int64)
        numbered = ids <= self.numbered_up_to
        if numbered.any():
            count = np.zeros(ids.size, dtype=np.int64)
            for other in self.nodes.blocks:
                if other.first >= ids.max():
                    break
                last = np.minimum(other.last, ids - 1)    # nodes of ``other`` before each id
                if other.spec.element_type == NEURON:
                    # ids h in [first, last] with h % n_vps == vp
                    count += np.maximum((last - vp) // n_vps - (other.first - 1 - vp) // n_vps, 0)
                else:
                    count += np.maximum(last - other.first + 1, 0)
            thread_local_id[numbered] = count[numbered]
        return thread_local_id

    def status_keys(self, block):
        """Every key GetStatus reports for nodes of ``block``, sorted."""
        keys = set(block.keys()) | set(block.spec.extra_status) | {"global_id", "model", "model_id"}
        if block.spec.recordables:
            keys.add("recordables")
        if block.spec.element_type == NEURON:
            keys.add("t_spike")
        return sorted(keys)

    def accepted(self, spec, updates):
        """``updates`` without the keys ``spec`` cannot set if ``dict_miss_is_error`` is off.

        With the switch on (the default) everything is kept, so the checks downstream raise.
        """
        if self.dict_miss_is_error:
            return updates
        return {name: value for name, value in updates.items() if settable(spec, name)}

    def set_node_values(self, ids, updates):
        """Set parameters of nodes, all or nothing.

        Parameters
        ----------
        ids : array of int
            Node ids.
        updates : dict or list of dict
            Names mapped to a scalar (for all ids) or one value per id; or one dict per id.

        Notes
        -----
        Every value is checked for every node before any node changes. Between Prepare and
        Cleanup, the changed blocks are recalibrated so the next Run uses the new values.
        """
        ids = np.asarray(ids, dtype=np.int64)
        staged = []
        for positions, batch in _batches(ids, updates):
            sub = ids[positions]
            for block, pos, local in self.nodes.group(sub):
                for ppos, plocal in _pieces(block, batch, pos, local, len(sub)):
                    block_updates = {name: _for_block(value, ppos, len(sub),
                                                      block.spec.params.get(name))
                                     for name, value in self.accepted(block.spec, batch).items()}
                    self._check_sampler_unconnected(block, block_updates, plocal)
                    try:
                        staged.append((block, plocal, block.stage_values(block_updates, plocal)))
                    except BadParameterValue as error:
                        raise type(error)(error.name, error.detail,
                                          f"Setting status of a '{block.spec.name}' with node ID "
                                          f"{block.ids_of(plocal[0])}: ") from None
        for block, local, coerced in staged:
            block.apply(coerced, local)
            if self.prepared:
                block.calibrate(self.grid)

    def _check_sampler_unconnected(self, block, updates, local):
        """NEST: a multimeter's interval, offset and record_from are fixed once it is connected."""
        fixed = [name for name in ("interval", "offset", "record_from") if name in updates]
        if block.sends != "request" or not fixed or \
                not self.connections.find(source_ids=block.ids_of(local)):
            return
        raise BadParameterValue(
            fixed[0], f"cannot be changed after the {block.spec.name} has been connected to nodes "
                      "(the recording interval, the interval offset and the list of properties to "
                      "record are fixed then); set them in Create or before Connect.",
            f"Setting status of a '{block.spec.name}' with node ID {block.ids_of(local[0])}: ")

    # -- connections -------------------------------------------------------------------------------
    @property
    def tables(self):
        return self.connections.tables

    @on_ordinary_pages
    def connect(self, sources, targets, synapse_model="static_synapse", values=None,
                legal_for=None, local_only=False):
        """Add connections sources[k] -> targets[k] (see ConnectionManager.connect)."""
        self._require_not_prepared("Connect")
        self.numbered_up_to = self.nodes.size
        self.connections.connect(sources, targets, synapse_model, values or {}, legal_for,
                                 local_only)

    def targets_share(self, pre_ids, post_ids):
        """Positions of the targets whose connections this MPI process builds, or None for all.

        A process stores the connections to its own nodes, so a rule need only build those
        (see kernel.connect.expand_rule's targets_subset). None in a single process, or when
        a target is a recorder or a global receiver or a source is a multimeter (those
        connections are not stored by the target's process alone).
        """
        procs = self.processes
        if procs.size == 1:
            return None
        lookup = self.nodes.block_lookup()
        blocks = self.nodes.blocks
        if any(blocks[b].takes == TAKES_NOTHING or getattr(blocks[b], "global_receiver", False)
               for b in np.unique(lookup[post_ids])) or \
                any(blocks[b].sends == "request" for b in np.unique(lookup[pre_ids])):
            return None
        return np.flatnonzero(procs.is_local(post_ids))

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

    def draw_sites(self, block):
        """Counter sites of a directly-writing device's outgoing connections (see _draw_sites)."""
        return self._draw_sites[id(block)]

    # -- simulation --------------------------------------------------------------------------------
    def prepare(self):
        """Pack connections, size the rings, calibrate models and plan recording."""
        if self.prepared:
            raise KernelStateError("Prepare was already called; call Cleanup first.")
        self.numbered_up_to = self.nodes.size
        # the ring, the input flags and the connections' targets count the nodes this
        # process holds (ring columns, see NodeTable.ring_ids), all nodes in one process
        size = self.nodes.ring_size
        self.connections.pack(self.local_num_threads)
        self.connections.agree_delay_extrema()
        min_d, max_d = self.delay_extrema()
        self._resize_ring(min_d + max_d, size)
        self.target_kind = np.zeros(size + 1, dtype=np.uint8)
        self.neg_shift = np.zeros(size + 1, dtype=np.uint8)
        # by node id: the senders whose spikes of multiplicity m arrive as m spikes (neurons;
        # a device's arrive as one, as in NEST: see deliver)
        self.unrolls = np.zeros(self.nodes.size + 1, dtype=np.uint8)
        for block in self.nodes.blocks:
            block.calibrate(self.grid)
            cols = slice(block.ring_first, block.ring_first + block.n)
            self.target_kind[cols] = block.takes
            self.neg_shift[cols] = 1 if block.split_sign else 0
            if block.spec.element_type == NEURON:
                self.unrolls[block.first:block.last + 1] = 1
        # kept while no connection or node changes: a loop of short Simulate calls would
        # otherwise gather them again every call
        version = self.connections.version_key()
        if version != self._outgoing_version:
            self._outgoing = {id(b): self.connections.outgoing(b) for b in self.nodes.blocks
                              if b.writes_directly}
            # draws are keyed by the target's id, so that they do not depend on the processes
            self._draw_sites = {key: _draw_sites(ptr, self.nodes.global_ids(targets))
                                for key, (ptr, targets, *_) in self._outgoing.items()}
            self._current_fed = np.zeros(size + 1, dtype=bool)
            for block in self.nodes.blocks:
                if block.sends == "current" and id(block) in self._outgoing:
                    self._current_fed[self._outgoing[id(block)][1]] = True
            self._outgoing_version = version
        for block in self.nodes.blocks:
            block.note_current_sources(bool(self._current_fed[
                block.ring_first:block.ring_first + block.n].any()))
        recorder_ids = [np.arange(b.first, b.last + 1) for b in self.nodes.blocks
                        if b.takes == TAKES_NOTHING or b.sends == "request"]
        if recorder_ids:
            pre, post = self.connections.pairs_touching(np.concatenate(recorder_ids))
        else:
            pre = post = np.zeros(0, np.int64)
        self.recording.prepare(self.nodes, pre, post)
        self.plastic.prepare(self)
        # threads own contiguous ranges of ring columns: [bounds[t], bounds[t + 1])
        self.thread_bounds = np.linspace(1, size + 1, self.local_num_threads + 1).round() \
            .astype(np.int64)
        # a table unchanged since the last Prepare, on the same threads and nodes, keeps its
        # ThreadedTable: a loop of short Simulate calls need not rebuild it each time
        layout = (self.thread_bounds.tobytes(), self.target_kind.tobytes(),
                  self.neg_shift.tobytes())
        previous = {id(entry[0]): entry for entry in self._static}
        self._static = [self._static_entry(t, layout, previous.get(id(t)))
                        for t in self.plastic.immediate]
        self.prepared = True
        error = None
        try:
            self.recording.open_backends(self.nodes)   # ascii files (NEST stays prepared on error)
        except Exception as exc:    # each rank opens its own files: all raise if one fails
            error = exc
        self.processes.agree(error)

    def local_bounds(self, block):
        """The threads' shares of ``block`` as local indices (0 ... block.n)."""
        return np.clip(self.thread_bounds - block.ring_first, 0, block.n)

    def static_tables(self):
        """What ``deliver`` walks of each static table (ThreadedTable), in delivery order;
        made again for a table that changed since (connection properties set between Run
        calls)."""
        for j, (table, version, _, layout) in enumerate(self._static):
            if table.version != version:
                self._static[j] = self._static_entry(table, layout)
        return [parts for _, _, parts, _ in self._static]

    def _static_entry(self, table, layout, previous=None):
        """(table, its version, ThreadedTable, layout): ``previous`` (an entry of
        ``_static``) if it was made of the same table version for the same ``layout`` (thread
        bounds and target kinds, as bytes)."""
        if previous is not None and previous[0] is table and previous[1] == table.version \
                and previous[3] == layout:
            return previous
        views = (table.indptr, table.view("target"), table.view("weight"),
                 table.view("delay"), table.view("receptor"))
        bounds = self.thread_bounds if self.local_num_threads > 1 else None
        return table, table.version, threaded_table(*views, None, bounds, self.target_kind,
                                                    self.neg_shift), layout

    def _resize_ring(self, length, size):
        channels = max([b.n_channels for b in self.nodes.blocks] + [1])
        if self._ring.shape == (length, channels, size + 1):
            return      # (the threads keep their columns: ThreadRings)
        old = self.ring
        ring = np.zeros((length, channels, size + 1))
        keep_len, keep_ch, keep_n = min(old.shape[0], length), min(old.shape[1], channels), \
            min(old.shape[2], size + 1)
        for s in range(self.clock, self.clock + keep_len):
            ring[s % length, :keep_ch, :keep_n] = old[s % old.shape[0], :keep_ch, :keep_n]
        self.ring = ring

    @property
    def ring(self):
        """The input ring, ring[slot, channel, column]: whole, the columns the slice engine's
        threads keep in rings of their own (ThreadRings) copied back first."""
        if self._thread_rings is not None:
            self._thread_rings.store(self._ring)
        return self._ring

    @ring.setter
    def ring(self, ring):
        self._thread_rings = None
        self._ring = ring

    def thread_rings(self):
        """(ring, ThreadRings) for the slice engine: the ring as it is (columns the threads
        hold not copied back) and the rings of the threads' columns for the present thread
        bounds, which the engine keeps after a call, so that short Run calls in a loop do not
        copy the whole ring in and out each time."""
        rings = self._thread_rings
        if rings is None or not rings.serves(self.thread_bounds, self._ring.shape):
            ring = self.ring        # (the columns of rings for other bounds, copied back)
            self._thread_rings = rings = ThreadRings(self.thread_bounds, ring.shape)
        return self._ring, rings

    def run(self, duration_ms):
        """Advance the network by ``duration_ms`` (Prepare must have been called)."""
        if not self.prepared:
            raise KernelStateError("Run requires Prepare first (or use Simulate).")
        steps = self.grid.duration_steps(duration_ms, "simulation time")
        end = self.clock + steps
        m = self.delay_extrema()[0]
        self.plastic.begin_run(self)
        self._slices = SlicePlan.build(self)
        while self.clock < end:
            slice_start = (self.clock // m) * m
            if self.clock == slice_start:
                # plastic synapses get the previous slice's spikes now, as in NEST
                self.plastic.deliver_pending(self)
                self.recording.begin_slice()
            reach = m if self._slices is None else \
                self._slices.steps_per_call(self.recording)
            stop = min(end, slice_start + reach)
            self._update(self.clock, stop - self.clock)
            self.clock = stop
            if stop % m == 0:
                self.recording.end_slice()

    def _update(self, t0, nsteps):
        slice_steps = self.delay_extrema()[0]
        if self._slices is not None:
            # the engine delivers the spikes itself and returns those recorders take (it runs
            # only networks without plastic tables or archives)
            self.recording.record_spikes(*self._slices.update(self, t0, nsteps),
                                         slice_steps=slice_steps)
            return
        recorded, (senders, stamps, mults) = self._update_blocks(t0, nsteps)
        for parts in self.static_tables():
            deliver(self.ring, senders, stamps, mults, parts, self.target_kind, self.neg_shift,
                    self.unrolls)
        if senders.shape[0] == 0:
            return
        if self.archive.active:     # histories are kept by ring column
            self.archive.record(self.nodes.ring_ids(senders), stamps, mults, self.grid)
        self.plastic.add(senders, stamps, mults)
        self.recording.record_spikes(*recorded, slice_steps=slice_steps)

    def _update_blocks(self, t0, nsteps):
        """Update block by block; return (this process's spikes, every process's spikes),
        each as (senders, stamps, multiplicities) in canonical order."""
        senders, stamps, mults = [], [], []
        procs = self.processes
        error = None
        try:
            for block in self.nodes.blocks:
                out = block.update(self, t0, nsteps)
                if out is None or len(out[0]) == 0:
                    continue
                local, lags, mult = out
                block_stamps = t0 + 1 + lags.astype(np.int64)
                block.last_spike[local] = block_stamps
                senders.append(block.ids_of(local))
                stamps.append(block_stamps)
                mults.append(np.ones(len(local), dtype=np.int64) if mult is None else mult)
        except Exception as exc:
            if procs.size == 1:
                raise
            error = exc     # announced in the exchange, so the other ranks do not wait for us
        if procs.size > 1:
            return self._exchange(senders, stamps, mults, error)
        if not senders:
            empty = np.zeros(0, dtype=np.int64)
            spikes = empty.astype(np.int32), empty, empty
            return spikes, spikes
        lookup = self.nodes.block_lookup()
        spikes = canonical_order(
            np.concatenate(senders).astype(np.int32), np.concatenate(stamps),
            np.concatenate(mults).astype(np.int64), lambda ids: lookup[ids])
        return spikes, spikes

    def _exchange(self, senders, stamps, mults, error):
        """(this rank's spikes, every rank's spikes) of a slice (several MPI processes).

        A rank updates its own neurons and every device: only one copy of a replicated
        device's spikes is sent (its owner's); recorders record the local senders' spikes.
        """
        empty = np.zeros(0, dtype=np.int64)
        senders = np.concatenate(senders) if senders else empty
        stamps = np.concatenate(stamps) if stamps else empty
        mults = np.concatenate(mults).astype(np.int64) if mults else empty
        mine = self.processes.is_local(senders)
        local = senders[mine].astype(np.int32), stamps[mine], mults[mine]
        lookup = self.nodes.block_lookup()
        return local, self.processes.exchange_spikes(*local, lambda ids: lookup[ids], error)

    def cleanup(self):
        """End a Prepare/Run sequence (connections and parameters may change again)."""
        self.prepared = False
        self.recording.cleanup(self.nodes)      # staged spikes, close recording files

    def simulate(self, duration_ms):
        """Prepare, run for ``duration_ms`` and clean up."""
        self.grid.duration_steps(duration_ms, "simulation time")
        self.prepare()
        try:
            self.run(duration_ms)
        finally:
            self.cleanup()


def _draw_sites(ptr, targets):
    """Counter site of each outgoing connection of a device: target id | occurrence << 32.

    The occurrence counts earlier connections of the same device node to the same target.
    All connections to a target live on the target's rank and keep their order there, so a
    connection's draws are the same for any number of MPI processes.
    """
    owner = np.repeat(np.arange(ptr.shape[0] - 1, dtype=np.int64), np.diff(ptr))
    targets = np.asarray(targets, dtype=np.int64)
    key = owner * (int(targets.max(initial=0)) + 1) + targets
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.concatenate([[True], ordered[1:] != ordered[:-1]]) if ordered.size else \
        np.zeros(0, dtype=bool)
    run_start = np.maximum.accumulate(np.where(starts, np.arange(ordered.size), 0))
    occurrence = np.empty(ordered.size, dtype=np.uint64)
    occurrence[order] = np.arange(ordered.size) - run_start
    return targets.astype(np.uint64) | (occurrence << np.uint64(32))


def _batches(ids, updates):
    """[(positions into ids, {name: value})] for a dict or a list of one dict per id."""
    if isinstance(updates, dict):
        return [(np.arange(ids.shape[0]), updates)]
    if len(updates) != ids.shape[0]:
        raise BadParameterValue("params", f"expected one dict per node ({ids.shape[0]}), "
                                          f"got {len(updates)}.")
    by_keys = {}
    for p, d in enumerate(updates):
        by_keys.setdefault(tuple(d), []).append(p)
    return [(np.asarray(ps), {key: [updates[p][key] for p in ps] if len(ps) > 1
                              else updates[ps[0]][key] for key in keys})
            for keys, ps in by_keys.items()]


def _pieces(block, batch, pos, local, n):
    """Split a block's nodes one by one when a list-valued parameter differs per node."""
    params = block.spec.params
    split = len(local) > 1 and any(
        _is_per_node(value, n, params.get(name)) and params[name].kind in LIST_KINDS
        for name, value in batch.items())
    if not split:
        return [(pos, local)]
    return [(pos[j:j + 1], local[j:j + 1]) for j in range(len(local))]


def _for_block(value, pos, n, param):
    """The part of ``value`` that belongs to the nodes at ``pos`` (scalars go to all)."""
    if not _is_per_node(value, n, param):
        return value
    if param.kind in LIST_KINDS:
        return value[pos[0]]          # _pieces gave one node at a time
    if isinstance(value, np.ndarray):
        return value[pos]
    return [value[p] for p in pos]


def _copy_status(value):
    return dict(value) if isinstance(value, dict) else list(value)


LIST_KINDS = ("float_array", "str_list")


def _is_per_node(value, n, param):
    """True if ``value`` gives one entry per node rather than one value for all."""
    if isinstance(value, str) or param is None:
        return False
    if param.kind in LIST_KINDS:
        return isinstance(value, (list, tuple, np.ndarray)) and len(value) == n and n > 1 and \
            all(isinstance(v, (list, tuple, np.ndarray)) for v in value)
    if not isinstance(value, (list, tuple, np.ndarray)):
        return False
    try:
        return np.ndim(value) == 1
    except ValueError:          # ragged nested lists: not one scalar per node
        return False
