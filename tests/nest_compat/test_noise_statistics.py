"""Stochastic networks through ``import nest`` against the real NEST 3.10, statistically.

Our random streams differ from NEST's, so single runs cannot match; distributions must.
Reference: tests/data/ref_noise_stats.json (NEST with rng_seed 1..20) and the tutorial
scenario one_neuron_with_noise of tests/data/ref_tutorial.json (NEST's default seed).

* one_neuron_with_noise: iaf_psc_alpha driven by poisson_generators of 80 kHz (+1.2 pA) and
  15 kHz (-2.0 pA), 1000 ms: spike count, mean and std of the multimeter's V_m;
* poisson_parrot: poisson_generator 10 kHz -> parrot_neuron (delay 1.0) -> spike_recorder,
  1000 ms: spike count, number of distinct spike times.

Each comparison runs Welch's t-test and the Mann-Whitney U test, each at ALPHA = 0.001, so a
correct implementation fails a given comparison for about one choice of seeds in a thousand
(our seeds are fixed, so the outcome is the same on every run). Power (probability 0.9,
Welch, NEST's 20 runs against our N_QUICK = 30): a difference of about 1.4 standard deviations
of the per-run quantity. With the per-run sd of NEST (300 further NEST runs, seeds 1000..1299,
gave sd 2.0 spikes, 0.30 mV, 0.28 mV; the 20 stored runs give 1.55, 0.24, 0.23) that is
    spike count of the noise neuron   2.8 spikes (33 % of its rate of ~8.4 spikes/s)
    mean V_m                          0.42 mV
    std of V_m                        0.39 mV
    parrot spike count                150 spikes (1.5 % of 10 kHz)
    parrot distinct times             80 (1.3 %)
The stored NEST sample (20 runs) limits the power; more NEST runs in ref_noise_stats.json would
sharpen every comparison here.
The slow variant (N_SLOW = 300 runs of ours) adds tests of the parrot counts against their
exact distributions (Poisson and binomial), which detect a 0.3 % rate error.
"""
import math

import numpy as np
import pytest
from scipy import stats

import nest
from refdata import build_and_run, load_reference

ALPHA = 0.001
N_QUICK = 30
N_SLOW = 300
OUR_SEEDS = 100_000           # our seeds are OUR_SEEDS + i (NEST's are 1..20)

NOISE_REF = load_reference("ref_noise_stats.json")
TUTORIAL = {s["name"]: s for s in load_reference("ref_tutorial.json")["scenarios"]}
NOISE_SPEC = TUTORIAL["one_neuron_with_noise"]["spec"]


def nest_values(scenario, key):
    return np.array([run[key] for run in NOISE_REF[scenario]["per_seed"]], dtype=float)


def noise_run(seed):
    spec = dict(NOISE_SPEC, kernel={"rng_seed": seed})
    _, recorders = build_and_run(spec)
    vm = np.asarray(recorders["multimeter"]["events"]["V_m"])
    return {"spike_count": len(recorders["spikerecorder"]["events"]["times"]),
            "V_m_mean": float(vm.mean()), "V_m_std": float(vm.std()),
            "n_V_m_samples": len(vm)}


def parrot_run(seed, rate=10000.0, t_sim=1000.0, delay=1.0, start=None, stop=None):
    nest.ResetKernel()
    nest.rng_seed = seed
    params = {"rate": rate}
    if start is not None:
        params["start"] = start
    if stop is not None:
        params["stop"] = stop
    gen = nest.Create("poisson_generator", params=params)
    parrot = nest.Create("parrot_neuron")
    rec = nest.Create("spike_recorder")
    nest.Connect(gen, parrot, syn_spec={"delay": delay})
    nest.Connect(parrot, rec)
    nest.Simulate(t_sim)
    times = np.asarray(rec.get("events")["times"])
    return {"spike_count": len(times), "n_distinct_times": len(np.unique(times)),
            "min_time": float(times.min()) if len(times) else math.nan,
            "max_time": float(times.max()) if len(times) else math.nan, "times": times}


