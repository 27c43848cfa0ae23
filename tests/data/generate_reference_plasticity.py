#!/usr/bin/env python
"""Regenerate the NEST 3.10 reference data for plastic synapses (ref_plasticity.json).

Run with the interpreter of a venv that has the real NEST 3.10.0 (PyPI) installed:

    /work/.venv-nest/bin/python tests/data/generate_reference_plasticity.py

The script only drives NEST through its public Python API and stores what it observed
(numbers) as JSON. No NEST source is used or copied.

Every scenario is a data-driven ``spec`` plus the ``results`` NEST produced; the tests
rebuild the same network through our ``nest`` (see ``run_spec`` for the exact meaning of
every field) and compare.

Networks: presynaptic spikes come from spike_generators through parrot_neurons (NEST does
not allow devices as sources of plastic synapses). Postsynaptic spikes are forced either
by a spike_generator driving a parrot_neuron, the plastic synapses then targeting the
parrot's receptor 1 (a parrot does not repeat spikes arriving there, but they drive
plasticity), or by strong input to an iaf_psc_alpha neuron. Spike trains are drawn once
with a fixed numpy seed and stored in the spec, with multiplicities > 1 and coincidences
(post spike + delay == pre spike) on purpose.
"""

import datetime
import json
import os
import sys
import warnings

import numpy as np

import nest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import spec_runner  # noqa: E402

warnings.simplefilter("ignore")
nest.verbosity = nest.VerbosityLevel.ERROR

HERE = os.path.dirname(os.path.abspath(__file__))

to_plain = spec_runner.plain


def run_spec(spec):
    """Build and run ``spec`` in NEST; return the observations.

    spec: the format of tests/spec_runner.py (nodes, node_set, models, phases), plus
      watch:        {"synapse_models": [...], "nodes": [labels]}: after every Simulate
                    call, the state of every connection of those models and the
                    archiving status of those nodes is recorded
    results:
      snapshots:    one per Simulate call: {"t": biological_time,
                    "conns": {model: {"source", "target", and the state keys present}},
                    "nodes": {label: {key: list per node}}}
      recorders:    label -> events dict (weight_recorder, spike_recorder)
      node_ids:     label -> ids
    """
    return spec_runner.run_plastic(nest, spec)


def scenario(name, spec, description):
    return spec_runner.scenario(run_spec, name, spec, description)


# ---------------------------------------------------------------------------
# spike trains
# ---------------------------------------------------------------------------
def train(rng, rate_hz, t_stop, h, t_start=1.0, mult_prob=0.1):
    """Sorted on-grid spike times (ms) with occasional multiplicity 2 or 3."""
    n = rng.poisson(rate_hz * (t_stop - t_start) / 1000.0)
    steps = np.unique(rng.integers(int(round(t_start / h)), int(round(t_stop / h)), size=n))
    times = [round(float(s) * h, 6) for s in steps]
    mults = [int(rng.choice([2, 3])) if rng.random() < mult_prob else 1 for _ in times]
    return times, mults


def with_coincidences(pre_times, post, shift, h, every=4):
    """Add post spikes at (some pre spike time) - shift, so that t_post + shift == t_pre."""
    times, mults = list(post[0]), list(post[1])
    for t in pre_times[::every]:
        s = round(t - shift, 6)
        if s > 0.5 and s not in times:
            times.append(s)
            mults.append(1)
    order = np.argsort(times, kind="stable")
    return [times[i] for i in order], [mults[i] for i in order]


def sg_params(times, mults):
    return [{"spike_times": t, "spike_multiplicities": m} for t, m in zip(times, mults)]


def parrot_net(rng, n_pre, n_post, t_stop, h, pre_rate=40.0, post_rate=30.0, shift=1.0,
               post_params=None):
    """Nodes of the parrot network: sg_pre -> pre (parrots), sg_post -> post (parrots)."""
    pre = [train(rng, pre_rate, t_stop - 5.0, h) for _ in range(n_pre)]
    pre_all = sorted({t for tr in pre for t in tr[0]})
    post = [with_coincidences(pre_all, train(rng, post_rate, t_stop - 5.0, h), shift, h,
                              every=3 + k) for k in range(n_post)]
    nodes = [
        {"label": "sg_pre", "model": "spike_generator", "n": n_pre,
         "params": sg_params(*zip(*pre))},
        {"label": "sg_post", "model": "spike_generator", "n": n_post,
         "params": sg_params(*zip(*post))},
        {"label": "pre", "model": "parrot_neuron", "n": n_pre},
        {"label": "post", "model": "parrot_neuron", "n": n_post,
         **({"params": post_params} if post_params is not None else {})},
    ]
    drive = [
        {"pre": "sg_pre", "post": "pre", "conn_spec": "one_to_one"},
        {"pre": "sg_post", "post": "post", "conn_spec": "one_to_one"},
    ]
    return nodes, drive


