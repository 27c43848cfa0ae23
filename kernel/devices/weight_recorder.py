"""weight_recorder: records the events a synapse model transmits.

A synapse model whose common property ``weight_recorder`` names this node reports every
transmitted event (one per unit of multiplicity, as NEST): the presynaptic node
(``senders``), the postsynaptic node (``targets``), the weight sent, the presynaptic spike's
time stamp (``times``; the delay is not added), the receptor type (``receptors``) and the
connection's index among the connections of its synapse model (``ports``, as
GetConnections reports ``port``). Events are recorded within the recorder's window
origin + start < t <= origin + stop and appear when the synapses deliver, at the start of
the min_delay slice after the spike (as in NEST).
"""
import numpy as np

from ..registry import RECORDER, RECORDER_STATUS, ModelSpec
from .recorders import RECORDER_PARAMS, RecorderBlock

COLUMNS = ("senders", "targets", "times", "weights", "receptors", "ports")


class WeightLog:
    """Growable columns of one weight recorder (times in steps)."""

    def __init__(self):
        self.count = 0
        self.had_events = False
        self.clear()

    def clear(self):
        self.had_events = self.had_events or self.count > 0
        self._parts = {name: [] for name in COLUMNS}
        self.count = 0

    def append(self, columns):
        n = len(columns["senders"])
        if not n:
            return
        for name in COLUMNS:
            self._parts[name].append(columns[name])
        self.count += n

    def columns(self):
        out = {}
        for name, parts in self._parts.items():
            if len(parts) > 1:
                parts[:] = [np.concatenate(parts)]
            out[name] = parts[0] if parts else np.zeros(0)
        return out


class WeightRecorder(RecorderBlock):
    """Receives WeightRecorder events from synapse models (no connections to or from it)."""

    accepts = ()

    def init_state(self, defaults):
        self.logs = [WeightLog() for _ in range(self.n)]

    def events(self, i):
        log = self.logs[i]
        if log.count == 0:
            out = {"senders": np.zeros(0), "times": np.zeros(0)}
            if log.had_events:
                out.update({name: np.zeros(0) for name in COLUMNS if name not in out})
            return dict(sorted(out.items()))
        cols = log.columns()
        out = {name: cols[name].copy() for name in COLUMNS if name != "times"}
        if self.values["time_in_steps"][i]:
            out["times"] = cols["times"].copy()
            out["offsets"] = np.zeros(cols["times"].shape[0])
        else:
            out["times"] = self.grid.to_ms(cols["times"])
        return dict(sorted(out.items()))

    def record_sinks(self, node_id, sinks, nodes):
        """Append the events of delivery sinks (kernel/synapses/_core.pxd EventSink), whose
        targets are ring columns of ``nodes`` (a NodeTable)."""
        i = node_id - self.first
        parts = []
        for sink in sinks:
            n = sink.n
            stamp = np.asarray(sink.stamp)[:n]
            keep = (stamp > self.t_start[i]) & (stamp <= self.t_stop[i])
            parts.append({"senders": np.asarray(sink.sender)[:n][keep],
                          "targets": nodes.global_ids(np.asarray(sink.target)[:n][keep]),
                          "times": stamp[keep],
                          "weights": np.asarray(sink.weight)[:n][keep],
                          "receptors": np.asarray(sink.receptor)[:n][keep],
                          "ports": np.asarray(sink.port)[:n][keep]})
        if len(parts) > 1:
            # several models record here: NEST's order is by sender, then time
            merged = {name: np.concatenate([p[name] for p in parts]) for name in COLUMNS}
            order = np.lexsort((merged["times"], merged["senders"]))
            parts = [{name: v[order] for name, v in merged.items()}]
        self.logs[i].append(parts[0])


SPECS = [
    ModelSpec("weight_recorder", RECORDER, WeightRecorder,
              {p.name: p for p in sorted(RECORDER_PARAMS, key=lambda p: p.name)},
              extra_status=RECORDER_STATUS,
              doc="Records the weights that synapse models transmit."),
]
