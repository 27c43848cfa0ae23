"""Stimulation devices: dc_generator, poisson_generator, spike_generator.

All share NEST's activity window: a device is active between ``origin + start`` and
``origin + stop``. Spike-emitting devices emit spikes whose time stamp t satisfies
origin + start < t <= origin + stop; current generators send the current of the step ending at
t with origin + start <= t < origin + stop (measured against NEST 3.10: a current with start=2,
delay 1 first moves V_m at 3.1 ms).
"""
import numpy as np

from ..errors import BadParameterValue
from ..nodes import NodeBlock
from ..registry import BOOL, FLOAT_ARRAY, STIMULATOR, STIMULATOR_STATUS, STR, ModelSpec, Param
from ._generators import current_update, poisson_update

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
                name, f"{name} must be a multiple of the simulation resolution "
                      f"({grid.resolution} ms); got {ms[off][0]}.")
    if np.any(proposed["stop"] < proposed["start"]):
        bad = np.argmax(proposed["stop"] < proposed["start"])
        raise BadParameterValue(
            "stop", f"stop >= start required; got start={proposed['start'][bad]}, "
                    f"stop={proposed['stop'][bad]}.")


def as_time(grid, ms):
    """Times as NEST stores them: whole tics, read back as tics x ms_per_tic (59.3 ms ->
    59.300000000000004); an infinite or huge time is the largest double (no end)."""
    ms = np.asarray(ms, dtype=np.float64)
    finite = np.abs(ms) < DOUBLE_MAX / 2
    return np.where(finite, grid_tics(grid, np.where(finite, ms, 0.0)) * grid.ms_per_tic,
                    np.copysign(DOUBLE_MAX, ms))


def window_times(grid, updates):
    """``updates`` with origin, start and stop stored as NEST stores times."""
    changed = {name: as_time(grid, updates[name]) for name in ("origin", "start", "stop")
               if name in updates}
    return {**updates, **changed} if changed else updates


class StimulatorBlock(NodeBlock):
    """Shared parts of generators: the activity window and the outgoing connections."""

    def check(self, proposed, updates):
        check_window(proposed, updates, self.grid)
        if "stimulus_source" in updates and updates["stimulus_source"] != "":
            raise BadParameterValue("stimulus_source", "only '' (no input backend) is supported.")

    def apply(self, updates, idx):
        super().apply(window_times(self.grid, updates), idx)

    def calibrate(self, grid):
        self.t_start = window_steps(grid, self.values, "start")
        self.t_stop = window_steps(grid, self.values, "stop")


class DCGenerator(StimulatorBlock):
    """Constant current while active (weight x amplitude at each target)."""

    sends = "current"
    writes_directly = True

    def update(self, sim, t0, nsteps):
        steps = t0 + 1 + np.arange(nsteps)
        active = (steps >= self.t_start[:, None]) & (steps < self.t_stop[:, None])
        amplitude = np.where(active, self.values["amplitude"][:, None], 0.0)
        ptr, tgt, w, d, ch = sim.outgoing(self)
        current_update(sim.ring, t0, nsteps, np.ascontiguousarray(amplitude), ptr, tgt, w, d, ch)
        return None


class PoissonGenerator(StimulatorBlock):
    """Independent Poisson spike train of the given rate for each target."""

    sends = "spike"
    writes_directly = True

    def check(self, proposed, updates):
        super().check(proposed, updates)
        if not np.all(np.isfinite(proposed["rate"])):
            raise BadParameterValue("rate", "must be a finite number of spikes per second.")

    def calibrate(self, grid):
        super().calibrate(grid)
        self.mean_per_step = self.values["rate"] * grid.resolution * 1e-3
        self.gids = np.arange(self.first, self.first + self.n, dtype=np.int32)

    def update(self, sim, t0, nsteps):
        ptr, tgt, w, d, ch = sim.outgoing(self)
        # NEST 3.10 emits a Poisson train's events at stamps start+2 .. stop+1 steps (a train
        # from 0 ms reaches a parrot behind a 1 ms delay at 1.2 ms at the earliest)
        poisson_update(sim.ring, t0, nsteps, sim.rng_seed, self.gids, self.mean_per_step,
                       self.t_start + 2, self.t_stop + 1, ptr, tgt, w, d, ch,
                       sim.target_kind, sim.neg_shift)
        return None


