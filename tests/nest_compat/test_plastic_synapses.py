"""Plastic synapse models through the NEST face: defaults, common parameters, checks, legal
ends, SynapseCollection access to plastic state, weight recorder, volume transmitter and
the per-node tau_minus. Facts from NEST 3.10 are in tests/data/ref_plasticity.json
("facts", made by tests/data/generate_reference_plasticity.py).
"""
import numpy as np
import pytest

import nest
from refdata import load_reference

FACTS = load_reference("ref_plasticity.json")["facts"]
MODELS = sorted(FACTS["models"])
BASE_MODELS = sorted(m for m in MODELS if not m.endswith(("_hpc", "_lbl")))
IGNORED = ("synapse_modelid", "sizeof", "num_connections")


def _network():
    vt = nest.Create("volume_transmitter")
    for variant in ("", "_hpc", "_lbl"):
        nest.SetDefaults("stdp_dopamine_synapse" + variant, {"volume_transmitter": vt})
    return nest.Create("iaf_psc_alpha", 2)


def _plain_defaults(model):
    out = {}
    for key, value in nest.GetDefaults(model).items():
        if key in IGNORED:
            continue
        if isinstance(value, nest.NodeCollection):
            value = "empty" if len(value) == 0 else "set"
        elif isinstance(value, np.ndarray):
            value = value.tolist()             # the look-up tables of facetshw
        out[key] = value
    return out


@pytest.mark.parametrize("model", MODELS)
def test_defaults_equal_nest(model):
    _network()
    assert _plain_defaults(model) == FACTS["models"][model]["defaults"]


@pytest.mark.parametrize("model", MODELS)
def test_connection_keys_equal_nest(model):
    n = _network()
    nest.Connect(n[0], n[1], syn_spec={"synapse_model": model})
    keys = set(nest.GetConnections(synapse_model=model).get())
    # Neuropil always reports sizeof, and the weight even when it is common to the model
    ignore = {"sizeof", "weight"}
    assert keys - ignore == set(FACTS["models"][model]["connection_keys"]) - ignore


@pytest.mark.parametrize("model", MODELS)
def test_common_parameters_only_via_defaults(model):
    n = _network()
    defaults = nest.GetDefaults(model)
    for key in FACTS["models"][model]["common"]:
        with pytest.raises(nest.NESTErrors.NotImplemented, match=key):
            nest.Connect(n[0], n[1], syn_spec={"synapse_model": model, key: defaults[key]})
    nest.Connect(n[0], n[1], syn_spec={"synapse_model": model})
    conn = nest.GetConnections(synapse_model=model)
    for key in FACTS["models"][model]["common"]:
        with pytest.raises(nest.NESTError):
            conn.set({key: defaults[key]})
    nest.SetDefaults(model, {key: defaults[key] for key in FACTS["models"][model]["common"]})


def _outcome(f):
    try:
        f()
        return None
    except nest.NESTError as error:
        return type(error).__name__


# NEST raises a plain RuntimeError for a float where an int is expected; we raise TypeMismatch
SAME = {"RuntimeError": "TypeMismatch"}


@pytest.mark.parametrize("case", FACTS["errors"], ids=lambda c: f"{c['model']}-{c['params']}")
def test_checks_as_nest(case):
    model, params = case["model"], case["params"]
    n = _network()
    assert _outcome(lambda: nest.Connect(n[0], n[1], syn_spec={"synapse_model": model, **params})) \
        == SAME.get(case["connect"], case["connect"])
    nest.ResetKernel()
    n = _network()
    nest.Connect(n[0], n[1], syn_spec={"synapse_model": model})
    before = nest.GetConnections().get()
    outcome = _outcome(lambda: nest.GetConnections().set(params))
    assert outcome == SAME.get(case["set"], case["set"])
    if outcome is not None:
        assert nest.GetConnections().get() == before       # all or nothing
    defaults = nest.GetDefaults(model)
    outcome = _outcome(lambda: nest.SetDefaults(model, params))
    assert outcome == SAME.get(case["set_defaults"], case["set_defaults"])
    if outcome is not None:
        assert nest.GetDefaults(model) == defaults


@pytest.mark.parametrize("case", sorted(FACTS["endpoints"]))
def test_legal_sources_and_targets_as_nest(case):
    model, ends = case.split(":")
    src, tgt = ends.split("->")
    _network()
    a, b = nest.Create(src), nest.Create(tgt)
    assert _outcome(lambda: nest.Connect(a, b, syn_spec={"synapse_model": model})) == \
        FACTS["endpoints"][case]


