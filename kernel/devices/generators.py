"""Stimulation devices: dc_generator, poisson_generator, spike_generator, and what all share.

All share NEST's activity window: a device is active between ``origin + start`` and
``origin + stop``. Spike-emitting devices emit spikes whose time stamp t satisfies
origin + start < t <= origin + stop; current generators send the current of the step ending at
t with origin + start <= t < origin + stop (measured against NEST 3.10: a current with start=2,
delay 1 first moves V_m at 3.1 ms). Current generators can be sampled by a multimeter: the
sample stamped t is the current of the step ending at t (0 outside the window).

The other generators live in current_generators.py (ac, step current, noise) and
spike_sources.py (gamma_sup, sinusoidal/inhomogeneous Poisson, pulse packets).
"""
import numpy as np

from ..errors import BadParameterType, BadParameterValue
from ..nodes import TAKES_NOTHING, NodeBlock
from ..registry import BOOL, FLOAT_ARRAY, STIMULATOR, STIMULATOR_STATUS, STR, ModelSpec, Param
from ..delivery._deliver import plain_rows
from ..random.philox import poisson_tables
from ._generators import (CurrentRuns, current_update, poisson_runs, poisson_update,
                          weighted_spike_update)
from ._spike_times import SpikeTimesCore

DOUBLE_MAX = np.finfo(np.float64).max
STEP_MAX = np.iinfo(np.int64).max // 4

WINDOW_PARAMS = [
    Param("label", "", kind=STR, doc="Free-form label"),
    Param("origin", 0.0, "ms", doc="Time origin of start and stop"),
    Param("start", 0.0, "ms", doc="Activation time, relative to origin"),
    Param("stimulus_source", "", kind=STR, doc="Input backend (only '' is supported)"),
    Param("stop", DOUBLE_MAX, "ms", doc="Deactivation time, relative to origin"),
]


def window_steps(grid, values, name):
    """Window bounds in steps; the open end maps to a very large step."""
    ms = values["origin"] + values[name]
    steps = np.where(ms >= DOUBLE_MAX / 2, STEP_MAX, 0)
    finite = ms < DOUBLE_MAX / 2
    steps[finite] = grid.to_steps(ms[finite])
    return steps.astype(np.int64)


def grid_tics(grid, ms):
    """Times in ms as whole tics (NEST rounds a time to the nearest tic first)."""
    return np.rint(np.asarray(ms, dtype=np.float64) * grid.tics_per_ms)


def check_window(proposed, updates, grid):
    """NEST's device window rules: origin, start and (finite) stop on the grid, stop >= start.

    Parameters
    ----------
    proposed : dict
        Every numeric parameter as it would be after the update (one value per node).
    updates : dict
        The values being set.
    grid : TimeGrid
    """
    for name in ("origin", "start", "stop"):
        if name not in updates:
            continue
        ms = np.atleast_1d(updates[name])
        finite = np.abs(ms) < DOUBLE_MAX / 2
        off = finite & (grid_tics(grid, np.where(finite, ms, 0.0)) % grid.tics_per_step != 0)
        if np.any(off):
            raise BadParameterValue(
                name, f"{name} must be a multiple of the simulation resolution. The "
                      f"resolution is {grid.resolution} ms; got {ms[off][0]}.")
    if np.any(proposed["stop"] < proposed["start"]):
        bad = np.argmax(proposed["stop"] < proposed["start"])
        raise BadParameterValue(
            "stop", f"stop >= start required. Got start={proposed['start'][bad]}, "
                    f"stop={proposed['stop'][bad]}.")


def as_time(grid, ms):
    """Times as NEST stores them: whole tics, read back as tics x ms_per_tic (59.3 ms ->
    59.300000000000004); an infinite or huge time is the largest double (no end)."""
    ms = np.asarray(ms, dtype=np.float64)
    finite = np.abs(ms) < DOUBLE_MAX / 2
    return np.where(finite, grid_tics(grid, np.where(finite, ms, 0.0)) * grid.ms_per_tic,
                    np.copysign(DOUBLE_MAX, ms))


def window_times(grid, updates):
    """``updates`` with origin, start and stop stored as NEST stores them."""
    changed = {name: as_time(grid, updates[name]) for name in ("origin", "start", "stop")
               if name in updates}
    return {**updates, **changed} if changed else updates