def chunks(total, chunk):
    n = int(round(total / chunk))
    return [chunk] * n


# ---------------------------------------------------------------------------
# scenarios
# ---------------------------------------------------------------------------
def stdp_scenarios():
    out = []
    h = 0.1
    rng = np.random.default_rng(20261124)
    nodes, drive = parrot_net(rng, 3, 2, 300.0, h, post_params=[{"tau_minus": 20.0},
                                                                 {"tau_minus": 35.0}])
    nodes.append({"label": "wr", "model": "weight_recorder"})
    models = [
        {"copy": ["stdp_synapse", "stdp_a"], "params": {}, "refs": {"weight_recorder": "wr"}},
        {"copy": ["stdp_synapse", "stdp_b"],
         "params": {"mu_plus": 0.0, "mu_minus": 0.0, "alpha": 1.5, "lambda": 0.05, "Wmax": 80.0}},
        {"copy": ["stdp_synapse", "stdp_c"],
         "params": {"mu_plus": 0.4, "mu_minus": 0.4, "Wmax": -100.0, "weight": -30.0,
                    "tau_plus": 15.0}},
    ]
    conns = drive + [
        {"pre": "pre", "post": "post", "syn_spec": {"synapse_model": "stdp_a", "weight": 50.0,
                                                    "delay": 1.0, "receptor_type": 1}},
        {"pre": "pre", "post": "post", "syn_spec": {"synapse_model": "stdp_b", "weight": 40.0,
                                                    "delay": 2.5, "receptor_type": 1,
                                                    "Kplus": 0.5}},
        {"pre": "pre", "post": "post", "syn_spec": {"synapse_model": "stdp_c", "delay": 0.3,
                                                    "receptor_type": 1}},
    ]
    spec = {"kernel": {"resolution": h}, "nodes": nodes, "models": models,
            "phases": [{"connections": conns, "simulate": chunks(300.0, 1.0)}],
            "watch": {"synapse_models": ["stdp_a", "stdp_b", "stdp_c"], "nodes": ["post"]}}
    out.append(scenario(
        "stdp_parrots", spec,
        "stdp_synapse, 3 parameter sets (multiplicative, additive with bounds hit, inhibitory "
        "Wmax<0 with mu 0.4), delays 1.0/2.5/0.3 (min_delay 0.3), post parrots with tau_minus "
        "20/35 driven on receptor 0, plastic input on receptor 1; multiplicities and "
        "post+delay==pre coincidences; state after every 1 ms; weight_recorder on stdp_a"))

    # the same with the _hom and _pl_hom models, delay 1.5, min_delay 1.5 and uneven chunks
    rng = np.random.default_rng(7)
    nodes, drive = parrot_net(rng, 3, 2, 250.0, h, shift=1.5)
    models = [
        {"set": "stdp_synapse_hom", "params": {"lambda": 0.03, "alpha": 1.2, "mu_plus": 0.5,
                                               "tau_plus": 12.0, "Wmax": 60.0}},
        {"set": "stdp_pl_synapse_hom", "params": {"alpha": 0.0513, "lambda": 0.1, "mu": 0.4,
                                                  "tau_plus": 15.0}},
    ]
    conns = drive + [
        {"pre": "pre", "post": "post", "syn_spec": {"synapse_model": "stdp_synapse_hom",
                                                    "weight": 30.0, "delay": 1.5,
                                                    "receptor_type": 1}},
        {"pre": "pre", "post": "post", "syn_spec": {"synapse_model": "stdp_pl_synapse_hom",
                                                    "weight": 45.0, "delay": 1.5,
                                                    "receptor_type": 1}},
    ]
    spec = {"kernel": {"resolution": h}, "nodes": nodes, "models": models,
            "phases": [{"connections": conns, "simulate": chunks(250.0, 0.7)[:300] + [40.0]}],
            "watch": {"synapse_models": ["stdp_synapse_hom", "stdp_pl_synapse_hom"],
                      "nodes": ["post"]}}
    out.append(scenario(
        "stdp_hom_and_pl", spec,
        "stdp_synapse_hom and stdp_pl_synapse_hom (hpc_benchmark's parameters), delay 1.5 "
        "(min_delay 1.5), Simulate in chunks of 0.7 ms (slices split across calls)"))

    # iaf_psc_alpha post neurons driven by strong input; resolution 0.25; connect after simulate
    h = 0.25
    rng = np.random.default_rng(11)
    pre = [train(rng, 50.0, 195.0, h) for _ in range(4)]
    drive_t = [train(rng, 25.0, 195.0, h, mult_prob=0.0) for _ in range(2)]
    nodes = [
        {"label": "sg_pre", "model": "spike_generator", "n": 4, "params": sg_params(*zip(*pre))},
        {"label": "sg_drive", "model": "spike_generator", "n": 2,
         "params": sg_params(*zip(*drive_t))},
        {"label": "pre", "model": "parrot_neuron", "n": 4},
        {"label": "post", "model": "iaf_psc_alpha", "n": 2,
         "params": [{"tau_minus": 10.0}, {"tau_minus": 25.0, "I_e": 200.0}]},
        {"label": "sr", "model": "spike_recorder"},
    ]
    conns1 = [
        {"pre": "sg_pre", "post": "pre", "conn_spec": "one_to_one"},
        {"pre": "sg_drive", "post": "post", "conn_spec": "one_to_one",
         "syn_spec": {"weight": 3000.0, "delay": 1.0}},
        {"pre": "post", "post": "sr"},
        {"pre": "pre", "post": "post", "pre_index": 0,
         "syn_spec": {"synapse_model": "stdp_synapse", "weight": 60.0, "delay": 2.0}},
        {"pre": "pre", "post": "post", "pre_index": 1,
         "syn_spec": {"synapse_model": "stdp_synapse", "weight": 20.0, "delay": 1.0,
                      "lambda": 0.1, "Wmax": 300.0}},
    ]
    conns2 = [
        {"pre": "pre", "post": "post", "pre_index": 2,
         "syn_spec": {"synapse_model": "stdp_synapse", "weight": 80.0, "delay": 1.25}},
        {"pre": "pre", "post": "post", "pre_index": 3,
         "syn_spec": {"synapse_model": "stdp_synapse", "weight": 80.0, "delay": 2.0,
                      "mu_plus": 0.0, "mu_minus": 0.0}},
    ]
    spec = {"kernel": {"resolution": h}, "nodes": nodes,
            "phases": [{"connections": conns1, "simulate": chunks(100.0, 1.0)},
                       {"connections": conns2, "simulate": chunks(100.0, 1.0)}],
            "watch": {"synapse_models": ["stdp_synapse"], "nodes": ["post"]}}
    out.append(scenario(
        "stdp_iaf_connect_after", spec,
        "stdp_synapse onto iaf_psc_alpha neurons forced to spike by strong input, resolution "
        "0.25, delays 1.0/2.0; after 100 ms two more stdp connections are made (delays 1.25 "
        "and 2.0: NEST forbids delays outside the existing min/max after Simulate; they read "
        "the postsynaptic history from time 0)"))
    return out