def test_dopamine_synapse_needs_a_volume_transmitter():
    n = nest.Create("iaf_psc_alpha", 2)
    with pytest.raises(nest.NESTErrors.BadProperty, match="volume"):
        nest.Connect(n[0], n[1], syn_spec="stdp_dopamine_synapse")
    with pytest.raises(nest.NESTErrors.BadProperty, match="volume_transmitter"):
        nest.SetDefaults("stdp_dopamine_synapse", {"volume_transmitter": n[0]})
    vt = nest.Create("volume_transmitter", 2)
    with pytest.raises(nest.NESTErrors.BadProperty, match="single"):
        nest.SetDefaults("stdp_dopamine_synapse", {"volume_transmitter": vt})
    with pytest.raises(nest.NESTErrors.NotImplemented):
        nest.Connect(n[0], n[1], syn_spec={"synapse_model": "stdp_dopamine_synapse",
                                           "volume_transmitter": vt[0]})
    nest.SetDefaults("stdp_dopamine_synapse", {"volume_transmitter": vt[1]})
    assert nest.GetDefaults("stdp_dopamine_synapse", "volume_transmitter") == vt[1]
    nest.Connect(n[0], n[1], syn_spec="stdp_dopamine_synapse")
    assert vt[0].get("element_type") == "other"
    assert vt[0].get("deliver_interval") == 1
    with pytest.raises(nest.NESTErrors.IllegalConnection):
        nest.Connect(nest.Create("poisson_generator"), vt[0])
    with pytest.raises(nest.NESTErrors.IllegalConnection):
        nest.Connect(vt[0], n[0])


# -- SynapseCollection access to plastic state ---------------------------------------------------
def _parrots(pre_times, post_times=()):
    sg = nest.Create("spike_generator", params={"spike_times": list(pre_times)})
    sg_post = nest.Create("spike_generator", params={"spike_times": list(post_times)})
    pre, post = nest.Create("parrot_neuron"), nest.Create("parrot_neuron")
    nest.Connect(sg, pre)
    nest.Connect(sg_post, post)
    return pre, post


def test_stdp_state_get_set_and_effect():
    pre, post = _parrots([10.0, 30.0], [15.0])
    nest.Connect(pre, post, syn_spec={"synapse_model": "stdp_synapse", "weight": 50.0,
                                      "Kplus": 0.5, "receptor_type": 1})
    conn = nest.GetConnections(pre, post)
    assert conn.get(["Kplus", "weight", "tau_plus"]) == {"Kplus": 0.5, "weight": 50.0,
                                                         "tau_plus": 20.0}
    assert "_t_last" not in conn.get()
    nest.Simulate(12.5)
    # the spike at 11 ms (parrot) was delivered: Kplus decayed from t=0 and jumped by 1
    assert conn.get("Kplus") == pytest.approx(0.5 * np.exp(-11.0 / 20.0) + 1.0, rel=1e-14)
    conn.set(Kplus=0.0, weight=70.0)
    nest.Simulate(30.0)
    # facilitation by the post spike at 16 ms used Kplus = 0 -> only depression changed w
    w = conn.get("weight")
    k_minus = np.exp(-(31.0 - 1.0 - 16.0) / 20.0)
    assert w == pytest.approx(70.0 - 0.01 * 70.0 * k_minus, rel=1e-13)
    with pytest.raises(nest.NESTErrors.BadProperty):
        conn.set(weight=-1.0)
    with pytest.raises(nest.NESTError):
        conn.set(_t_last=3.0)


def test_short_term_state_get_set():
    pre, post = _parrots([5.0])
    target = nest.Create("iaf_psc_alpha")
    nest.Connect(pre, target, syn_spec={"synapse_model": "tsodyks2_synapse", "x": 0.6, "u": 0.2})
    nest.Connect(pre, target, syn_spec={"synapse_model": "quantal_stp_synapse", "n": 5, "a": 3})
    ts = nest.GetConnections(synapse_model="tsodyks2_synapse")
    q = nest.GetConnections(synapse_model="quantal_stp_synapse")
    assert ts.get(["x", "u"]) == {"x": 0.6, "u": 0.2}
    assert q.get(["n", "a"]) == {"n": 5, "a": 3}
    assert isinstance(q.get("a"), int)
    ts.set(x=0.9, u=0.4)
    q.set(a=5)
    assert ts.get(["x", "u"]) == {"x": 0.9, "u": 0.4}
    assert q.get("a") == 5
    with pytest.raises(nest.NESTErrors.BadProperty):
        ts.set(u=1.5)