def time_points_to_steps(grid, times, offgrid, model, positive_message=None):
    """Steps of a list of change times (step_current / inhomogeneous Poisson / spikes).

    NEST first rounds a time to the nearest tic. A time that is then not on the grid is an
    error, unless ``offgrid`` (then it moves up to the end of its step).

    Parameters
    ----------
    grid : TimeGrid
    times : ndarray of float
    offgrid : bool
    model : str
        For the message.
    positive_message : str, optional
        If given, times <= 0 raise BadParameterValue with this text (checked first).

    Returns
    -------
    ndarray of int64
    """
    times = np.asarray(times, dtype=np.float64)
    if positive_message is not None and np.any(times <= 0):
        raise BadParameterValue("times", positive_message)
    tics = grid_tics(grid, times)
    tps = grid.tics_per_step
    off = np.mod(tics, tps) != 0
    if np.any(off) and not offgrid:
        bad = times[off][0]
        raise BadParameterValue(
            "times", f"{model}: Time point {bad:g} is not representable in current resolution. "
                     f"The resolution is {grid.resolution} ms; set allow_offgrid_times to move "
                     "it to the end of its step.")
    return np.ceil(tics / tps).astype(np.int64)


def current_clock():
    """The kernel's current time in steps (for rules about past and present times)."""
    from .. import get_kernel
    return get_kernel().clock


class StepMultipleRequired(BadParameterValue):
    """A time parameter that must be a multiple of the resolution is not (NEST's
    StepMultipleRequired)."""


class StimulatorBlock(NodeBlock):
    """Shared parts of generators: the activity window and the outgoing connections."""

    def stage_values(self, updates, idx):
        self._staging_idx = np.asarray(idx)     # checks that compare with current values
        return super().stage_values(updates, idx)

    def check(self, proposed, updates):
        check_window(proposed, updates, self.grid)
        if "stimulus_source" in updates and updates["stimulus_source"] != "":
            raise BadParameterValue("stimulus_source", "only '' (no input backend) is supported.")

    def apply(self, updates, idx):
        super().apply(window_times(self.grid, updates), idx)

    def calibrate(self, grid):
        self.derive(grid, "window", self._window)

    def _window(self, grid):
        self.t_start = window_steps(grid, self.values, "start")
        self.t_stop = window_steps(grid, self.values, "stop")

    def _live(self):
        """True for a node block of the network (False for SetDefaults' trial blocks)."""
        from .. import get_kernel
        return any(b is self for b in get_kernel().nodes.blocks)


class DirectWriter:
    """Mixin of generators that write their spikes into their targets' rings themselves
    (a separate train per target). ``writes_directly`` is True only during a prepared run, so
    that Connect treats them as ordinary spike sources: a spike_recorder may be connected and
    gets a train of its own, as in NEST (see :meth:`list_for_recorders`)."""

    _direct = False
    _rec_targets = None
    _n_rec = 0

    @property
    def writes_directly(self):
        return self._direct

    def calibrate(self, grid):
        super().calibrate(grid)
        self._direct = True

    def after_run(self):
        """Cleanup: Connect sees an ordinary spike source again."""
        self._direct = False

    def event_buffers(self, sim, targets, nsteps):
        """(connection, stamp, count) buffers for the spikes drawn for recorder targets."""
        if self._rec_targets is not targets:
            self._rec_targets = targets
            self._n_rec = int(np.count_nonzero(sim.target_kind[targets] == TAKES_NOTHING))
        cap = self._n_rec * nsteps
        return tuple(np.empty(cap, dtype=np.int64) for _ in range(3))

    def list_for_recorders(self, sim, ptr, targets, buffers, n):
        """Hand the first n listed spikes to their recorders (each its own train)."""
        if n == 0:
            return
        conn, stamp, count = (b[:n] for b in buffers)
        owner = np.searchsorted(ptr, conn, side="right") - 1
        sim.recording.stage_spikes(self.first + owner, stamp, count,
                                   recorders=sim.nodes.global_ids(targets[conn]))


