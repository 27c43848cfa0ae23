"""The recording manager: who records whom, and when.

Spike recorders read the spike register at the end of every update (a spike is recorded with
its time stamp, once per unit of multiplicity). Blocks that record their own spikes (the
spike_generator: precise offsets, per-spike weights) hand them over with
:meth:`RecordingManager.stage_spikes` instead, and the register's copies are ignored.
Multimeters sample the recordables of their targets at the end of every step whose time
t = offset + k * interval lies in (origin + start, origin + stop]. As in NEST 3.10, sampled
values reach the multimeter one min_delay slice late: a slice's samples appear when the next
slice begins, so the samples of the last slice of a Simulate call appear only if the
simulation continues. Within a slice, events are ordered by target (in connection order), then
by time; spike events by sender, then time.

Recorders send their events to a recording backend (memory, ascii or screen, see
kernel/devices/recorders.py); ascii files are opened when the network is prepared and closed
at cleanup (:meth:`RecordingManager.open_backends`, :meth:`RecordingManager.cleanup`).
"""
import numpy as np

from .devices.recorders import Multimeter, RecorderBlock, SpikeRecorder
from .errors import IllegalConnection

EMPTY_I32 = np.zeros(0, dtype=np.int32)
NO_FLAGS = np.zeros(0, dtype=np.uint8)


class _BlockPlan:
    """Sampling of one neuron block by all multimeters that target it."""

    def __init__(self, block, rec_nodes):
        self.block = block
        self.rec_nodes = rec_nodes.astype(np.int32)
        self.samplers = []        # (multimeter block, node i, positions in rec_nodes, var idx)
        self.flags = NO_FLAGS
        self.out = np.zeros((0, 0, 0))


class _SamplerState:
    """Per multimeter node: samples of the running slice and of the finished one."""

    def __init__(self, mm, i):
        self.mm, self.i = mm, i
        self.running = []
        self.finished = []


