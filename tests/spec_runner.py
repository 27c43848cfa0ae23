"""Build and run a reference scenario ``spec`` with a given ``nest`` module.

The generators in tests/data run this code with the real NEST 3.10 to record reference data,
and the tests run the same code with Neuropil's ``nest``, so both sides build every network
the same way. It needs only ``numpy`` and the ``nest`` passed in (the generators run in NEST's
own venv, where nothing else of this project is importable).

A spec is plain data (see tests/data/README.md):

* ``kernel``: kernel attributes (``resolution`` is set first);
* ``defaults``: ``{model: params}`` given to ``SetDefaults`` before any node is created;
* ``nodes``: ``{"label", "model", "n" (default 1), "params"}``, created in order;
* ``node_set``: ``{"label", "params"}``, ``node.set(params)`` once all nodes exist;
* ``models``: ``{"copy": [old, new]}`` or ``{"set": name}`` with ``"params"`` and ``"refs"``
  (``{key: node label}``: the 1-node collection of that label goes under ``key``), applied with
  ``CopyModel`` / ``SetDefaults`` in order, after the nodes exist;
* then either ``phases`` (each ``{"connections": [...], "simulate": [durations]}``), or
  ``connections`` followed by ``simulate`` (durations) or ``steps`` (``{"simulate": t}`` or
  ``{"set": label, "params": {...}}``). A connection is ``{"pre", "post", "pre_index"?,
  "post_index"?, "conn_spec"?, "syn_spec"?}`` and is made with ``nest.Connect``.
"""
import enum
import json
import math
import sys

import numpy as np

RECORDERS = ("spike_recorder", "multimeter", "voltmeter")


def plain(v):
    """NEST/numpy values as plain JSON-able values (±inf and NaN as strings, node collections
    and enums by their repr)."""
    if isinstance(v, np.ndarray):
        return [plain(x) for x in v.tolist()]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return "nan" if math.isnan(v) else v
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (str, int, bool)) and not isinstance(v, enum.Enum) or v is None:
        return v
    return repr(v)  # NodeCollection, VerbosityLevel, ...


def unplain(v):
    """Back from :func:`plain`: 'inf' / '-inf' / 'nan' strings in lists become floats."""
    if isinstance(v, list):
        return [unplain(x) for x in v]
    if v in ("inf", "-inf", "nan"):
        return float(v)
    return v


def _actions(spec):
    """The spec's connections, simulations and settings as one ordered list of actions."""
    if "phases" in spec:
        for phase in spec["phases"]:
            yield from (("connect", c) for c in phase.get("connections", []))
            yield from (("simulate", t) for t in phase["simulate"])
        return
    yield from (("connect", c) for c in spec.get("connections", []))
    if "steps" in spec:
        for step in spec["steps"]:
            yield ("simulate", step["simulate"]) if "simulate" in step else ("set", step)
    else:
        yield from (("simulate", t) for t in spec["simulate"])


def build_and_run(nest, spec, after_simulate=None):
    """Build and run ``spec`` with ``nest``.

    Parameters
    ----------
    nest : module
        The ``nest`` to drive (the real NEST or Neuropil's).
    spec : dict
        The scenario (see the module docstring).
    after_simulate : callable, optional
        Called as ``after_simulate(nodes)`` after every ``Simulate``.

    Returns
    -------
    nodes : dict
        Label -> NodeCollection.
    n_events : dict
        Recorder label -> its ``n_events`` after each ``Simulate``.
    """
    nest.ResetKernel()
    kernel = dict(spec.get("kernel", {}))
    if "resolution" in kernel:
        nest.resolution = kernel.pop("resolution")
    if kernel:
        nest.SetKernelStatus(kernel)
    for model, params in spec.get("defaults", {}).items():
        nest.SetDefaults(model, params)
    nodes = {}
    for nd in spec["nodes"]:
        kwargs = {"params": nd["params"]} if nd.get("params") is not None else {}
        nodes[nd["label"]] = nest.Create(nd["model"], nd.get("n", 1), **kwargs)
    for item in spec.get("node_set", []):
        nodes[item["label"]].set(item["params"])
    for m in spec.get("models", []):
        params = dict(m.get("params", {}))
        params.update({key: nodes[label] for key, label in m.get("refs", {}).items()})
        if "copy" in m:
            nest.CopyModel(m["copy"][0], m["copy"][1], params)
        else:
            nest.SetDefaults(m["set"], params)
    recorders = [nd["label"] for nd in spec["nodes"] if nd["model"] in RECORDERS]
    n_events = {label: [] for label in recorders}
    for kind, item in _actions(spec):
        if kind == "connect":
            pre, post = nodes[item["pre"]], nodes[item["post"]]
            if "pre_index" in item:
                pre = pre[item["pre_index"]]
            if "post_index" in item:
                post = post[item["post_index"]]
            nest.Connect(pre, post, item.get("conn_spec"), item.get("syn_spec"))
        elif kind == "set":
            nodes[item["set"]].set(item["params"])
        else:
            nest.Simulate(item)
            for label in recorders:
                n_events[label].append(int(nodes[label].get("n_events")))
            if after_simulate is not None:
                after_simulate(nodes)
    return nodes, n_events