class CurrentGenerator(StimulatorBlock):
    """A generator that sends a current to each target every step (weight x current).

    Subclasses implement :meth:`currents`. The recordable ``I`` is the current of each step,
    0 outside the window.
    """

    sends = "current"
    accepts = ("request",)
    can_be_sampled = True
    writes_directly = True

    def currents(self, stamps):
        """Currents (n, len(stamps)) for the steps ending at ``stamps``, 0 when inactive."""
        raise NotImplementedError

    def active(self, stamps):
        """(n, len(stamps)) mask: start <= stamp < stop."""
        return (stamps >= self.t_start[:, None]) & (stamps < self.t_stop[:, None])

    def engine_task(self, sim):
        """CurrentRuns (the engine sends each call's ``currents``), or None for the general
        path: when a multimeter records them, or the generator updates more than its
        currents (ac_generator's phase, noise_generator's draws)."""
        if id(self) in sim.recording.plans or type(self).update is not CurrentGenerator.update:
            return None
        ptr, tgt, w, d, ch = sim.outgoing(self)
        return CurrentRuns(self, ptr, tgt, w, d, ch)

    def update(self, sim, t0, nsteps):
        amplitude = np.ascontiguousarray(self.currents(t0 + 1 + np.arange(nsteps)))
        ptr, tgt, w, d, ch = sim.outgoing(self)
        current_update(sim.ring, t0, nsteps, amplitude, ptr, tgt, w, d, ch)
        sim.recording.sample_values(
            self, t0, nsteps, lambda lags, nodes: amplitude[nodes][:, lags].T[:, :, None])
        return None


class DCGenerator(CurrentGenerator):
    """Constant current while active (weight x amplitude at each target)."""

    def currents(self, stamps):
        return np.where(self.active(stamps), self.values["amplitude"][:, None], 0.0)


class PoissonGenerator(DirectWriter, StimulatorBlock):
    """Independent Poisson spike train of the given rate for each target."""

    sends = "spike"

    def check(self, proposed, updates):
        super().check(proposed, updates)
        if not np.all(np.isfinite(proposed["rate"])):
            raise BadParameterValue("rate", "must be a finite number of spikes per second.")

    def calibrate(self, grid):
        super().calibrate(grid)
        self.derive(grid, "tables", self._tables)

    def _tables(self, grid):
        self.mean_per_step = self.values["rate"] * grid.resolution * 1e-3
        # generators of one rate share a table (PyNN makes one generator per cell)
        means, self.table_row = np.unique(self.mean_per_step, return_inverse=True)
        self.tables = poisson_tables(means)
        self.gids = np.arange(self.first, self.first + self.n, dtype=np.int32)

    def _trains(self, sim):
        """The arguments ``poisson_update`` and ``poisson_runs`` share: the generators, their
        stamp windows and tables, and their outgoing connections with the plain-row flags
        and draw sites."""
        ptr, tgt, w, d, ch = sim.outgoing(self)
        if getattr(self, "_plain_for", None) is not ptr:      # outgoing changes at Prepare
            self._plain_for = ptr
            self._plain = plain_rows(ptr, tgt, w, d, ch, sim.target_kind, sim.neg_shift)
        # NEST 3.10 emits a Poisson train's events at stamps start+2 .. stop+1 steps (a train
        # from 0 ms reaches a parrot behind a 1 ms delay at 1.2 ms at the earliest)
        return (sim.rng_seed, self.gids, self.mean_per_step, self.t_start + 2, self.t_stop + 1,
                self.table_row, *self.tables, self._plain, ptr, sim.draw_sites(self), tgt, w, d,
                ch)

    def engine_task(self, sim):
        return poisson_runs(*self._trains(sim), sim.target_kind)

    def update(self, sim, t0, nsteps):
        ptr, tgt = sim.outgoing(self)[:2]
        events = self.event_buffers(sim, tgt, nsteps)
        n = poisson_update(sim.ring, t0, nsteps, *self._trains(sim), sim.target_kind,
                           sim.neg_shift, *events,
                           sim.thread_bounds if sim.local_num_threads > 1 else None)
        self.list_for_recorders(sim, ptr, tgt, events, n)
        return None


