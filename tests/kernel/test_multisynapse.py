"""iaf_psc_alpha_multisynapse and iaf_psc_exp_multisynapse: closed forms and port handling.

The traces against NEST are in tests/nest_compat/test_neuron_reference.py; here the PSCs and
PSPs are checked against their analytic shapes (including tau_syn == tau_m for the alpha
model), and the per-node receptor ports (numbering, layout, resizing, has_connections).
"""
import numpy as np
import pytest
from scipy.integrate import quad

import nest
from kernel.neurons.multisynapse import multisynapse_recordables

C_M, TAU_M = 250.0, 10.0


def _psc(model, t, tau, w):
    """The current of one spike, t ms after its arrival (an exp current has jumped already at
    t = 0, an alpha current starts from 0)."""
    t = np.asarray(t, dtype=float)
    out = np.zeros_like(t)
    if "alpha" in model:
        pos = t > 1e-9
        out[pos] = w * t[pos] / tau * np.exp(1.0 - t[pos] / tau)
    else:
        pos = t > -1e-9
        out[pos] = w * np.exp(-np.maximum(t[pos], 0.0) / tau)
    return out


def _psp(model, t, tau, w):
    """V - E_L for that current, integrated numerically (valid at tau == tau_m too)."""
    def integrand(s, t_):
        return _psc(model, [s], tau, w)[0] * np.exp(-(t_ - s) / TAU_M) / C_M
    return np.array([quad(integrand, 0.0, tt, args=(tt,), epsabs=1e-13, epsrel=1e-12,
                          limit=200)[0] if tt > 1e-9 else 0.0 for tt in t])


@pytest.mark.parametrize("model", ["iaf_psc_alpha_multisynapse", "iaf_psc_exp_multisynapse"])
def test_psc_and_psp_of_each_port(model):
    taus = [2.0, 10.0 if "alpha" in model else 7.0, 0.5]     # 10.0 == tau_m (alpha only)
    weights = [30.0, -50.0, 20.0]
    delays = [1.0, 2.0, 3.5]
    n = nest.Create(model, params={"tau_syn": taus, "V_th": 1e9, "E_L": 0.0, "V_m": 0.0,
                                   "V_reset": -10.0, "C_m": C_M, "tau_m": TAU_M})
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    for k in range(3):
        nest.Connect(sg, n, syn_spec={"receptor_type": k + 1, "weight": weights[k],
                                      "delay": delays[k]})
    mm = nest.Create("multimeter", params={"record_from": ["I_syn", "I_syn_1", "I_syn_2",
                                                           "I_syn_3", "V_m"], "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(15.0)
    ev = mm.events
    t = ev["times"]
    total_i, total_v = np.zeros_like(t), np.zeros_like(t)
    for k in range(3):
        since = t - (1.0 + delays[k])            # time since the spike arrived
        i_k = _psc(model, since, taus[k], weights[k])
        np.testing.assert_allclose(ev[f"I_syn_{k + 1}"], i_k, rtol=1e-12, atol=1e-12)
        total_i += i_k
        total_v += _psp(model, since, taus[k], weights[k])
    np.testing.assert_allclose(ev["I_syn"], total_i, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ev["V_m"], total_v, rtol=0, atol=1e-9)


def test_exp_psp_closed_form():
    """V of iaf_psc_exp_multisynapse: the current of the step ending at arrival acts from the
    next step on, V = w/(C (1/tau_s - 1/tau_m)) (e^{-t/tau_m} - e^{-t/tau_s})."""
    tau, w = 3.0, 100.0
    n = nest.Create("iaf_psc_exp_multisynapse", params={
        "tau_syn": [tau], "V_th": 1e9, "E_L": 0.0, "V_m": 0.0, "V_reset": -1.0})
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"receptor_type": 1, "weight": w, "delay": 1.0})
    mm = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(20.0)
    t = mm.events["times"] - 2.0
    expected = np.where(t > 0, w / (C_M * (1 / tau - 1 / TAU_M)) *
                        (np.exp(-t / TAU_M) - np.exp(-t / tau)), 0.0)
    np.testing.assert_allclose(mm.events["V_m"], expected, atol=1e-10)


def test_recordables_follow_the_ports():
    n = nest.Create("iaf_psc_exp_multisynapse", params={"tau_syn": [1.0] * 12})
    assert n.recordables == list(multisynapse_recordables(12))
    assert n.recordables[:4] == ["I_syn", "I_syn_1", "I_syn_10", "I_syn_11"]
    assert n.n_synapses == 12
    n.set(tau_syn=[])
    assert n.recordables == ["I_syn", "V_m"] and n.n_synapses == 0
    assert nest.GetDefaults("iaf_psc_exp_multisynapse")["recordables"] == \
        ["I_syn", "I_syn_1", "V_m"]


