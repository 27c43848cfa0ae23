"""ppd_sup_generator: superimposed Poisson processes with dead time, one train per target.

Each target gets its own superposition of ``n_proc`` Poisson processes of ``rate`` spikes/s
with an absolute dead time ``dead_time`` after each spike (NEST's "Poisson process with dead
time"), optionally rate-modulated: hazard x (1 + relative_amplitude sin(2 pi frequency t)).
As in NEST 3.10:

* time is binned in steps of h: a process that fired waits floor(dead_time / h) active steps
  before it can fire again, and an available process fires in a step with probability
  ``h / (1000 / rate - dead_time)`` (so the mean interval is 1000 / rate + h at constant
  rate), a Binomial draw over the available processes of the target;
* the processes start near equilibrium: floor(rate n_proc h / 1000) of them in each dead-time
  bin, the others available;
* a spike drawn in step t is stamped t + 1; the generator draws in steps
  origin + start + 1 <= t <= origin + stop (like poisson_generator), and only there does the
  dead-time clock of its targets advance.

The per-target state persists across Simulate calls. It starts afresh when the connections
change or when ``dead_time``, ``n_proc`` or ``rate`` are set (NEST keeps the old state of
existing targets then, with the old number of dead-time bins; Neuropil does not mix the two).
"""
import numpy as np

from ..errors import BadParameterValue
from ..registry import INT, STIMULATOR, STIMULATOR_STATUS, ModelSpec, Param
from ._generators import ppd_sup_update
from .generators import DirectWriter, StimulatorBlock
from .spike_sources import _params


def _inverse_rate(rate):
    """1000 / rate in ms, +inf for rate 0 (as in C++)."""
    with np.errstate(divide="ignore"):
        return 1000.0 / np.asarray(rate, dtype=np.float64)


class PpdSupGenerator(DirectWriter, StimulatorBlock):
    """Poisson processes with dead time, superimposed and independent for each target."""

    sends = "spike"

    def init_state(self, defaults):
        self._state = None

    def check(self, proposed, updates):
        super().check(proposed, updates)
        if np.any(proposed["dead_time"] < 0):
            raise BadParameterValue("dead_time", "The dead time cannot be negative.")
        if np.any(_inverse_rate(proposed["rate"]) <= proposed["dead_time"]):
            raise BadParameterValue("rate", "The inverse rate has to be larger than the dead "
                                            "time.")
        if np.any(proposed["n_proc"] < 1):
            raise BadParameterValue("n_proc", "The number of component processes cannot be "
                                              "smaller than one")
        amplitude = proposed["relative_amplitude"]
        if np.any((amplitude > 1.0) | (amplitude < 0.0)):
            raise BadParameterValue("relative_amplitude", "The relative amplitude of the rate "
                                                          "modulation must be in [0,1].")

    def apply(self, updates, idx):
        if any(name in updates for name in ("dead_time", "n_proc", "rate")):
            self._state = None
        super().apply(updates, idx)

    def calibrate(self, grid):
        super().calibrate(grid)
        h = grid.resolution
        rate, dead = self.values["rate"], self.values["dead_time"]
        self.gids = np.arange(self.first, self.first + self.n, dtype=np.int32)
        # C++'s truncating conversion of the floating quotient (0.3 / 0.1 gives 2 bins)
        self.n_bins = (dead / h).astype(np.int64)
        self.hazard = 1.0 / (_inverse_rate(rate) - dead) * h
        self.omega = 2.0 * np.pi * self.values["frequency"] / 1000.0

    def _targets_state(self, ptr):
        """(available, dead bins, cursor) per connection, made when the connections change."""
        n_conn = int(ptr[-1])
        if self._state is not None and self._state[0].shape[0] == n_conn:
            return self._state
        owner = np.repeat(np.arange(self.n), np.diff(ptr))
        n_proc = self.values["n_proc"].astype(np.int64)
        per_bin = (self.values["rate"] / 1000.0 * n_proc * self.grid.resolution).astype(np.int64)
        n_bins = (self.values["dead_time"] / self.grid.resolution).astype(np.int64)
        width = max(int(n_bins.max()) if self.n else 0, 1)
        dead = np.where(np.arange(width)[None, :] < n_bins[owner][:, None],
                        per_bin[owner][:, None], 0).astype(np.int64)
        available = (n_proc - per_bin * n_bins)[owner].astype(np.int64)
        self._state = (available, np.ascontiguousarray(dead), np.zeros(n_conn, np.int64))
        return self._state

    def hazards(self, steps):
        """(n, len(steps)) firing probability of an available process in each step."""
        hazard = np.repeat(self.hazard[:, None], steps.size, axis=1)
        amplitude = self.values["relative_amplitude"]
        modulated = (amplitude > 0.0) & (self.values["frequency"] != 0.0)
        if np.any(modulated):
            t = self.grid.to_ms(steps)
            wave = 1.0 + amplitude[:, None] * np.sin(self.omega[:, None] * t[None, :])
            hazard = np.where(modulated[:, None], hazard * wave, hazard)
        return np.ascontiguousarray(hazard)

    def update(self, sim, t0, nsteps):
        ptr, tgt, w, d, ch = sim.outgoing(self)
        steps = t0 + np.arange(nsteps)
        active = ((steps >= self.t_start[:, None] + 1) & (steps <= self.t_stop[:, None]) &
                  (self.values["rate"][:, None] > 0)).astype(np.uint8)
        available, dead, cursor = self._targets_state(ptr)
        events = self.event_buffers(sim, tgt, nsteps)
        n = ppd_sup_update(sim.ring, t0, nsteps, sim.rng_seed, self.gids, self.hazards(steps),
                           self.n_bins, np.ascontiguousarray(active), available, dead, cursor,
                           ptr, sim.draw_sites(self), tgt, w, d, ch, sim.target_kind,
                           sim.neg_shift, *events)
        self.list_for_recorders(sim, ptr, tgt, events, n)
        return None


SPECS = [
    ModelSpec("ppd_sup_generator", STIMULATOR, PpdSupGenerator, _params([
        Param("dead_time", 0.0, "ms", doc="Dead time after each spike of a component"),
        Param("frequency", 0.0, "Hz", doc="Frequency of the rate modulation"),
        Param("n_proc", 1, kind=INT, doc="Number of superimposed component processes"),
        Param("rate", 0.0, "Hz", doc="Rate of each component process"),
        Param("relative_amplitude", 0.0,
              doc="Relative amplitude of the rate modulation, in [0, 1]"),
    ]), extra_status=STIMULATOR_STATUS,
        doc="Superimposed Poisson processes with dead time, independent for each target."),
]
