"""Current generators besides dc_generator: ac_generator, step_current_generator,
noise_generator.

They follow dc_generator's conventions (generators.py): the current of the step ending at
stamp s acts while origin + start <= s < origin + stop, reaches a target with delay d in the
step ending at s + d + 1, and the recordable ``I`` sampled at s is the current of that step
(0 outside the window). The time of stamp s is s x resolution in ms, counted from 0 (start,
stop and origin only window the current, they do not shift it).

* ac_generator: I(s) = offset + amplitude sin(2 pi frequency t + phase), t in s.
* step_current_generator: I(s) = amplitude_values[j] for the last amplitude_times[j] <= s;
  times are absolute (the origin does not shift them).
* noise_generator: each target gets its own piecewise constant Gaussian current
  mean + N sqrt(std^2 + std_mod^2 sin(2 pi frequency t_j + phase)), redrawn every ``dt`` from
  the first active step on (origin + start, or the first step simulated with the node if
  later; t_j is the first stamp of interval j). ``I`` is the average over the
  targets. The draw for interval j and connection k is a pure function of
  (rng_seed, node id, j, k), so it does not depend on threads, processes or how the
  simulation is split into Simulate calls.
"""
import math

import numpy as np

from ..errors import BadParameterValue
from ..registry import BOOL, FLOAT_ARRAY, STIMULATOR, STIMULATOR_STATUS, ModelSpec, Param
from ._generators import noise_update
from .generators import (WINDOW_PARAMS, CurrentGenerator, StepMultipleRequired,
                         current_clock, grid_tics, time_points_to_steps)

KEY_SPAN = np.int64(1) << 40


def omega_phi(values):
    """Angular frequency (per ms) and phase (rad) from ``frequency`` (Hz) and ``phase`` (deg)."""
    return 2.0 * math.pi * values["frequency"] / 1000.0, values["phase"] / 180.0 * math.pi


class OscillatorState:
    """The y_0 / y_1 read-outs of NEST's oscillating devices: scale x (cos, sin) of the phase
    at the current time; both 0 before the device was first prepared."""

    state_names = ("y_0", "y_1")

    def init_state(self, defaults):
        self._phase_stamp = np.full(self.n, -1, dtype=np.int64)     # -1: never prepared

    def oscillator_scale(self, idx):
        return np.ones(len(idx))

    def get_state(self, name, idx):
        idx = np.asarray(idx)
        stamp = self._phase_stamp[idx]
        omega, phi = omega_phi({k: self.values[k][idx] for k in ("frequency", "phase")})
        angle = omega * self.grid.to_ms(np.maximum(stamp, 0)) + phi
        trig = np.cos if name == "y_0" else np.sin
        return np.where(stamp >= 0, self.oscillator_scale(idx) * trig(angle), 0.0)

    def mark_time(self, stamp, nodes=slice(None)):
        """The oscillators (of ``nodes``) now stand at step ``stamp``."""
        self._phase_stamp[nodes] = int(stamp)


class ACGenerator(OscillatorState, CurrentGenerator):
    """Sine current: offset + amplitude sin(omega t + phi)."""

    def oscillator_scale(self, idx):
        return self.values["amplitude"][idx]

    def calibrate(self, grid):
        super().calibrate(grid)
        self.mark_time(current_clock())

    def currents(self, stamps):
        omega, phi = omega_phi(self.values)
        t = self.grid.to_ms(stamps)
        current = self.values["offset"][:, None] + self.values["amplitude"][:, None] * \
            np.sin(omega[:, None] * t[None, :] + phi[:, None])
        return np.where(self.active(stamps), current, 0.0)

    def update(self, sim, t0, nsteps):
        out = super().update(sim, t0, nsteps)
        self.mark_time(t0 + nsteps)
        return out


