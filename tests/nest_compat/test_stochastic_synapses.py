"""bernoulli_synapse and quantal_stp_synapse: statistics and reproducibility.

NEST's random streams cannot be reproduced, so these models are tested against their
exact expectations. Every test uses a fixed seed, so it is deterministic; the thresholds
(4.5 standard errors) would be exceeded by chance with probability < 1e-5, and the stated
power is the probability of detecting the stated error of the model.
"""
import numpy as np
import pytest

import nest


def _drive(n_spikes, isi, mult=1, n_targets=1, model="bernoulli_synapse", delay=5.0, **syn):
    times = [round(isi * (k + 1), 6) for k in range(n_spikes)]
    sg = nest.Create("spike_generator", params={"spike_times": times,
                                                "spike_multiplicities": [mult] * n_spikes})
    pre = nest.Create("parrot_neuron")
    post = nest.Create("iaf_psc_alpha", n_targets, params={"V_th": 1e9})
    wr = nest.Create("weight_recorder")
    nest.CopyModel(model, "rec", {"weight_recorder": wr})
    nest.Connect(sg, pre, syn_spec={"delay": delay})
    nest.Connect(pre, post, syn_spec={"synapse_model": "rec", "delay": delay, **syn})
    nest.Simulate(isi * (n_spikes + 1) + 2 * delay + 1.0)
    return wr.get("events"), post


def test_bernoulli_transmission_probability():
    """10 connections x 5000 spikes of multiplicity 2, p = 0.3 (100000 trials).

    Power: a transmission probability off by 0.01 is detected with probability > 0.99.
    """
    nest.rng_seed = 11
    p, units = 0.3, 10 * 5000 * 2
    ev, post = _drive(5000, 2.0, mult=2, n_targets=10, p_transmit=p, weight=1.5)
    count = len(ev["times"])
    assert abs(count - units * p) < 4.5 * np.sqrt(units * p * (1 - p))
    assert set(ev["weights"]) == {1.5}
    # every connection transmits at the same rate (chi-square over the 10 targets, 9 dof)
    per_target = np.bincount(ev["targets"] - post[0].global_id, minlength=10)
    expected = units / 10 * p
    chi2 = np.sum((per_target - expected) ** 2 / (expected * (1 - p)))
    assert chi2 < 33.7          # P(chi2_9 > 33.7) = 1e-4
    # the two units of a spike are transmitted independently: P(both) = p^2
    key = ev["targets"].astype(np.int64) * 10 ** 7 + np.rint(ev["times"] * 10).astype(np.int64)
    _, per_spike = np.unique(key, return_counts=True)
    both = np.sum(per_spike == 2)
    n_spikes = units // 2
    assert abs(both - n_spikes * p * p) < 4.5 * np.sqrt(n_spikes * p * p * (1 - p * p))


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_bernoulli_certain_outcomes(p):
    ev, _ = _drive(50, 2.0, mult=3, p_transmit=p)
    assert len(ev["times"]) == (150 if p == 1.0 else 0)


def _quantal_expectation(n_spikes, isi, n, U, u0, tau_rec, tau_fac):
    """Expected number of released sites per spike (the expectation recursion is exact: u is
    deterministic, and the expected number of available sites evolves linearly)."""
    p_rec = 1.0 - np.exp(-isi / tau_rec)
    u_decay = np.exp(-isi / tau_fac) if tau_fac > 0 else 0.0
    a, u, out = float(n), u0, []
    for k in range(n_spikes):
        if k:
            u = U + u * (1.0 - U) * u_decay
            a = a + (n - a) * p_rec
        out.append(u * a)
        a -= u * a
    return np.array(out)


@pytest.mark.parametrize("tau_fac", [0.0, 20.0])
def test_quantal_release_matches_expectation(tau_fac):
    """200 connections x 300 spikes, n = 4 sites: the mean total release per connection.

    Power: a mean release off by 3 % is detected with probability > 0.99.
    """
    nest.rng_seed = 5
    n, U, tau_rec, isi = 4, 0.4, 5.0, 2.0
    ev, post = _drive(300, isi, n_targets=200, model="quantal_stp_synapse", n=n, a=n, U=U,
                      u=U, tau_rec=tau_rec, tau_fac=tau_fac, weight=1.0)
    totals = np.bincount(ev["targets"] - post[0].global_id, weights=ev["weights"], minlength=200)
    expected = _quantal_expectation(300, isi, n, U, U, tau_rec, tau_fac).sum()
    se = totals.std(ddof=1) / np.sqrt(len(totals))
    assert abs(totals.mean() - expected) < 4.5 * se
    assert 4.5 * se < 0.015 * expected          # the test can see a 3 % error
    # released counts are whole numbers of sites, at most n
    assert set(np.unique(ev["weights"])) <= {1.0, 2.0, 3.0, 4.0}


def test_same_seed_same_draws_other_seed_other_draws():
    def run(seed):
        nest.ResetKernel()
        nest.rng_seed = seed
        ev, _ = _drive(200, 2.0, n_targets=3, p_transmit=0.5)
        return list(zip(ev["targets"], ev["times"]))

    assert run(3) == run(3)
    assert run(3) != run(4)
