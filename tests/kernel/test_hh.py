"""hh_psc_alpha and hh_cond_exp_traub: rest state, spike detection, refractoriness, failures.

The traces against NEST (bit for bit today) are in tests/nest_compat/test_neuron_reference.py.
"""
import numpy as np
import pytest

import nest
from kernel.neurons.hh import squid_steady_state, traub_steady_state


def test_default_gating_is_the_steady_state():
    d = nest.GetDefaults("hh_psc_alpha")
    assert (d["Act_m"], d["Inact_h"], d["Act_n"]) == squid_steady_state(d["V_m"])
    d = nest.GetDefaults("hh_cond_exp_traub")
    # NEST evaluates the Traub rates at V_m itself (not V_m - V_T) for its defaults
    assert (d["Act_m"], d["Inact_h"], d["Act_n"]) == traub_steady_state(d["V_m"])


def _run(model, params, t=100.0):
    n = nest.Create(model, params=params)
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    mm = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(t)
    return sr.events["times"], mm.events["times"], mm.events["V_m"]


@pytest.mark.parametrize("model, params, theta", [
    ("hh_psc_alpha", {"I_e": 1000.0}, 0.0),
    ("hh_cond_exp_traub", {"I_e": 600.0}, -63.0 + 30.0),
])
def test_spikes_are_detected_after_the_peak(model, params, theta):
    spikes, t, v = _run(model, params)
    assert len(spikes) >= 3
    # a step ends a detection window when V is above the threshold and falling
    falling = np.flatnonzero((v[1:] >= theta) & (v[1:] < v[:-1])) + 1
    first_of_each = falling[np.insert(np.diff(falling) > 1, 0, True)]
    np.testing.assert_allclose(spikes[:len(first_of_each)], t[first_of_each][:len(spikes)],
                               atol=1e-9)
    # there is no reset: V at the spike is still near the peak
    assert np.all(v[np.isin(np.round(t, 6), np.round(spikes, 6))] >= theta)


def test_t_ref_only_blocks_detection():
    free, _, v_free = _run("hh_psc_alpha", {"I_e": 1000.0, "t_ref": 2.0})
    nest.ResetKernel()
    blocked, _, v_blocked = _run("hh_psc_alpha", {"I_e": 1000.0, "t_ref": 25.0})
    assert len(blocked) < len(free)
    np.testing.assert_array_equal(v_free, v_blocked)      # the dynamics are the same


def test_synaptic_currents_and_conductances():
    n = nest.Create("hh_psc_alpha")
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"weight": 100.0})
    nest.Connect(sg, n, syn_spec={"weight": -50.0})
    mm = nest.Create("multimeter", params={"record_from": ["I_syn_ex", "I_syn_in"],
                                           "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(10.0)
    assert mm.events["I_syn_ex"].max() == pytest.approx(100.0, abs=0.5)     # peak at tau
    assert mm.events["I_syn_in"].min() == pytest.approx(-50.0, abs=0.5)
    m = nest.Create("hh_cond_exp_traub")
    sg2 = nest.Create("spike_generator", params={"spike_times": [11.0]})
    nest.Connect(sg2, m, syn_spec={"weight": -4.0})
    mm2 = nest.Create("multimeter", params={"record_from": ["g_in", "g_ex"], "interval": 0.1})
    nest.Connect(mm2, m, syn_spec={"delay": 0.1})
    nest.Simulate(10.0)
    assert mm2.events["g_in"].max() == 4.0                 # jumps by |weight| on arrival
    assert np.all(mm2.events["g_ex"] == 0.0)


def test_checks():
    n = nest.Create("hh_psc_alpha")
    for key in ("g_Na", "g_K", "g_L", "Act_m", "Inact_h", "Act_n"):
        with pytest.raises(nest.NESTErrors.BadProperty, match=key):
            n.set({key: -1.0})
    m = nest.Create("hh_cond_exp_traub")
    m.set(g_Na=-1.0)                        # NEST does not check these conductances
    for key in ("C_m", "tau_syn_ex", "tau_syn_in"):
        with pytest.raises(nest.NESTErrors.BadProperty, match=key):
            m.set({key: 0.0})


def test_non_finite_state_is_a_solver_failure():
    """NEST carries on with NaN here; we stop with GSLSolverFailure and say which node failed.

    As after any error during an update, only ResetKernel makes the kernel simulate again.
    """
    n = nest.Create("hh_psc_alpha", params={"I_e": 1e308})
    with pytest.raises(nest.NESTErrors.GSLSolverFailure, match="hh_psc_alpha node 1.*infinite or NaN"):
        nest.Simulate(1.0)
    n.I_e = 0.0
    with pytest.raises(nest.NESTErrors.KernelException, match="ResetKernel"):
        nest.Simulate(1.0)
    nest.ResetKernel()
    n = nest.Create("hh_psc_alpha")
    nest.Simulate(1.0)
    assert np.isfinite(n.V_m)


@pytest.mark.parametrize("model, v_singular", [
    ("hh_psc_alpha", -40.0), ("hh_psc_alpha", -55.0),
    ("hh_cond_exp_traub", -37.0), ("hh_cond_exp_traub", -35.0), ("hh_cond_exp_traub", -10.0)])
def test_rates_at_their_singular_points(model, v_singular):
    """A rate x / (1 - exp(-x/s)) takes its limit at x = 0 (NEST's gives NaN for the rest of
    the run); the state stays finite and continuous in V_m."""
    nest.ResetKernel()
    n = nest.Create(model, 2, params={"V_m": [v_singular, v_singular + 1e-9]})
    nest.Simulate(0.1)
    at, near = np.array([n.get(k) for k in ("V_m", "Act_m", "Act_n", "Inact_h")]).T
    assert np.all(np.isfinite(at))
    np.testing.assert_allclose(at, near, rtol=0, atol=1e-7)