# -- spike_generator ------------------------------------------------------------------------------
PRECISE_EXCLUSIVE = ("Option precise_times cannot be set to true when either allow_offgrid_times "
                     "or shift_now_spikes is set to true.")


def spike_steps(grid, times, precise, offgrid, shift_now, now, validate=True):
    """Where a spike_generator puts its spikes, as NEST 3.10 does.

    Parameters
    ----------
    grid : TimeGrid
    times : ndarray of float
        Spike times in ms (sorted).
    precise : bool
        Keep exact times: the spike is stamped at the end of its step (ceil) and carries the
        offset (stamp time - t) that recorders subtract again.
    offgrid : bool
        Round a time that is not on the grid (after rounding to the tic) up to its step's end;
        otherwise such a time is an error.
    shift_now : bool
        A spike that falls on the current step ``now`` moves one step later.
    now : int
        The kernel's current step.
    validate : bool
        Raise for bad times (False for times already stored).

    Returns
    -------
    stored : ndarray of float
        What ``spike_times`` reads back: the grid times (the exact times if precise).
    steps : ndarray of int64
        The step of each spike (relative to the origin).
    offsets : ndarray of float
        Offsets in ms (zero unless precise).

    Raises
    ------
    BadParameterValue
        A time 0 (unless shift_now), a negative or off-grid time (unless allowed).
    """
    times = np.asarray(times, dtype=np.float64)
    if validate and times.size and np.any(times == 0.0) and not shift_now:
        raise BadParameterValue("spike_times", "spike time cannot be set to 0.")
    tps = grid.tics_per_step
    if precise:
        tics = np.ceil(times * grid.tics_per_ms)
        steps = np.ceil(tics / tps).astype(np.int64)
        offsets = grid.to_ms(steps) - times
        return times.copy(), steps, offsets
    tics = grid_tics(grid, times)
    off = (np.mod(tics, tps) != 0) | (times < 0)
    if validate and np.any(off) and not offgrid:
        bad = times[off][0]
        raise BadParameterValue(
            "spike_times", f"spike_generator: Time point {bad:g} is not representable in current "
                           f"resolution. The resolution is {grid.resolution} ms; set "
                           "allow_offgrid_times to move it to the end of its step, or "
                           "precise_times to keep it exactly.")
    steps = np.ceil(tics / tps).astype(np.int64)
    if shift_now:
        steps = np.where(steps == now, steps + 1, steps)
    return grid.to_ms(steps), steps, np.zeros(times.shape[0])