class RecordingManager:
    """Connects recorders to the network state during a run."""

    def __init__(self):
        self.spike_sources = []     # (recorder block, node i, boolean mask over node ids)
        self.plans = {}             # id(block) -> _BlockPlan
        self.samplers = {}          # (id(mm block), i) -> _SamplerState
        self.overwrite_files = False    # kernel attribute; reset by ResetKernel as in NEST
        self.simulated = False          # True once the network has been prepared
        self.self_recorded = np.zeros(1, dtype=bool)    # senders that stage their own spikes
        self.listened = np.zeros(1, dtype=bool)     # senders whose register spikes are recorded
        self._staged = []               # (senders, stamps, multiplicities, offsets)

    def prepare(self, nodes, pre, post):
        """Rebuild the recording plan from all connections (pre[k] -> post[k])."""
        self.spike_sources = []
        self._staged = []
        self.self_recorded = np.zeros(nodes.size + 1, dtype=bool)
        for block in nodes.blocks:
            if getattr(block, "records_own_spikes", False):
                self.self_recorded[block.first:block.last + 1] = True
        rec_targets = {}
        for block in nodes.blocks:
            if not isinstance(block, (SpikeRecorder, Multimeter)):
                continue
            for i in range(block.n):
                gid = block.first + i
                if isinstance(block, SpikeRecorder):
                    mask = np.zeros(nodes.size + 1, dtype=bool)
                    mask[pre[post == gid]] = True
                    self.spike_sources.append((block, i, mask))
                else:
                    targets = post[pre == gid]
                    rec_targets[(block, i)] = _first_occurrences(targets)
                    if (id(block), i) not in self.samplers:
                        self.samplers[(id(block), i)] = _SamplerState(block, i)
        self.listened = np.logical_or.reduce([m for _, _, m in self.spike_sources] +
                                             [np.zeros(nodes.size + 1, dtype=bool)])
        self.listened &= ~self.self_recorded
        self._plan_sampling(nodes, rec_targets)

    def _plan_sampling(self, nodes, rec_targets):
        per_block = {}
        for (mm, i), targets in rec_targets.items():
            names = mm.values["record_from"][i]
            if not len(names):
                continue        # NEST: a multimeter recording nothing has no events at all
            for block, pos, local in nodes.group(targets):
                recordables = block.spec.recordables if block.can_be_sampled else ()
                missing = [n for n in names if n not in recordables]
                if missing:
                    raise IllegalConnection(
                        f"{block.spec.name} has no recordable {missing[0]!r} requested by "
                        f"{mm.spec.name} {mm.first + i}; its recordables are {list(recordables)}.")
                per_block.setdefault(id(block), (block, []))[1].append(
                    (mm, i, np.sort(pos), local[np.argsort(pos)], names))
        self.plans = {}
        for key, (block, entries) in per_block.items():
            rec_nodes = np.unique(np.concatenate([e[3] for e in entries]))
            plan = _BlockPlan(block, rec_nodes)
            for mm, i, pos, local, names in entries:
                var_idx = np.array([block.spec.recordables.index(n) for n in names], dtype=np.intp)
                plan.samplers.append((mm, i, pos, np.searchsorted(rec_nodes, local), var_idx))
            self.plans[key] = plan

    # -- during the update of a block ----------------------------------------------------------
    def sample_buffers(self, block, t0, nsteps):
        """(rec_nodes, flags per step, output array) for the block's update call."""
        plan = self.plans.get(id(block))
        if plan is None:
            return EMPTY_I32, np.zeros(nsteps, dtype=np.uint8), np.zeros((0, 0, 0))
        stamps = t0 + 1 + np.arange(nsteps)
        plan.masks = [self._sample_mask(mm, i, stamps) for mm, i, *_ in plan.samplers]
        flags = np.logical_or.reduce(plan.masks) if plan.masks else np.zeros(nsteps, bool)
        plan.flags = flags.astype(np.uint8)
        n_rec = len(block.spec.recordables)
        plan.out = np.zeros((int(flags.sum()), plan.rec_nodes.shape[0], n_rec))
        return plan.rec_nodes, plan.flags, plan.out

    @staticmethod
    def _sample_mask(mm, i, stamps):
        interval, offset = mm.interval_steps[i], mm.offset_steps[i]
        return ((stamps > mm.t_start[i]) & (stamps <= mm.t_stop[i]) & (stamps >= offset)
                & ((stamps - offset) % interval == 0))

    def sample_values(self, block, t0, nsteps, values):
        """Sample a block whose recordables are known for every step in advance (devices).

        Parameters
        ----------
        block : NodeBlock
        t0, nsteps : int
            The update's first step and length.
        values : callable
            ``values(lags, nodes)`` returns an array (len(lags), len(nodes), n_recordables):
            the recordables of the given local nodes after the steps t0 + lag (sample stamp
            t0 + lag + 1), in the order of ``block.spec.recordables``.
        """
        if id(block) not in self.plans:
            return
        rec_nodes, flags, out = self.sample_buffers(block, t0, nsteps)
        if out.shape[0]:
            out[:] = values(np.flatnonzero(flags), rec_nodes)
        self.collect_samples(block, t0, nsteps)

    def collect_samples(self, block, t0, nsteps):
        """Hand the samples of the block's update to its multimeters (as running data)."""
        plan = self.plans.get(id(block))
        if plan is None or plan.out.shape[0] == 0:
            return
        flagged = np.flatnonzero(plan.flags)
        for (mm, i, pos, cols, var_idx), mask in zip(plan.samplers, plan.masks):
            rows = np.flatnonzero(mask[flagged])
            if rows.size == 0:
                continue
            values = plan.out[rows][:, cols][:, :, var_idx]        # (times, targets, vars)
            stamps = t0 + 1 + flagged[rows]
            self.samplers[(id(mm), i)].running.append((pos, stamps, values, cols, plan))

    # -- slice boundaries ----------------------------------------------------------------------
    def begin_slice(self):
        """Publish what multimeters sampled in the previous slice."""
        for state in self.samplers.values():
            if state.finished:
                _publish(state.mm, state.i, state.finished)
                state.finished = []

    def publish_until(self, stamp, slice_steps):
        """Publish the running samples stamped up to ``stamp`` slice by slice, as
        begin_slice would have published each slice's at the start of the next: an update
        of several slices (the slice engine's) then leaves running only its last slice's.

        Parameters
        ----------
        stamp : int
            The first step of the update's last slice (its samples stay running).
        slice_steps : int
            min_delay in steps.
        """
        for state in self.samplers.values():
            done, state.running = _split_chunks(state.running, stamp)
            if done:
                _publish(state.mm, state.i, done, slice_steps)

    def end_slice(self):
        """The running slice is complete: its samples wait for the next slice."""
        for state in self.samplers.values():
            state.finished.extend(state.running)
            state.running = []
        if self._staged:
            self.record_spikes(np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int64))

    def flush(self, mm, i):
        """Publish every sample multimeter node i holds back (used by the PyNN face)."""
        state = self.samplers.get((id(mm), i))
        if state is None:
            return
        chunks = state.finished + state.running
        state.finished, state.running = [], []
        if chunks:
            _publish(mm, i, chunks)

    def stage_spikes(self, senders, stamps, multiplicities, offsets=None, recorders=None):
        """Spikes a block records itself; recorded with the register's spikes of the update.

        Parameters
        ----------
        senders, stamps, multiplicities : array of int
        offsets : array of float, optional
            Offsets in ms of precise spike times before their stamps (zero on the grid).
        recorders : array of int, optional
            For each spike, the one recorder it is for (generators that send each target its
            own train); by default every recorder connected to the sender gets it.
        """
        n = len(senders)
        if n:
            self._staged.append((
                np.asarray(senders, np.int64), np.asarray(stamps, np.int64),
                np.asarray(multiplicities, np.int64),
                np.zeros(n) if offsets is None else np.asarray(offsets, np.float64),
                np.full(n, -1, np.int64) if recorders is None else np.asarray(recorders, np.int64)))

    def record_spikes(self, senders, stamps, multiplicities, slice_steps=None):
        """Record an update's spikes in every spike recorder that listens to their senders.

        The update may span several min_delay slices of ``slice_steps`` steps (the slice
        engine's); each recorder gets them slice by slice, in a slice by sender, then time, as
        NEST orders them.
        """
        senders = np.asarray(senders)
        offsets = only = None
        # most spikes reach no recorder: leave them first (an update of the slice engine
        # lists the spikes of many slices); senders that record their own spikes staged them
        heard = self.listened[np.minimum(senders, self.listened.shape[0] - 1)]
        senders, stamps, multiplicities = (senders[heard].astype(np.int64), stamps[heard],
                                           multiplicities[heard])
        if self._staged:
            n = senders.shape[0]
            parts = [(senders, stamps, multiplicities, np.zeros(n), np.full(n, -1, np.int64))]
            parts += self._staged
            self._staged = []
            senders, stamps, multiplicities, offsets, only = (np.concatenate(c)
                                                              for c in zip(*parts))
        if senders.size == 0:
            return
        for block, i, mask in self.spike_sources:
            keep = mask[np.minimum(senders, mask.shape[0] - 1)] & \
                (stamps > block.t_start[i]) & (stamps <= block.t_stop[i])
            if only is not None:
                keep &= (only < 0) | (only == block.first + i)
            if not keep.any():
                continue
            keys = (stamps[keep], senders[keep])
            if slice_steps is not None:
                keys += ((stamps[keep] - 1) // slice_steps,)
            order = np.lexsort(keys)
            reps = multiplicities[keep][order]
            block.record(i, np.repeat(senders[keep][order], reps),
                         np.repeat(stamps[keep][order], reps),
                         offsets=None if offsets is None else
                         np.repeat(offsets[keep][order], reps))

    # -- backends ------------------------------------------------------------------------------
    def open_backends(self, nodes):
        """Open the ascii files and screen outputs of all recorders (after Prepare).

        Raises
        ------
        RecordingFileExists
            A file exists and ``overwrite_files`` is False (NEST's IOError; the kernel stays
            prepared, as in NEST, so Cleanup must follow).
        """
        self.simulated = True
        for block in nodes.blocks:
            if not isinstance(block, RecorderBlock):
                continue
            block.close_sinks()
            for i in range(block.n):
                if block.values["record_to"][i] != "memory":
                    block.open_sink(i, self.overwrite_files)

    def cleanup(self, nodes):
        """End of a Prepare/Run/Cleanup cycle: record staged spikes, close files."""
        if self._staged:
            self.record_spikes(np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int64))
        for block in nodes.blocks:
            if isinstance(block, RecorderBlock):
                block.close_sinks()
            after_run = getattr(block, "after_run", None)
            if after_run is not None:
                after_run()