def check_change_times(block, proposed, updates, times_key, values_key, label, model,
                       strict_msg, positive_msg, offgrid_msg, future):
    """Common rules of amplitude_times/amplitude_values and rate_times/rate_values.

    Returns the steps of the new times (or None if they are not being set).
    """
    has_t, has_v = times_key in updates, values_key in updates
    if "allow_offgrid_times" in updates and not has_t and \
            any(len(block.values[times_key][i]) for i in block._staging_idx):
        new = np.broadcast_to(updates["allow_offgrid_times"], (len(block._staging_idx),))
        if not future or np.any(new != block.values["allow_offgrid_times"][block._staging_idx]):
            raise BadParameterValue("allow_offgrid_times", offgrid_msg)
    if has_t != has_v:
        raise BadParameterValue(times_key if has_t else values_key,
                                f"{label} times and values must be reset together.")
    if not has_t:
        return None
    times, values = updates[times_key], updates[values_key]
    if len(times) != len(values):
        raise BadParameterValue(times_key, f"{label} times and values have to be the same size. "
                                           f"Got {len(times)} times, {len(values)} values.")
    offgrid = bool(np.all(proposed["allow_offgrid_times"]))
    if future:
        steps = time_points_to_steps(block.grid, times, offgrid, model)
        if steps.size and np.any(steps <= current_clock()):
            raise BadParameterValue(times_key, "Time points must lie strictly in the future.")
    else:
        steps = time_points_to_steps(block.grid, times, offgrid, model, positive_msg)
    if np.any(np.diff(steps) <= 0):
        raise BadParameterValue(times_key, strict_msg)
    return steps


def flat_lookup(per_node_steps, per_node_values, stamps, n):
    """(n, len(stamps)) value of the last change at or before each stamp (0 before any).

    The changes of all nodes are searched at once in (node, step) keys.
    """
    counts = np.array([len(s) for s in per_node_steps], dtype=np.int64)
    if counts.sum() == 0:
        return np.zeros((n, len(stamps)))
    keys = np.concatenate([i * KEY_SPAN + np.asarray(s, np.int64)
                           for i, s in enumerate(per_node_steps)])
    vals = np.concatenate([np.asarray(v, np.float64) for v in per_node_values])
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    query = np.arange(n, dtype=np.int64)[:, None] * KEY_SPAN + stamps[None, :]
    pos = np.searchsorted(keys, query, side="right") - 1
    valid = pos >= first[:, None]
    return np.where(valid, vals[np.maximum(pos, 0)], 0.0)


class StepCurrentGenerator(CurrentGenerator):
    """Piecewise constant current changing at given (absolute) times."""

    def check(self, proposed, updates):
        super().check(proposed, updates)
        check_change_times(self, proposed, updates, "amplitude_times", "amplitude_values",
                           "Amplitude", "step_current_generator",
                           "step_current_generator: amplitude times must be at strictly "
                           "increasing time steps.",
                           "Amplitude can only be changed at strictly positive times (t > 0).",
                           "allow_offgrid_times can only be changed before amplitude_times have "
                           "been set, or together with amplitude_times and amplitude_values.",
                           future=False)

    def apply(self, updates, idx):
        if "amplitude_times" in updates:
            offgrid = bool(np.all(updates.get("allow_offgrid_times",
                                              self.values["allow_offgrid_times"][idx])))
            steps = time_points_to_steps(self.grid, updates["amplitude_times"], offgrid,
                                         "step_current_generator")
            updates = {**updates, "amplitude_times": self.grid.to_ms(steps)}
        super().apply(updates, idx)

    def calibrate(self, grid):
        super().calibrate(grid)
        self._steps = [grid.to_steps(t) for t in self.values["amplitude_times"]]

    def currents(self, stamps):
        current = flat_lookup(self._steps, self.values["amplitude_values"], stamps, self.n)
        return np.where(self.active(stamps), current, 0.0)