def vogels_scenarios():
    h = 0.1
    rng = np.random.default_rng(3)
    nodes, drive = parrot_net(rng, 3, 2, 250.0, h, post_params=[{"tau_minus": 20.0},
                                                                 {"tau_minus": 15.0}])
    models = [
        {"copy": ["vogels_sprekeler_synapse", "vs_exc"],
         "params": {"eta": 0.05, "alpha": 0.3, "Wmax": 5.0, "tau": 20.0}},
        {"copy": ["vogels_sprekeler_synapse", "vs_inh"],
         "params": {"eta": 0.08, "alpha": 0.12, "Wmax": -3.0, "weight": -1.0, "tau": 15.0}},
    ]
    conns = drive + [
        {"pre": "pre", "post": "post", "syn_spec": {"synapse_model": "vs_exc", "weight": 1.0,
                                                    "delay": 1.0, "receptor_type": 1}},
        {"pre": "pre", "post": "post", "syn_spec": {"synapse_model": "vs_inh", "delay": 2.0,
                                                    "receptor_type": 1}},
    ]
    spec = {"kernel": {"resolution": h}, "nodes": nodes, "models": models,
            "phases": [{"connections": conns, "simulate": chunks(250.0, 1.0)}],
            "watch": {"synapse_models": ["vs_exc", "vs_inh"], "nodes": ["post"]}}
    return [scenario("vogels_sprekeler", spec,
                     "vogels_sprekeler_synapse, positive and negative Wmax, delays 1/2")]


