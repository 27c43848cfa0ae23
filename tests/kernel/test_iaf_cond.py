"""iaf_cond_alpha, _beta, _exp, _exp_sfa_rr and _alpha_mc: solver accuracy and semantics.

The traces against NEST (bit for bit today) are in tests/nest_compat/test_neuron_reference.py;
here: accuracy against a high-precision solution, the beta normalisation, refractoriness, the
excitatory/inhibitory split, the compartment dictionaries and receptors of iaf_cond_alpha_mc,
and solver failures.
"""
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import nest
from kernel.neurons.iaf_cond import beta_normalisation


@pytest.mark.parametrize("rise, decay", [(0.2, 2.0), (1.0, 6.0), (3.0, 0.5), (2.0, 2.0)])
def test_beta_normalisation_gives_unit_peak(rise, decay):
    a = float(beta_normalisation(rise, decay)[0])
    t = np.linspace(0, 40, 400001)
    if rise == decay:
        g = a * t * np.exp(-t / decay)
        assert a == pytest.approx(np.e / decay)
    else:
        g = a * (np.exp(-t / decay) - np.exp(-t / rise)) / (1 / rise - 1 / decay)
    assert g.max() == pytest.approx(1.0, abs=1e-9)


def _reference_alpha_trace(w, t_end, tau=0.2, arrival=2.0, C=250.0, gL=16.6667, EL=-70.0,
                           Eex=0.0):
    """High-precision V of iaf_cond_alpha after one excitatory spike arriving at ``arrival``."""
    def f(t, y):
        V, dg, g = y
        return [(-gL * (V - EL) - g * (V - Eex)) / C, -dg / tau, dg - g / tau]
    sol = solve_ivp(f, (arrival, t_end), [EL, w * np.e / tau, 0.0], rtol=1e-12, atol=1e-12,
                    dense_output=True, method="DOP853")
    return sol.sol


