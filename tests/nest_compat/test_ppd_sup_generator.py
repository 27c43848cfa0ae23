"""ppd_sup_generator against the real NEST 3.10 (tests/data/ref_ppd_sup.json).

The same measurement code (tests/data/generate_reference_ppd.py) runs on our facade. Activity
windows (a source firing in every step) and parameter errors must agree exactly; statistics
of the trains (rate, ISI mean / CV / minimum, the share of short ISIs, the start-up spikes,
the modulated rates) must lie within K standard deviations of NEST's mean over 10 seeds,
as in test_devices_reference.test_statistics. The ISI distribution is also checked against
the closed form of a Poisson process with dead time (a shifted exponential).
"""
import json
import pathlib
import sys

import numpy as np
import pytest
from scipy import stats

import nest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "data"))
import generate_reference_ppd as ref  # noqa: E402

DATA = json.loads((pathlib.Path(__file__).resolve().parents[1] / "data" /
                   "ref_ppd_sup.json").read_text())
K = 5.0
SEEDS = (11,)
EXACT = {"min_isi"}


@pytest.mark.parametrize("name", sorted(DATA["stochastic"]))
def test_statistics_match_nest(name):
    entry = DATA["stochastic"][name]
    for seed in SEEDS:
        ours = ref.measure(nest, entry["params"], seed)
        assert set(ours) == set(entry["summary"])
        for key, value in ours.items():
            mean, sd = entry["summary"][key]["mean"], entry["summary"][key]["std"]
            if key in EXACT:
                assert value == pytest.approx(mean, abs=1e-9), (name, key)
            else:
                assert abs(value - mean) <= K * sd * np.sqrt(1.1), (name, key, value, mean, sd)


def test_isi_distribution_is_a_shifted_exponential():
    """One process with dead time d at rate r: ISI - d - h is geometric in steps of h with
    mean 1000/r - d, i.e. exponential at this resolution (KS test, 4 x 50 s of spikes)."""
    params = {"rate": 50.0, "dead_time": 5.0}
    trains = ref._trains(nest, params, seed=3, t_sim=50000.0)
    isi = np.concatenate([np.diff(t) for t in trains])
    h = nest.resolution
    assert isi.min() == pytest.approx(params["dead_time"] + h)
    waits = isi - params["dead_time"] - h
    scale = 1000.0 / params["rate"] - params["dead_time"]
    # the geometric law of whole steps against the exponential: continuity-corrected
    _, p = stats.kstest(waits + h * np.random.default_rng(0).random(waits.size), "expon",
                        args=(0.0, scale))
    assert p > 1e-3
    assert waits.mean() == pytest.approx(scale, rel=0.05)


@pytest.mark.parametrize("case", DATA["windows"], ids=lambda c: json.dumps(c["params"]))
def test_activity_window(case):
    assert ref.window(nest, case["params"]) == case["times"]


@pytest.mark.parametrize("case", DATA["errors"], ids=lambda c: json.dumps(c["params"]))
def test_parameter_errors(case):
    kind, result = ref.probe(nest, case["params"])
    expected_kind, expected = case["result"]
    assert kind == expected_kind
    if kind is None:
        assert result == expected
    else:
        assert expected.split(": ", 1)[1] in result


def test_defaults():
    nest.ResetKernel()
    ours = nest.GetDefaults("ppd_sup_generator")
    for key, value in DATA["defaults"].items():
        assert ours[key] == value, key


def test_state_persists_across_simulate_calls():
    """Two Simulate calls give the same trains as one (the dead-time state carries over)."""
    params = {"rate": 200.0, "dead_time": 3.0, "n_proc": 2}
    whole = ref._trains(nest, params, seed=5, t_sim=300.0)
    nest.ResetKernel()
    nest.rng_seed = 5
    gen = nest.Create("ppd_sup_generator", params=params)
    parrots = nest.Create("parrot_neuron", ref.N_TARGETS)
    rec = nest.Create("spike_recorder")
    nest.Connect(gen, parrots)
    nest.Connect(parrots, rec)
    nest.Simulate(120.0)
    nest.Simulate(180.0)
    ev = rec.get("events")
    split = [np.sort(ev["times"][ev["senders"] == s]) - 1.0 for s in parrots.tolist()]
    for a, b in zip(whole, split):
        assert np.array_equal(a, b)
    assert sum(t.size for t in whole) > 50
