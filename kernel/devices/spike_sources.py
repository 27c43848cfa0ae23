"""Stochastic spike sources: gamma_sup_generator, sinusoidal_poisson_generator,
inhomogeneous_poisson_generator, pulsepacket_generator.

Step t is the update from t to t + 1; a spike drawn in it carries the stamp t + 1 and reaches
a target with delay d in the update of step t + d (as poisson_generator's, generators.py).
Activity windows, measured against NEST 3.10:

* gamma_sup and inhomogeneous Poisson draw in steps origin + start + 1 <= t <= origin + stop
  (like poisson_generator);
* sinusoidal Poisson draws in origin + start - 1 <= t <= origin + stop - 2;
* pulsepacket works per min_delay slice: a slice starting at step T is active if
  origin + start < T + 2 <= origin + stop.

Trains are independent per target (drawn per connection from the counter-based generator,
keyed by (rng_seed, node id) and counted by (step, connection)), except for pulse packets and
a sinusoidal_poisson_generator whose model has ``individual_spike_trains`` False: those send
one train to all targets, through the spike register.
"""

import numpy as np

from ..errors import BadParameterValue
from ..registry import BOOL, FLOAT_ARRAY, INT, STIMULATOR, STIMULATOR_STATUS, ModelSpec, Param
from ._generators import (gamma_sup_update, normal_draws, rate_poisson_update,
                          shared_poisson_counts)
from .current_generators import (OSCILLATOR_STATE, OscillatorState, check_change_times,
                                 flat_lookup, omega_phi)
from .generators import (WINDOW_PARAMS, DirectWriter, StimulatorBlock, current_clock,
                         grid_tics, time_points_to_steps)


class _PoissonSource(DirectWriter, StimulatorBlock):
    """Independent Poisson trains per target with a rate that may change every step."""

    sends = "spike"

    def calibrate(self, grid):
        super().calibrate(grid)
        self.gids = np.arange(self.first, self.first + self.n, dtype=np.int32)

    def means(self, steps):
        """(n, len(steps)) expected spike counts of the steps t (0 when inactive)."""
        raise NotImplementedError

    def update(self, sim, t0, nsteps):
        mean = np.ascontiguousarray(self.means(t0 + np.arange(nsteps)))
        self.draw(sim, t0, nsteps, mean)
        return None

    def draw(self, sim, t0, nsteps, mean):
        ptr, tgt, w, d, ch = sim.outgoing(self)
        events = self.event_buffers(sim, tgt, nsteps)
        n = rate_poisson_update(sim.ring, t0, nsteps, sim.rng_seed, self.gids, mean,
                                ptr, sim.draw_sites(self), tgt, w, d, ch, sim.target_kind,
                                sim.neg_shift, *events)
        self.list_for_recorders(sim, ptr, tgt, events, n)


class InhomogeneousPoissonGenerator(_PoissonSource):
    """Poisson trains with a piecewise constant rate (rate_values from rate_times on)."""

    def check(self, proposed, updates):
        super().check(proposed, updates)
        check_change_times(self, proposed, updates, "rate_times", "rate_values", "Rate",
                           "inhomogeneous_poisson_generator",
                           "Rate times must be strictly increasing.", None,
                           "Option can only be set together with rate times or if no rate times "
                           "have been set.", future=True)

    def apply(self, updates, idx):
        if "rate_times" in updates:
            offgrid = bool(np.all(updates.get("allow_offgrid_times",
                                              self.values["allow_offgrid_times"][idx])))
            steps = time_points_to_steps(self.grid, updates["rate_times"], offgrid,
                                         "inhomogeneous_poisson_generator")
            updates = {**updates, "rate_times": self.grid.to_ms(steps)}
        super().apply(updates, idx)

    def calibrate(self, grid):
        super().calibrate(grid)
        self._steps = [grid.to_steps(t) for t in self.values["rate_times"]]

    def means(self, steps):
        # the rate of step t is the one in force at its stamp t + 1
        rate = flat_lookup(self._steps, self.values["rate_values"], steps + 1, self.n)
        active = (steps >= self.t_start[:, None] + 1) & (steps <= self.t_stop[:, None])
        return np.where(active, np.maximum(rate, 0.0), 0.0) * self.grid.resolution * 1e-3