@pytest.mark.parametrize("model", ["iaf_cond_alpha", "iaf_cond_beta"])
def test_subthreshold_psp_matches_high_precision_solution(model):
    n = nest.Create(model)
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"weight": 10.0, "delay": 1.0})
    mm = nest.Create("multimeter", params={"record_from": ["V_m", "g_ex"], "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(30.0)
    t = mm.events["times"]
    sol = _reference_alpha_trace(10.0, 30.0)
    after = t >= 2.0
    ref = sol(t[after])
    # NEST's error control (absolute 1e-3 per internal step) bounds the error well below this
    np.testing.assert_allclose(mm.events["V_m"][after], ref[0], atol=2e-3)
    np.testing.assert_allclose(mm.events["g_ex"][after], ref[2], atol=2e-3)
    assert np.all(mm.events["V_m"][~after] == -70.0)


def test_refractory_clamp_and_t_ref_remaining():
    n = nest.Create("iaf_cond_alpha", params={"I_e": 600.0, "t_ref": 3.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    mm = nest.Create("multimeter", params={"record_from": ["V_m", "t_ref_remaining"],
                                           "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(40.0)
    spike = sr.events["times"][0]
    t, v, r = mm.events["times"], mm.events["V_m"], mm.events["t_ref_remaining"]
    k = int(np.argmin(np.abs(t - spike)))
    assert r[k] == pytest.approx(3.0)
    held = slice(k, k + 31)             # t_sp ... t_sp + t_ref
    assert np.all(v[held] == -60.0)
    assert v[k + 31] > -60.0 and r[k + 30] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(r[k:k + 31], 3.0 - 0.1 * np.arange(31), atol=1e-12)


@pytest.mark.parametrize("model", ["iaf_cond_exp", "iaf_cond_exp_sfa_rr"])
def test_negative_weights_open_the_inhibitory_conductance(model):
    n = nest.Create(model)
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"weight": -7.5, "delay": 1.0})
    mm = nest.Create("multimeter", params={"record_from": ["g_ex", "g_in", "V_m"],
                                           "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(5.0)
    ev = mm.events
    assert np.all(ev["g_ex"] == 0.0)
    assert ev["g_in"][ev["times"] == 2.0][0] == 7.5
    assert ev["V_m"][-1] < -70.0


@pytest.mark.parametrize("model", ["iaf_cond_alpha", "iaf_cond_exp", "iaf_cond_beta",
                                   "iaf_cond_exp_sfa_rr"])
def test_reversal_at_rest_leaves_v_unchanged(model):
    n = nest.Create(model)
    n.set(E_ex=n.E_L)
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"weight": 5.0})
    nest.Simulate(10.0)
    assert n.V_m == n.E_L


def test_sfa_rr_conductances_jump_at_spikes():
    n = nest.Create("iaf_cond_exp_sfa_rr", params={"I_e": 1000.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    mm = nest.Create("multimeter", params={"record_from": ["g_sfa", "g_rr"], "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(30.0)
    first = sr.events["times"][0]
    at = mm.events["times"] == first
    assert mm.events["g_sfa"][at][0] == pytest.approx(14.48)
    assert mm.events["g_rr"][at][0] == pytest.approx(3214.0)


# -- iaf_cond_alpha_mc ---------------------------------------------------------------------------
def test_mc_receptors_reach_their_compartment():
    n = nest.Create("iaf_cond_alpha_mc")
    rt = n.receptor_types
    assert rt == nest.GetDefaults("iaf_cond_alpha_mc")["receptor_types"]
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"receptor_type": rt["proximal_exc"], "weight": 5.0})
    nest.Connect(sg, n, syn_spec={"receptor_type": rt["distal_inh"], "weight": 3.0})
    dc = nest.Create("dc_generator", params={"amplitude": 100.0})
    nest.Connect(dc, n, syn_spec={"receptor_type": rt["soma_curr"]})
    mm = nest.Create("multimeter", params={"record_from": list(n.recordables), "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(10.0)
    ev = mm.events
    for name in ("g_ex.s", "g_ex.d", "g_in.s", "g_in.p"):
        assert np.all(ev[name] == 0.0), name
    assert ev["g_ex.p"].max() == pytest.approx(5.0, abs=0.05)
    assert ev["g_in.d"].max() == pytest.approx(3.0, abs=0.05)
    assert ev["V_m.s"][-1] > -70.0          # the somatic current depolarises the soma
    with pytest.raises(nest.NESTError):
        nest.Connect(sg, n, syn_spec={"receptor_type": rt["soma_curr"]})
    with pytest.raises(nest.NESTError):
        nest.Connect(dc, n, syn_spec={"receptor_type": rt["soma_exc"]})
    with pytest.raises(nest.NESTErrors.UnknownReceptorType):
        nest.Connect(sg, n, syn_spec={"receptor_type": 10})


def test_mc_compartment_dicts():
    n = nest.Create("iaf_cond_alpha_mc", 2, params={"soma": {"C_m": 120.0}})
    assert n[0].soma["C_m"] == 120.0 and n[0].soma["g_L"] == 10.0
    n[1].set(distal={"V_m": -65.0, "foo": 1.0})           # unknown keys are ignored (NEST)
    assert n.get("distal")[1]["V_m"] == -65.0 and n.get("distal")[0]["V_m"] == -70.0
    with pytest.raises(nest.NESTErrors.BadProperty, match="C_m"):
        n.set(proximal={"C_m": 0.0})
    with pytest.raises(nest.NESTErrors.BadProperty, match="tau_syn_in"):
        n.set(soma={"tau_syn_in": -1.0})
    with pytest.raises(nest.NESTErrors.TypeMismatch):
        n.set(soma=1.0)
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry):
        n.set(C_m=100.0)
    with pytest.raises(KeyError):
        n.get("V_m")
    nest.SetDefaults("iaf_cond_alpha_mc", {"proximal": {"g_L": 7.0}})
    d = nest.GetDefaults("iaf_cond_alpha_mc")["proximal"]
    assert d["g_L"] == 7.0 and d["C_m"] == 75.0
    assert nest.Create("iaf_cond_alpha_mc").proximal == d


@pytest.mark.parametrize("model, params", [
    ("iaf_cond_exp", {"I_e": 1e308}),
    ("iaf_cond_alpha_mc", {"soma": {"I_e": 1e308}}),
])
def test_solver_failure_is_an_error_not_a_hang(model, params):
    """NEST loops forever here (the step size shrinks without end); we stop with an error."""
    n = nest.Create(model, params=params)
    with pytest.raises(nest.NESTError, match=f"{model} node {n.global_id}"):
        nest.Simulate(1.0)


def _fail_later(threads):
    """iaf_cond_exp nodes; node 7 (in the second thread's part) gets an infinite input at
    about 4 ms; returns the error and the biological time after it."""
    nest.ResetKernel()
    nest.local_num_threads = threads
    n = nest.Create("iaf_cond_exp", 10)
    nest.Connect(nest.Create("poisson_generator", params={"rate": 5000.0}), n)
    nest.Connect(nest.Create("poisson_generator", params={"rate": 5000.0, "start": 4.0}), n[7],
                 syn_spec={"weight": 1e308})
    with pytest.raises(nest.NESTErrors.GSLSolverFailure) as error:
        nest.Simulate(20.0)
    with pytest.raises(nest.NESTErrors.KernelException, match="ResetKernel"):
        nest.Simulate(1.0)
    return str(error.value), nest.biological_time, n[7].global_id


@pytest.mark.parametrize("threads", [1, 2])
def test_solver_failure_in_a_threads_part_as_on_the_general_path(threads, monkeypatch):
    """A node that fails in the second thread's part (slice engine, many slices an update):
    the error names it, time stands at the start of the slice it failed in, as on the
    general path (one slice an update), and the block cannot be simulated again before
    ResetKernel."""
    from kernel.parallel.slices import SlicePlan
    message, time, node = _fail_later(threads)
    assert f"iaf_cond_exp node {node}: the ODE solver failed" in message
    assert 4.0 <= time < 6.0
    monkeypatch.setattr(SlicePlan, "build", classmethod(lambda cls, kernel: None))
    assert _fail_later(threads) == (message, time, node)