def dopamine_scenarios():
    out = []
    for name, h, delay, dopa_delay, interval, b, chunk in (
            ("dopamine_interval1", 0.1, 1.0, 1.0, 1, 0.0, 1.0),
            ("dopamine_interval3_b", 0.1, 2.0, 1.5, 3, 0.02, 0.5)):
        rng = np.random.default_rng(5 + interval)
        nodes, drive = parrot_net(rng, 3, 2, 300.0, h, shift=delay)
        dopa = train(rng, 20.0, 295.0, h, mult_prob=0.3)
        nodes += [
            {"label": "sg_dopa", "model": "spike_generator",
             "params": {"spike_times": dopa[0], "spike_multiplicities": dopa[1]}},
            {"label": "dopa", "model": "parrot_neuron"},
            {"label": "vt", "model": "volume_transmitter",
             "params": {"deliver_interval": interval}},
        ]
        models = [{"set": "stdp_dopamine_synapse",
                   "params": {"A_plus": 0.8, "A_minus": 1.2, "tau_c": 300.0, "tau_n": 150.0,
                              "tau_plus": 20.0, "b": b, "Wmin": 0.0, "Wmax": 100.0},
                   "refs": {"volume_transmitter": "vt"}}]
        conns = drive + [
            {"pre": "sg_dopa", "post": "dopa"},
            {"pre": "dopa", "post": "vt", "syn_spec": {"delay": dopa_delay}},
            {"pre": "pre", "post": "post",
             "syn_spec": {"synapse_model": "stdp_dopamine_synapse", "weight": 50.0,
                          "delay": delay, "receptor_type": 1}},
        ]
        spec = {"kernel": {"resolution": h}, "nodes": nodes, "models": models,
                "phases": [{"connections": conns, "simulate": chunks(300.0, chunk)}],
                "watch": {"synapse_models": ["stdp_dopamine_synapse"], "nodes": ["post"]}}
        out.append(scenario(
            name, spec,
            f"stdp_dopamine_synapse, delay {delay}, dopamine parrot -> volume_transmitter "
            f"(deliver_interval {interval}) with delay {dopa_delay}, b={b}; dopamine spikes "
            "with multiplicities; state after every chunk"))
    return out