class SpikeGenerator(StimulatorBlock):
    """Emits spikes at given times (stamped at those times) through the spike register."""

    emits_spikes = True
    sends = "spike"

    def check(self, proposed, updates):
        super().check(proposed, updates)
        for name in ("precise_times", "allow_offgrid_times", "shift_now_spikes"):
            if np.any(proposed[name]):
                raise BadParameterValue(name, "is not supported by Neuropil yet; leave it False.")
        for name in ("spike_weights",):
            if name in updates and len(updates[name]):
                raise BadParameterValue(name, "per-spike weights are not supported by Neuropil yet.")
        times = updates.get("spike_times")
        if times is not None:
            if np.any(np.diff(times) < 0):
                raise BadParameterValue(
                    "spike_times", "spike times must be sorted in non-descending order.")
            if np.any(times <= 0):
                raise BadParameterValue(
                    "spike_times", f"spike times must be positive (got {times[times <= 0][0]}).")
            self.check_spike_times(times)
        mult = updates.get("spike_multiplicities")
        if mult is not None and len(mult):
            n_times = len(times) if times is not None else None
            if n_times is not None and len(mult) != n_times:
                raise BadParameterValue(
                    "spike_multiplicities",
                    f"must have one entry per spike time ({n_times}), got {len(mult)}.")

    def check_spike_times(self, times):
        """Spike times must lie on the grid (off-grid times are not supported yet)."""
        on_grid = self.grid.is_on_grid(times)
        if times.size and not np.all(on_grid):
            raise BadParameterValue(
                "spike_times", f"spike time {times[~on_grid][0]} ms is not a multiple of the "
                f"resolution ({self.grid.resolution} ms).")

    def calibrate(self, grid):
        super().calibrate(grid)
        self.stamps = []
        self.mults = []
        for i in range(self.n):
            times = self.values["spike_times"][i]
            self.stamps.append(grid.to_steps(times + self.values["origin"][i]))
            m = self.values["spike_multiplicities"][i]
            self.mults.append(np.asarray(m, dtype=np.int64) if len(m) else
                              np.ones(len(times), dtype=np.int64))

    def update(self, sim, t0, nsteps):
        nodes, lags, mults = [], [], []
        for i in range(self.n):
            s = self.stamps[i]
            lo = np.searchsorted(s, max(t0 + 1, self.t_start[i] + 1), side="left")
            hi = np.searchsorted(s, min(t0 + nsteps, self.t_stop[i]), side="right")
            if hi > lo:
                nodes.append(np.full(hi - lo, i, dtype=np.int32))
                lags.append((s[lo:hi] - t0 - 1).astype(np.int32))
                mults.append(self.mults[i][lo:hi])
        if not nodes:
            return None
        return np.concatenate(nodes), np.concatenate(lags), np.concatenate(mults)


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
                        doc="Round off-grid spike times instead of rejecting them"),
                  Param("precise_times", False, kind=BOOL, doc="Emit off-grid (precise) spike times"),
                  Param("shift_now_spikes", False, kind=BOOL,
                        doc="Shift spikes at the current time to the next step"),
                  Param("spike_multiplicities", np.zeros(0), kind=FLOAT_ARRAY,
                        doc="Multiplicity of each spike"),
                  Param("spike_times", np.zeros(0), "ms", kind=FLOAT_ARRAY, doc="Spike times"),
                  Param("spike_weights", np.zeros(0), kind=FLOAT_ARRAY,
                        doc="Weight of each spike"),
              ], key=lambda p: p.name)},
              extra_status=STIMULATOR_STATUS,
              doc="Emits spikes at the given times."),
]
