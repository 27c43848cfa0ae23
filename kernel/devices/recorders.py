"""Recording devices: spike_recorder, multimeter, voltmeter.

Each recorder node sends its events to one recording backend, chosen with ``record_to``:

* ``memory`` (default): growable columns (senders, times in steps, precise-spike offsets,
  values) read back as the ``events`` dict;
* ``ascii``: a text file per recorder, in NEST's format and naming
  (kernel/io/recording_backends.py); the file is opened at Prepare and closed at Cleanup;
* ``screen``: the same lines printed to standard output.

``n_events`` counts events whatever the backend. As in NEST, backend-specific properties exist
only while that backend is selected: ``events`` for memory; ``file_extension``, ``filenames``
and ``precision`` for ascii; ``precision`` for screen. ``time_in_steps`` belongs to all three.

What is recorded when is decided by the recording manager (kernel/recording.py); the blocks
here hold parameters and data and answer get/set.
"""
import numpy as np

from ..errors import BadParameterValue, UnknownParameter
from ..io.recording_backends import (ALL_BACKEND_KEYS, BACKEND_KEYS, BACKENDS, file_name,
                                     model_file_name, open_ascii, open_screen)
from ..nodes import TAKES_NOTHING, NodeBlock
from ..parallel.mpi import processes
from ..registry import BOOL, INT, RECORDER, RECORDER_STATUS, STR, STR_LIST, ModelSpec, Param
from .generators import (DOUBLE_MAX, as_time, check_window, grid_tics, window_steps,
                         window_times)

RECORD_TO = BACKENDS


class EventLog:
    """Events of one recorder node: senders, times (steps), offsets and named value columns."""

    def __init__(self, value_names=()):
        self.value_names = tuple(value_names)
        self.count = 0
        self.had_events = False
        self.clear()

    def clear(self):
        """Delete all events (``n_events = 0``); remember that there were some."""
        self.had_events = self.had_events or self.count > 0
        self._senders, self._steps, self._offsets = [], [], []
        self._values = {name: [] for name in self.value_names}
        self.count = 0

    def append(self, senders, steps, values=None, offsets=None):
        n = len(senders)
        if n == 0:
            return
        self._senders.append(np.asarray(senders, dtype=np.int64))
        self._steps.append(np.asarray(steps, dtype=np.int64))
        self._offsets.append(np.zeros(n) if offsets is None else
                             np.asarray(offsets, dtype=np.float64))
        for name in self.value_names:
            self._values[name].append(np.asarray(values[name], dtype=np.float64))
        self.count += n

    def columns(self):
        """(senders, steps, {name: values}) as contiguous arrays."""
        for lst in (self._senders, self._steps, self._offsets, *self._values.values()):
            if len(lst) > 1:
                lst[:] = [np.concatenate(lst)]
        senders = self._senders[0] if self._senders else np.zeros(0, dtype=np.int64)
        steps = self._steps[0] if self._steps else np.zeros(0, dtype=np.int64)
        values = {n: (v[0] if v else np.zeros(0)) for n, v in self._values.items()}
        return senders, steps, values

    def offsets(self):
        """Offsets (ms) of precise spikes, aligned with :meth:`columns`; zero on the grid."""
        self.columns()
        return self._offsets[0] if self._offsets else np.zeros(0)