def runs(kind, n):
    f = noise_run if kind == "one_neuron_with_noise" else parrot_run
    return [f(OUR_SEEDS + i) for i in range(n)]


def assert_same_distribution(ours, theirs, what):
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    welch = stats.ttest_ind(ours, theirs, equal_var=False)
    mwu = stats.mannwhitneyu(ours, theirs, alternative="two-sided")
    msg = (f"{what}: ours mean {ours.mean():.4g} (sd {ours.std(ddof=1):.3g}, n {ours.size}), "
           f"NEST mean {theirs.mean():.4g} (sd {theirs.std(ddof=1):.3g}, n {theirs.size}); "
           f"Welch p = {welch.pvalue:.3g}, Mann-Whitney p = {mwu.pvalue:.3g}")
    assert welch.pvalue > ALPHA, msg
    assert mwu.pvalue > ALPHA, msg


@pytest.fixture(scope="module")
def noise_quick():
    return runs("one_neuron_with_noise", N_QUICK)


@pytest.fixture(scope="module")
def parrot_quick():
    return runs("poisson_parrot", N_QUICK)


# -- one_neuron_with_noise -------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["spike_count", "V_m_mean", "V_m_std"])
def test_noise_neuron_matches_nest(noise_quick, key):
    assert_same_distribution([r[key] for r in noise_quick],
                             nest_values("one_neuron_with_noise", key), key)


def test_noise_neuron_sampling_is_deterministic(noise_quick):
    assert all(r["n_V_m_samples"] == 999 for r in noise_quick)
    assert set(nest_values("one_neuron_with_noise", "n_V_m_samples")) == {999}


def test_noise_runs_differ_between_seeds_and_repeat_for_a_seed(noise_quick):
    assert len({r["V_m_mean"] for r in noise_quick}) == len(noise_quick)
    assert noise_run(OUR_SEEDS) == noise_quick[0]


# -- poisson_generator -> parrot_neuron ------------------------------------------------------------
@pytest.mark.parametrize("key", ["spike_count", "n_distinct_times"])
def test_poisson_parrot_matches_nest(parrot_quick, key):
    assert_same_distribution([r[key] for r in parrot_quick],
                             nest_values("poisson_parrot", key), key)


def test_poisson_parrot_last_spike_times_match_nest(parrot_quick):
    """NEST's last parrot spike is at 1000.0, 999.9 or 999.8 (10 kHz: 63 % of the steps have a
    spike); compare the distributions of the gap to the end of the run."""
    ours = [round((1000.0 - r["max_time"]) * 10) for r in parrot_quick]
    theirs = [round((1000.0 - t) * 10) for t in nest_values("poisson_parrot", "max_time")]
    assert max(ours) <= 10 and max(theirs) <= 10
    assert stats.mannwhitneyu(ours, theirs, alternative="two-sided").pvalue > ALPHA


@pytest.mark.parametrize("start, stop, delay, first, last", [
    (None, None, 1.0, 1.2, 10.0),
    (5.0, 6.0, 1.0, 6.2, 7.1000000000000005),
    (None, None, 0.1, 0.3, 10.0),
    (None, None, 2.0, 2.2, 10.0),
])
def test_poisson_generator_window_and_first_spike(start, stop, delay, first, last):
    """At 1 MHz every step has ~100 spikes (P(empty step) = e^-100), so the parrot's first and
    last spike times are the ends of the generator's window, shifted by the delay."""
    r = parrot_run(1, rate=1e6, t_sim=10.0, delay=delay, start=start, stop=stop)
    assert (r["min_time"], r["max_time"]) == (first, last)


def test_poisson_parrot_first_spikes_never_before_nest_allows(parrot_quick):
    """Weaker form of the test above that holds for us too: no parrot spike before 1.1 ms (the
    delay is respected) and the train starts right away: P(first k steps empty) = e^-k, so with
    30 runs a first spike later than 2.3 ms (12 empty steps) has probability 2e-4."""
    assert min(r["min_time"] for r in parrot_quick) >= 1.1 - 1e-9
    assert max(r["min_time"] for r in parrot_quick) <= 2.3