def test_multiplicity_counts_as_separate_spikes():
    """NEST delivers each unit of a spike's multiplicity as a spike of its own."""
    sg = nest.Create("spike_generator", params={"spike_times": [2.0], "spike_multiplicities": [3]})
    pre, post = nest.Create("parrot_neuron"), nest.Create("iaf_psc_alpha")
    wr = nest.Create("weight_recorder")
    nest.CopyModel("stdp_synapse", "rec", {"weight_recorder": wr})
    nest.Connect(sg, pre)
    nest.Connect(pre, post, syn_spec={"synapse_model": "rec", "weight": 2.0})
    nest.Simulate(10.0)
    assert nest.GetConnections(pre, post).get("Kplus") == pytest.approx(3.0)
    ev = wr.get("events")
    assert list(ev["times"]) == [3.0, 3.0, 3.0]
    assert list(ev["senders"]) == [pre.global_id] * 3


# -- weight recorder ------------------------------------------------------------------------------
def test_weight_recorder_events_and_window():
    sg = nest.Create("spike_generator", params={"spike_times": [2.0, 5.0, 9.3]})
    pre = nest.Create("parrot_neuron", 2)
    post = nest.Create("iaf_psc_alpha", 2)
    wr = nest.Create("weight_recorder", params={"start": 3.0, "stop": 8.0})
    assert {k: len(v) for k, v in wr.get("events").items()} == {"senders": 0, "times": 0}
    nest.CopyModel("static_synapse", "rec", {"weight_recorder": wr})
    assert nest.GetDefaults("rec", "weight_recorder") == wr
    assert len(nest.GetDefaults("static_synapse", "weight_recorder")) == 0
    nest.Connect(sg, pre)
    nest.Connect(pre, post, syn_spec={"synapse_model": "rec", "weight": 2.5, "delay": 2.0})
    nest.Simulate(20.0)
    ev = wr.get("events")
    assert sorted(ev) == ["ports", "receptors", "senders", "targets", "times", "weights"]
    assert ev["senders"].dtype == np.int64 and ev["times"].dtype == np.float64
    # window (3, 8]: the spikes stamped 6.0 only (3.0 is excluded, 10.3 is after stop)
    assert list(ev["times"]) == [6.0] * 4
    assert list(ev["senders"]) == [2, 2, 3, 3]
    assert list(ev["targets"]) == [4, 5, 4, 5]
    assert list(ev["weights"]) == [2.5] * 4
    assert list(ev["ports"]) == list(nest.GetConnections(synapse_model="rec").get("port"))
    assert wr.get("n_events") == 4
    wr.set(n_events=0)
    assert wr.get("n_events") == 0
    with pytest.raises(nest.NESTErrors.BadProperty):
        nest.SetDefaults("stdp_synapse", {"weight_recorder": post[0]})
    with pytest.raises(nest.NESTErrors.IllegalConnection):
        nest.Connect(post[0], wr)


def test_weight_recorder_sees_spikes_one_slice_later():
    """Like NEST, synapses get a slice's spikes at the start of the next slice."""
    sg = nest.Create("spike_generator", params={"spike_times": [3.5]})
    pre, post = nest.Create("parrot_neuron"), nest.Create("parrot_neuron")
    wr = nest.Create("weight_recorder")
    nest.CopyModel("stdp_synapse", "rec", {"weight_recorder": wr})
    nest.Connect(sg, pre)
    nest.Connect(pre, post, syn_spec={"synapse_model": "rec", "receptor_type": 1})
    nest.Simulate(5.0)                  # the parrot spikes at 4.5, in the last slice
    assert wr.get("n_events") == 0
    assert nest.GetConnections(pre, post).get("Kplus") == 0.0
    nest.Simulate(1.0)
    assert list(wr.get("events")["times"]) == [4.5]
    assert nest.GetConnections(pre, post).get("Kplus") == 1.0


# -- tau_minus ------------------------------------------------------------------------------------
def test_tau_minus_is_a_node_parameter():
    n = nest.Create("iaf_psc_alpha", 2, params={"tau_minus": 30.0})
    assert n.get("tau_minus") == (30.0, 30.0)
    n[1].set(tau_minus=12.0, tau_minus_triplet=50.0)
    assert n.get("tau_minus") == (30.0, 12.0)
    assert n[1].get("tau_minus_triplet") == 50.0
    for bad in (0.0, -1.0):
        with pytest.raises(nest.NESTErrors.BadProperty):
            n.set(tau_minus=bad)
    nest.SetDefaults("parrot_neuron", {"tau_minus": 33.0})
    assert nest.Create("parrot_neuron").get("tau_minus") == 33.0
    assert nest.GetDefaults("iaf_psc_alpha")["tau_minus"] == 20.0
    with pytest.raises(KeyError):
        nest.Create("spike_recorder").get("tau_minus")