class RecorderBlock(NodeBlock):
    """Shared parts of recorders: activity window, backends, events, n_events."""

    takes = TAKES_NOTHING
    state_names = ("events", "n_events", "filenames")

    def __init__(self, spec, first, n, defaults, grid):
        super().__init__(spec, first, n, defaults, grid)
        self.text_counts = np.zeros(self.n, dtype=np.int64)   # events sent to ascii/screen
        self.sinks = {}                                        # node index -> TextSink

    def init_state(self, defaults):
        self.logs = [EventLog(self.value_names(i, defaults)) for i in range(self.n)]

    def value_names(self, i, defaults=None):
        return ()

    # -- which keys exist ------------------------------------------------------------------------
    def keys(self):
        """The spec's keys without those of backends that none of the nodes uses."""
        visible = set()
        for backend in set(self.values["record_to"]):
            visible.update(BACKEND_KEYS[backend])
        return [k for k in self.spec.params if k not in ALL_BACKEND_KEYS or k in visible]

    @staticmethod
    def hidden_defaults(defaults):
        """Keys GetDefaults leaves out: those of the backends the defaults do not select."""
        return ALL_BACKEND_KEYS - set(BACKEND_KEYS[defaults["record_to"]])

    @staticmethod
    def derived_defaults(defaults):
        """GetDefaults' ``filenames`` of an ascii recorder model: NEST shows the backend's
        default extension alone ('.dat', whatever the model's file_extension)."""
        return {"filenames": [model_file_name("dat")]} \
            if defaults.get("record_to") == "ascii" else {}

    # -- state -------------------------------------------------------------------------------------
    def get_state(self, name, idx):
        if name == "n_events":
            return np.array([self.logs[i].count + self.text_counts[i] for i in idx],
                            dtype=np.int64)
        if name == "filenames":
            return [[self.file_name(i)] for i in idx]
        return [self.events(i) for i in idx]

    def file_name(self, i):
        """The ascii file of node i (depends on data_path, data_prefix and the label); each
        MPI process writes its own, named by its virtual process as in NEST."""
        return file_name(self.values["label"][i], self.spec.name, self.first + i,
                         self.values["file_extension"][i], vp=processes().rank)

    def events(self, i):
        """The events dict of node i, as NEST returns it.

        Keys are sorted. Times are in ms, or in steps plus ``offsets`` with ``time_in_steps``;
        precise spikes (spike_generator with ``precise_times``) have their offsets subtracted
        from the time in ms. Before anything is recorded, senders and times are empty float64
        arrays and there are no value columns; after a Prepare or ``n_events = 0`` the value
        columns are there, empty.
        """
        log = self.logs[i]
        if log.count == 0:
            out = {"senders": np.zeros(0), "times": np.zeros(0)}
            if log.had_events:
                out.update({name: np.zeros(0) for name in log.value_names})
            return dict(sorted(out.items()))
        senders, steps, values = log.columns()
        offsets = log.offsets()
        out = {"senders": senders.copy()}
        if self.values["time_in_steps"][i]:
            out["times"] = steps.copy()
            out["offsets"] = offsets.copy()
        else:
            out["times"] = self.grid.to_ms(steps) - offsets
        out.update({name: v.copy() for name, v in values.items()})
        return dict(sorted(out.items()))

    def set_state(self, name, idx, values):
        if name == "n_events":
            for i in idx:
                self.logs[i].clear()
                self.text_counts[i] = 0

    # -- recording ---------------------------------------------------------------------------------
    def record(self, i, senders, steps, values=None, offsets=None):
        """Send events of node i to its backend.

        Parameters
        ----------
        i : int
            Local index.
        senders, steps : array of int
            Senders and time stamps (steps).
        values : dict of str to array, optional
            Sampled values (multimeters).
        offsets : array of float, optional
            Precise-spike offsets in ms.
        """
        n = len(senders)
        if n == 0:
            return
        backend = self.values["record_to"][i]
        if backend == "memory":
            self.logs[i].append(senders, steps, values, offsets)
            return
        sink = self.sinks.get(i)
        if sink is None:
            sink = self.open_sink(i, overwrite=True)
        sink.write(senders, steps, values, offsets, self.grid)
        self.text_counts[i] += n

    def open_sink(self, i, overwrite):
        """Open node i's ascii file or screen output (at Prepare).

        Raises
        ------
        RecordingFileExists
            An ascii file exists and ``overwrite`` is False.
        """
        backend = self.values["record_to"][i]
        names = getattr(self.logs[i], "value_names", ())
        precision = int(self.values["precision"][i])
        steps = bool(self.values["time_in_steps"][i])
        if backend == "ascii":
            sink = open_ascii(self.file_name(i), names, precision, steps, overwrite)
        else:
            sink = open_screen(names, precision, steps)
        self.sinks[i] = sink
        return sink

    def close_sinks(self):
        """Flush and close files (at Cleanup, as NEST does)."""
        for sink in self.sinks.values():
            sink.close()
        self.sinks = {}

    # -- parameters --------------------------------------------------------------------------------
    def stage_values(self, updates, idx):
        backends = [updates.get("record_to", self.values["record_to"][i]) for i in idx]
        if isinstance(updates.get("record_to"), str) and updates["record_to"] not in RECORD_TO:
            raise BadParameterValue(
                "record_to", f"Unknown recording backend '{updates['record_to']}'; the "
                f"recording backends are {', '.join(RECORD_TO)}.")
        for name in updates:
            if name in ALL_BACKEND_KEYS and name in self.spec.params and \
                    not all(b in RECORD_TO and name in BACKEND_KEYS[b] for b in backends):
                owners = [b for b, keys in BACKEND_KEYS.items() if name in keys]
                bad = next(b for b in backends if name not in BACKEND_KEYS.get(b, ()))
                raise UnknownParameter(
                    name, f"{self.spec.name} recording to {bad} ({name} belongs to the "
                          f"recording backend {' and '.join(owners)}; set record_to first)",
                    [k for k in self.spec.params if not self.spec.params[k].readonly and
                     (k not in ALL_BACKEND_KEYS or k in BACKEND_KEYS.get(bad, ()))])
        return super().stage_values(updates, idx)

    def check(self, proposed, updates):
        check_window(proposed, updates, self.grid)
        if "n_events" in updates and np.any(updates["n_events"] != 0):
            raise BadParameterValue(
                "n_events", "Property n_events can only be set to 0 (which clears all stored "
                            "events).")
        if "time_in_steps" in updates and self._live() and _simulated():
            raise BadParameterValue(
                "time_in_steps", "Property time_in_steps cannot be set after Simulate has been "
                                 "called.")

    def _live(self):
        """True for a node block of the network (False for SetDefaults' trial blocks)."""
        from .. import get_kernel
        return any(b is self for b in get_kernel().nodes.blocks)

    def apply(self, updates, idx):
        if "record_to" in updates:
            # switching backends starts the memory log afresh (n_events keeps counting)
            for i in idx:
                if updates["record_to"] != self.values["record_to"][i]:
                    log = self.logs[i]
                    self.text_counts[i] += log.count
                    self.logs[i] = EventLog(log.value_names) if isinstance(log, EventLog) \
                        else type(log)()
        super().apply(window_times(self.grid, updates), idx)

    def calibrate(self, grid):
        self.derive(grid, "window", self._window)

    def _window(self, grid):
        self.t_start = window_steps(grid, self.values, "start")
        self.t_stop = window_steps(grid, self.values, "stop")


def _simulated():
    from .. import get_kernel
    return getattr(get_kernel().recording, "simulated", False)


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
        # NEST: once prepared, the events have their value columns, even with no samples
        # (a multimeter without targets, or whose targets live on other MPI processes)
        for log in self.logs:
            log.had_events = True


RECORDER_PARAMS = [
    Param("events", None, kind="events", doc="Recorded events (memory backend; read-only)",
          readonly=True),
    Param("file_extension", "dat", kind=STR, doc="Extension of the ascii file"),
    Param("filenames", None, kind="filenames", doc="The ascii file (read-only)", readonly=True),
    Param("label", "", kind=STR, doc="Free-form label (replaces the model in file names)"),
    Param("n_events", 0, kind=INT, doc="Number of recorded events; set to 0 to delete them"),
    Param("origin", 0.0, "ms", doc="Time origin of start and stop"),
    Param("precision", 3, kind=INT, doc="Digits after the point in ascii/screen output"),
    Param("record_to", "memory", kind=STR, doc="Recording backend: memory, ascii or screen"),
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
