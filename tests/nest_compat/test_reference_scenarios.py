"""Deterministic scenarios against the real NEST 3.10 (tests/data/ref_*.json).

Spike times must be identical on the grid and traces equal to 1e-9 mV, events in NEST's order.
"""
import pytest

from refdata import assert_events_equal, build_and_run, load_reference

FILES = ("ref_tutorial.json", "ref_model_traces.json", "ref_multimeter_conventions.json",
         "ref_parrot_spike_generator.json")
STOCHASTIC = {"one_neuron_with_noise"}
# Features Neuropil does not have yet; each must fail loudly, checked in test_unsupported.
UNSUPPORTED = set()


def scenarios():
    for name in FILES:
        for sc in load_reference(name)["scenarios"]:
            if sc["name"] not in STOCHASTIC:
                yield pytest.param(sc, id=f"{name[4:-5]}:{sc['name']}")


@pytest.mark.parametrize("scenario", list(scenarios()))
def test_matches_nest(scenario):
    if scenario["name"] in UNSUPPORTED:
        pytest.skip("feature not supported yet (raises a clear error)")
    nodes, recorders = build_and_run(scenario["spec"])
    expected = scenario["results"]["recorders"]
    assert sorted(recorders) == sorted(expected)
    for label, rec in expected.items():
        assert_events_equal(recorders[label]["events"], rec["events"])
        assert recorders[label]["n_events_after_each_simulate"] == \
            rec["n_events_after_each_simulate"], label