def _first_occurrences(ids):
    """ids in order of first occurrence, duplicates removed."""
    _, first = np.unique(ids, return_index=True)
    return ids[np.sort(first)]


def _split_chunks(chunks, stamp):
    """(the chunks' samples stamped up to ``stamp``, the later ones), as chunks (a chunk's
    stamps ascend)."""
    done, later = [], []
    for pos, stamps, values, cols, plan in chunks:
        cut = int(np.searchsorted(stamps, stamp, side="right"))
        if cut:
            done.append((pos, stamps[:cut], values[:cut], cols, plan))
        if cut < stamps.shape[0]:
            later.append((pos, stamps[cut:], values[cut:], cols, plan))
    return done, later


def _publish(mm, i, chunks, slice_steps=None):
    """Append sampled chunks to the multimeter's log, ordered by target then time (with
    ``slice_steps``, slice by slice: by slice, then target, then time, as publishing each
    slice's chunks in turn does)."""
    names = mm.values["record_from"][i]
    senders, steps, target_pos = [], [], []
    values = {n: [] for n in names}
    for pos, stamps, vals, cols, plan in chunks:
        n_t, n_tg = vals.shape[0], vals.shape[1]
        gids = plan.block.ids_of(plan.rec_nodes[cols])
        senders.append(np.tile(gids, n_t))
        steps.append(np.repeat(stamps, n_tg))
        target_pos.append(np.tile(pos, n_t))
        for k, n in enumerate(names):
            values[n].append(vals[:, :, k].reshape(-1))
    target_pos = np.concatenate(target_pos)
    steps = np.concatenate(steps)
    keys = (steps, target_pos) if slice_steps is None else \
        (steps, target_pos, (steps - 1) // slice_steps)
    order = np.lexsort(keys)
    mm.record(i, np.concatenate(senders)[order], steps[order],
              {n: np.concatenate(v)[order] for n, v in values.items()})