@pytest.mark.parametrize("model", ["iaf_psc_alpha_multisynapse", "iaf_psc_exp_multisynapse"])
def test_receptor_numbering(model):
    n = nest.Create(model, params={"tau_syn": [1.0, 2.0]})
    sg = nest.Create("spike_generator")
    with pytest.raises(nest.NESTError):
        nest.Connect(sg, n)                               # port 0 takes no spikes
    with pytest.raises(nest.NESTError):
        nest.Connect(sg, n, syn_spec={"receptor_type": 3})
    dc = nest.Create("dc_generator")
    nest.Connect(dc, n)                                   # currents on port 0
    with pytest.raises(nest.NESTError):
        nest.Connect(dc, n, syn_spec={"receptor_type": 1})
    assert n.has_connections is False                     # a current connection does not count
    nest.Connect(sg, n, syn_spec={"receptor_type": 2})
    assert n.has_connections is True
    n.set(tau_syn=[3.0, 4.0])                             # same number of ports: fine
    with pytest.raises(nest.NESTErrors.BadProperty, match="tau_syn"):
        n.set(tau_syn=[3.0, 4.0, 5.0])
    for key in ("n_synapses", "has_connections"):
        with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry):
            n.set({key: 1 if key == "n_synapses" else True})


def test_spikes_reach_only_their_port_and_weights_keep_their_sign():
    n = nest.Create("iaf_psc_exp_multisynapse",
                    params={"tau_syn": [1.0, 2.0, 3.0], "V_th": 1e9})
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"receptor_type": 2, "weight": -40.0})
    mm = nest.Create("multimeter", params={"record_from": ["I_syn_1", "I_syn_2", "I_syn_3"],
                                           "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(5.0)
    ev = mm.events
    assert np.all(ev["I_syn_1"] == 0) and np.all(ev["I_syn_3"] == 0)
    assert ev["I_syn_2"].min() == -40.0


def test_changing_ports_keeps_the_currents_of_the_remaining_ports():
    n = nest.Create("iaf_psc_exp_multisynapse", params={"tau_syn": [5.0, 5.0], "V_th": 1e9})
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"receptor_type": 1, "weight": 100.0})
    nest.Simulate(3.0)
    nest.Disconnect(sg, n)
    n.set(tau_syn=[5.0])
    mm = nest.Create("multimeter", params={"record_from": ["I_syn_1"], "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(2.0)
    # the current decays on from its value at 3.0 ms (arrival at 2.0 ms)
    np.testing.assert_allclose(mm.events["I_syn_1"][0], 100.0 * np.exp(-1.1 / 5.0), rtol=1e-12)


def test_nodes_with_different_port_counts_in_one_block():
    """Neuropil keeps ports per block: every node reports the recordables of the largest
    node, spikes for a port a node does not have are dropped (NEST refuses the connection)."""
    n = nest.Create("iaf_psc_exp_multisynapse", 2,
                    params=[{"tau_syn": [2.0]}, {"tau_syn": [2.0, 3.0, 4.0]}])
    assert n.n_synapses == (1, 3)
    assert n[0].recordables == ["I_syn", "I_syn_1", "I_syn_2", "I_syn_3", "V_m"]
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(sg, n, syn_spec={"receptor_type": 3, "weight": 100.0})
    mm = nest.Create("multimeter", params={"record_from": ["I_syn", "I_syn_3"],
                                           "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(4.0)
    ev = mm.events
    first = ev["senders"] == n[0].global_id
    assert np.all(ev["I_syn"][first] == 0) and np.all(ev["I_syn_3"][first] == 0)
    assert ev["I_syn_3"][~first].max() == 100.0


@pytest.mark.parametrize("model", ["iaf_psc_alpha_multisynapse", "iaf_psc_exp_multisynapse"])
def test_E_L_change_keeps_absolute_potentials(model):
    n = nest.Create(model, params={"V_m": -65.0})
    n.set(E_L=-60.0)
    assert (n.V_m, n.V_th, n.V_reset) == (-65.0, -55.0, -70.0)
    n.set(E_L=-50.0, V_m=-52.0)
    assert n.V_m == -52.0


def test_exp_refuses_tau_m_equal_to_a_tau_syn():
    n = nest.Create("iaf_psc_exp_multisynapse", params={"tau_syn": [2.0, 5.0]})
    with pytest.raises(nest.NESTErrors.BadProperty, match="differ"):
        n.set(tau_m=5.0)
    with pytest.raises(nest.NESTErrors.BadProperty, match="differ"):
        n.set(tau_syn=[10.0])
    alpha = nest.Create("iaf_psc_alpha_multisynapse")
    alpha.set(tau_syn=[10.0])                              # the alpha propagators are stable


def test_refractory_and_reset():
    n = nest.Create("iaf_psc_alpha_multisynapse", params={"I_e": 1000.0, "t_ref": 2.0})
    sr = nest.Create("spike_recorder")
    mm = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
    nest.Connect(n, sr)
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(20.0)
    spike = sr.events["times"][0]
    t, v = mm.events["times"], mm.events["V_m"]
    held = (t >= spike - 1e-9) & (t <= spike + 2.0 + 1e-9)
    assert np.all(v[held] == -70.0) and held.sum() == 21
