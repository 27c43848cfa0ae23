"""Recording for pyNN.neuropil: kernel recorders underneath, Neo Blocks on top.

A Recorder belongs to a Population. It keeps, per variable, a boolean mask of the recorded
cells, and wires kernel devices lazily before a run: one ``spike_recorder`` for spikes, and
``multimeter``s for analog variables (a multimeter's variables and interval are fixed once it
is connected, so a change of what is recorded retires the old one -- its window is closed --
and a new one takes over; the data of both stay in the segment).

Finished segments are kept as arrays (:class:`SegmentData`), never as Neo objects, and a
fresh Block is built on every ``get``. That avoids the three ways PyNN 0.13 loses data:
``get_data('v')`` after a reset no longer empties the spike trains of earlier segments
(PyNN filters shallow copies that share Neo's containers), a PopulationView's ``get_data``
filters earlier segments to its own cells too, and ``get_data`` after ``clear`` works.
"""
from collections import defaultdict
from datetime import datetime

import numpy as np
from pyNN import errors, recording
from pyNN.recording import Variable

from kernel.devices.generators import spike_steps
from kernel.io import neo as neo_io

from . import simulator

SPIKES = "spikes"


class SegmentData:
    """The data of one segment as arrays.

    Attributes
    ----------
    index : int
        Segment number (name ``segment%03d``).
    t_start, t_stop : float
        Recording window in ms.
    spikes : (ids, times) or None
        Spike senders (node ids) and times (ms), and ``spike_ids`` the recorded cells.
    signals : dict
        Variable -> (ids, values (n_samples, n_ids), sampling interval).
    """

    def __init__(self, index, t_start, rec_datetime=None):
        self.index = index
        self.t_start = t_start
        self.t_stop = t_start
        self.rec_datetime = rec_datetime or datetime.now()
        self.spike_ids = np.zeros(0, np.int64)
        self.spikes = (np.zeros(0, np.int64), np.zeros(0))
        self.signals = {}
        self.annotations = {}


def _gathered(seg):
    """A segment with every MPI process's data (each records its own cells).

    Spikes are merged in time order (as one process records them); each signal column is
    taken from the process that owns the cell.
    """
    procs = _kernel().processes
    parts = procs.allgather((seg.spikes, {name: values for name, (_, values, _) in
                                          seg.signals.items()}))
    out = SegmentData(seg.index, seg.t_start, seg.rec_datetime)
    out.t_stop, out.spike_ids, out.annotations = seg.t_stop, seg.spike_ids, seg.annotations
    senders = np.concatenate([np.asarray(p[0][0], dtype=np.int64) for p in parts])
    times = np.concatenate([np.asarray(p[0][1], dtype=float) for p in parts])
    order = np.lexsort((senders, times))
    out.spikes = (senders[order], times[order])
    for name, (cells, values, interval) in seg.signals.items():
        merged = np.array(values, copy=True)
        owner = procs.owner(cells)
        for rank, (_, signals) in enumerate(parts):
            merged[:, owner == rank] = signals[name][:, owner == rank]
        out.signals[name] = (cells, merged, interval)
    return out


class _Device:
    """One kernel recording device of a Recorder."""

    def __init__(self, node, variables=(), interval=None):
        self.node = int(node)
        self.variables = tuple(variables)
        self.interval = interval
        self.cells = np.zeros(0, np.int64)
        self.retired = False


def _kernel():
    return simulator.state.kernel


def _log(node):
    k = _kernel()
    block = k.nodes.block_of(node)
    return block, node - block.first


def _flush_meter(node):
    """Publish the samples the kernel holds back (it publishes a slice's samples one slice late)."""
    k = _kernel()
    block, i = _log(node)
    flush = getattr(k.recording, "flush", None)
    if flush is not None:
        flush(block, i)
        return
    from kernel.recording import _publish
    state = k.recording.samplers.get((id(block), i))
    if state is None:
        return
    chunks = state.finished + state.running
    state.finished, state.running = [], []
    if chunks:
        _publish(block, i, chunks)


