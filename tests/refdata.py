"""Helpers for tests that compare with reference data from the real NEST 3.10."""
import json
import pathlib

import numpy as np

import nest

DATA = pathlib.Path(__file__).parent / "data"
RECORDERS = ("spike_recorder", "multimeter", "voltmeter")


def load_reference(name):
    """A JSON file of tests/data (made by tests/data/generate_reference.py with NEST 3.10)."""
    with open(DATA / name) as f:
        return json.load(f)


def build_and_run(spec):
    """Build a reference scenario (see tests/data/README.md) with our nest; return results."""
    nest.ResetKernel()
    kernel = dict(spec.get("kernel", {}))
    if "resolution" in kernel:
        nest.resolution = kernel.pop("resolution")
    if kernel:
        nest.SetKernelStatus(kernel)
    nodes = {}
    for node in spec["nodes"]:
        params = {"params": node["params"]} if node.get("params") is not None else {}
        nodes[node["label"]] = nest.Create(node["model"], node.get("n", 1), **params)
    for conn in spec.get("connections", []):
        pre, post = nodes[conn["pre"]], nodes[conn["post"]]
        if "pre_index" in conn:
            pre = pre[conn["pre_index"]]
        if "post_index" in conn:
            post = post[conn["post_index"]]
        nest.Connect(pre, post, conn.get("conn_spec"), conn.get("syn_spec"))
    labels = [n["label"] for n in spec["nodes"] if n["model"] in RECORDERS]
    counts = {label: [] for label in labels}
    for t in spec["simulate"]:
        nest.Simulate(t)
        for label in labels:
            counts[label].append(int(nodes[label].get("n_events")))
    recorders = {label: {"events": nodes[label].get("events"),
                         "n_events_after_each_simulate": counts[label]} for label in labels}
    return nodes, recorders


def assert_events_equal(ours, theirs, atol=1e-9):
    """Same keys, same senders in the same order, times and values within ``atol``."""
    assert sorted(ours) == sorted(theirs)
    np.testing.assert_array_equal(np.asarray(ours["senders"]), np.asarray(theirs["senders"]))
    for key in theirs:
        if key == "senders":
            continue
        np.testing.assert_allclose(np.asarray(ours[key], dtype=float),
                                   np.asarray(theirs[key], dtype=float), rtol=0, atol=atol,
                                   err_msg=key)