def recorder_events(nodes, labels):
    """Label -> the recorder's events as plain lists (keys sorted)."""
    out = {}
    for label in labels:
        ev = nodes[label].get("events")
        out[label] = {k: plain(np.asarray(ev[k])) for k in sorted(ev)}
    return out


def recorder_results(nodes, n_events):
    """Label -> {"events", "n_events", "n_events_after_each_simulate"} of every recorder."""
    events = recorder_events(nodes, list(n_events))
    return {label: {"events": events[label], "n_events": int(nodes[label].get("n_events")),
                    "n_events_after_each_simulate": counts}
            for label, counts in n_events.items()}


def as_list(value):
    """A per-node value as a list (NEST gives a scalar for one node, a tuple for several)."""
    return list(value) if isinstance(value, tuple) else [value]


PLASTIC_STATE_KEYS = ("weight", "Kplus", "c", "n", "u", "x", "y", "a", "P", "a_causal",
                      "a_acausal", "next_readout_time", "synapse_id", "init_flag",
                      "Kplus_triplet")
ARCHIVE_KEYS = ("archiver_length", "post_trace", "t_spike")


def plastic_snapshot(nest, nodes, watch):
    """The state of every connection of ``watch["synapse_models"]`` and the spike-archive
    status of the nodes labelled in ``watch["nodes"]``, as plain values."""
    snap = {"t": nest.biological_time, "conns": {}, "nodes": {}}
    for model in watch.get("synapse_models", []):
        conns = nest.GetConnections(synapse_model=model)
        if len(conns) == 0:
            continue
        d = conns.get()
        if len(conns) == 1:
            d = {k: [v] for k, v in d.items()}
        snap["conns"][model] = {k: plain(d[k]) for k in ("source", "target") + PLASTIC_STATE_KEYS
                                if k in d}
    for label in watch.get("nodes", []):
        vals = nodes[label].get(list(ARCHIVE_KEYS))
        snap["nodes"][label] = {k: plain(as_list(v)) for k, v in vals.items()}
    return snap


def run_plastic(nest, spec):
    """Run a plasticity scenario: snapshots after every Simulate, weight/spike recorder events
    and node ids, all plain."""
    snapshots = []
    nodes, _ = build_and_run(nest, spec, lambda nodes: snapshots.append(
        plastic_snapshot(nest, nodes, spec.get("watch", {}))))
    labels = [nd["label"] for nd in spec["nodes"]
              if nd["model"] in ("weight_recorder", "spike_recorder")]
    return {"snapshots": snapshots, "recorders": recorder_events(nodes, labels),
            "node_ids": {k: v.tolist() for k, v in nodes.items()}}


def scenario(run, name, spec, description="", check_twice=True):
    """A reference entry: ``spec``, the results of ``run(spec)`` and, if ``check_twice``,
    whether a second run gave exactly the same results."""
    first = run(spec)
    out = {"name": name, "description": description, "spec": spec, "results": first}
    if check_twice:
        same = json.dumps(first) == json.dumps(run(spec))
        out["identical_when_run_twice"] = same
        if not same:
            print(f"WARNING: scenario {name} not reproducible", file=sys.stderr)
    return out
