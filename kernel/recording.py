"""The recording manager: who records whom, and when.

Spike recorders read the spike register at the end of every slice (a spike is recorded with
its time stamp, once per unit of multiplicity). Multimeters sample the recordables of their
targets at the end of every step whose time t = offset + k * interval lies in
(origin + start, origin + stop]. As in NEST 3.10, sampled values reach the multimeter one
min_delay slice late: a slice's samples appear when the next slice begins, so the samples of
the last slice of a Simulate call appear only if the simulation continues. Within a slice,
events are ordered by target (in connection order), then by time.
"""
import numpy as np

from .devices.recorders import Multimeter, SpikeRecorder
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

    def __init__(self):
        self.running = []
        self.finished = []


class RecordingManager:
    """Connects recorders to the network state during a run."""

    def __init__(self):
        self.spike_sources = []     # (recorder block, node i, boolean mask over node ids)
        self.plans = {}             # id(block) -> _BlockPlan
        self.samplers = {}          # (id(mm block), i) -> _SamplerState

    def prepare(self, nodes, pre, post):
        """Rebuild the recording plan from all connections (pre[k] -> post[k])."""
        self.spike_sources = []
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
                    self.samplers.setdefault((id(block), i), _SamplerState())
        self._plan_sampling(nodes, rec_targets)

    def _plan_sampling(self, nodes, rec_targets):
        per_block = {}
        for (mm, i), targets in rec_targets.items():
            names = mm.values["record_from"][i]
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
    def begin_slice(self, nodes):
        """Publish what multimeters sampled in the previous slice."""
        for block in nodes.blocks:
            if not isinstance(block, Multimeter):
                continue
            for i in range(block.n):
                state = self.samplers.get((id(block), i))
                if state is None or not state.finished:
                    continue
                _publish(block, i, state.finished)
                state.finished = []

    def end_slice(self):
        """The running slice is complete: its samples wait for the next slice."""
        for state in self.samplers.values():
            state.finished.extend(state.running)
            state.running = []

    def record_spikes(self, senders, stamps, multiplicities):
        """Record the slice's spikes in every spike recorder that listens to their senders."""
        if senders.size == 0:
            return
        for block, i, mask in self.spike_sources:
            keep = mask[senders] & (stamps > block.t_start[i]) & (stamps <= block.t_stop[i])
            if not keep.any():
                continue
            # NEST orders a slice's events by sender, then time
            order = np.lexsort((stamps[keep], senders[keep]))
            reps = multiplicities[keep][order]
            block.logs[i].append(np.repeat(senders[keep][order], reps),
                                 np.repeat(stamps[keep][order], reps))


def _first_occurrences(ids):
    """ids in order of first occurrence, duplicates removed."""
    _, first = np.unique(ids, return_index=True)
    return ids[np.sort(first)]


def _publish(mm, i, chunks):
    """Append sampled chunks to the multimeter's log, ordered by target then time."""
    names = mm.values["record_from"][i]
    senders, steps, target_pos = [], [], []
    values = {n: [] for n in names}
    for pos, stamps, vals, cols, plan in chunks:
        n_t, n_tg = vals.shape[0], vals.shape[1]
        gids = plan.block.first + plan.rec_nodes[cols]
        senders.append(np.tile(gids, n_t))
        steps.append(np.repeat(stamps, n_tg))
        target_pos.append(np.tile(pos, n_t))
        for k, n in enumerate(names):
            values[n].append(vals[:, :, k].reshape(-1))
    target_pos = np.concatenate(target_pos)
    steps = np.concatenate(steps)
    order = np.lexsort((steps, target_pos))
    mm.logs[i].append(np.concatenate(senders)[order], steps[order],
                      {n: np.concatenate(v)[order] for n, v in values.items()})
