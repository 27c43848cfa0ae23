"""Helpers for tests that compare with reference data from the real NEST 3.10."""
import json
import pathlib

import numpy as np

import nest
import spec_runner

DATA = pathlib.Path(__file__).parent / "data"


def load_reference(name):
    """A JSON file of tests/data (made by tests/data/generate_reference.py with NEST 3.10)."""
    with open(DATA / name) as f:
        return json.load(f)


def build_and_run(spec):
    """Build a reference scenario (tests/spec_runner.py) with our nest.

    Returns the nodes by label, and by recorder label its ``events`` and
    ``n_events_after_each_simulate``.
    """
    nodes, n_events = spec_runner.build_and_run(nest, spec)
    recorders = {label: {"events": nodes[label].get("events"),
                         "n_events_after_each_simulate": counts}
                 for label, counts in n_events.items()}
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