def tsodyks_scenarios():
    out = []
    h = 0.1
    rng = np.random.default_rng(17)
    pre = [train(rng, 40.0, 400.0, h, mult_prob=0.15) for _ in range(2)]
    nodes = [
        {"label": "sg_pre", "model": "spike_generator", "n": 2, "params": sg_params(*zip(*pre))},
        {"label": "pre", "model": "parrot_neuron", "n": 2},
        {"label": "post", "model": "iaf_psc_exp", "n": 2},
        {"label": "wr_t1", "model": "weight_recorder"},
        {"label": "wr_t1h", "model": "weight_recorder"},
        {"label": "wr_t2", "model": "weight_recorder"},
    ]
    models = [
        {"copy": ["tsodyks_synapse", "ts1_fac"],
         "params": {"U": 0.03, "tau_fac": 500.0, "tau_rec": 200.0, "tau_psc": 3.0, "u": 0.03},
         "refs": {"weight_recorder": "wr_t1"}},
        {"copy": ["tsodyks_synapse", "ts1_dep"], "params": {"U": 0.5, "tau_rec": 100.0,
                                                            "tau_psc": 2.0, "x": 0.8, "y": 0.1}},
        {"copy": ["tsodyks_synapse_hom", "ts1_hom"],
         "params": {"U": 0.2, "tau_fac": 50.0, "tau_rec": 300.0, "tau_psc": 5.0, "weight": 250.0},
         "refs": {"weight_recorder": "wr_t1h"}},
        {"copy": ["tsodyks2_synapse", "ts2_fac"],
         "params": {"U": 0.03, "u": 0.03, "tau_fac": 500.0, "tau_rec": 200.0},
         "refs": {"weight_recorder": "wr_t2"}},
        {"copy": ["tsodyks2_synapse", "ts2_dep"], "params": {"U": 0.6, "tau_rec": 150.0, "x": 0.7}},
    ]
    conns = [{"pre": "sg_pre", "post": "pre", "conn_spec": "one_to_one"}]
    for model, delay, w in (("ts1_fac", 1.0, 400.0), ("ts1_dep", 2.0, 300.0),
                            ("ts1_hom", 1.5, None),
                            ("ts2_fac", 1.0, 500.0), ("ts2_dep", 2.5, 200.0)):
        syn = {"synapse_model": model, "delay": delay}
        if w is not None:
            syn["weight"] = w
        conns.append({"pre": "pre", "post": "post", "syn_spec": syn})
    spec = {"kernel": {"resolution": h}, "nodes": nodes, "models": models,
            "phases": [{"connections": conns, "simulate": chunks(400.0, 2.0)}],
            "watch": {"synapse_models": ["ts1_fac", "ts1_dep", "ts1_hom", "ts2_fac", "ts2_dep"],
                      "nodes": []}}
    out.append(scenario(
        "tsodyks", spec,
        "tsodyks_synapse (facilitating, depressing with x, y set), tsodyks_synapse_hom and "
        "tsodyks2_synapse onto iaf_psc_exp; delays 1-2.5; multiplicities; weight_recorders "
        "give the transmitted weights, snapshots the x/y/u state every 2 ms"))
    return out


def ht_scenarios():
    h = 0.1
    rng = np.random.default_rng(29)
    pre = [train(rng, 40.0, 400.0, h, mult_prob=0.15) for _ in range(2)]
    nodes = [
        {"label": "sg_pre", "model": "spike_generator", "n": 2, "params": sg_params(*zip(*pre))},
        {"label": "pre", "model": "parrot_neuron", "n": 2},
        {"label": "post", "model": "iaf_psc_exp", "n": 2},
        {"label": "wr_ht", "model": "weight_recorder"},
    ]
    models = [
        {"copy": ["ht_synapse", "ht_fast"], "params": {"delta_P": 0.3, "tau_P": 50.0, "P": 0.6},
         "refs": {"weight_recorder": "wr_ht"}},
        {"copy": ["ht_synapse_lbl", "ht_default"], "params": {}},
    ]
    conns = [{"pre": "sg_pre", "post": "pre", "conn_spec": "one_to_one"}]
    for model, delay, w in (("ht_fast", 1.0, 400.0), ("ht_default", 2.5, 300.0)):
        conns.append({"pre": "pre", "post": "post",
                      "syn_spec": {"synapse_model": model, "delay": delay, "weight": w}})
    spec = {"kernel": {"resolution": h}, "nodes": nodes, "models": models,
            "phases": [{"connections": conns, "simulate": chunks(400.0, 2.0)}],
            "watch": {"synapse_models": ["ht_fast", "ht_default"], "nodes": []}}
    return [scenario(
        "ht", spec,
        "ht_synapse (fast recovery, P set below 1; defaults) onto iaf_psc_exp; delays 1 and "
        "2.5; multiplicities; a weight_recorder gives the transmitted weights, snapshots the "
        "pool P every 2 ms")]