def _exact_times(population, senders, steps, times):
    """``times`` with the exact times of spikes that precise spike_generators sent.

    The cells of a SpikeSourceArray are parrots, which repeat the generator's spikes at the
    grid step of each (the generator runs one delay early). With ``spike_precision='off_grid'``
    the generators keep the exact times; the k-th spike of a cell in a step is then the k-th
    of its spike times that fall in that step (as parrot_neuron_ps reports it in NEST).
    """
    sources = population._source_ids
    if sources is None or not senders.size:
        return times
    k = _kernel()
    block = k.nodes.block_of(int(sources[0]))
    if block.spec.name != "spike_generator" or \
            not np.all(k.get_node_values(sources, "precise_times")):
        return times
    exact = [np.asarray(t, dtype=float) for t in k.get_node_values(sources, "spike_times")]
    cell_steps = [spike_steps(k.grid, t, True, False, False, 0, validate=False)[1]
                  for t in exact]
    span = int(max([int(steps.max()) + 1] + [int(s.max()) + 1 for s in cell_steps if s.size]))
    cells = np.repeat(np.arange(len(exact)), [t.size for t in exact])
    src_keys = cells * span + (np.concatenate(cell_steps) if exact else np.zeros(0, np.int64))
    src_times = np.concatenate(exact) if exact else np.zeros(0)
    index = population._ids.searchsorted(senders)     # parrot ids are contiguous, ascending
    keys = index * span + steps
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    rank = np.arange(keys.size) - np.searchsorted(sorted_keys, sorted_keys, side="left")
    pos = np.searchsorted(src_keys, sorted_keys, side="left") + rank
    found = pos < src_keys.size
    found[found] = src_keys[pos[found]] == sorted_keys[found]
    out = np.asarray(times, dtype=float).copy()
    out[order[found]] = src_times[pos[found]]
    return out


