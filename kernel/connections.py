"""Connections: the tables of all synapse models, and everything that reads or writes them.

The kernel delegates here: making connections from id arrays (validated), finding them
(GetConnections), reading and writing their properties, deleting them, and the views the
update loop and the devices need.
"""
import numpy as np

from .delivery._pack import positions_flagged
from .delivery.store import RepeatedIds, SynapseTable
from .errors import (BadDelay, BadParameterValue, CommonParameter, IllegalConnection,
                     IncompatibleReceptor, KernelStateError, UnknownParameter, UnknownReceptor)
from .nodes import TAKES_NOTHING
from .registry import STIMULATOR, SYNAPSE
from .synapses.plastic import plastic_connect_checks
from .synapses.static import DELAY_OFFSET, has_continuous_delay

# per-connection properties users can read besides the table's columns
DERIVED_KEYS = ("source", "target", "synapse_model", "port", "target_thread", "synapse_id",
                "sizeof")


class ConnectionManager:
    """All synapse tables of the network (one per synapse model name)."""

    def __init__(self, kernel):
        self._kernel = kernel
        self.models = kernel.models
        self.nodes = kernel.nodes
        self.tables = {}
        self.user_delay_extrema = None
        self._extrema = None
        self._touching = None       # (key, answer) of the last pairs_touching

    @property
    def grid(self):
        return self._kernel.grid

    # -- making connections ----------------------------------------------------------------------
    def table(self, model):
        spec = self.models.spec(model, (SYNAPSE,))
        if model not in self.tables:
            self.tables[model] = SynapseTable(model, spec.extra_columns, self.nodes)
        return self.tables[model]

    def connect(self, sources, targets, model, values, legal_for=None, local_only=False):
        """Stage connections sources[k] -> targets[k] of synapse ``model``.

        Parameters
        ----------
        sources, targets : ndarray of int64
            Node ids, one per connection.
        model : str
            Synapse model.
        values : dict
            Synapse properties (weight, delay in ms, receptor_type, model-specific), each a
            scalar or one value per connection; missing ones take the model's defaults.
        legal_for : (pre_ids, post_ids), optional
            The populations the connections were drawn from (ids already checked): if every
            source block may connect to every target block, the per-connection check is skipped.
        local_only : bool, optional
            The connections are this MPI process's share already (built for the targets of
            Kernel.targets_share): all of them are stored.
        """
        sources = np.asarray(sources).reshape(-1)
        # RepeatedIds targets (a fixed_indegree Connect) stay so until packing, for static
        # synapses whose pairs need no per-connection check
        if not isinstance(targets, RepeatedIds) or legal_for is None or \
                self.models.spec(model, (SYNAPSE,)).plasticity is not None:
            targets = np.asarray(targets).reshape(-1)
        if sources.shape != targets.shape:
            raise BadParameterValue("targets", "sources and targets must have the same length.")
        if legal_for is None:
            self.nodes.check_ids(sources)
            self.nodes.check_ids(targets)
        spec = self.models.spec(model, (SYNAPSE,))
        defaults = self.models.defaults(model)
        n = sources.shape[0]
        columns = {"target": targets if isinstance(targets, RepeatedIds) else
                   np.asarray(targets, dtype=np.int32)}
        for name, param in spec.params.items():
            if name in ("delay", "receptor_type") or param.readonly or \
                    name in spec.common_params and name != "weight":
                continue
            value = values.get(name, defaults[name])
            columns[name] = per_connection(param, value, n)
        if "delay" in values:
            delay_steps = self.grid.delay_steps(per_connection(spec.params["delay"],
                                                               values["delay"], n))
        elif has_continuous_delay(spec):
            delay_steps = np.asarray(self.grid.continuous_delay(defaults["delay"])[0])
        else:
            # NEST rounds a model's default delay up to the grid (1.0 ms at 0.3 ms -> 1.2 ms)
            delay_steps = np.asarray(self.grid.default_delay_steps(defaults["delay"]))
        if has_continuous_delay(spec):
            offset = 0.0 if "delay" in values else \
                float(self.grid.continuous_delay(defaults["delay"])[1])
            columns[DELAY_OFFSET] = np.float64(offset)
        self._check_user_delay_range(np.atleast_1d(delay_steps))
        columns["delay"] = delay_steps.astype(np.uint16, copy=False) if np.ndim(delay_steps) \
            else np.uint16(delay_steps)
        receptors = per_connection(spec.params["receptor_type"],
                                   values.get("receptor_type", defaults["receptor_type"]), n)
        receptors_all = np.broadcast_to(receptors, (n,))
        if legal_for is None or not self._all_pairs_legal(*legal_for, receptors_all):
            self._check_legal(sources, targets, receptors_all)
        self._check_recordables(spec, sources, targets)
        receptors = self._logger_ports(sources, targets, receptors)
        columns["receptor"] = np.asarray(receptors, dtype=np.uint8) if np.ndim(receptors) else \
            np.uint8(receptors)
        if spec.plasticity is not None:
            plastic_connect_checks(self._kernel, spec, sources, targets, columns, values)
            for name, (dtype, initial) in spec.plasticity.hidden.items():
                columns[name] = np.asarray(initial, dtype=dtype)
        self.table(model).stage(*((sources, columns) if local_only else
                                  self._local_share(sources, targets, columns)))
        self._grow_extrema(delay_steps)

    def _local_share(self, sources, targets, columns):
        """The connections this MPI rank stores (all of them in a single process).

        Every rank has checked the whole call, so errors are the same on every rank; a rank
        keeps the connections to its own nodes, and those to recorders from its own nodes.
        Connections to a global receiver (volume_transmitter) are kept on every rank, as in
        NEST: each rank's copy of the device must get every spike.
        """
        keep = self.stored_here(sources, targets)
        if keep is None or keep.all():
            return sources, columns
        n = sources.shape[0]
        return sources[keep], {name: value[keep] if np.ndim(value) and len(value) == n else value
                               for name, value in columns.items()}

    def _grow_extrema(self, delay_steps):
        """NEST's min/max delay only grow (on Connect and on delay changes)."""
        if np.size(delay_steps) == 0:
            return
        lo, hi = int(np.min(delay_steps)), int(np.max(delay_steps))
        if self._extrema is not None:
            lo, hi = min(lo, self._extrema[0]), max(hi, self._extrema[1])
        self._extrema = (lo, hi)

    def stored_here(self, sources, targets):
        """Which connections sources[k] -> targets[k] this MPI process stores (see
        _local_share), or None in a single process (all of them)."""
        procs = self._kernel.processes
        if procs.size == 1:
            return None
        blocks = self.nodes.blocks
        target_block = self.nodes.block_lookup()[targets]
        is_recorder = np.array([b.takes == TAKES_NOTHING for b in blocks])
        is_global = np.array([getattr(b, "global_receiver", False) for b in blocks])
        return procs.connection_mask(sources, targets, is_recorder[target_block]) | \
            is_global[target_block]

    def agree_delay_extrema(self):
        """Take the delay extrema over every MPI process's connections (a collective call).

        A process that built only its share of a Connect call saw only its share's delays;
        min_delay must be the same everywhere, since it sets the exchange interval.
        """
        procs = self._kernel.processes
        if procs.size == 1:
            return
        seen = [e for e in procs.allgather(self._extrema) if e is not None]
        if seen:
            self._extrema = (min(e[0] for e in seen), max(e[1] for e in seen))

    def _check_legal(self, sources, targets, receptors):
        """Every source can send what every target receives, on a receptor it has.

        Legality depends only on the pair of blocks and the receptor, so the check runs once
        per block pair that occurs (found with one bincount), not per connection.
        """
        lookup = self.nodes.block_lookup()
        blocks = self.nodes.blocks
        src_block, tgt_block = lookup[sources], lookup[targets]
        pair_code = src_block.astype(np.int64) * len(blocks) + tgt_block
        for code in np.flatnonzero(np.bincount(pair_code, minlength=len(blocks) ** 2)):
            block, tblock = blocks[code // len(blocks)], blocks[code % len(blocks)]
            self._check_block_pair(block, tblock)
            if block.sends == "request" or tblock.sends is None:
                continue
            ports = tblock.current_receptors if block.sends == "current" else \
                tblock.spike_receptors
            used = np.unique(receptors) if np.ndim(receptors) == 0 or receptors.strides[0] == 0 \
                else np.unique(receptors[pair_code == code])
            bad = ~np.isin(used, list(ports))
            if bad.any():
                receptor = int(used[bad][0])
                if tblock.receptor_refusal(receptor, block.sends) == "incompatible":
                    raise IncompatibleReceptor(receptor, tblock.spec.name, block.sends,
                                               list(ports))
                raise UnknownReceptor(receptor, tblock.spec.name, list(ports))

    def _logger_ports(self, sources, targets, receptors):
        """Receptors of multimeter connections: NEST numbers a node's multimeters 1, 2, ...

        Other connections keep ``receptors``.
        """
        blocks = self.nodes.blocks
        if not any(b.sends == "request" for b in blocks):
            return receptors
        lookup = self.nodes.block_lookup()
        is_request = np.array([b.sends == "request" for b in blocks])[lookup[sources]]
        if not is_request.any():
            return receptors
        counter = getattr(self, "_ports_used", np.zeros(0, dtype=np.int64))
        if counter.shape[0] < self.nodes.size + 1:
            counter = np.concatenate([counter, np.zeros(self.nodes.size + 1 - counter.shape[0],
                                                        dtype=np.int64)])
        t = np.asarray(targets[is_request], dtype=np.int64)
        order = np.argsort(t, kind="stable")
        ts = t[order]
        starts = np.concatenate([[True], ts[1:] != ts[:-1]]) if ts.size else np.zeros(0, bool)
        run_start = np.maximum.accumulate(np.where(starts, np.arange(ts.size), 0))
        ports = np.empty_like(t)
        ports[order] = counter[ts] + 1 + np.arange(ts.size) - run_start
        np.add.at(counter, t, 1)
        self._ports_used = counter
        out = np.array(np.broadcast_to(receptors, (len(sources),)), dtype=np.int64)
        out[is_request] = ports
        return out

    def _check_recordables(self, spec, sources, targets):
        """A multimeter may only be connected to nodes that have what it records, through a
        plain static synapse (NEST: other models do not pass data logging requests)."""
        blocks = self.nodes.blocks
        if not any(b.sends == "request" for b in blocks):
            return
        lookup = self.nodes.block_lookup()
        samplers = [b for b in np.unique(lookup[sources]) if blocks[b].sends == "request"]
        if samplers and (spec.plasticity is not None or spec.name.endswith("_hpc")):
            raise IllegalConnection(
                "Creation of connection is not possible because:\nThe target node or synapse "
                f"model does not support data logging requests ({blocks[samplers[0]].spec.name} "
                f"can only be connected with a static synapse, not {spec.name}).")
        if samplers:
            self._check_sampled_once(sources, targets, np.isin(lookup[sources], samplers))
        for b in samplers:
            meter = blocks[b]
            mask = lookup[sources] == b
            for tb in np.unique(lookup[targets[mask]]):
                target = blocks[tb]
                recordables = target.spec.recordables if target.can_be_sampled else ()
                for meter_id in np.unique(sources[mask]):
                    names = meter.values["record_from"][int(meter_id) - meter.first]
                    missing = [name for name in names if name not in recordables]
                    if missing:
                        raise IllegalConnection(
                            f"Creation of connection is not possible because: Cannot connect "
                            f"with unknown recordable {missing[0]}: {target.spec.name} records "
                            f"{list(recordables) or 'nothing'} (requested by {meter.spec.name} "
                            f"{int(meter_id)}).")

    def _check_sampled_once(self, sources, targets, is_request):
        """NEST: each multimeter (or voltmeter) can only be connected once to a given node."""
        src, tgt = sources[is_request].astype(np.int64), targets[is_request].astype(np.int64)
        keys = src * (self.nodes.size + 1) + tgt
        first = np.unique(keys, return_index=True)[1]
        twice = np.setdiff1d(np.arange(keys.size), first)
        if not twice.size:
            found = np.zeros(keys.size, bool)
            for model in self.tables:
                found |= self.first_matches(model, src, tgt)[1]
            twice = np.flatnonzero(found)
        if twice.size:
            i = twice[0]
            raise IllegalConnection(
                "Creation of connection is not possible because:\nEach multimeter can only be "
                f"connected once to a given node ({self.nodes.block_of(int(src[i])).spec.name} "
                f"{int(src[i])} is already connected to node {int(tgt[i])}).")

    def _all_pairs_legal(self, pre_ids, post_ids, receptors):
        """True if every block of pre_ids may connect to every block of post_ids."""
        lookup = self.nodes.block_lookup()
        if receptors.size > 1 and receptors.strides[0] != 0:
            return False
        used = receptors[:1]
        for b in np.unique(lookup[pre_ids]):
            for tb in np.unique(lookup[post_ids]):
                block, tblock = self.nodes.blocks[b], self.nodes.blocks[tb]
                try:
                    self._check_block_pair(block, tblock)
                except IllegalConnection:
                    return False
                if block.sends != "request" and tblock.sends is not None:
                    ports = tblock.current_receptors if block.sends == "current" else \
                        tblock.spike_receptors
                    if not np.isin(used, list(ports)).all():
                        return False
        return True

    @staticmethod
    def _check_block_pair(block, tblock):
        if block.sends is None:
            raise IllegalConnection(
                f"Source node does not send output: {block.spec.name} only receives "
                "(recorders must be connected as Connect(neuron, recorder)).")
        if block.sends not in tblock.accepts:
            raise IllegalConnection(_illegal_message(block, tblock))
        if getattr(tblock, "global_receiver", False) and block.spec.element_type == STIMULATOR:
            raise IllegalConnection(
                f"Creation of connection is not possible: devices ({block.spec.name}) cannot be "
                f"connected to a {tblock.spec.name}; connect a parrot_neuron in between.")
        if block.writes_directly and tblock.accepts == ("spike",) and tblock.sends is None:
            raise IllegalConnection(
                f"{block.spec.name} sends a separate train to each target and cannot be "
                "recorded directly; connect it to a parrot_neuron and record that.")

    def _check_user_delay_range(self, delay_steps):
        if self.user_delay_extrema is None or not delay_steps.size:
            return
        lo, hi = self.user_delay_extrema
        if delay_steps.min() < lo:
            raise BadDelay(
                f"Delay value {float(self.grid.to_ms(delay_steps.min()))} is invalid: Delay must be "
                "greater than or equal to min_delay. You may set min_delay before creating "
                "connections.")
        if delay_steps.max() > hi:
            raise BadDelay(
                f"Delay value {float(self.grid.to_ms(delay_steps.max()))} is invalid: Delay must be "
                "smaller than or equal to max_delay.")

    def set_delay_extrema(self, lo, hi):
        if self.num_connections():
            raise KernelStateError("Connections already exist. Please call ResetKernel first")
        self.user_delay_extrema = (lo, hi)

    # -- global views ---------------------------------------------------------------------------
    def num_connections(self):
        return sum(len(t) for t in self.tables.values())

    def delay_extrema(self):
        """(min_delay, max_delay) in steps over all connections (one step if none)."""
        if self.user_delay_extrema is not None:
            return self.user_delay_extrema
        return self._extrema if self._extrema is not None else (1, 1)

    def pack(self, threads=1):
        for table in self.tables.values():
            table.pack(self.nodes.size, threads)

    def version_key(self):
        """What changes whenever a connection or a node is added, removed or changed: answers
        computed from the packed tables are kept while it stays the same."""
        return self.nodes.size, tuple((name, id(t), t.version) for name, t in self.tables.items())

    def pairs_touching(self, node_ids):
        """(sources, targets) of the packed connections from or to any of ``node_ids``.

        Used for recorders: it reads the targets column once and the CSR rows of the given
        sources, without materializing the sources of every connection. The answer is kept
        until a table or ``node_ids`` change (each Prepare asks again).
        """
        self.pack()
        node_ids = np.asarray(node_ids, dtype=np.int64)
        key = (node_ids.tobytes(), self.version_key())
        if self._touching is None or self._touching[0] != key:
            self._touching = key, self._pairs_touching(node_ids)
        return self._touching[1]

    def _pairs_touching(self, node_ids):
        flags = np.zeros(self.nodes.ring_size + 1, dtype=bool)     # by ring column
        flags[self.nodes.ring_ids(node_ids)] = True
        flags[0] = False                                            # nodes held elsewhere
        pre, post = [], []
        for table in self.tables.values():
            if not table.packed_size:
                continue
            targets = table.ring_targets()
            from_nodes = _ranges(table.indptr[node_ids], table.indptr[node_ids + 1])
            to_nodes = positions_flagged(np.ascontiguousarray(targets, dtype=np.int32),
                                         flags.view(np.uint8), self._kernel.local_num_threads)
            positions = np.union1d(from_nodes, to_nodes)
            pre.append(np.searchsorted(table.indptr, positions, side="right") - 1)
            post.append(self.nodes.global_ids(targets[positions]))
        if not pre:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(pre), np.concatenate(post).astype(np.int64)

    def outgoing(self, block):
        """Outgoing connections of a device block, all tables merged, grouped by node.

        Returns (indptr over the block's nodes, targets as ring columns, weights, delays,
        channels), where a channel is the target's input channel for what the device sends.
        """
        ptrs, cols = [], []
        for table in self.tables.values():
            lo, hi = table.indptr[block.first], table.indptr[block.last + 1]
            pos = np.arange(lo, hi)
            ptrs.append(table.indptr[block.first:block.last + 2] - lo)
            cols.append((table.ring_targets(pos), table.column("weight", pos),
                         table.column("delay", pos), table.column("receptor", pos)))
        if not cols:
            empty = np.zeros(0)
            return (np.zeros(block.n + 1, np.int64), empty.astype(np.int32), empty,
                    empty.astype(np.uint16), empty.astype(np.uint8))
        owner = np.concatenate([np.repeat(np.arange(block.n), np.diff(p)) for p in ptrs])
        order = np.argsort(owner, kind="stable")
        ptr = np.zeros(block.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=block.n), out=ptr[1:])
        targets, weights, delays, receptors = (np.concatenate([c[i] for c in cols])[order]
                                               for i in range(4))
        channels = receptors.astype(np.uint8)
        if block.sends == "current":
            for tblock, pos, _ in self.nodes.group(self.nodes.global_ids(targets)):
                lut = np.zeros(max(tblock.current_receptors) + 1, dtype=np.uint8)
                lut[list(tblock.current_receptors)] = list(tblock.current_receptors.values())
                channels[pos] = lut[receptors[pos]]
        return ptr, targets, weights, delays, channels

    # -- finding and editing --------------------------------------------------------------------
    def find(self, source_ids=None, target_ids=None, model=None, label=None):
        """Packed positions of matching connections: [(model, positions)] in table order."""
        self.pack()
        found = []
        names = [model] if model is not None else sorted(self.tables,
                                                         key=lambda m: self.models.spec(m).model_id)
        for name in names:
            table = self.tables.get(name)
            if table is None:
                continue
            if source_ids is None:
                pos = np.arange(table.packed_size, dtype=np.int64)
            else:
                src = np.asarray(source_ids, dtype=np.int64)
                src = src[src < table.indptr.shape[0] - 1]
                starts, stops = table.indptr[src], table.indptr[src + 1]
                pos = _ranges(starts, stops)
            if target_ids is not None and pos.size:
                pos = pos[np.isin(table.column("target", pos), target_ids)]
            if label is not None and pos.size:
                if "synapse_label" not in table.dtypes:
                    continue
                pos = pos[table.column("synapse_label", pos) == label]
            if pos.size:
                found.append((name, pos))
        return found

    def delete(self, model, positions):
        self.tables[model].delete(positions)

    def first_matches(self, model, sources, targets):
        """For each (sources[i], targets[i]) the first connection of ``model`` between them.

        Returns (positions, found): positions are valid where ``found`` is True.
        """
        self.pack()
        sources = np.asarray(sources, dtype=np.int64)
        targets = np.asarray(targets, dtype=np.int64)
        table = self.tables.get(model)
        if table is None or not sources.size:
            return np.zeros(len(sources), np.int64), np.zeros(len(sources), bool)
        stride = self.nodes.size + 1
        src = np.unique(sources[sources < table.indptr.shape[0] - 1])
        pos = _ranges(table.indptr[src], table.indptr[src + 1])
        keys = (np.searchsorted(table.indptr, pos, side="right") - 1) * stride + \
            table.column("target", pos)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        wanted = sources * stride + targets
        idx = np.minimum(np.searchsorted(sorted_keys, wanted), max(len(sorted_keys) - 1, 0))
        found = (sorted_keys[idx] == wanted) if len(sorted_keys) else np.zeros(len(wanted), bool)
        positions = pos[order[idx]] if len(sorted_keys) else np.zeros(len(wanted), np.int64)
        return positions, found

    # -- reading and writing connection properties --------------------------------------------
    def keys(self, model):
        """Property names of connections of ``model`` (GetConnections().get())."""
        spec = self.models.spec(model, (SYNAPSE,))
        names = set(DERIVED_KEYS) | {"weight", "delay", "receptor"} | set(spec.extra_columns)
        # columns named '_...' are internal state of plastic models (e.g. last spike time)
        return sorted(name for name in names if not name.startswith("_"))

    def read(self, model, positions, name):
        """Values of ``name`` for connections of ``model`` at packed ``positions``."""
        table = self.tables[model]
        table.pack(self.nodes.size)  # positions count packed connections
        spec = self.models.spec(model)
        n = len(positions)
        if name == "source":
            return (np.searchsorted(table.indptr, positions, side="right") - 1).astype(np.int64)
        if name == "target":
            return table.column("target", positions).astype(np.int64)
        if name == "delay" and has_continuous_delay(spec):
            return self.grid.to_ms(table.column("delay", positions)) - \
                table.column(DELAY_OFFSET, positions)
        if name == "delay":
            return self.grid.delay_ms(table.column("delay", positions))
        if name == "weight" and "weight" in spec.common_params:
            return np.full(n, float(self.models.defaults(model)["weight"]))
        if name in ("weight", "receptor") or name in spec.extra_columns:
            return table.column(name, positions)
        if name == "synapse_model":
            return np.full(n, model, dtype=object)
        if name == "port":
            return positions.astype(np.int64)
        if name == "target_thread":
            return np.zeros(n, dtype=np.int64)
        if name == "synapse_id":
            return np.full(n, spec.model_id, dtype=np.int64)
        if name == "sizeof":
            return np.full(n, self.bytes_per_connection(model), dtype=np.int64)
        raise KeyError(name)

    def bytes_per_connection(self, model):
        """Nominal bytes per connection: target, weight, delay and model-specific columns."""
        spec = self.models.spec(model)
        return 14 + sum(np.dtype(d).itemsize for d in spec.extra_columns.values())

    def write(self, model, positions, updates):
        """Set properties of connections of ``model`` at ``positions``, all or nothing."""
        spec = self.models.spec(model, (SYNAPSE,))
        table = self.tables[model]
        table.pack(self.nodes.size)  # positions count packed connections
        n = len(positions)
        staged = {}
        for name, value in self._kernel.accepted(spec, updates).items():
            param = spec.params.get(name)
            if param is None or name == "receptor_type":
                raise UnknownParameter(name, model, [p for p in spec.params if p != "receptor_type"])
            if name in spec.common_params:
                raise CommonParameter(name, model)
            values = np.broadcast_to(per_connection(param, value, n), (n,))
            if name == "delay" and has_continuous_delay(spec):
                values, staged[DELAY_OFFSET] = self.grid.continuous_delay(values)
                # NEST counts an off-grid delay as both of its neighbouring steps
                self._check_user_delay_range(values - (staged[DELAY_OFFSET] != 0))
                self._check_user_delay_range(values)
            elif name == "delay":
                values = self.grid.delay_steps(values)
                self._check_user_delay_range(values)
            staged[name] = values
        if spec.plasticity is not None and set(staged) & set(spec.plasticity.checked):
            defaults = self.models.defaults(model)
            spec.plasticity.check({name: staged[name] if name in staged else defaults[name]
                                   if name in spec.common_params else
                                   self.read(model, positions, name)
                                   for name in spec.plasticity.checked})
        for name, values in staged.items():
            table.set_column(name, positions, values)
            if name == "delay":
                self._grow_extrema(values)
                if DELAY_OFFSET in staged:
                    self._grow_extrema(values - (staged[DELAY_OFFSET] != 0))


def _ranges(starts, stops):
    """Concatenation of arange(starts[i], stops[i]) without a Python loop."""
    lengths = stops - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.arange(total, dtype=np.int64) + offsets


def per_connection(param, value, n):
    """A synapse property as a scalar or one value per connection, type- and range-checked."""
    arr = param.coerce(value)
    if arr.ndim == 0:
        return arr
    arr = arr.reshape(-1)
    if arr.shape[0] != n:
        raise BadParameterValue(param.name, f"expected one value per connection ({n}), "
                                            f"got {arr.shape[0]}.")
    return arr


def _illegal_message(src, tgt):
    what = {"spike": "spike", "current": "current", "request": "data-request"}
    text = (f"Creation of connection is not possible: {tgt.spec.name} does not support "
            f"{what[src.sends]} input from {src.spec.name}.")
    if tgt.sends == "request" or src.accepts == ("spike",) and src.sends is None:
        text += " Note that volt/multimeters must be connected as Connect(meter, neuron)."
    return text
