"""Recording devices: spike_recorder, multimeter, voltmeter.

Each recorder node keeps its events in growable columns (senders, times in steps, values).
What is recorded when is decided by the recording manager (kernel/recording.py); the blocks
here hold parameters and data and answer get/set.
"""
import numpy as np

from ..errors import BadParameterValue
from ..nodes import TAKES_NOTHING, NodeBlock
from ..registry import BOOL, INT, RECORDER, RECORDER_STATUS, STR, STR_LIST, ModelSpec, Param
from .generators import (DOUBLE_MAX, as_time, check_window, grid_tics, window_steps,
                         window_times)

RECORD_TO = ("memory",)


class EventLog:
    """Events of one recorder node: senders, times (steps) and named value columns."""

    def __init__(self, value_names=()):
        self.value_names = tuple(value_names)
        self.count = 0
        self.had_events = False
        self.clear()

    def clear(self):
        """Delete all events (``n_events = 0``); remember that there were some."""
        self.had_events = self.had_events or self.count > 0
        self._senders, self._steps = [], []
        self._values = {name: [] for name in self.value_names}
        self.count = 0

    def append(self, senders, steps, values=None):
        if len(senders) == 0:
            return
        self._senders.append(np.asarray(senders, dtype=np.int64))
        self._steps.append(np.asarray(steps, dtype=np.int64))
        for name in self.value_names:
            self._values[name].append(np.asarray(values[name], dtype=np.float64))
        self.count += len(senders)

    def columns(self):
        """(senders, steps, {name: values}) as contiguous arrays."""
        for lst in (self._senders, self._steps, *self._values.values()):
            if len(lst) > 1:
                lst[:] = [np.concatenate(lst)]
        senders = self._senders[0] if self._senders else np.zeros(0, dtype=np.int64)
        steps = self._steps[0] if self._steps else np.zeros(0, dtype=np.int64)
        values = {n: (v[0] if v else np.zeros(0)) for n, v in self._values.items()}
        return senders, steps, values


class RecorderBlock(NodeBlock):
    """Shared parts of recorders: activity window, events, n_events."""

    takes = TAKES_NOTHING
    state_names = ("events", "n_events")

    def init_state(self, defaults):
        self.logs = [EventLog(self.value_names(i, defaults)) for i in range(self.n)]

    def value_names(self, i, defaults=None):
        return ()

    def get_state(self, name, idx):
        if name == "n_events":
            return np.array([self.logs[i].count for i in idx], dtype=np.int64)
        return [self.events(i) for i in idx]

    def events(self, i):
        """The events dict of node i, as NEST returns it.

        Keys are sorted. Times are in ms, or in steps plus ``offsets`` with ``time_in_steps``.
        Before anything is recorded, senders and times are empty float64 arrays and there are
        no value columns; after ``n_events = 0`` the value columns are there, empty.
        """
        log = self.logs[i]
        if log.count == 0:
            out = {"senders": np.zeros(0), "times": np.zeros(0)}
            if log.had_events:
                out.update({name: np.zeros(0) for name in log.value_names})
            return dict(sorted(out.items()))
        senders, steps, values = log.columns()
        out = {"senders": senders.copy()}
        if self.values["time_in_steps"][i]:
            out["times"] = steps.copy()
            out["offsets"] = np.zeros(steps.shape[0])
        else:
            out["times"] = self.grid.to_ms(steps)
        out.update({name: v.copy() for name, v in values.items()})
        return dict(sorted(out.items()))

    def set_state(self, name, idx, values):
        if name == "n_events":
            for i in idx:
                self.logs[i].clear()

    def check(self, proposed, updates):
        check_window(proposed, updates, self.grid)
        if "n_events" in updates and np.any(updates["n_events"] != 0):
            raise BadParameterValue("n_events", "can only be set to 0 (which deletes all events).")
        if "record_to" in updates and updates["record_to"] not in RECORD_TO:
            raise BadParameterValue(
                "record_to", f"'{updates['record_to']}' is not a recording backend; "
                f"available: {', '.join(RECORD_TO)}.")
        if "time_in_steps" in updates and any(log.count for log in self.logs):
            raise BadParameterValue("time_in_steps", "cannot be changed after events were recorded.")

    def apply(self, updates, idx):
        super().apply(window_times(self.grid, updates), idx)

    def calibrate(self, grid):
        self.t_start = window_steps(grid, self.values, "start")
        self.t_stop = window_steps(grid, self.values, "stop")


