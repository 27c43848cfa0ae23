"""Behaviour of the aeif_* models that the reference traces do not pin down on their own.

Receptor ports and per-node arrays of the multisynapse models (NEST 3.10 facts observed with
tests/data/generate_reference_aeif.py and recorded in ref_aeif_traces.json where they are
data), the beta-function normalisation, parameters per node, CopyModel, and that the solver
state (internal step size) survives Simulate calls. Trace-level agreement with NEST is in
tests/nest_compat/test_aeif_reference.py.
"""
import numpy as np
import pytest

import nest
from kernel.neurons.aeif import beta_normalization

MULTI = ["aeif_cond_alpha_multisynapse", "aeif_cond_beta_multisynapse"]
ALL = ["aeif_cond_alpha", "aeif_cond_exp", "aeif_psc_alpha", "aeif_psc_exp", "aeif_psc_delta"] \
    + MULTI


def receptor_params(model, n):
    if model.endswith("beta_multisynapse"):
        return {"E_rev": [0.0] * n, "tau_rise": [1.0] * n, "tau_decay": [5.0] * n}
    return {"E_rev": [0.0] * n, "tau_syn": [2.0] * n}


@pytest.mark.parametrize("tau_rise, tau_decay", [(0.2, 2.0), (1.0, 6.0), (2.0, 10.0),
                                                 (3.0, 3.0), (0.5, 0.5001)])
def test_beta_normalization_gives_unit_peak(tau_rise, tau_decay):
    g0 = beta_normalization(np.array([tau_rise]), np.array([tau_decay]))[0]
    t = np.linspace(0, 10 * tau_decay, 200001)
    if tau_rise == tau_decay:
        g = g0 * t * np.exp(-t / tau_decay)
    else:
        g = g0 * tau_rise * tau_decay / (tau_decay - tau_rise) * \
            (np.exp(-t / tau_decay) - np.exp(-t / tau_rise))
    assert abs(g.max() - 1.0) < 1e-8


@pytest.mark.parametrize("model", MULTI)
def test_conductance_peaks_at_weight(model):
    """A spike of weight W on receptor k makes g_k peak at W nS (t_rise / tau_syn after it)."""
    params = {"E_rev": [0.0, -80.0], **({"tau_rise": [0.5, 1.0], "tau_decay": [2.0, 4.0]}
                                        if "beta" in model else {"tau_syn": [0.5, 1.0]})}
    nest.resolution = 0.01
    n = nest.Create(model, params=params)
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"weight": 7.0, "receptor_type": 2})
    mm = nest.Create("multimeter", params={"interval": 0.01, "record_from": ["g_1", "g_2"]})
    nest.Connect(mm, n)
    nest.Simulate(30.0)
    ev = mm.get("events")
    assert np.all(ev["g_1"] == 0.0)
    assert abs(ev["g_2"].max() - 7.0) < 1e-4


@pytest.mark.parametrize("model", MULTI)
def test_receptors_recordables_and_resizing(model):
    n = nest.Create(model, params=receptor_params(model, 3))
    assert n.get("n_receptors") == 3
    assert n.get("recordables") == ["V_m", "g_1", "g_2", "g_3", "w"]
    assert len(n.get("g")) == 3
    n.set(receptor_params(model, 12))
    rec = n.get("recordables")
    assert rec[:4] == ["V_m", "g_1", "g_10", "g_11"] and rec[-1] == "w" and len(rec) == 14
    n.set(receptor_params(model, 0))
    assert n.get("recordables") == ["V_m", "w"]
    assert n.get("n_receptors") == 0


@pytest.mark.parametrize("model", MULTI)
def test_receptor_numbering_and_connections(model):
    n = nest.Create(model, params=receptor_params(model, 2))
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    assert not n.get("has_connections")
    for bad in (0, 3):
        with pytest.raises(nest.NESTErrors.KernelException):
            nest.Connect(sg, n, syn_spec={"receptor_type": bad})
    nest.Connect(sg, n, syn_spec={"receptor_type": 2})
    assert n.get("has_connections")
    with pytest.raises(nest.NESTErrors.BadProperty, match="cannot be reduced"):
        n.set(receptor_params(model, 1))
    n.set(receptor_params(model, 4))                 # growing is fine
    assert n.get("n_receptors") == 4
    # currents go to receptor 0 only
    dc = nest.Create("dc_generator")
    nest.Connect(dc, n)
    with pytest.raises(nest.NESTErrors.UnknownReceptorType):
        nest.Connect(dc, n, syn_spec={"receptor_type": 1})


def test_multimeter_connection_does_not_count_as_input():
    n = nest.Create("aeif_cond_alpha_multisynapse")
    mm = nest.Create("multimeter", params={"record_from": ["g_1"]})
    nest.Connect(mm, n)
    dc = nest.Create("dc_generator")
    nest.Connect(dc, n)
    assert not n.get("has_connections")