def triplet_scenarios():
    h = 0.1
    rng = np.random.default_rng(1606)
    nodes, drive = parrot_net(rng, 3, 2, 300.0, h, pre_rate=45.0, post_rate=35.0,
                              post_params=[{"tau_minus": 33.7, "tau_minus_triplet": 125.0},
                                           {"tau_minus": 20.0, "tau_minus_triplet": 60.0}])
    nodes.append({"label": "wr", "model": "weight_recorder"})
    models = [
        {"copy": ["stdp_triplet_synapse", "trip_a"],
         "params": {"Aplus": 0.05, "Aminus": 0.03, "Aplus_triplet": 0.02, "Aminus_triplet": 0.01,
                    "Wmax": 60.0}, "refs": {"weight_recorder": "wr"}},
        {"copy": ["stdp_triplet_synapse_lbl", "trip_b"],
         "params": {"Wmax": -80.0, "weight": -20.0, "Aplus": 0.08, "tau_plus": 12.0,
                    "tau_plus_triplet": 70.0, "Kplus_triplet": 0.5}},
    ]
    conns = drive + [
        {"pre": "pre", "post": "post", "syn_spec": {"synapse_model": "trip_a", "weight": 30.0,
                                                    "delay": 1.0, "receptor_type": 1,
                                                    "Kplus": 0.3}},
        {"pre": "pre", "post": "post", "syn_spec": {"synapse_model": "trip_b", "delay": 2.5,
                                                    "receptor_type": 1}},
    ]
    spec = {"kernel": {"resolution": h}, "nodes": nodes, "models": models,
            "phases": [{"connections": conns, "simulate": chunks(300.0, 1.0)}],
            "watch": {"synapse_models": ["trip_a", "trip_b"], "nodes": ["post"]}}
    return [scenario(
        "triplet", spec,
        "stdp_triplet_synapse between parrots (post spikes on receptor 1, tau_minus and "
        "tau_minus_triplet set per neuron), a positive and a negative Wmax, delays 1 and 2.5, "
        "multiplicities, coincidences; weight_recorder events and snapshots every ms")]


def facetshw_scenarios():
    """stdp_facetshw_synapse_hom: 6 connections, 2 per driver, readouts every 10 ms per driver
    (a 30 ms cycle once all 6 have transmitted), low thresholds so that every look-up table
    and reset case occurs; a second model with NEST's defaults."""
    h = 0.1
    rng = np.random.default_rng(4711)
    nodes, drive = parrot_net(rng, 3, 2, 400.0, h, pre_rate=50.0, post_rate=40.0)
    nodes.append({"label": "wr", "model": "weight_recorder"})
    models = [
        {"copy": ["stdp_facetshw_synapse_hom", "fhw"],
         "params": {"synapses_per_driver": 2, "driver_readout_time": 10.0, "tau_plus": 15.0,
                    "tau_minus_stdp": 25.0, "Wmax": 60.0, "reset_pattern": [1, 0, 0, 1, 1, 1]},
         "refs": {"weight_recorder": "wr"}},
        {"copy": ["stdp_facetshw_synapse_hom", "fhw_default"], "params": {}},
    ]
    conns = drive + [
        {"pre": "pre", "post": "post",
         "syn_spec": {"synapse_model": "fhw", "weight": 25.0, "delay": 1.0, "receptor_type": 1,
                      "a_thresh_th": 0.6, "a_thresh_tl": 0.9}},
        {"pre": "pre", "post": "post", "pre_index": 0,
         "syn_spec": {"synapse_model": "fhw_default", "weight": 50.0, "delay": 2.0,
                      "receptor_type": 1, "a_causal": 30.0, "a_acausal": 10.0}},
    ]
    spec = {"kernel": {"resolution": h}, "nodes": nodes, "models": models,
            "phases": [{"connections": conns, "simulate": chunks(400.0, 2.0)}],
            "watch": {"synapse_models": ["fhw", "fhw_default"], "nodes": []}}
    return [scenario(
        "facetshw", spec,
        "stdp_facetshw_synapse_hom between parrots (post spikes on receptor 1): small drivers "
        "and low thresholds so that the look-up tables and reset patterns all act; a "
        "weight_recorder gives the transmitted weights, snapshots the state every 2 ms")]