class SpikeGenerator(StimulatorBlock):
    """Emits spikes at given times (stamped at those times) through the spike register.

    ``spike_multiplicities`` repeat a spike, ``spike_weights`` multiply the connection weight
    of each spike (the generator then writes its spikes into its targets' rings itself), and
    ``precise_times`` keeps off-grid times exactly: the spike reaches grid-based targets at the
    end of its step (as in NEST, where only precise neuron models use the offset) and recorders
    report the exact time. The block records its own spikes (with their offsets).
    """

    emits_spikes = True
    records_own_spikes = True
    sends = "spike"

    def __init__(self, spec, first, n, defaults, grid):
        self._direct = False
        self._times_core = None
        super().__init__(spec, first, n, defaults, grid)

    @property
    def writes_directly(self):
        """True while a prepared run delivers per-spike weights (see :meth:`calibrate`)."""
        return self._direct

    def after_run(self):
        """Cleanup: back to the spike register (connections to recorders are legal again)."""
        self._direct = False

    def stage_values(self, updates, idx):
        mult = updates.get("spike_multiplicities")
        if mult is not None:
            arr = np.asarray(mult)
            if arr.size and not (np.issubdtype(arr.dtype, np.integer) and arr.dtype != bool):
                raise BadParameterType(
                    "spike_multiplicities",
                    f"Expected datatype: Failed to cast 'spike_multiplicities' to a list of "
                    f"integers; got {mult!r}.")
            if arr.size and np.any(arr < 0):
                raise BadParameterValue("spike_multiplicities",
                                        "spike multiplicities cannot be negative.")
        return super().stage_values(updates, idx)

    def check(self, proposed, updates):
        super().check(proposed, updates)
        precise, offgrid, shift = (proposed["precise_times"], proposed["allow_offgrid_times"],
                                   proposed["shift_now_spikes"])
        if np.any(precise & (offgrid | shift)):
            raise BadParameterValue("precise_times", PRECISE_EXCLUSIVE)
        times = updates.get("spike_times")
        if times is not None:
            if np.any(np.diff(times) < 0):
                raise BadParameterValue("spike_times",
                                        "Spike times must be sorted in non-descending order.")
            now = current_clock()
            for combo in {(bool(p), bool(o), bool(s)) for p, o, s in zip(precise, offgrid, shift)}:
                spike_steps(self.grid, times, *combo, now)
        n_times = [len(times)] if times is not None else \
            [len(self.values["spike_times"][i]) for i in self._staging_idx]
        for name, sep in (("spike_weights", ","), ("spike_multiplicities", "")):
            given = updates.get(name)
            if given is not None and len(given) and any(len(given) != n for n in n_times):
                raise BadParameterValue(
                    name, f"{name} must have the same number of elements as spike_times{sep} or "
                          f"0 elements to clear the property.")
            if given is None and times is not None:
                # NEST accepts new times that no longer fit the old weights / multiplicities
                # (and then reads past their end); Neuropil refuses
                old = [len(self.values[name][i]) for i in self._staging_idx]
                if any(n and n != len(times) for n in old):
                    raise BadParameterValue(
                        name, f"the {max(old)} {name} set before do not fit the {len(times)} new "
                              f"spike_times; set both together (or clear {name} with []).")

    def apply(self, updates, idx):
        if "spike_times" in updates or any(k in updates for k in (
                "precise_times", "allow_offgrid_times", "shift_now_spikes")):
            updates = dict(updates)
            flags = {name: np.broadcast_to(updates.get(name, self.values[name][idx]),
                                           (len(idx),))
                     for name in ("precise_times", "allow_offgrid_times", "shift_now_spikes")}
            if "spike_times" in updates:
                # NEST stores the times it will use: on the grid (unless precise)
                stored = spike_steps(self.grid, updates["spike_times"],
                                     bool(flags["precise_times"][0]),
                                     bool(flags["allow_offgrid_times"][0]),
                                     bool(flags["shift_now_spikes"][0]), current_clock())[0]
                updates["spike_times"] = stored
        if "spike_multiplicities" in updates:
            updates = {**updates, "spike_multiplicities":
                       np.asarray(updates["spike_multiplicities"]).astype(np.int64)}
        super().apply(updates, idx)

    def calibrate(self, grid):
        super().calibrate(grid)
        nodes, stamps, offsets, weights, mults = [], [], [], [], []
        origin_steps = grid.to_steps(self.values["origin"])
        weighted = False
        for i in range(self.n):
            times = self.values["spike_times"][i]
            # stored times are already on the grid (or exact, if precise)
            _, steps, off = spike_steps(grid, times, bool(self.values["precise_times"][i]),
                                        True, False, -1, validate=False)
            k = len(times)
            nodes.append(np.full(k, i, dtype=np.int64))
            stamps.append(steps + origin_steps[i])
            offsets.append(off)
            w = self.values["spike_weights"][i]
            weighted = weighted or len(w) > 0
            weights.append(np.asarray(w, dtype=np.float64) if len(w) else np.ones(k))
            m = self.values["spike_multiplicities"][i]
            mults.append(np.asarray(m, dtype=np.int64) if len(m) else np.ones(k, dtype=np.int64))
        self._node = np.concatenate(nodes) if nodes else np.zeros(0, np.int64)
        self._stamp = np.concatenate(stamps) if stamps else np.zeros(0, np.int64)
        self._offset = np.concatenate(offsets) if offsets else np.zeros(0)
        self._weight = np.concatenate(weights) if weights else np.zeros(0)
        self._mult = np.concatenate(mults) if mults else np.zeros(0, np.int64)
        # (node, stamp) keys, sorted, for finding each node's spikes of an update at once
        self._key = self._node * KEY_SPAN + np.clip(self._stamp + 1, 0, KEY_SPAN - 1)
        self._direct = weighted
        # the slice engine lists the spikes of a generator with at most one a node and step
        single = np.all((np.diff(self._node) > 0) | (np.diff(self._stamp) > 0))
        self._times_core = None
        if single and not weighted:
            first = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(np.bincount(self._node, minlength=self.n), out=first[1:])
            self._times_core = SpikeTimesCore(first, self._stamp, self._mult, self.t_start,
                                              self.t_stop)

    def engine_task(self, sim):
        """A SpikeTimesCore (the engine lists the spikes), or None for the general path."""
        return self._times_core

    def stage_own_spikes(self, sim, t0, nsteps):
        """Hand the recorders this block's spikes stamped t0 + 1 ... t0 + nsteps (with their
        offsets); return their positions in the block's spike arrays."""
        pos = self._due(t0, nsteps)
        if pos.size:
            pos = pos[self._mult[pos] > 0]
        if pos.size:
            sim.recording.stage_spikes(self.first + self._node[pos], self._stamp[pos],
                                       self._mult[pos], self._offset[pos])
        return pos

    def _due(self, t0, nsteps):
        """Indices of the spikes stamped in (t0, t0 + nsteps] and in each node's window."""
        lo = np.maximum(t0 + 1, self.t_start + 1)
        hi = np.minimum(t0 + nsteps, self.t_stop)
        base = np.arange(self.n, dtype=np.int64) * KEY_SPAN
        a = np.searchsorted(self._key, base + np.clip(lo + 1, 0, KEY_SPAN - 1), side="left")
        b = np.searchsorted(self._key, base + np.clip(hi + 1, 0, KEY_SPAN - 1), side="right")
        b = np.where(hi >= lo, b, a)
        counts = b - a
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, np.int64)
        starts = np.repeat(a - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        return starts + np.arange(total)

    def update(self, sim, t0, nsteps):
        pos = self.stage_own_spikes(sim, t0, nsteps)
        if pos.size == 0:
            return None
        nodes, stamps, mults = self._node[pos], self._stamp[pos], self._mult[pos]
        if self._direct:
            ptr, tgt, w, d, ch = sim.outgoing(self)
            weighted_spike_update(sim.ring, nodes.astype(np.int32), stamps,
                                  np.ascontiguousarray(self._weight[pos]), mults,
                                  ptr, tgt, w, d, ch, sim.target_kind, sim.neg_shift)
            return None
        return nodes.astype(np.int32), (stamps - t0 - 1).astype(np.int32), mults


KEY_SPAN = np.int64(1) << 40


SPECS = [
    ModelSpec("dc_generator", STIMULATOR, DCGenerator,
              {p.name: p for p in sorted(WINDOW_PARAMS + [
                  Param("amplitude", 0.0, "pA", doc="Amplitude of the current")],
                  key=lambda p: p.name)},
              recordables=("I",), extra_status=STIMULATOR_STATUS,
              doc="Constant current while active."),
    ModelSpec("poisson_generator", STIMULATOR, PoissonGenerator,
              {p.name: p for p in sorted(WINDOW_PARAMS + [
                  Param("rate", 0.0, "Hz", doc="Mean firing rate", nonnegative=True)],
                  key=lambda p: p.name)},
              extra_status=STIMULATOR_STATUS,
              doc="Poisson spike trains, independent for each target."),
    ModelSpec("spike_generator", STIMULATOR, SpikeGenerator,
              {p.name: p for p in sorted(WINDOW_PARAMS + [
                  Param("allow_offgrid_times", False, kind=BOOL,
                        doc="Move off-grid spike times up to the end of their step"),
                  Param("precise_times", False, kind=BOOL,
                        doc="Keep off-grid spike times exactly (recorders report them)"),
                  Param("shift_now_spikes", False, kind=BOOL,
                        doc="Move spikes at the current step one step later"),
                  Param("spike_multiplicities", np.zeros(0), kind=FLOAT_ARRAY,
                        doc="Multiplicity of each spike"),
                  Param("spike_times", np.zeros(0), "ms", kind=FLOAT_ARRAY, doc="Spike times"),
                  Param("spike_weights", np.zeros(0), kind=FLOAT_ARRAY,
                        doc="Factor on the connection weight for each spike"),
              ], key=lambda p: p.name)},
              extra_status=STIMULATOR_STATUS,
              doc="Emits spikes at the given times."),
]