class SinusoidalPoissonGenerator(OscillatorState, _PoissonSource):
    """Poisson trains with rate max(0, rate + amplitude sin(omega t + phi)).

    With ``individual_spike_trains`` False (a model default, set with SetDefaults or
    CopyModel) all targets get the same train. The recordable ``rate`` (spikes/s) is sampled
    whether or not the generator is active.
    """

    can_be_sampled = True
    accepts = ("request",)

    def __init__(self, spec, first, n, defaults, grid):
        super().__init__(spec, first, n, defaults, grid)
        self.shared = not defaults["individual_spike_trains"]
        self.emits_spikes = self.shared

    def oscillator_scale(self, idx):
        return self.values["amplitude"][idx] / 1000.0

    def check(self, proposed, updates):
        super().check(proposed, updates)
        if "individual_spike_trains" in updates and self._live():
            raise BadParameterValue(
                "individual_spike_trains",
                "The individual_spike_trains property can only be set as a model default using "
                "SetDefaults or upon CopyModel.")

    def calibrate(self, grid):
        super().calibrate(grid)
        self._direct = not self.shared
        self.mark_time(current_clock())

    def rates(self, stamps):
        """(n, len(stamps)) rate in spikes/s at the given stamps (clipped at 0)."""
        omega, phi = omega_phi(self.values)
        t = self.grid.to_ms(stamps)
        rate = self.values["rate"][:, None] + self.values["amplitude"][:, None] * \
            np.sin(omega[:, None] * t[None, :] + phi[:, None])
        return np.maximum(rate, 0.0)

    def update(self, sim, t0, nsteps):
        steps = t0 + np.arange(nsteps)
        rate = self.rates(steps + 1)
        active = (steps >= self.t_start[:, None] - 1) & (steps <= self.t_stop[:, None] - 2)
        mean = np.ascontiguousarray(np.where(active, rate, 0.0) * self.grid.resolution * 1e-3)
        sim.recording.sample_values(
            self, t0, nsteps, lambda lags, nodes: rate[nodes][:, lags].T[:, :, None])
        self.mark_time(t0 + nsteps)
        if not self.shared:
            self.draw(sim, t0, nsteps, mean)
            return None
        counts = shared_poisson_counts(sim.rng_seed, self.gids, t0, mean)
        node, lag = np.nonzero(counts)
        return node.astype(np.int32), lag.astype(np.int32), counts[node, lag]