def stochastic_statistics():
    """Transmission counts of bernoulli_synapse and quantal_stp_synapse over many spikes.

    NEST's random streams cannot be reproduced; these numbers document NEST's behaviour
    (and show that both models draw once per unit of multiplicity).
    """
    out = {}
    h = 0.1
    for mult in (1, 2):
        nest.ResetKernel()
        times = [round(2.0 + 2.0 * k, 6) for k in range(2000)]
        sg = nest.Create("spike_generator", params={"spike_times": times,
                                                    "spike_multiplicities": [mult] * len(times)})
        pre = nest.Create("parrot_neuron")
        post = nest.Create("iaf_psc_alpha", 2)
        wr_b = nest.Create("weight_recorder")
        wr_q = nest.Create("weight_recorder")
        nest.CopyModel("bernoulli_synapse", "bern_rec", {"weight_recorder": wr_b})
        nest.CopyModel("quantal_stp_synapse", "q_rec", {"weight_recorder": wr_q})
        nest.Connect(sg, pre)
        nest.Connect(pre, post[0], syn_spec={"synapse_model": "bern_rec", "p_transmit": 0.3,
                                             "weight": 2.0})
        nest.Connect(pre, post[1], syn_spec={"synapse_model": "q_rec", "U": 0.4, "u": 0.4,
                                             "tau_rec": 5.0, "tau_fac": 0.0, "n": 4, "a": 4,
                                             "weight": 1.0})
        nest.Simulate(4010.0)
        wq = np.asarray(wr_q.events["weights"])
        out[f"multiplicity_{mult}"] = {
            "n_presynaptic_events": len(times) * mult,
            "bernoulli_p": 0.3, "bernoulli_transmissions": int(wr_b.n_events),
            "quantal": {"U": 0.4, "tau_rec": 5.0, "n": 4, "isi": 2.0,
                        "events": int(wr_q.n_events), "mean_released_when_sent": float(wq.mean()),
                        "total_released": float(wq.sum())},
        }
    return out


PLASTIC_MODELS = ["stdp_synapse", "stdp_synapse_hom", "stdp_pl_synapse_hom",
                  "stdp_dopamine_synapse",
                  "tsodyks_synapse", "tsodyks_synapse_hom", "tsodyks2_synapse",
                  "quantal_stp_synapse", "vogels_sprekeler_synapse", "bernoulli_synapse",
                  "ht_synapse", "stdp_facetshw_synapse_hom", "stdp_triplet_synapse"]
SKIP_DEFAULTS = ("synapse_modelid", "sizeof", "num_connections")


def _network(model):
    """Two neurons, a volume transmitter set on the dopamine synapse, one connection."""
    nest.ResetKernel()
    vt = nest.Create("volume_transmitter")
    for variant in ("", "_hpc", "_lbl"):
        nest.SetDefaults("stdp_dopamine_synapse" + variant, {"volume_transmitter": vt})
    n = nest.Create("iaf_psc_alpha", 2)
    return n


def _outcome(f):
    try:
        f()
        return None
    except Exception as e:  # noqa: BLE001 - we record what NEST raises
        return type(e).__name__