class SpikeRecorder(RecorderBlock):
    """Records the time stamp and sender of every spike from its sources."""

    accepts = ("spike",)


class Multimeter(RecorderBlock):
    """Samples recordables of its targets every ``interval`` ms."""

    sends = "request"

    def value_names(self, i, defaults=None):
        return tuple(defaults["record_from"] if defaults is not None else self.values["record_from"][i])

    def check(self, proposed, updates):
        super().check(proposed, updates)
        step = self.grid.tics_per_step
        h = self.grid.resolution
        if "interval" in updates:
            interval = np.atleast_1d(updates["interval"])
            tics = grid_tics(self.grid, interval)
            if np.any(tics < step):
                raise BadParameterValue(
                    "interval", "The sampling interval must be at least as long as the simulation "
                                f"resolution ({h} ms); got interval={interval[tics < step][0]}.")
            if np.any(tics % step):
                raise BadParameterValue(
                    "interval", "The sampling interval must be a multiple of the simulation "
                                f"resolution ({h} ms); got interval={interval[tics % step != 0][0]}.")
        if "offset" in updates:
            offset = np.atleast_1d(updates["offset"])
            tics = grid_tics(self.grid, offset)
            bad = (tics < 0) | ((tics > 0) & (tics < step))
            if np.any(bad):
                raise BadParameterValue(
                    "offset", "The offset for the sampling interval must be at least as long as "
                              f"the simulation resolution ({h} ms) or 0; got offset={offset[bad][0]}.")
        if "record_from" in updates and any(log.count for log in self.logs):
            raise BadParameterValue("record_from", "cannot be changed after events were recorded.")

    def apply(self, updates, idx):
        if "offset" in updates:
            # NEST moves an offset between grid points up to the next one (0.12 ms -> 0.2 ms)
            steps = np.ceil(grid_tics(self.grid, updates["offset"]) / self.grid.tics_per_step)
            updates = {**updates, "offset": self.grid.to_ms(steps.astype(np.int64))}
        if "interval" in updates:
            updates = {**updates, "interval": as_time(self.grid, updates["interval"])}
        super().apply(updates, idx)
        if "record_from" in updates:
            for i in idx:
                self.logs[i] = EventLog(self.values["record_from"][i])

    def calibrate(self, grid):
        super().calibrate(grid)
        self.interval_steps = grid.to_steps(self.values["interval"])
        self.offset_steps = grid.to_steps(self.values["offset"])


RECORDER_PARAMS = [
    Param("events", None, kind="events", doc="Recorded events (read-only)", readonly=True),
    Param("label", "", kind=STR, doc="Free-form label"),
    Param("n_events", 0, kind=INT, doc="Number of recorded events; set to 0 to delete them"),
    Param("origin", 0.0, "ms", doc="Time origin of start and stop"),
    Param("record_to", "memory", kind=STR, doc="Recording backend"),
    Param("start", 0.0, "ms", doc="Begin of recording, relative to origin"),
    Param("stop", DOUBLE_MAX, "ms", doc="End of recording, relative to origin"),
    Param("time_in_steps", False, kind=BOOL, doc="Report times in steps instead of ms"),
]
SAMPLER_PARAMS = [
    Param("interval", 1.0, "ms", doc="Sampling interval (a multiple of the resolution)"),
    Param("offset", 0.0, "ms", doc="Offset of the sampling times (0, or at least the resolution)"),
    Param("record_from", [], kind=STR_LIST, doc="Names of the recorded variables"),
]


def _params(extra):
    return {p.name: p for p in sorted(RECORDER_PARAMS + extra, key=lambda p: p.name)}


SPECS = [
    ModelSpec("spike_recorder", RECORDER, SpikeRecorder, _params([]),
              extra_status=RECORDER_STATUS, doc="Records spike times and senders."),
    ModelSpec("multimeter", RECORDER, Multimeter, _params(SAMPLER_PARAMS),
              extra_status=RECORDER_STATUS, doc="Samples analog variables of its targets."),
    ModelSpec("voltmeter", RECORDER, Multimeter,
              _params([p if p.name != "record_from" else
                       Param("record_from", ["V_m"], kind=STR_LIST,
                             doc="Names of the recorded variables") for p in SAMPLER_PARAMS]),
              extra_status=RECORDER_STATUS, doc="A multimeter that records V_m."),
]
