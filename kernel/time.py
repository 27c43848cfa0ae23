"""Conversions between milliseconds and integer steps of the time grid.

Time in the kernel is an integer number of steps of the resolution ``h``. As in NEST, the
grid is built on tics (1 µs by default): the resolution must be a whole number of tics, and
a time in ms is first rounded to the nearest tic.
"""
import math

import numpy as np

from ._steps import delay_steps_u16
from .errors import BadDelay, BadTime

TICS_PER_MS_DEFAULT = 1000.0


class TimeGrid:
    """The simulation time grid: resolution in ms, tics per step.

    Parameters
    ----------
    resolution : float
        Step size h in ms; must be a positive multiple of the tic.
    tics_per_ms : float
        Tics per millisecond (NEST's default is 1000, i.e. 1 µs tics).
    """

    def __init__(self, resolution=0.1, tics_per_ms=TICS_PER_MS_DEFAULT):
        self.tics_per_ms = float(tics_per_ms)
        if not math.isfinite(resolution) or not math.isfinite(self.tics_per_ms):
            raise BadTime(f"resolution must be a finite multiple of the tic "
                          f"({1.0 / self.tics_per_ms} ms); got {resolution}.")
        tics = round(resolution * self.tics_per_ms)
        if resolution <= 0 or tics < 1:
            raise BadTime(
                f"resolution must be positive and at least one tic "
                f"({1.0 / self.tics_per_ms} ms); got {resolution}."
            )
        if not math.isclose(tics, resolution * self.tics_per_ms, rel_tol=1e-9, abs_tol=1e-9):
            raise BadTime(
                f"resolution must be a multiple of the tic ({1.0 / self.tics_per_ms} ms); "
                f"got {resolution}."
            )
        self.tics_per_step = int(tics)
        self.resolution = self.tics_per_step / self.tics_per_ms

    def to_steps(self, ms):
        """Round a time in ms to the nearest step (via tics, as NEST does)."""
        tics = np.rint(np.asarray(ms, dtype=np.float64) * self.tics_per_ms)
        return np.rint(tics / self.tics_per_step).astype(np.int64)

    def to_ms(self, steps):
        """Convert steps to ms as NEST reports times: tics x ms_per_tic (59.300000000000004)."""
        return (np.asarray(steps, dtype=np.int64) * self.tics_per_step) * self.ms_per_tic

    @property
    def ms_per_tic(self):
        return 1.0 / self.tics_per_ms

    def is_on_grid(self, ms):
        """True where ``ms`` is a whole number of steps (to within a tenth of a tic)."""
        ms = np.asarray(ms, dtype=np.float64)
        steps = ms / self.resolution
        return np.abs(steps - np.rint(steps)) * self.tics_per_step < 0.1 + 1e-9

    def duration_steps(self, ms, name="duration"):
        """Steps of a simulation duration; it must be non-negative and on the grid."""
        ms = float(ms)
        if not math.isfinite(ms) or ms < 0:
            raise BadTime(f"{name} must be a finite, non-negative time in ms; got {ms}.")
        # NEST rounds a duration to the nearest tic (half up) before it checks the grid
        tics = math.floor(ms * self.tics_per_ms + 0.5)
        if tics % self.tics_per_step:
            raise BadTime(
                f"{name} must be a multiple of the resolution ({self.resolution} ms); got {ms}."
            )
        return tics // self.tics_per_step

    def delay_ms(self, steps):
        """Delays in ms as NEST reports them: steps x resolution (0.30000000000000004)."""
        return np.asarray(steps, dtype=np.float64) * self.resolution

    def default_delay_steps(self, delay_ms):
        """Steps of a model's default delay: rounded up to the grid, at least one step."""
        steps = np.ceil(delay_ms * (self.tics_per_ms / self.tics_per_step) - 1e-9)
        return max(int(steps), 1)

    def continuous_delay(self, delay_ms):
        """(steps, offset ms) of an off-grid delay, as cont_delay_synapse stores it.

        A delay that is a whole number of steps keeps it with offset 0; any other is rounded
        up to the next step, the offset saying how much earlier the event is due. The delay
        NEST reports is then ``to_ms(steps) - offset``. Raises BadDelay as delay_steps does.
        """
        d = np.asarray(delay_ms, dtype=np.float64)
        self.delay_steps(d)                         # finite, at least one step, in range
        whole = np.floor(d / self.resolution)
        frac = d / self.resolution - whole
        steps = (whole + (frac != 0)).astype(np.int64)
        offset = np.where(frac != 0, self.resolution * (1.0 - frac), 0.0)
        return steps, offset

    def delay_steps(self, delay_ms):
        """Steps of connection delays (uint16, the shape of ``delay_ms``), rounded half up as
        NEST 3.10 rounds them.

        NEST converts a delay with round(d * steps_per_ms) (0.15 ms -> 2 steps at 0.1 ms);
        a delay that rounds to less than one step is an error.
        """
        d = np.asarray(delay_ms, dtype=np.float64)
        flat = np.ascontiguousarray(d).reshape(-1)
        steps, nonfinite, least, at_least, most, longest = delay_steps_u16(
            flat, self.tics_per_ms / self.tics_per_step)
        if nonfinite >= 0:
            raise BadDelay("delay must be a finite number of ms.")
        if flat.size and least < 1:
            raise BadDelay(
                f"Delay value {float(flat[at_least])} ms is invalid: Delay must be greater than or "
                f"equal to resolution ({self.resolution} ms).")
        if flat.size and most > np.iinfo(np.uint16).max:
            raise BadDelay(
                f"Delay value {float(longest)} ms is invalid: at resolution {self.resolution} ms "
                f"delays can be at most {np.iinfo(np.uint16).max * self.resolution} ms.")
        return steps.reshape(d.shape)