def model_facts():
    """Defaults, per-connection keys, common parameters and error cases of every model."""
    facts = {"models": {}, "errors": []}
    for base in PLASTIC_MODELS:
        for model in (base, base + "_hpc", base + "_lbl"):
            n = _network(model)
            d = nest.GetDefaults(model)
            defaults = {k: (to_plain(v) if not isinstance(v, nest.NodeCollection) else "empty"
                            if len(v) == 0 else "set")
                        for k, v in d.items() if k not in SKIP_DEFAULTS}
            nest.Connect(n[0], n[1], syn_spec={"synapse_model": model})
            keys = sorted(nest.GetConnections(synapse_model=model).get())
            common = sorted(k for k in d if k not in ("synapse_model", "weight_recorder",
                                                      "volume_transmitter") + SKIP_DEFAULTS
                            and _outcome(lambda k=k: nest.Connect(
                                n[0], n[1], syn_spec={"synapse_model": model, k: d[k]}))
                            == "NotImplemented")
            facts["models"][model] = {"defaults": defaults, "connection_keys": keys,
                                      "common": common}
    cases = [
        ("stdp_synapse", {"weight": -1.0}), ("stdp_synapse", {"Wmax": -1.0}),
        ("stdp_synapse", {"weight": -1.0, "Wmax": -5.0}),
        ("stdp_synapse", {"weight": 0.0, "Wmax": -5.0}),
        ("stdp_synapse", {"weight": -1.0, "Wmax": 0.0}),
        ("stdp_synapse", {"weight": -1.0, "Kplus": 0.0}),
        ("stdp_synapse", {"Kplus": -1.0}), ("stdp_synapse", {"tau_plus": -1.0}),
        ("stdp_synapse_hom", {"weight": -1.0}), ("stdp_synapse_hom", {"Kplus": -1.0}),
        ("stdp_pl_synapse_hom", {"Kplus": -1.0}), ("stdp_dopamine_synapse", {"Kplus": -1.0}),
        ("stdp_dopamine_synapse", {"c": -1.0, "n": -1.0}),
        ("tsodyks_synapse", {"U": 1.5}), ("tsodyks_synapse", {"U": -0.1}),
        ("tsodyks_synapse", {"tau_psc": 0.0}), ("tsodyks_synapse", {"tau_rec": 0.0}),
        ("tsodyks_synapse", {"tau_fac": -1.0}), ("tsodyks_synapse", {"x": 1.5}),
        ("tsodyks_synapse", {"y": -0.1}), ("tsodyks_synapse", {"u": 2.0}),
        ("tsodyks_synapse", {"x": 0.7, "y": 0.5}), ("tsodyks_synapse_hom", {"x": 0.7, "y": 0.5}),
        ("tsodyks2_synapse", {"U": 1.5}), ("tsodyks2_synapse", {"tau_rec": 0.0}),
        ("tsodyks2_synapse", {"tau_fac": -1.0}), ("tsodyks2_synapse", {"x": 1.5}),
        ("tsodyks2_synapse", {"u": -0.1}),
        ("quantal_stp_synapse", {"U": 1.5}), ("quantal_stp_synapse", {"tau_rec": 0.0}),
        ("quantal_stp_synapse", {"n": 5, "a": 3}), ("quantal_stp_synapse", {"n": 1.5}),
        ("quantal_stp_synapse", {"u": 1.5}),
        ("vogels_sprekeler_synapse", {"weight": -1.0}),
        ("vogels_sprekeler_synapse", {"Wmax": -1.0}),
        ("vogels_sprekeler_synapse", {"weight": -0.5, "Wmax": -1.0}),
        ("vogels_sprekeler_synapse", {"Kplus": -1.0}),
        ("stdp_triplet_synapse", {"weight": -1.0}), ("stdp_triplet_synapse", {"Kplus": -1.0}),
        ("stdp_triplet_synapse", {"Kplus_triplet": -1.0}),
        ("stdp_triplet_synapse", {"weight": -1.0, "Wmax": -5.0}),
        ("ht_synapse", {"P": 1.5}), ("ht_synapse", {"delta_P": -0.1}),
        ("ht_synapse", {"delta_P": 1.5}), ("ht_synapse", {"tau_P": 0.0}),
        ("bernoulli_synapse", {"p_transmit": 1.5}), ("bernoulli_synapse", {"p_transmit": -0.1}),
        ("bernoulli_synapse", {"p_transmit": 0.0}),
    ]
    for model, params in cases:
        row = {"model": model, "params": params}
        n = _network(model)
        row["connect"] = _outcome(lambda: nest.Connect(n[0], n[1], syn_spec={"synapse_model": model,
                                                                            **params}))
        n = _network(model)
        nest.Connect(n[0], n[1], syn_spec={"synapse_model": model})
        row["set"] = _outcome(lambda: nest.GetConnections().set(params))
        row["set_defaults"] = _outcome(lambda: nest.SetDefaults(model, params))
        facts["errors"].append(row)
    # sources and targets
    ends = {}
    for model in PLASTIC_MODELS + ["static_synapse"]:
        for src, tgt in (("poisson_generator", "iaf_psc_alpha"),
                         ("spike_generator", "iaf_psc_alpha"),
                         ("parrot_neuron", "parrot_neuron"), ("iaf_psc_alpha", "spike_recorder"),
                         ("parrot_neuron", "volume_transmitter")):
            _network(model)
            a, b = nest.Create(src), nest.Create(tgt)
            ends[f"{model}:{src}->{tgt}"] = _outcome(
                lambda: nest.Connect(a, b, syn_spec={"synapse_model": model}))
    facts["endpoints"] = ends
    return facts


def main():
    hdr = {"generator": "tests/data/generate_reference_plasticity.py",
           "nest_version": nest.__version__,
           "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")}
    scenarios = stdp_scenarios() + vogels_scenarios() + dopamine_scenarios() + tsodyks_scenarios() \
        + ht_scenarios() + facetshw_scenarios() + triplet_scenarios()
    obj = dict(hdr, scenarios=scenarios, stochastic=stochastic_statistics(), facts=model_facts())
    path = os.path.join(HERE, "ref_plasticity.json")
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print("wrote ref_plasticity.json (%d bytes)" % os.path.getsize(path))


if __name__ == "__main__":
    main()