def test_tau_minus_sets_the_depression_trace():
    pre, post = _parrots([20.0], [10.0])
    post.set(tau_minus=7.0)
    nest.Connect(pre, post, syn_spec={"synapse_model": "stdp_synapse", "weight": 50.0,
                                      "receptor_type": 1})
    nest.Simulate(30.0)
    # post spike at 11, pre spike at 21 (d = 1): K- = exp(-(20 - 11) / 7)
    assert post.get("post_trace") == pytest.approx(np.exp(-9.0 / 7.0), rel=1e-14)
    assert post.get("archiver_length") == 1
    expected = 50.0 - 0.01 * 50.0 * np.exp(-9.0 / 7.0)
    assert nest.GetConnections(pre, post).get("weight") == pytest.approx(expected, rel=1e-14)


def _pl_weights(conns, pre_times, post_times):
    """Final weights of stdp_pl_synapse_hom connections (weight, delay) from one parrot to
    another, on the parrot's port 1 so they do not change the postsynaptic spikes."""
    nest.ResetKernel()
    nest.SetDefaults("stdp_pl_synapse_hom", {"alpha": 0.0513, "tau_plus": 15.0})
    sg_pre = nest.Create("spike_generator", params={"spike_times": pre_times})
    sg_post = nest.Create("spike_generator", params={"spike_times": post_times})
    pre, post = nest.Create("parrot_neuron"), nest.Create("parrot_neuron")
    nest.Connect(sg_pre, pre)
    nest.Connect(sg_post, post)
    for w, d in conns:
        nest.Connect(pre, post, syn_spec={"synapse_model": "stdp_pl_synapse_hom", "weight": w,
                                          "delay": d, "receptor_type": 1})
    nest.Simulate(200.0)
    return nest.GetConnections(pre, post).get("weight")


def test_stdp_pl_multapses_update_like_single_connections():
    """Connections in equal states share their update; those in different states must not:
    every multapse ends as the same connection alone would."""
    rng = np.random.default_rng(3)
    pre_times = np.round(np.sort(rng.uniform(1.0, 190.0, 60)), 1).tolist()
    post_times = np.round(np.sort(rng.uniform(1.0, 190.0, 120)), 1).tolist()
    pre_times, post_times = sorted(set(pre_times)), sorted(set(post_times))
    conns = [(45.0, 1.5), (45.0, 1.5), (40.0, 1.5), (45.0, 1.5), (45.0, 2.0), (45.0, 2.0)]
    together = _pl_weights(conns, pre_times, post_times)
    alone = [_pl_weights([c], pre_times, post_times) for c in conns]
    assert together == alone
    assert len(set(together)) == 3


@pytest.mark.parametrize("model", ["stdp_pl_synapse_hom", "vogels_sprekeler_synapse"])
def test_plastic_delivery_adds_as_static_delivery(model):
    """With learning off, a plastic table delivers the numbers of a static one: every
    multapse's weight, each added in the same order (the plastic loop keeps the entry it adds
    to in a register while consecutive connections hit it). (stdp_synapse is left out: with
    lambda 0 it still computes (w / Wmax) * Wmax, which moves weights by an ulp, as NEST's
    does.)"""
    def potentials(synapse):
        nest.ResetKernel()
        nest.rng_seed = 4
        sources = nest.Create("parrot_neuron", 40)
        targets = nest.Create("iaf_psc_alpha", 5, {"V_th": 1e9})
        nest.Connect(nest.Create("poisson_generator", params={"rate": 80.0}), sources)
        syn = {"synapse_model": synapse, "weight": nest.random.uniform(1.0, 30.0),
               "delay": 1.0}
        if synapse != "static_synapse":
            nest.SetDefaults(synapse, {"lambda": 0.0} if model != "vogels_sprekeler_synapse"
                             else {"eta": 0.0, "alpha": 0.0, "Wmax": 100.0})
        # 200 of 40 sources per target: multapses, in runs of the same target
        nest.Connect(sources, targets, {"rule": "fixed_indegree", "indegree": 200}, syn)
        voltmeter = nest.Create("voltmeter", params={"interval": 0.1})
        nest.Connect(voltmeter, targets)
        nest.Simulate(100.0)
        return voltmeter.events["V_m"]

    plastic, static = potentials(model), potentials("static_synapse")
    assert np.ptp(static) > 1.0
    np.testing.assert_array_equal(plastic, static)