class NoiseGenerator(OscillatorState, CurrentGenerator):
    """Gaussian white noise current, independent for each target."""

    def check(self, proposed, updates):
        super().check(proposed, updates)
        if np.any(proposed["std"] < 0) or np.any(proposed["std_mod"] < 0):
            raise BadParameterValue("std", "The standard deviation cannot be negative.")
        if np.any(proposed["std_mod"] > proposed["std"]):
            raise BadParameterValue(
                "std_mod", "The modulation amplitude must be smaller or equal to the baseline "
                           "amplitude (std_mod <= std).")
        if "dt" in updates:
            dt = np.atleast_1d(updates["dt"])
            tics = grid_tics(self.grid, dt)
            tps = self.grid.tics_per_step
            bad = (tics <= 0) | (np.mod(tics, tps) != 0)
            if np.any(bad):
                value, n_tics = dt[bad][0], int(tics[bad][0])
                steps = int(math.floor(n_tics / tps + 0.5))
                raise StepMultipleRequired(
                    "dt", f"The time property dt = {value:g} ms (= {n_tics} tics = {steps} "
                          f"step{'' if steps == 1 else 's'}) of model noise_generator must be a "
                          f"multiple of the resolution {self.grid.resolution:g} ms (= {tps} tics "
                          "= 1 step).")

    def init_state(self, defaults):
        super().init_state(defaults)
        self._first_step = np.full(self.n, -1, dtype=np.int64)

    def calibrate(self, grid):
        super().calibrate(grid)
        self.dt_steps = np.maximum(grid.to_steps(self.values["dt"]), 1).astype(np.int64)
        self.gids = np.arange(self.first, self.first + self.n, dtype=np.int32)
        clock = current_clock()
        self.mark_time(clock)
        # the intervals start at the first active step (the window's start, or the first step
        # simulated with the node if that is later), as in NEST
        self._first_step = np.where(self._first_step < 0, clock + 1, self._first_step)
        self.anchor = np.maximum(self.t_start, self._first_step)

    def update(self, sim, t0, nsteps):
        ptr, tgt, w, d, ch = sim.outgoing(self)
        average = np.zeros((self.n, nsteps))
        omega, phi = omega_phi(self.values)
        with np.errstate(invalid="ignore"):
            noise_update(sim.ring, t0, nsteps, sim.rng_seed, self.gids, self.values["mean"],
                         self.values["std"], self.values["std_mod"],
                         np.ascontiguousarray(omega), np.ascontiguousarray(phi),
                         self.t_start, self.t_stop, self.anchor, self.dt_steps,
                         self.grid.resolution,
                         ptr, sim.draw_sites(self), tgt, w, d, ch, average)
        sim.recording.sample_values(
            self, t0, nsteps, lambda lags, nodes: average[nodes][:, lags].T[:, :, None])
        # NEST turns the modulation's oscillator only when there is a modulation; otherwise
        # y_0 / y_1 stay at the phase of the last Prepare
        self.mark_time(t0 + nsteps, self.values["std_mod"] != 0)
        return None


def _params(extra):
    return {p.name: p for p in sorted(WINDOW_PARAMS + extra, key=lambda p: p.name)}


OSCILLATOR_STATE = [
    Param("y_0", 0.0, doc="Oscillator state: scale x cos(phase at the current time)",
          readonly=True),
    Param("y_1", 0.0, doc="Oscillator state: scale x sin(phase at the current time)",
          readonly=True),
]

SPECS = [
    ModelSpec("ac_generator", STIMULATOR, ACGenerator, _params([
        Param("amplitude", 0.0, "pA", doc="Amplitude of the sine current"),
        Param("frequency", 0.0, "Hz", doc="Frequency"),
        Param("offset", 0.0, "pA", doc="Constant offset"),
        Param("phase", 0.0, "deg", doc="Phase (0-360 deg)"),
    ] + OSCILLATOR_STATE), recordables=("I",), extra_status=STIMULATOR_STATUS,
        doc="Sine-wave (AC) current."),
    ModelSpec("step_current_generator", STIMULATOR, StepCurrentGenerator, _params([
        Param("allow_offgrid_times", False, kind=BOOL,
              doc="Move off-grid change times up to the end of their step"),
        Param("amplitude_times", np.zeros(0), "ms", kind=FLOAT_ARRAY,
              doc="Times at which the current changes"),
        Param("amplitude_values", np.zeros(0), "pA", kind=FLOAT_ARRAY,
              doc="Current from each change time on"),
    ]), recordables=("I",), extra_status=STIMULATOR_STATUS,
        doc="Piecewise constant current."),
    ModelSpec("noise_generator", STIMULATOR, NoiseGenerator, _params([
        Param("dt", 1.0, "ms", doc="Interval between changes of the current"),
        Param("frequency", 0.0, "Hz", doc="Frequency of the modulation of the variance"),
        Param("mean", 0.0, "pA", doc="Mean current"),
        Param("phase", 0.0, "deg", doc="Phase of the modulation (0-360 deg)"),
        Param("std", 0.0, "pA", doc="Standard deviation of the current"),
        Param("std_mod", 0.0, "pA", doc="Modulation of the standard deviation"),
    ] + OSCILLATOR_STATE), recordables=("I",), extra_status=STIMULATOR_STATUS,
        doc="Gaussian white-noise current, independent for each target."),
]