class Recorder(recording.Recorder):
    """Records spikes and state variables of one Population (see PyNN's Recorder)."""

    _simulator = simulator

    def __init__(self, population, file=None):
        self.file = file
        self.population = population
        self.masks = {}
        self.cache = []
        self.clear_flag = False
        self.sampling_interval = simulator.state.dt
        self.record_times = False
        self._spike_devices = []
        self._meters = []
        self._segment = None
        self._initial = {}
        self._recording_start_time = simulator.state.t
        simulator.state.recorders.add(self)

    # -- what is recorded ----------------------------------------------------------------------------
    @property
    def recorded(self):
        """Variable -> set of recorded cell ids (PyNN's view of the masks)."""
        ids = self.population._ids
        return defaultdict(set, {Variable(name, None, None): set(ids[mask].tolist())
                                 for name, mask in self.masks.items()})

    def record(self, variables, ids, sampling_interval=None, locations=None):
        """Add the cells ``ids`` (node ids) to those recorded for ``variables``."""
        if locations is not None:
            raise NotImplementedError("Neuropil cells are point neurons (no locations)")
        if isinstance(variables, str) and variables != "all":
            variables = [variables]
        if variables == "all":
            variables = list(self.population.celltype.recordable)
        analog = [v for v in variables if v != SPIKES]
        if sampling_interval is not None and sampling_interval != self.sampling_interval:
            if any(name != SPIKES for name in self.masks) and analog:
                raise ValueError("All neurons in a population must be recorded with the same "
                                 "sampling interval.")
        positions = self.population.id_to_index(np.asarray(ids, dtype=np.int64))
        for name in variables:
            if not self.population.can_record(name):
                raise errors.RecordingError(name, self.population.celltype)
            mask = self.masks.setdefault(name, np.zeros(self.population.size, dtype=bool))
            mask[positions] = True
        if sampling_interval is not None and analog:
            self._set_interval(sampling_interval)

    def _set_interval(self, interval):
        dt = simulator.state.dt
        steps = int(round(interval / dt))
        if steps < 1 or abs(steps * dt - interval) > 1e-9:
            raise ValueError(f"sampling_interval ({interval} ms) must be a multiple of the time "
                             f"step ({dt} ms)")
        self.sampling_interval = interval

    def reset(self):
        """``record(None)``: stop recording anything."""
        self.masks = {}
        for device in self._spike_devices + self._meters:
            self._retire(device)

    def filter_recorded(self, variable, filter_ids):
        name = variable.name if isinstance(variable, Variable) else variable
        mask = self.masks.get(name)
        ids = self.population._ids[mask] if mask is not None else np.zeros(0, np.int64)
        if filter_ids is not None:
            ids = ids[np.isin(ids, np.asarray(filter_ids, dtype=np.int64))]
        return ids

    # -- devices -------------------------------------------------------------------------------------
    def _retire(self, device):
        if not device.retired:
            # an empty window (0, 0]: it records nothing more, in this segment or after a reset
            _kernel().set_node_values([device.node], {"start": 0.0, "stop": 0.0})
            device.retired = True

    def _wire(self):
        """Create and connect devices for what is recorded now (called before each run)."""
        k = _kernel()
        ids = self.population._ids
        delay = simulator.state.min_delay
        if SPIKES in self.masks:
            wanted = ids[self.masks[SPIKES]]
            live = [d for d in self._spike_devices if not d.retired]
            device = live[0] if live else None
            if device is None:
                device = _Device(k.create("spike_recorder", 1))
                self._spike_devices.append(device)
            new = wanted[~np.isin(wanted, device.cells)]
            if new.size:
                k.connect(new, np.full(new.size, device.node), "static_synapse",
                          {"delay": delay})
                device.cells = np.union1d(device.cells, new)
        analog = {name: mask for name, mask in self.masks.items() if name != SPIKES}
        if not analog:
            return
        variable_map = getattr(self.population.celltype, "variable_map", {})
        variables = tuple(sorted(analog))
        cells = ids[np.logical_or.reduce(list(analog.values()))]
        live = [m for m in self._meters if not m.retired]
        if live and live[0].variables == variables and \
                live[0].interval == self.sampling_interval and np.isin(cells, live[0].cells).all():
            return
        for meter in live:
            self._retire(meter)
        meter = _Device(k.create("multimeter", 1), variables, self.sampling_interval)
        k.set_node_values([meter.node], {
            "record_from": [variable_map.get(v, v) for v in variables],
            "interval": self.sampling_interval})
        k.connect(np.full(cells.size, meter.node), cells, "static_synapse", {"delay": delay})
        meter.cells = cells
        self._meters.append(meter)

    def _open_segment(self):
        """Start a segment: remember its start time and the state at that time."""
        self._segment = SegmentData(simulator.state.segment_counter, simulator.state.t)
        self._initial = self._read_state()

    def _read_state(self):
        """Current values (PyNN units) of every recorded analog variable of every cell."""
        out = {}
        celltype = self.population.celltype
        variable_map = getattr(celltype, "variable_map", {})
        scale = getattr(celltype, "scale_factors", {})
        k = _kernel()
        ids = self.population._ids
        for name in self.masks:
            if name == SPIKES:
                continue
            native = variable_map.get(name, name)
            try:
                values = np.asarray(k.get_node_values(ids, native), dtype=float)
                values = values * scale.get(name, 1.0)
            except Exception:
                initial = self.population.initial_values.get(name)
                values = np.broadcast_to(
                    np.asarray(initial.evaluate(simplify=False), dtype=float)
                    if initial is not None else np.zeros(len(ids)), (len(ids),)).copy()
            out[name] = values
        return out

    # -- harvesting ----------------------------------------------------------------------------------
    def _current(self):
        """SegmentData of the running segment, read from the devices."""
        seg = self._segment or SegmentData(simulator.state.segment_counter,
                                           self._recording_start_time)
        t_now = simulator.state.t
        seg.t_stop = t_now
        k = _kernel()
        grid = k.grid
        pop_ids = self.population._ids
        if SPIKES in self.masks:
            senders, times = [], []
            for device in self._spike_devices:
                block, i = _log(device.node)
                s, steps, _ = block.logs[i].columns()
                senders.append(s)
                times.append(_exact_times(self.population, s, steps, grid.to_ms(steps)))
            senders = np.concatenate(senders) if senders else np.zeros(0, np.int64)
            times = np.concatenate(times) if times else np.zeros(0)
            keep = (times > seg.t_start - 1e-12) & (times <= t_now + 1e-9)
            seg.spikes = (senders[keep], times[keep])
            seg.spike_ids = pop_ids[self.masks[SPIKES]]
        else:
            seg.spike_ids = np.zeros(0, np.int64)
        seg.signals = {}
        celltype = self.population.celltype
        variable_map = getattr(celltype, "variable_map", {})
        scale = getattr(celltype, "scale_factors", {})
        for name, mask in self.masks.items():
            if name == SPIKES:
                continue
            cells = pop_ids[mask]
            interval = self.sampling_interval
            n_rows = int(np.floor((t_now - seg.t_start) / interval + 1e-9)) + 1
            values = np.full((n_rows, cells.size), np.nan)
            initial = self._initial.get(name)
            if initial is not None:
                values[0] = initial[mask]
            native = variable_map.get(name, name)
            col_of = np.full(int(pop_ids.max()) + 1, -1, dtype=np.int64)
            col_of[cells] = np.arange(cells.size)
            for meter in self._meters:
                if name not in meter.variables:
                    continue
                _flush_meter(meter.node)
                block, i = _log(meter.node)
                senders, steps, columns = block.logs[i].columns()
                if not senders.size:
                    continue
                rows = np.rint((grid.to_ms(steps) - seg.t_start) / interval).astype(np.int64)
                cols = col_of[np.minimum(senders, col_of.size - 1)]
                ok = (rows >= 1) & (rows < n_rows) & (cols >= 0) & (senders < col_of.size)
                values[rows[ok], cols[ok]] = columns[native][ok] * scale.get(name, 1.0)
            seg.signals[name] = (cells, values, interval)
        return seg

    def _clear_devices(self):
        k = _kernel()
        for device in self._spike_devices + self._meters:
            k.set_node_values([device.node], {"n_events": 0})

    def store_to_cache(self, annotations=None):
        """Keep the running segment (called by ``reset``); devices start empty again."""
        if simulator.state.t != 0 and not self.clear_flag:
            seg = self._current()
            seg.annotations.update(annotations or {})
            self.cache.append(seg)
        self.clear_flag = False
        self._clear_devices()
        self._segment = None
        self._recording_start_time = 0.0

    def clear(self):
        """Delete all recorded data; recording goes on from the current time."""
        self.cache = []
        self.clear_flag = True
        self._clear_devices()
        self._recording_start_time = simulator.state.t
        self._segment = SegmentData(simulator.state.segment_counter, simulator.state.t)
        self._initial = self._read_state()

    # -- Neo -----------------------------------------------------------------------------------------
    def _neo_segment(self, seg, variables, filter_ids):
        pop = self.population
        description = pop.describe()
        spiketrains = None
        signals = []
        want = None if variables == "all" else set(variables)
        if (want is None or SPIKES in want) and SPIKES in self._recorded_in(seg):
            ids = seg.spike_ids
            if filter_ids is not None:
                ids = ids[np.isin(ids, filter_ids)]
            senders, times = seg.spikes
            spiketrains = neo_io.spike_train_list(
                times, senders, ids, seg.t_start, seg.t_stop, source_population=pop.label,
                source_index=pop.id_to_index(ids) if ids.size else np.zeros(0, int))
        for name, (cells, values, interval) in seg.signals.items():
            if want is not None and name not in want:
                continue
            keep = np.ones(cells.size, bool) if filter_ids is None else np.isin(cells, filter_ids)
            if not keep.any():
                continue
            signals.append(neo_io.analog_signal(
                values[:, keep], pop.find_units(Variable(name, None, None)), seg.t_start,
                interval, name, cells[keep], channel_index=pop.id_to_index(cells[keep]),
                source_population=pop.label))
        out = neo_io.segment("segment%03d" % seg.index, description, seg.rec_datetime,
                             spiketrains=spiketrains, analogsignals=signals)
        if seg.annotations:
            out.annotate(**seg.annotations)
        return out

    @staticmethod
    def _recorded_in(seg):
        return {SPIKES} if seg.spike_ids.size or seg.spikes[0].size else set()

    def get(self, variables, gather=False, filter_ids=None, clear=False, annotations=None,
            locations=None):
        """The recorded data as a Neo Block, one Segment per reset (see PyNN's Recorder.get)."""
        if isinstance(variables, str) and variables != "all":
            variables = [variables]
        if filter_ids is not None:
            filter_ids = np.asarray(filter_ids, dtype=np.int64)
        segments = list(self.cache)
        if simulator.state.running or (self._segment is not None and simulator.state.t > 0):
            segments.append(self._current())
        elif not segments:
            segments.append(self._current())
        if gather and simulator.state.num_processes > 1:
            segments = [_gathered(seg) for seg in segments]
        neo_segments = [self._neo_segment(seg, variables, filter_ids) for seg in segments]
        data = neo_io.block(neo_segments, name=self.population.label,
                            description=self.population.describe(), **self.metadata)
        if annotations:
            data.annotate(**annotations)
        if clear:
            self.clear()
        return data

    def write(self, variables, file=None, gather=False, filter_ids=None, clear=False,
              annotations=None, locations=None):
        """Write the recorded data to a file (by suffix) or a Neo IO.

        With several MPI processes, ``gather=True`` writes every process's data from rank 0;
        ``gather=False`` makes each process write its own cells' data to ``<file>.<rank>``.
        """
        target = file or self.file
        state = simulator.state
        if not gather and state.num_processes > 1:
            # the IO is chosen by the name's extension, then the rank appended, as in PyNN
            if isinstance(target, str):
                target = neo_io.get_io(target)
            target.filename += f".{state.mpi_rank}"
        data = self.get(variables, gather, filter_ids, clear, annotations=annotations)
        if gather and state.mpi_rank != 0:
            return
        neo_io.write_block(data, target)

    def count(self, variable, gather=True, filter_ids=None):
        """Spike counts of the running segment: {cell id: count}."""
        if variable != SPIKES:
            raise Exception("Only implemented for spikes.")
        seg = self._current()
        if gather and simulator.state.num_processes > 1:
            seg = _gathered(seg)
        ids = self.filter_recorded(SPIKES, filter_ids)
        senders = seg.spikes[0]
        if ids.size:
            order = np.sort(ids)
            pos = np.searchsorted(order, senders)
            pos = pos[(pos < order.size)]
            valid = order[np.minimum(np.searchsorted(order, senders), order.size - 1)] == senders
            counts = np.bincount(np.searchsorted(order, senders[valid]), minlength=order.size)
        else:
            order, counts = ids, np.zeros(0, int)
        return dict(zip(order.tolist(), counts.tolist()))

    @property
    def metadata(self):
        pop = self.population
        metadata = {"size": pop.size, "first_index": 0, "last_index": len(pop),
                    "first_id": int(pop.first_id), "last_id": int(pop.last_id),
                    "label": pop.label, "simulator": simulator.name}
        metadata.update(pop.annotations)
        metadata["dt"] = simulator.state.dt
        metadata["mpi_processes"] = simulator.state.num_processes
        return metadata