@pytest.mark.parametrize("model", MULTI)
def test_negative_weight_is_rejected_when_it_arrives(model):
    n = nest.Create(model)
    sg = nest.Create("spike_generator", params={"spike_times": [5.0]})
    nest.Connect(sg, n, syn_spec={"weight": -1.0, "receptor_type": 1})   # accepted here
    nest.Simulate(5.0)                                                  # not yet arrived
    with pytest.raises(nest.NESTErrors.BadProperty, match="must be positive"):
        nest.Simulate(5.0)


@pytest.mark.parametrize("model", MULTI)
def test_set_defaults_changes_ports_of_new_nodes(model):
    nest.SetDefaults(model, receptor_params(model, 2))
    assert nest.GetDefaults(model, "n_receptors") == 2
    assert nest.GetDefaults(model, "recordables") == ["V_m", "g_1", "g_2", "w"]
    n = nest.Create(model)
    assert n.get("n_receptors") == 2
    nest.ResetKernel()
    assert nest.GetDefaults(model, "n_receptors") == 1


@pytest.mark.parametrize("model", ALL)
def test_per_node_parameters_match_separate_nodes(model):
    """Nodes of one block with different parameters behave like nodes made one by one."""
    params = [{"I_e": 800.0}, {"I_e": 1000.0, "t_ref": 1.0, "b": 20.0},
              {"I_e": 900.0, "Delta_T": 0.0, "a": 1.0}]

    def spikes(split):
        nest.ResetKernel()
        if split:
            nodes = [nest.Create(model, params=p) for p in params]
        else:
            block = nest.Create(model, 3, params=params)
            nodes = [block[i] for i in range(3)]
        sr = nest.Create("spike_recorder")
        for n in nodes:
            nest.Connect(n, sr)
        nest.Simulate(150.0)
        ev = sr.get("events")
        return [np.sort(ev["times"][ev["senders"] == n.global_id]) for n in nodes]

    for a, b in zip(spikes(False), spikes(True)):
        np.testing.assert_array_equal(a, b)
        assert a.size > 2


@pytest.mark.parametrize("model", ALL)
def test_split_simulate_equals_one_run(model):
    """The internal step size is carried over between Simulate calls, as in NEST."""
    def trace(splits):
        nest.ResetKernel()
        n = nest.Create(model, params={"I_e": 700.0})
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m", "w"]})
        nest.Connect(mm, n)
        for t in splits:
            nest.Simulate(t)
        return mm.get("events")["V_m"]

    one, split = trace([100.0]), trace([33.3, 16.7, 50.0])
    np.testing.assert_array_equal(one[:split.size], split)


def test_copy_model_keeps_model_behaviour():
    nest.CopyModel("aeif_cond_beta_multisynapse", "my_adex",
                   {"E_rev": [0.0, -85.0], "tau_rise": [0.5, 1.0], "tau_decay": [3.0, 8.0]})
    a = nest.Create("my_adex", params={"I_e": 700.0})
    b = nest.Create("aeif_cond_beta_multisynapse",
                    params={"E_rev": [0.0, -85.0], "tau_rise": [0.5, 1.0],
                            "tau_decay": [3.0, 8.0], "I_e": 700.0})
    assert a.get("recordables") == ["V_m", "g_1", "g_2", "w"]
    sr = nest.Create("spike_recorder")
    nest.Connect(a + b, sr)
    nest.Simulate(100.0)
    ev = sr.get("events")
    np.testing.assert_array_equal(ev["times"][ev["senders"] == a.global_id],
                                  ev["times"][ev["senders"] == b.global_id])


def test_iaf_limit_threshold_is_v_th():
    """Delta_T == 0: the spike happens when V_m reaches V_th; V_peak does not matter."""
    out = []
    for v_peak in (0.0, 30.0):
        nest.ResetKernel()
        n = nest.Create("aeif_cond_exp", params={"Delta_T": 0.0, "I_e": 700.0, "V_peak": v_peak,
                                                 "a": 0.0, "b": 0.0})
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
        sr = nest.Create("spike_recorder")
        nest.Connect(mm, n)
        nest.Connect(n, sr)
        nest.Simulate(50.0)
        assert mm.get("events")["V_m"].max() < n.get("V_th")
        out.append(sr.get("events")["times"])
    np.testing.assert_array_equal(out[0], out[1])
    assert out[0].size > 1


def test_refractory_clamp_and_duration():
    """V_m shows V_reset in the spike step and t_ref / h steps after it; w keeps evolving."""
    n = nest.Create("aeif_psc_exp", params={"I_e": 1000.0, "t_ref": 2.0})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m", "w"]})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm, n)
    nest.Connect(n, sr)
    nest.Simulate(60.0)
    t_sp = sr.get("events")["times"][0]
    ev = mm.get("events")
    k = int(round(t_sp / 0.1)) - 1
    assert np.all(ev["V_m"][k:k + 21] == n.get("V_reset"))
    assert ev["V_m"][k + 21] != n.get("V_reset")
    assert np.all(np.diff(ev["w"][k + 1:k + 21]) != 0.0)