class GammaSupGenerator(DirectWriter, StimulatorBlock):
    """Superposition of ``n_proc`` gamma processes of order ``gamma_shape`` per target.

    Each target keeps the occupation numbers of the gamma_shape phases of its component
    processes; they start evenly spread, the remainder in the last phase (as NEST starts
    them: the first spikes come as NEST's do) and persist across Simulate calls.
    """

    sends = "spike"

    def init_state(self, defaults):
        self._occupation = None

    def check(self, proposed, updates):
        super().check(proposed, updates)
        if np.any(proposed["rate"] < 0):
            raise BadParameterValue("rate", "The rate must be larger than 0.")
        if np.any(proposed["gamma_shape"] < 1):
            raise BadParameterValue("gamma_shape", "The shape must be larger or equal 1")
        if np.any(proposed["n_proc"] < 1):
            raise BadParameterValue("n_proc", "The number of component processes cannot be "
                                              "smaller than one")

    def apply(self, updates, idx):
        if "gamma_shape" in updates or "n_proc" in updates:
            self._occupation = None
        super().apply(updates, idx)

    def calibrate(self, grid):
        super().calibrate(grid)
        self.gids = np.arange(self.first, self.first + self.n, dtype=np.int32)
        self.p = np.minimum(self.values["rate"] * self.values["gamma_shape"] *
                            grid.resolution * 1e-3, 1.0)

    def _state(self, ptr):
        """Occupation numbers (n_connections, max shape), made when the connections change."""
        n_conn = int(ptr[-1])
        if self._occupation is not None and self._occupation.shape[0] == n_conn:
            return self._occupation
        shape = self.values["gamma_shape"]
        n_proc = self.values["n_proc"]
        occ = np.zeros((n_conn, int(shape.max()) if self.n else 1), dtype=np.int64)
        owner = np.repeat(np.arange(self.n), np.diff(ptr))
        k, n = shape[owner], n_proc[owner]
        cols = np.arange(occ.shape[1])[None, :]
        occ[:] = np.where(cols < (k - 1)[:, None], (n // k)[:, None], 0)
        occ[np.arange(n_conn), k - 1] = n - (k - 1) * (n // k)
        self._occupation = occ
        return occ

    def update(self, sim, t0, nsteps):
        ptr, tgt, w, d, ch = sim.outgoing(self)
        steps = t0 + np.arange(nsteps)
        active = ((steps >= self.t_start[:, None] + 1) & (steps <= self.t_stop[:, None]) &
                  (self.p[:, None] > 0)).astype(np.uint8)
        occ = self._state(ptr)
        moved = np.zeros(max(occ.shape[1], 1), dtype=np.int64)
        events = self.event_buffers(sim, tgt, nsteps)
        n = gamma_sup_update(sim.ring, t0, nsteps, sim.rng_seed, self.gids,
                             np.ascontiguousarray(self.p), self.values["gamma_shape"],
                             np.ascontiguousarray(active), occ, moved, ptr,
                             sim.draw_sites(self), tgt, w, d, ch,
                             sim.target_kind, sim.neg_shift, *events)
        self.list_for_recorders(sim, ptr, tgt, events, n)
        return None


class PulsepacketGenerator(StimulatorBlock):
    """Gaussian pulse packets: ``activity`` spikes around each pulse time, jitter ``sdev``.

    All targets get the same spikes (through the spike register). As in NEST, a pulse is
    drawn at the start of the first min_delay slice (step T) with pulse - T <= tolerance
    (10 sdev, or 1 ms if sdev is 0); pulses more than the tolerance in the past by then are
    skipped, and drawn spikes before T are dropped. A spike at time x (rounded to the tic)
    is emitted in the step ceil(x / h), stamped one step later. The search for pulses starts
    afresh at each Prepare (spikes drawn but not yet sent are kept, so NEST's duplicates of
    split simulations are reproduced).
    """

    sends = "spike"
    emits_spikes = True

    def init_state(self, defaults):
        self._pending = [np.zeros(0, np.int64) for _ in range(self.n)]
        self._next = np.zeros(self.n, dtype=np.int64)
        self._generation = np.zeros(self.n, dtype=np.int64)

    def check(self, proposed, updates):
        super().check(proposed, updates)
        if np.any(proposed["sdev"] < 0):
            raise BadParameterValue("sdev", "The standard deviation cannot be negative.")
        if np.any(proposed["activity"] < 0):
            raise BadParameterValue("activity", "The activity cannot be negative.")

    def apply(self, updates, idx):
        if "pulse_times" in updates:
            updates = {**updates, "pulse_times": np.sort(np.asarray(updates["pulse_times"]))}
        if any(k in updates for k in ("pulse_times", "activity", "sdev")):
            for i in idx:
                self._pending[i] = np.zeros(0, np.int64)
                self._next[i] = 0
                self._generation[i] += 1
        super().apply(updates, idx)

    def calibrate(self, grid):
        super().calibrate(grid)
        self._next[:] = 0
        self._generation += 1       # pulses drawn again after a Prepare get fresh jitter
        sdev = self.values["sdev"]
        self.tolerance = np.where(sdev > 0, sdev * 10.0, 1.0)
        self._pulse_tics = [grid_tics(grid, p).astype(np.int64) for p in self.values["pulse_times"]]

    def _load(self, i, slice_start, seed):
        """Draw the spikes of node i's pulses that are due at the slice starting at T."""
        pulses = self._pulse_tics[i]
        tps = self.grid.tics_per_step
        t_tics = slice_start * tps
        tol = self.tolerance[i]
        j = int(self._next[i])
        drawn = []
        while j < len(pulses) and (pulses[j] - t_tics) * self.grid.ms_per_tic <= tol:
            if abs(pulses[j] - t_tics) * self.grid.ms_per_tic <= tol:
                count = int(self.values["activity"][i])
                x = self.values["pulse_times"][i][j] + self.values["sdev"][i] * normal_draws(
                    seed, self.first + i, j, int(self._generation[i]) & 0xFFFFFFFF, count)
                tics = grid_tics(self.grid, x).astype(np.int64)
                tics = tics[tics >= t_tics]
                drawn.append(-(-tics // tps))           # ceil to the step
            j += 1
        self._next[i] = j
        if drawn:
            self._pending[i] = np.sort(np.concatenate([self._pending[i]] + drawn))

    def update(self, sim, t0, nsteps):
        m = sim.delay_extrema()[0]
        slice_start = (t0 // m) * m
        active = (self.t_start < slice_start + 2) & (slice_start + 2 <= self.t_stop)
        nodes, lags, mults = [], [], []
        for i in np.flatnonzero(active):
            self._load(i, slice_start, sim.rng_seed)
            pending = self._pending[i]
            if pending.size == 0:
                continue
            send = pending < t0 + nsteps
            due = pending[send]
            self._pending[i] = pending[~send]
            due = due[due >= t0]        # drawn for steps this call no longer covers: dropped
            if due.size:
                steps, counts = np.unique(due, return_counts=True)
                nodes.append(np.full(steps.size, i, dtype=np.int32))
                lags.append((steps - t0).astype(np.int32))
                mults.append(counts.astype(np.int64))
        if not nodes:
            return None
        return np.concatenate(nodes), np.concatenate(lags), np.concatenate(mults)


def _params(extra):
    return {p.name: p for p in sorted(WINDOW_PARAMS + extra, key=lambda p: p.name)}


SPECS = [
    ModelSpec("gamma_sup_generator", STIMULATOR, GammaSupGenerator, _params([
        Param("gamma_shape", 1, kind=INT, doc="Shape (order) of the component gamma processes"),
        Param("n_proc", 1, kind=INT, doc="Number of superimposed component processes"),
        Param("rate", 0.0, "Hz", doc="Rate of each component process"),
    ]), extra_status=STIMULATOR_STATUS,
        doc="Superimposed gamma processes, independent for each target."),
    ModelSpec("inhomogeneous_poisson_generator", STIMULATOR, InhomogeneousPoissonGenerator,
              _params([
                  Param("allow_offgrid_times", False, kind=BOOL,
                        doc="Move off-grid change times up to the end of their step"),
                  Param("rate_times", np.zeros(0), "ms", kind=FLOAT_ARRAY,
                        doc="Times at which the rate changes"),
                  Param("rate_values", np.zeros(0), "Hz", kind=FLOAT_ARRAY,
                        doc="Rate from each change time on"),
              ]), extra_status=STIMULATOR_STATUS,
              doc="Poisson trains with a piecewise constant rate, independent for each target."),
    ModelSpec("pulsepacket_generator", STIMULATOR, PulsepacketGenerator, _params([
        Param("activity", 0, kind=INT, doc="Number of spikes per pulse"),
        Param("pulse_times", np.zeros(0), "ms", kind=FLOAT_ARRAY, doc="Centres of the pulses"),
        Param("sdev", 0.0, "ms", doc="Standard deviation of the spike times in a pulse"),
    ]), extra_status=STIMULATOR_STATUS, doc="Gaussian pulse packets, the same for all targets."),
    ModelSpec("sinusoidal_poisson_generator", STIMULATOR, SinusoidalPoissonGenerator, _params([
        Param("amplitude", 0.0, "Hz", doc="Amplitude of the rate modulation"),
        Param("frequency", 0.0, "Hz", doc="Modulation frequency"),
        Param("individual_spike_trains", True, kind=BOOL,
              doc="One train per target (a model default: SetDefaults or CopyModel only)"),
        Param("phase", 0.0, "deg", doc="Modulation phase (0-360 deg)"),
        Param("rate", 0.0, "Hz", doc="Mean rate"),
    ] + OSCILLATOR_STATE), recordables=("rate",), extra_status=STIMULATOR_STATUS,
        doc="Sinusoidally modulated Poisson trains."),
]