# -- the tutorial scenario as NEST ran it ----------------------------------------------------------
def test_tutorial_one_neuron_with_noise():
    """Our run of the tutorial (NEST's default seed 143202461, a different stream) against NEST's
    single run: the multimeter grid exactly; the spike count within 10 (the difference of two
    runs has sd 2.0 * sqrt(2) = 2.8 spikes; 10 is 3.5 sd); mean V_m within 1.5 mV (sd of the
    difference 0.30 * sqrt(2) = 0.42 mV; 1.5 is 3.6 sd). Power: only gross errors (a rate off
    by a factor ~2, a mean V_m off by > 2 mV) are caught reliably by this single run; the
    tests above are the sensitive ones."""
    ref = TUTORIAL["one_neuron_with_noise"]["results"]["recorders"]
    _, ours = build_and_run(NOISE_SPEC)
    mm, ref_mm = ours["multimeter"]["events"], ref["multimeter"]["events"]
    assert np.asarray(mm["times"]).tolist() == ref_mm["times"]
    assert set(np.asarray(mm["senders"]).tolist()) == set(ref_mm["senders"]) == {1}
    assert mm["V_m"][0] == -70.0 == ref_mm["V_m"][0]      # no input has arrived by 1.0 ms
    ours_count = len(ours["spikerecorder"]["events"]["times"])
    ref_count = len(ref["spikerecorder"]["events"]["times"])
    assert abs(ours_count - ref_count) <= 10, (ours_count, ref_count)
    assert abs(np.mean(mm["V_m"]) - np.mean(ref_mm["V_m"])) < 1.5
    assert nest.rng_seed == 143202461


# -- slow: more runs, exact distributions ----------------------------------------------------------
@pytest.mark.slow
def test_noise_neuron_matches_nest_many_runs():
    ours = runs("one_neuron_with_noise", N_SLOW)
    for key in ("spike_count", "V_m_mean", "V_m_std"):
        assert_same_distribution([r[key] for r in ours], nest_values("one_neuron_with_noise", key),
                                 key)


@pytest.mark.slow
def test_poisson_parrot_exact_distributions_many_runs():
    """A run has ~9990 active steps (NEST: 9989, stamps 1.2 .. 1000.0), each with a Poisson(1)
    number of spikes. So the spike count is Poisson(9990) and the distinct-time count
    Binomial(9990, 1 - e^-1), and they are independent across runs. With 300 runs the mean count
    has SE 5.8: a rate error of 0.3 % (30 spikes) is detected with probability > 0.9; the mean
    distinct count has SE 2.8 (0.05 %)."""
    ours = runs("poisson_parrot", N_SLOW)
    count = np.array([r["spike_count"] for r in ours], dtype=float)
    distinct = np.array([r["n_distinct_times"] for r in ours], dtype=float)
    n_steps, p = 9990, 1.0 - math.exp(-1.0)
    z = stats.norm.isf(ALPHA / 2)
    assert abs(count.mean() - n_steps) < z * math.sqrt(n_steps / N_SLOW) + 1
    assert abs(distinct.mean() - n_steps * p) < z * math.sqrt(n_steps * p * (1 - p) / N_SLOW) + 1
    # dispersion: the variances must be the Poisson / binomial ones (chi-squared on N - 1 df)
    for values, var in ((count, n_steps), (distinct, n_steps * p * (1 - p))):
        chi2 = (N_SLOW - 1) * values.var(ddof=1) / var
        assert stats.chi2.sf(chi2, N_SLOW - 1) > ALPHA / 2
        assert stats.chi2.cdf(chi2, N_SLOW - 1) > ALPHA / 2
    for key in ("spike_count", "n_distinct_times"):
        assert_same_distribution([r[key] for r in ours], nest_values("poisson_parrot", key), key)
