#!/usr/bin/env python
"""Regenerate the NEST 3.10 reference data in this directory.

Run with the interpreter of a venv that has the real NEST 3.10.0 (PyPI) installed:

    /work/.venv-nest/bin/python tests/data/generate_reference.py

This script only *drives* NEST through its public Python API and stores the
observed results (numbers, strings) as JSON.  No NEST source is used or copied.

Every scenario is stored as a data-driven *spec* (kernel settings, nodes in
creation order, connections, simulate calls) plus the *results* NEST produced.
A test can rebuild the same network from the spec through our own ``nest``
(see ``run_spec`` below for the exact meaning of the fields) and compare.
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

VERBOSITY_AT_IMPORT = repr(nest.verbosity)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    GET_VERBOSITY_AT_IMPORT = nest.get_verbosity()
warnings.simplefilter("ignore")
nest.verbosity = nest.VerbosityLevel.ERROR

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
to_plain = spec_runner.plain


def run_spec(spec):
    """Build and run ``spec`` (format: tests/spec_runner.py) in NEST; return results.

    results:
      node_ids:    label -> list of node ids
      recorders:   label -> {"events": {key: list}, "n_events": int,
                   "n_events_after_each_simulate": [...]}
      final_state: label -> {var: list per node} for neuron nodes
      kernel:      min_delay, max_delay, biological_time, resolution after run
    """
    nodes, n_events = spec_runner.build_and_run(nest, spec)
    res = {
        "node_ids": {lab: nc.tolist() for lab, nc in nodes.items()},
        "recorders": spec_runner.recorder_results(nodes, n_events),
        "final_state": {},
        "kernel": {k: to_plain(nest.GetKernelStatus(k))
                   for k in ("min_delay", "max_delay", "biological_time", "resolution")},
    }
    for nd in spec["nodes"]:
        if nodes[nd["label"]][0].get("element_type") == "neuron":
            nc = nodes[nd["label"]]
            st = {}
            for var in ("V_m", "I_syn_ex", "I_syn_in", "refractory_input"):
                try:
                    vals = nc.get(var)
                except Exception:
                    continue
                st[var] = to_plain(spec_runner.as_list(vals))
            res["final_state"][nd["label"]] = st
    return res


def scenario(name, spec, description="", check_twice=True):
    return spec_runner.scenario(run_spec, name, spec, description, check_twice)


def dump(fname, obj):
    path = os.path.join(HERE, fname)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d bytes)" % (fname, os.path.getsize(path)))


def header():
    return {
        "generator": "tests/data/generate_reference.py",
        "nest_version": nest.__version__,
        "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
    }


# ---------------------------------------------------------------------------
# (a)-(d) tutorial scenarios
# ---------------------------------------------------------------------------
def tutorial():
    sc = []
    sc.append(scenario("one_neuron", {
        "nodes": [
            {"label": "neuron", "model": "iaf_psc_alpha", "params": {"I_e": 376.0}},
            {"label": "multimeter", "model": "multimeter", "params": {"record_from": ["V_m"]}},
            {"label": "spikerecorder", "model": "spike_recorder"},
        ],
        "connections": [
            {"pre": "multimeter", "post": "neuron"},
            {"pre": "neuron", "post": "spikerecorder"},
        ],
        "simulate": [1000.0],
    }, "PyNEST tutorial part 1: one neuron driven by constant current"))

    sc.append(scenario("two_neurons_one_multimeter", {
        "nodes": [
            {"label": "neuron", "model": "iaf_psc_alpha", "params": {"I_e": 376.0}},
            {"label": "multimeter", "model": "multimeter", "params": {"record_from": ["V_m"]}},
            {"label": "spikerecorder", "model": "spike_recorder"},
            {"label": "neuron2", "model": "iaf_psc_alpha", "params": {"I_e": 370.0}},
        ],
        "connections": [
            {"pre": "multimeter", "post": "neuron"},
            {"pre": "neuron", "post": "spikerecorder"},
            {"pre": "multimeter", "post": "neuron2"},
            {"pre": "neuron2", "post": "spikerecorder"},
        ],
        "simulate": [1000.0],
    }, "tutorial: second neuron (I_e=370) created after the recorders, on the same multimeter"))

    sc.append(scenario("two_connected_neurons", {
        "nodes": [
            {"label": "neuron1", "model": "iaf_psc_alpha", "params": {"I_e": 376.0}},
            {"label": "neuron2", "model": "iaf_psc_alpha"},
            {"label": "multimeter", "model": "multimeter", "params": {"record_from": ["V_m"]}},
            {"label": "spikerecorder", "model": "spike_recorder"},
        ],
        "connections": [
            {"pre": "neuron1", "post": "neuron2", "syn_spec": {"weight": 20.0}},
            {"pre": "multimeter", "post": "neuron2"},
            {"pre": "neuron1", "post": "spikerecorder"},
            {"pre": "neuron2", "post": "spikerecorder"},
        ],
        "simulate": [1000.0],
    }, "tutorial: neuron1 (I_e=376) -> neuron2 weight 20 pA, delay default 1.0"))

    noise_spec = {
        "kernel": {"rng_seed": 143202461},
        "nodes": [
            {"label": "neuron", "model": "iaf_psc_alpha"},
            {"label": "noise", "model": "poisson_generator", "n": 2,
             "params": [{"rate": 80000.0}, {"rate": 15000.0}]},
            {"label": "multimeter", "model": "multimeter", "params": {"record_from": ["V_m"]}},
            {"label": "spikerecorder", "model": "spike_recorder"},
        ],
        "connections": [
            {"pre": "noise", "post": "neuron", "conn_spec": "all_to_all",
             "syn_spec": {"weight": [[1.2, -2.0]], "delay": 1.0}},
            {"pre": "multimeter", "post": "neuron"},
            {"pre": "neuron", "post": "spikerecorder"},
        ],
        "simulate": [1000.0],
    }
    s = scenario("one_neuron_with_noise", noise_spec,
                 "STOCHASTIC (NEST's RNG streams are not expected to be reproduced); "
                 "rng_seed is the NEST default seed. weight is a 1x2 matrix (post x pre): "
                 "noise[0] (80 kHz) -> +1.2 pA, noise[1] (15 kHz) -> -2.0 pA")
    sc.append(s)
    return sc


def noise_statistics():
    seeds = list(range(1, 21))
    rows = []
    for seed in seeds:
        nest.ResetKernel()
        nest.rng_seed = seed
        neuron = nest.Create("iaf_psc_alpha")
        noise = nest.Create("poisson_generator", 2, params=[{"rate": 80000.0}, {"rate": 15000.0}])
        mm = nest.Create("multimeter", params={"record_from": ["V_m"]})
        sr = nest.Create("spike_recorder")
        nest.Connect(noise, neuron, syn_spec={"weight": [[1.2, -2.0]], "delay": 1.0})
        nest.Connect(mm, neuron)
        nest.Connect(neuron, sr)
        nest.Simulate(1000.0)
        vm = mm.get("events")["V_m"]
        rows.append({"rng_seed": seed, "spike_count": int(sr.get("n_events")),
                     "V_m_mean": float(np.mean(vm)), "V_m_std": float(np.std(vm)),
                     "n_V_m_samples": int(len(vm))})
    parrot = []
    for seed in seeds:
        nest.ResetKernel()
        nest.rng_seed = seed
        pg = nest.Create("poisson_generator", params={"rate": 10000.0})
        p = nest.Create("parrot_neuron")
        sr = nest.Create("spike_recorder")
        nest.Connect(pg, p)
        nest.Connect(p, sr)
        nest.Simulate(1000.0)
        t = sr.get("events")["times"]
        parrot.append({"rng_seed": seed, "spike_count": int(sr.get("n_events")),
                       "n_distinct_times": int(len(np.unique(t))),
                       "min_time": float(t.min()), "max_time": float(t.max())})

    def summ(vals):
        return {"mean": float(np.mean(vals)), "std": float(np.std(vals, ddof=1)),
                "min": float(np.min(vals)), "max": float(np.max(vals))}

    return {
        "one_neuron_with_noise": {
            "description": "iaf_psc_alpha (I_e=0) + poisson_generator 80 kHz (w=1.2) and 15 kHz (w=-2.0), "
                           "delay 1.0, multimeter V_m (interval 1.0), Simulate(1000.0); "
                           "V_m_std is numpy std with ddof=0 over the multimeter samples",
            "per_seed": rows,
            "summary": {k: summ([r[k] for r in rows]) for k in ("spike_count", "V_m_mean", "V_m_std")},
        },
        "poisson_parrot": {
            "description": "poisson_generator rate 10000 Hz -> parrot_neuron (delay 1.0) -> spike_recorder; "
                           "Simulate(1000.0); spike_count counts each multiplicity as one event",
            "per_seed": parrot,
            "summary": {k: summ([r[k] for r in parrot]) for k in ("spike_count", "n_distinct_times")},
        },
    }


# ---------------------------------------------------------------------------
# (e) deterministic model traces
# ---------------------------------------------------------------------------
def model_traces():
    sc = []
    spiking_w = {"iaf_psc_alpha": 1000.0, "iaf_psc_exp": 1500.0, "iaf_psc_delta": 8.0}
    quiet_w = {"iaf_psc_alpha": 500.0, "iaf_psc_exp": 500.0, "iaf_psc_delta": 5.0}
    for res in (0.1, 0.25):
        exc_times = [10.0, 10.5, 30.0, 50.0, 50.1] if res == 0.1 else [10.0, 10.5, 30.0, 50.0, 50.25]
        long_delay = 2.3 if res == 0.1 else 2.25
        for model in ("iaf_psc_alpha", "iaf_psc_exp", "iaf_psc_delta"):
            recordables = [str(r) for r in nest.GetDefaults(model, "recordables")]
            variants = [("spiking", spiking_w[model], 1.0),
                        ("spiking", spiking_w[model], long_delay),
                        ("quiet", quiet_w[model], 1.0)]
            for kind, w, d in variants:
                name = "%s_res%s_%s_delay%s" % (model, res, kind, d)
                spec = {
                    "kernel": {"resolution": res},
                    "nodes": [
                        {"label": "neuron", "model": model},
                        {"label": "sg_exc", "model": "spike_generator", "params": {"spike_times": exc_times}},
                        {"label": "sg_inh", "model": "spike_generator", "params": {"spike_times": [20.0, 60.0]}},
                        {"label": "dc", "model": "dc_generator",
                         "params": {"amplitude": 300.0, "start": 100.0, "stop": 150.0}},
                        {"label": "multimeter", "model": "multimeter",
                         "params": {"interval": max(0.1, res), "record_from": recordables}},
                        {"label": "spikerecorder", "model": "spike_recorder"},
                    ],
                    "connections": [
                        {"pre": "sg_exc", "post": "neuron", "syn_spec": {"weight": w, "delay": d}},
                        {"pre": "sg_inh", "post": "neuron", "syn_spec": {"weight": -w, "delay": d}},
                        {"pre": "dc", "post": "neuron", "syn_spec": {"delay": d}},
                        {"pre": "multimeter", "post": "neuron"},
                        {"pre": "neuron", "post": "spikerecorder"},
                    ],
                    "simulate": [200.0],
                }
                sc.append(scenario(name, spec, "weight unit: pA for psc models, mV for iaf_psc_delta; "
                                               "%s: neuron %s" % (kind, "spikes" if kind == "spiking" else "does not spike")))
    return sc


# ---------------------------------------------------------------------------
# (f) multimeter conventions
# ---------------------------------------------------------------------------
def multimeter_conventions():
    sc = []
    base_nodes = lambda mmparams: [
        {"label": "neuron", "model": "iaf_psc_alpha", "params": {"I_e": 376.0}},
        {"label": "multimeter", "model": "multimeter", "params": dict(record_from=["V_m"], **mmparams)},
    ]
    base_conn = [{"pre": "multimeter", "post": "neuron"}]
    for iv in (1.0, 0.1, 0.3):
        sc.append(scenario("interval_%s" % iv, {
            "nodes": base_nodes({"interval": iv}), "connections": base_conn, "simulate": [10.0]},
            "which sample times are recorded for a given interval, Simulate(10.0)"))
    for iv in (1.0, 0.1, 0.3):
        sc.append(scenario("interval_%s_two_simulate_5" % iv, {
            "nodes": base_nodes({"interval": iv}), "connections": base_conn, "simulate": [5.0, 5.0]},
            "two Simulate(5.0) calls; compare with interval_%s (one Simulate(10.0))" % iv))
    sc.append(scenario("interval_1.0_simulate_2.5_x4", {
        "nodes": base_nodes({"interval": 1.0}), "connections": base_conn, "simulate": [2.5, 2.5, 2.5, 2.5]},
        "Simulate lengths not multiple of interval"))
    sc.append(scenario("interval_0.1_simulate_2.5_x4", {
        "nodes": base_nodes({"interval": 0.1}), "connections": base_conn, "simulate": [2.5, 2.5, 2.5, 2.5]},
        "which samples are delivered after each Simulate call when T is not a multiple of min_delay"))
    sc.append(scenario("interval_0.1_simulate_10_then_0.1", {
        "nodes": base_nodes({"interval": 0.1}), "connections": base_conn, "simulate": [10.0, 0.1]},
        "samples of the last min_delay slice are only delivered by a later Simulate call"))
    sc.append(scenario("interval_0.1_min_delay_0.1", {
        "nodes": base_nodes({"interval": 0.1}),
        "connections": [{"pre": "multimeter", "post": "neuron", "syn_spec": {"delay": 0.1}}],
        "simulate": [10.0]},
        "multimeter->neuron delay 0.1 makes min_delay 0.1"))
    # start/stop/origin on multimeter and spike_recorder
    for label, p in [("mm_start_stop", {"start": 2.0, "stop": 6.0}),
                     ("mm_start_stop_origin", {"start": 2.0, "stop": 6.0, "origin": 1.0}),
                     ("mm_start_stop_interval_0.1", {"start": 2.0, "stop": 3.0, "interval": 0.1}),
                     ("mm_offset", {"offset": 0.5, "interval": 1.0}),
                     ]:
        sc.append(scenario(label, {
            "nodes": base_nodes(p), "connections": base_conn, "simulate": [10.0]},
            "multimeter with %r" % (p,)))
    # spike recorder start/stop/origin: parrot relays spike generator spikes at known times
    times = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    for label, p in [("sr_default", {}),
                     ("sr_start_stop", {"start": 3.0, "stop": 6.0}),
                     ("sr_start_stop_origin", {"start": 3.0, "stop": 6.0, "origin": 1.0}),
                     ("sr_start_2.9_stop_6.1", {"start": 2.9, "stop": 6.1})]:
        sc.append(scenario(label, {
            "nodes": [
                {"label": "sg", "model": "spike_generator", "params": {"spike_times": times}},
                {"label": "parrot", "model": "parrot_neuron"},
                {"label": "spikerecorder", "model": "spike_recorder", "params": p},
            ],
            "connections": [{"pre": "sg", "post": "parrot", "syn_spec": {"delay": 1.0}},
                            {"pre": "parrot", "post": "spikerecorder"}],
            "simulate": [12.0]},
            "parrot re-emits at spike_time + 1.0 (delay); spike_recorder params %r" % (p,)))
    # event ordering with 3 neurons on one multimeter; every connection has the same delay md,
    # so min_delay == max_delay == md (multimeter->neuron connections count for min_delay)
    for md in (0.1, 0.5, 1.0, 2.0):
        nodes = [
            {"label": "neurons", "model": "iaf_psc_alpha", "n": 3,
             "params": [{"I_e": 376.0}, {"I_e": 450.0}, {"I_e": 500.0}]},
            {"label": "multimeter", "model": "multimeter", "params": {"interval": 0.1, "record_from": ["V_m"]}},
            {"label": "spikerecorder", "model": "spike_recorder"},
        ]
        conns = [{"pre": "multimeter", "post": "neurons", "syn_spec": {"delay": md}},
                 {"pre": "neurons", "post": "spikerecorder", "syn_spec": {"delay": md}}]
        sc.append(scenario("order_3_neurons_min_delay_%s" % md,
                           {"nodes": nodes, "connections": conns, "simulate": [30.0]},
                           "3 neurons on one multimeter (interval 0.1); all connections have delay %s so "
                           "min_delay=max_delay=%s; ordering of (senders, times) as NEST returns it" % (md, md)))
    sc.append(scenario("order_3_neurons_mixed_delays", {
        "nodes": [
            {"label": "neurons", "model": "iaf_psc_alpha", "n": 3,
             "params": [{"I_e": 376.0}, {"I_e": 450.0}, {"I_e": 500.0}]},
            {"label": "multimeter", "model": "multimeter", "params": {"interval": 0.1, "record_from": ["V_m"]}},
            {"label": "spikerecorder", "model": "spike_recorder"},
            {"label": "extra", "model": "iaf_psc_alpha"},
        ],
        "connections": [{"pre": "multimeter", "post": "neurons"},
                        {"pre": "neurons", "post": "spikerecorder"},
                        {"pre": "extra", "post": "extra", "syn_spec": {"weight": 0.0, "delay": 2.0}}],
        "simulate": [30.0]},
        "default delays 1.0 plus one weight-0 connection with delay 2.0: min_delay 1.0, max_delay 2.0"))
    # spike recorder ordering: several neurons spiking in the same steps
    sc.append(scenario("order_spikes_same_time", {
        "nodes": [
            {"label": "sg", "model": "spike_generator", "params": {"spike_times": [1.0, 2.0, 2.0, 3.0]}},
            {"label": "parrots", "model": "parrot_neuron", "n": 4},
            {"label": "spikerecorder", "model": "spike_recorder"},
            {"label": "extra", "model": "iaf_psc_alpha"},
        ],
        "connections": [{"pre": "sg", "post": "parrots", "syn_spec": {"delay": 1.0}},
                        {"pre": "parrots", "post": "spikerecorder"},
                        {"pre": "extra", "post": "extra", "syn_spec": {"weight": 0.0, "delay": 3.0}}],
        "simulate": [10.0]},
        "4 parrots spiking at the same times, min_delay 1.0 (max_delay 3.0)"))
    sc.append(scenario("order_spikes_reverse_connect", {
        "nodes": [
            {"label": "sg", "model": "spike_generator", "params": {"spike_times": [1.0, 2.0, 2.0, 3.0]}},
            {"label": "parrots", "model": "parrot_neuron", "n": 4},
            {"label": "spikerecorder", "model": "spike_recorder"},
        ],
        "connections": [{"pre": "sg", "post": "parrots", "syn_spec": {"delay": 1.0}}] +
                       [{"pre": "parrots", "pre_index": i, "post": "spikerecorder"} for i in (3, 1, 2, 0)],
        "simulate": [10.0]},
        "parrots connected to the recorder in order 3,1,2,0 (min_delay=max_delay=1.0)"))
    sc.append(scenario("order_multimeter_reverse_connect", {
        "nodes": [
            {"label": "neurons", "model": "iaf_psc_alpha", "n": 3,
             "params": [{"I_e": 376.0}, {"I_e": 450.0}, {"I_e": 500.0}]},
            {"label": "multimeter", "model": "multimeter", "params": {"interval": 0.5, "record_from": ["V_m"]}},
        ],
        "connections": [{"pre": "multimeter", "post": "neurons", "post_index": i} for i in (2, 0, 1)],
        "simulate": [5.0]},
        "multimeter connected to neurons in order 2,0,1 (min_delay 1.0, interval 0.5)"))
    sc.append(scenario("order_spikes_within_slice_min_delay_5", {
        "nodes": [
            {"label": "sgs", "model": "spike_generator", "n": 3,
             "params": [{"spike_times": [3.0, 4.0]}, {"spike_times": [2.0]}, {"spike_times": [1.5, 2.0]}]},
            {"label": "parrots", "model": "parrot_neuron", "n": 3},
            {"label": "spikerecorder", "model": "spike_recorder"},
        ],
        "connections": [{"pre": "sgs", "post": "parrots", "conn_spec": "one_to_one", "syn_spec": {"delay": 5.0}},
                        {"pre": "parrots", "post": "spikerecorder", "syn_spec": {"delay": 5.0}}],
        "simulate": [20.0]},
        "min_delay 5.0: parrots spike at different steps of the same slice [5,10): ordering within a slice"))
    sc.append(scenario("order_spikes_within_slice_min_delay_5_sim_in_steps", {
        "nodes": [
            {"label": "sgs", "model": "spike_generator", "n": 3,
             "params": [{"spike_times": [3.0, 4.0]}, {"spike_times": [2.0]}, {"spike_times": [1.5, 2.0]}]},
            {"label": "parrots", "model": "parrot_neuron", "n": 3},
            {"label": "spikerecorder", "model": "spike_recorder"},
        ],
        "connections": [{"pre": "sgs", "post": "parrots", "conn_spec": "one_to_one", "syn_spec": {"delay": 5.0}},
                        {"pre": "parrots", "post": "spikerecorder", "syn_spec": {"delay": 5.0}}],
        "simulate": [7.0, 13.0]},
        "same as order_spikes_within_slice_min_delay_5 but Simulate(7.0) then Simulate(13.0)"))
    # voltmeter
    sc.append(scenario("voltmeter_default", {
        "nodes": [
            {"label": "neuron", "model": "iaf_psc_alpha", "params": {"I_e": 376.0}},
            {"label": "voltmeter", "model": "voltmeter"},
        ],
        "connections": [{"pre": "voltmeter", "post": "neuron"}],
        "simulate": [5.0]},
        "voltmeter with default parameters"))
    return sc


# ---------------------------------------------------------------------------
# (g) parrot neuron, (h) spike_generator
# ---------------------------------------------------------------------------
def parrot_and_generator():
    sc = []

    def sgp(label, sgparams, parrot=True, sim=10.0, delay=1.0, res=None, desc=""):
        nodes = [{"label": "sg", "model": "spike_generator", "params": sgparams}]
        conns = []
        if parrot:
            nodes.append({"label": "parrot", "model": "parrot_neuron"})
            conns.append({"pre": "sg", "post": "parrot", "syn_spec": {"delay": delay}})
            src = "parrot"
        else:
            nodes.append({"label": "neuron", "model": "iaf_psc_delta"})
            conns.append({"pre": "sg", "post": "neuron", "syn_spec": {"delay": delay, "weight": 20.0}})
            src = "neuron"
        nodes.append({"label": "spikerecorder", "model": "spike_recorder"})
        conns.append({"pre": src, "post": "spikerecorder"})
        spec = {"nodes": nodes, "connections": conns, "simulate": [sim]}
        if res is not None:
            spec["kernel"] = {"resolution": res}
        sc.append(scenario(label, spec, desc))

    sgp("parrot_basic", {"spike_times": [1.0, 1.0, 2.0, 5.5]},
        desc="duplicate times are two spikes; parrot output times = input + delay")
    sgp("parrot_multiplicities", {"spike_times": [1.0, 2.0, 5.5], "spike_multiplicities": [2, 1, 3]},
        desc="spike_multiplicities")
    sgp("parrot_dup_and_multiplicity", {"spike_times": [1.0, 1.0, 2.0], "spike_multiplicities": [2, 1, 3]},
        desc="duplicates combined with multiplicities")
    sgp("parrot_delay_2.3", {"spike_times": [1.0, 1.0, 2.0, 5.5]}, delay=2.3, desc="delay 2.3")
    sgp("sg_start_stop", {"spike_times": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], "start": 2.0, "stop": 5.0},
        desc="spike_generator start/stop: which spike times pass")
    sgp("sg_start_stop_origin", {"spike_times": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], "start": 2.0, "stop": 5.0,
                                 "origin": 1.0}, sim=15.0,
        desc="origin shifts start/stop window, not spike times")
    sgp("sg_precise_times_false", {"spike_times": [1.0, 2.5, 3.3], "precise_times": False},
        desc="precise_times False (default)")
    sgp("sg_offgrid_allowed", {"spike_times": [1.01, 1.04, 1.05, 1.06, 2.15, 3.0], "allow_offgrid_times": True},
        desc="allow_offgrid_times=True: off-grid times are rounded to grid (see results)")
    sgp("sg_spike_at_sim_end", {"spike_times": [5.0, 9.0, 10.0]}, sim=10.0,
        desc="spike times near end of simulation (delay 1.0): spike at 9.0 arrives at 10.0")
    sgp("sg_weights", {"spike_times": [1.0, 2.0, 3.0], "spike_weights": [10.0, 20.0, 30.0]}, parrot=False,
        desc="spike_weights multiply connection weight (20 mV) into iaf_psc_delta")
    sgp("sg_res_0.25", {"spike_times": [1.0, 1.25, 2.5]}, res=0.25, desc="resolution 0.25")
    sc.append(scenario("sg_direct_to_spike_recorder", {
        "nodes": [{"label": "sg", "model": "spike_generator", "params": {"spike_times": [1.0, 2.0, 2.0, 3.5]}},
                  {"label": "spikerecorder", "model": "spike_recorder"}],
        "connections": [{"pre": "sg", "post": "spikerecorder"}],
        "simulate": [10.0]},
        "a spike_generator connected directly to a spike_recorder (allowed)"))
    sc.append(scenario("delta_threshold_equality", {
        "nodes": [{"label": "sg", "model": "spike_generator", "params": {"spike_times": [10.0, 20.0]}},
                  {"label": "neuron", "model": "iaf_psc_delta"},
                  {"label": "multimeter", "model": "multimeter", "params": {"interval": 0.1, "record_from": ["V_m"]}},
                  {"label": "spikerecorder", "model": "spike_recorder"}],
        "connections": [{"pre": "sg", "post": "neuron", "syn_spec": {"weight": 15.0, "delay": 1.0}},
                        {"pre": "multimeter", "post": "neuron"},
                        {"pre": "neuron", "post": "spikerecorder"}],
        "simulate": [25.0]},
        "iaf_psc_delta from rest (E_L=-70, V_th=-55) gets a 15 mV jump: V_m == V_th exactly"))

    # facts that are errors rather than runs
    facts = []
    for label, res, params in [
        ("offgrid_1.05_res_0.1", 0.1, {"spike_times": [1.05]}),
        ("offgrid_0.1_res_0.25", 0.25, {"spike_times": [0.1]}),
        ("unsorted", 0.1, {"spike_times": [2.0, 1.0]}),
        ("zero_time", 0.1, {"spike_times": [0.0]}),
        ("negative_time", 0.1, {"spike_times": [-1.0]}),
        ("multiplicities_wrong_length", 0.1, {"spike_times": [1.0, 2.0], "spike_multiplicities": [1]}),
        ("weights_wrong_length", 0.1, {"spike_times": [1.0, 2.0], "spike_weights": [1.0]}),
        ("offgrid_and_precise", 0.1, {"allow_offgrid_times": True, "precise_times": True}),
    ]:
        nest.ResetKernel()
        nest.resolution = res
        sg = nest.Create("spike_generator")
        try:
            sg.set(params)
            facts.append({"case": label, "resolution": res, "params": params, "error": None,
                          "result": to_plain(sg.get(["spike_times", "spike_multiplicities", "spike_weights",
                                                     "allow_offgrid_times", "precise_times"]))})
        except Exception as e:
            facts.append({"case": label, "resolution": res, "params": params,
                          "error": {"class": type(e).__qualname__, "module": type(e).__module__,
                                    "message": str(e)}})
    # set via Create(params=...)
    for label, params in [("create_offgrid", {"spike_times": [1.05]}),
                          ("create_offgrid_allowed", {"spike_times": [1.05], "allow_offgrid_times": True})]:
        nest.ResetKernel()
        try:
            sg = nest.Create("spike_generator", params=params)
            facts.append({"case": label, "resolution": 0.1, "params": params, "error": None,
                          "result": to_plain(sg.get(["spike_times"]))})
        except Exception as e:
            facts.append({"case": label, "resolution": 0.1, "params": params,
                          "error": {"class": type(e).__qualname__, "module": type(e).__module__,
                                    "message": str(e)}})
    return sc, facts


# ---------------------------------------------------------------------------
# Part 2: defaults, model lists, kernel status, API behaviour / error catalog
# ---------------------------------------------------------------------------
DEFAULT_MODELS = ["iaf_psc_alpha", "iaf_psc_exp", "iaf_psc_delta", "parrot_neuron", "dc_generator",
                  "poisson_generator", "spike_generator", "spike_recorder", "multimeter", "voltmeter",
                  "static_synapse", "static_synapse_hom_w"]


def defaults_and_lists():
    nest.ResetKernel()
    defaults = {}
    for m in DEFAULT_MODELS:
        d = nest.GetDefaults(m)
        defaults[m] = {"values": to_plain(d), "types": {k: type(v).__name__ for k, v in d.items()}}
    lists = {
        "node_models": list(nest.node_models),
        "synapse_models": list(nest.synapse_models),
        "connection_rules": list(nest.connection_rules),
        "recordables": {m: list(nest.GetDefaults(m, "recordables"))
                        for m in ("iaf_psc_alpha", "iaf_psc_exp", "iaf_psc_delta")},
    }
    return defaults, lists


def kernel_status():
    nest.ResetKernel()
    ks = nest.GetKernelStatus()
    out = {}
    volatile = {"memory_size", "build_info"}
    for k in sorted(ks):
        v = ks[k]
        entry = {"type": type(v).__name__, "default": to_plain(v)}
        if k == "memory_size":
            entry["default"] = None
            entry["note"] = "value depends on the machine/run (about 290000); not stored"
        elif k in volatile:
            entry["note"] = "value depends on the machine/build"
        if k == "rng_seed":
            entry["note"] = "default seed after every ResetKernel"
        # try to set the same value back
        nest.ResetKernel()
        try:
            nest.SetKernelStatus({k: v})
            entry["set_same_value"] = "ok"
        except Exception as e:
            entry["set_same_value"] = {"exc_module": type(e).__module__, "exc_qualname": type(e).__qualname__,
                                       "message": str(e) if len(str(e)) < 200 else str(e)[:60] + "...<list of valid parameters>"}
        out[k] = entry
    nest.ResetKernel()
    return out


# Each case: (id, setup statements, expression).  Run after nest.ResetKernel() with
# nest.verbosity = ERROR, in a namespace holding `nest` and `np`.  The same strings can be
# executed against our implementation.
API_CASES = [
    # --- Create / model names / params
    ("create_unknown_model", "", 'nest.Create("iaf_psc_alfa")'),
    ("create_unknown_param", "", 'nest.Create("iaf_psc_alpha", params={"V_mm": 1.0})'),
    ("create_n0", "", 'nest.Create("iaf_psc_alpha", 0)'),
    ("create_n_neg", "", 'nest.Create("iaf_psc_alpha", -1)'),
    ("create_n_float", "", 'nest.Create("iaf_psc_alpha", 2.0).tolist()'),
    ("create_params_list_wrong_len", "", 'nest.Create("iaf_psc_alpha", 3, params=[{"I_e": 1.0}, {"I_e": 2.0}])'),
    ("create_params_list_ok", "", 'nest.Create("iaf_psc_alpha", 2, params=[{"I_e": 1.0}, {"I_e": 2.0}]).get("I_e")'),
    ("create_params_array_wrong_len", "", 'nest.Create("iaf_psc_alpha", 3, params={"I_e": [1.0, 2.0]})'),
    ("create_params_array_ok", "", 'nest.Create("iaf_psc_alpha", 3, params={"I_e": [1.0, 2.0, 3.0]}).get("I_e")'),
    ("create_params_nparray_ok", "", 'nest.Create("iaf_psc_alpha", 3, params={"I_e": np.array([1.0, 2.0, 3.0])}).get("I_e")'),
    ("create_params_int_value", "", 'nest.Create("iaf_psc_alpha", params={"I_e": 376}).get("I_e")'),
    ("create_positions_none", "", 'repr(nest.Create("iaf_psc_alpha", 2, positions=None))'),
    # --- where NEST runs nodes: vp, thread, thread_local_id (numbered at Connect / Prepare)
    ("placement_after_create", 'nest.local_num_threads = 4; a = nest.Create("iaf_psc_alpha", 6); g = nest.Create("poisson_generator")',
     '(a + g).get(["vp", "thread", "thread_local_id"])'),
    ("placement_after_connect", 'nest.local_num_threads = 4; a = nest.Create("iaf_psc_alpha", 10); g = nest.Create("poisson_generator", 2); p = nest.Create("parrot_neuron", 3); nest.Connect(a[:2], a[:2]); b = nest.Create("iaf_psc_alpha", 2)',
     '(a + g + p + b).get(["vp", "thread", "thread_local_id"])'),
    ("placement_after_simulate", 'nest.local_num_threads = 3; g = nest.Create("poisson_generator", 2); a = nest.Create("iaf_psc_alpha", 5); r = nest.Create("spike_recorder"); c = nest.Create("iaf_psc_alpha", 3); nest.Simulate(1.0)',
     '(g + a + r + c).get(["vp", "thread", "thread_local_id"])'),
    # --- a multimeter connects through plain static synapses only
    ("multimeter_via_stdp", 'm = nest.Create("multimeter", params={"record_from": ["V_m"]}); n = nest.Create("iaf_psc_alpha")',
     'nest.Connect(m, n, syn_spec={"synapse_model": "stdp_synapse"})'),
    ("multimeter_via_static_hpc", 'm = nest.Create("multimeter", params={"record_from": ["V_m"]}); n = nest.Create("iaf_psc_alpha")',
     'nest.Connect(m, n, syn_spec={"synapse_model": "static_synapse_hpc"})'),
    ("multimeter_via_static_hom_w", 'm = nest.Create("multimeter", params={"record_from": ["V_m"]}); n = nest.Create("iaf_psc_alpha"); nest.Connect(m, n, syn_spec={"synapse_model": "static_synapse_hom_w"}); nest.Simulate(2.0)',
     'm.get("events")["V_m"].tolist()'),
    # --- set / get errors
    ("set_unknown_kw", 'n = nest.Create("iaf_psc_alpha")', 'n.set(V_mm=1.0)'),
    ("set_C_m_negative", 'n = nest.Create("iaf_psc_alpha")', 'n.set({"C_m": -1.0})'),
    ("set_C_m_zero", 'n = nest.Create("iaf_psc_alpha")', 'n.set({"C_m": 0.0})'),
    ("set_tau_m_zero", 'n = nest.Create("iaf_psc_alpha")', 'n.set({"tau_m": 0.0})'),
    ("set_tau_syn_ex_zero", 'n = nest.Create("iaf_psc_alpha")', 'n.set({"tau_syn_ex": 0.0})'),
    ("set_V_reset_above_V_th", 'n = nest.Create("iaf_psc_alpha")', 'n.set({"V_reset": -50.0})'),
    ("set_V_reset_equal_V_th", 'n = nest.Create("iaf_psc_alpha")', 'n.set({"V_reset": -55.0})'),
    ("set_V_th_below_V_reset", 'n = nest.Create("iaf_psc_alpha")', 'n.set({"V_th": -75.0})'),
    ("set_I_e_string", 'n = nest.Create("iaf_psc_alpha")', 'n.set(I_e="abc")'),
    ("set_I_e_int", 'n = nest.Create("iaf_psc_alpha"); n.set({"I_e": 375})', 'n.get("I_e")'),
    ("set_I_e_bool", 'n = nest.Create("iaf_psc_alpha")', 'n.set(I_e=True)'),
    ("set_I_e_none", 'n = nest.Create("iaf_psc_alpha")', 'n.set(I_e=None)'),
    ("set_t_ref_negative", 'n = nest.Create("iaf_psc_alpha")', 'n.set({"t_ref": -1.0})'),
    ("set_t_ref_zero", 'n = nest.Create("iaf_psc_alpha"); n.set({"t_ref": 0.0})', 'n.get("t_ref")'),
    ("set_delta_C_m_zero", 'n = nest.Create("iaf_psc_delta")', 'n.set({"C_m": 0.0})'),
    ("set_exp_tau_syn_zero", 'n = nest.Create("iaf_psc_exp")', 'n.set({"tau_syn_in": 0.0})'),
    ("set_global_id", 'n = nest.Create("iaf_psc_alpha")', 'n.set(global_id=5)'),
    ("set_model", 'n = nest.Create("iaf_psc_alpha")', 'n.set(model="iaf_psc_exp")'),
    ("set_recordables", 'n = nest.Create("iaf_psc_alpha")', 'n.set(recordables=["V_m"])'),
    ("set_params_and_kwargs", 'n = nest.Create("iaf_psc_alpha")', 'n.set({"V_m": -70.0}, C_m=250.0)'),
    ("setattr_unknown", 'n = nest.Create("iaf_psc_alpha")', 'setattr(n, "V_mm", 1.0)'),
    ("get_unknown", 'n = nest.Create("iaf_psc_alpha")', 'n.get("V_mm")'),
    ("getattr_unknown", 'n = nest.Create("iaf_psc_alpha")', 'n.V_mm'),
    ("get_two_positional_args", 'n = nest.Create("iaf_psc_alpha")', 'n.get("V_m", "C_m")'),
    ("get_empty_nc", '', 'nest.NodeCollection().get()'),
    ("set_empty_nc", '', 'nest.NodeCollection().set(V_m=1.0)'),
    # --- Connect
    ("connect_delay_0.05", 'a = nest.Create("iaf_psc_alpha", 2); nest.Connect(a[0], a[1], syn_spec={"delay": 0.05})',
     '(nest.GetConnections().get("delay"), nest.min_delay, nest.max_delay)'),
    ("connect_delay_0.04", 'a = nest.Create("iaf_psc_alpha", 2)', 'nest.Connect(a[0], a[1], syn_spec={"delay": 0.04})'),
    ("connect_delay_0", 'a = nest.Create("iaf_psc_alpha", 2)', 'nest.Connect(a[0], a[1], syn_spec={"delay": 0.0})'),
    ("connect_delay_negative", 'a = nest.Create("iaf_psc_alpha", 2)', 'nest.Connect(a[0], a[1], syn_spec={"delay": -1.0})'),
] + [
    ("connect_delay_%s" % d, 'a = nest.Create("iaf_psc_alpha", 2); nest.Connect(a[0], a[1], syn_spec={"delay": %r})' % d,
     '(nest.GetConnections().get("delay"), nest.min_delay, nest.max_delay)')
    for d in (0.14, 0.149999, 0.15, 0.16, 0.25, 0.35, 0.45, 1.05, 1.15, 2.25, 2.3, 2.35)
] + [
    ("connect_res0.25_delay_2.3", 'nest.resolution = 0.25; a = nest.Create("iaf_psc_alpha", 2); '
                                  'nest.Connect(a[0], a[1], syn_spec={"delay": 2.3})', 'nest.GetConnections().get("delay")'),
    ("connect_res0.25_delay_0.125", 'nest.resolution = 0.25; a = nest.Create("iaf_psc_alpha", 2); '
                                    'nest.Connect(a[0], a[1], syn_spec={"delay": 0.125})', 'nest.GetConnections().get("delay")'),
    ("connect_res0.25_delay_0.1", 'nest.resolution = 0.25; a = nest.Create("iaf_psc_alpha", 2)',
     'nest.Connect(a[0], a[1], syn_spec={"delay": 0.1})'),
    ("connect_res0.3_default_delay", 'nest.resolution = 0.3; a = nest.Create("iaf_psc_alpha", 2); nest.Connect(a[0], a[1])',
     '(nest.GetConnections().get("delay"), nest.GetDefaults("static_synapse", "delay"))'),
    ("connect_unknown_synapse", 'a = nest.Create("iaf_psc_alpha", 2)',
     'nest.Connect(a[0], a[1], syn_spec={"synapse_model": "foo_synapse"})'),
    ("connect_unknown_synapse_str", 'a = nest.Create("iaf_psc_alpha", 2)', 'nest.Connect(a[0], a[1], syn_spec="foo_synapse")'),
    ("connect_unknown_rule", 'a = nest.Create("iaf_psc_alpha", 2)', 'nest.Connect(a[0], a[1], "foo_rule")'),
    ("connect_unknown_conn_key", 'a = nest.Create("iaf_psc_alpha", 2)',
     'nest.Connect(a[0], a[1], {"rule": "all_to_all", "foo": 1})'),
    ("connect_unknown_syn_key", 'a = nest.Create("iaf_psc_alpha", 2)', 'nest.Connect(a[0], a[1], syn_spec={"foo": 1.0})'),
    ("connect_receptor_5", 'a = nest.Create("iaf_psc_alpha", 2)', 'nest.Connect(a[0], a[1], syn_spec={"receptor_type": 5})'),
    ("connect_receptor_1", 'a = nest.Create("iaf_psc_alpha", 2)', 'nest.Connect(a[0], a[1], syn_spec={"receptor_type": 1})'),
    ("connect_one_to_one_unequal", 'a = nest.Create("iaf_psc_alpha", 3)', 'nest.Connect(a[0], a[1:3], "one_to_one")'),
    ("connect_pairwise_bernoulli_no_p", 'a = nest.Create("iaf_psc_alpha", 3)', 'nest.Connect(a, a, {"rule": "pairwise_bernoulli"})'),
    ("connect_fixed_indegree_no_indegree", 'a = nest.Create("iaf_psc_alpha", 3)', 'nest.Connect(a, a, {"rule": "fixed_indegree"})'),
    ("connect_all_to_all_autapses_default", 'a = nest.Create("iaf_psc_alpha", 3); nest.Connect(a, a)', 'nest.num_connections'),
    ("connect_all_to_all_no_autapses", 'a = nest.Create("iaf_psc_alpha", 3); '
                                       'nest.Connect(a, a, {"rule": "all_to_all", "allow_autapses": False})', 'nest.num_connections'),
    ("connect_negative_weight_static", 'a = nest.Create("iaf_psc_alpha", 2); nest.Connect(a[0], a[1], syn_spec={"weight": -5.0})',
     'nest.GetConnections().get("weight")'),
    ("connect_hom_w_weight_in_syn_spec", 'a = nest.Create("iaf_psc_alpha", 2)',
     'nest.Connect(a[0], a[1], syn_spec={"synapse_model": "static_synapse_hom_w", "weight": 5.0})'),
    ("connect_neuron_to_multimeter", 'n = nest.Create("iaf_psc_alpha"); m = nest.Create("multimeter")', 'nest.Connect(n, m)'),
    ("connect_recorder_to_neuron", 'n = nest.Create("iaf_psc_alpha"); s = nest.Create("spike_recorder")', 'nest.Connect(s, n)'),
    ("connect_neuron_to_dc", 'n = nest.Create("iaf_psc_alpha"); d = nest.Create("dc_generator")', 'nest.Connect(n, d)'),
    ("connect_dc_to_parrot", 'p = nest.Create("parrot_neuron"); d = nest.Create("dc_generator")', 'nest.Connect(d, p)'),
    ("connect_sg_to_recorder", 'g = nest.Create("spike_generator"); s = nest.Create("spike_recorder"); nest.Connect(g, s)',
     'nest.num_connections'),
    ("connect_plain_lists", '', 'nest.Connect([1], [2])'),
    ("multimeter_record_from_unknown_set", 'm = nest.Create("multimeter"); m.set(record_from=["V_x"])', 'm.get("record_from")'),
    ("multimeter_record_from_unknown_connect", 'm = nest.Create("multimeter", params={"record_from": ["V_x"]}); '
                                               'n = nest.Create("iaf_psc_alpha")', 'nest.Connect(m, n)'),
    ("multimeter_set_after_connect", 'm = nest.Create("multimeter"); n = nest.Create("iaf_psc_alpha"); nest.Connect(m, n)',
     'm.set(record_from=["V_m"])'),
    ("multimeter_interval_not_multiple", 'm = nest.Create("multimeter")', 'm.set(interval=0.15)'),
    ("multimeter_interval_below_resolution", 'm = nest.Create("multimeter")', 'm.set(interval=0.05)'),
    ("multimeter_interval_zero", 'm = nest.Create("multimeter")', 'm.set(interval=0.0)'),
    ("multimeter_res0.25_interval_0.1", 'nest.resolution = 0.25', 'nest.Create("multimeter", params={"interval": 0.1})'),
    ("multimeter_res0.25_default_interval", 'nest.resolution = 0.25', 'nest.Create("multimeter").get("interval")'),
    ("recorder_set_n_events_0", 's = nest.Create("spike_recorder"); s.set(n_events=0)', '(s.n_events, s.events)'),
    ("recorder_set_n_events_5", 's = nest.Create("spike_recorder")', 's.set(n_events=5)'),
    ("spike_generator_unsorted", 'g = nest.Create("spike_generator")', 'g.set(spike_times=[2.0, 1.0])'),
    ("spike_generator_offgrid", 'g = nest.Create("spike_generator")', 'g.set(spike_times=[1.05])'),
    # --- Simulate / kernel
    ("status_node_beyond_size", 'nest.Create("iaf_psc_alpha", 3)', 'nest.GetStatus(nest.NodeCollection([5]))'),
    ("nodecollection_beyond_size", 'nest.Create("iaf_psc_alpha", 3)', 'nest.NodeCollection([5])'),
    ("simulate_negative", '', 'nest.Simulate(-1.0)'),
    ("simulate_zero", 'nest.Simulate(0.0)', 'nest.biological_time'),
    ("simulate_0.05", '', 'nest.Simulate(0.05)'),
    ("simulate_0.15", '', 'nest.Simulate(0.15)'),
    ("simulate_int", 'nest.Simulate(5)', 'nest.biological_time'),
    ("run_without_prepare", '', 'nest.Run(5.0)'),
    ("prepare_run_cleanup", 'nest.Prepare(); nest.Run(5.0); nest.Run(5.0); nest.Cleanup()', 'nest.biological_time'),
    ("run_manager", 'with nest.RunManager():\n    nest.Run(2.0)\n    nest.Run(3.0)', 'nest.biological_time'),
    ("resolution_zero", '', 'setattr(nest, "resolution", 0.0)'),
    ("resolution_negative", '', 'setattr(nest, "resolution", -0.1)'),
    ("resolution_one_tic_0.001", 'nest.resolution = 0.001', '(nest.resolution, nest.tics_per_step)'),
    ("resolution_below_tic", '', 'setattr(nest, "resolution", 0.0001)'),
    ("resolution_0.15", 'nest.resolution = 0.15', '(nest.resolution, nest.tics_per_step)'),
    ("resolution_0.25", 'nest.resolution = 0.25', '(nest.resolution, nest.tics_per_step, nest.min_delay, nest.max_delay)'),
    ("resolution_after_create", 'nest.Create("iaf_psc_alpha")', 'setattr(nest, "resolution", 0.2)'),
    ("resolution_after_simulate", 'nest.Simulate(1.0)', 'setattr(nest, "resolution", 0.2)'),
    ("resolution_after_create_same_value", 'nest.Create("iaf_psc_alpha")', 'setattr(nest, "resolution", 0.1)'),
    ("kernel_set_unknown", '', 'nest.set(foo=1)'),
    ("kernel_SetKernelStatus_unknown", '', 'nest.SetKernelStatus({"foo": 1})'),
    ("kernel_getattr_unknown", '', 'nest.foo'),
    ("kernel_setattr_unknown", '', 'setattr(nest, "foo", 1)'),
    ("kernel_get_unknown", '', 'nest.GetKernelStatus("foo")'),
    ("kernel_set_readonly", '', 'nest.set(network_size=5)'),
    ("kernel_set_biological_time_nonzero", '', 'nest.SetKernelStatus({"biological_time": 1.0})'),
    ("kernel_set_min_delay_only", '', 'setattr(nest, "min_delay", 0.5)'),
    ("kernel_set_min_max_delay", 'nest.set(min_delay=0.5, max_delay=2.0)', '(nest.min_delay, nest.max_delay)'),
    ("kernel_set_min_gt_max", '', 'nest.set(min_delay=3.0, max_delay=2.0)'),
    ("kernel_set_min_below_resolution", '', 'nest.set(min_delay=0.05, max_delay=2.0)'),
    ("kernel_connect_below_set_min_delay", 'nest.set(min_delay=0.5, max_delay=2.0); a = nest.Create("iaf_psc_alpha", 2)',
     'nest.Connect(a[0], a[1], syn_spec={"delay": 0.2})'),
    ("kernel_connect_above_set_max_delay", 'nest.set(min_delay=0.5, max_delay=2.0); a = nest.Create("iaf_psc_alpha", 2)',
     'nest.Connect(a[0], a[1], syn_spec={"delay": 3.0})'),
    ("kernel_set_delays_after_connect", 'a = nest.Create("iaf_psc_alpha", 2); nest.Connect(a[0], a[1])',
     'nest.set(min_delay=0.5, max_delay=5.0)'),
    ("kernel_delays_initial", '', '(nest.min_delay, nest.max_delay)'),
    ("kernel_delays_after_create", 'nest.Create("iaf_psc_alpha", 2)', '(nest.min_delay, nest.max_delay)'),
    ("kernel_delays_connect_3.0", 'a = nest.Create("iaf_psc_alpha", 2); nest.Connect(a[0], a[1], syn_spec={"delay": 3.0})',
     '(nest.min_delay, nest.max_delay)'),
    ("kernel_delays_connect_3.0_0.5_5.0", 'a = nest.Create("iaf_psc_alpha", 2)\n'
                                          'for d in (3.0, 0.5, 5.0):\n    nest.Connect(a[0], a[1], syn_spec={"delay": d})',
     '(nest.min_delay, nest.max_delay)'),
    ("kernel_delays_multimeter_connect", 'm = nest.Create("multimeter"); n = nest.Create("iaf_psc_alpha"); nest.Connect(m, n)',
     '(nest.min_delay, nest.max_delay)'),
    ("kernel_delays_multimeter_connect_delay_2", 'm = nest.Create("multimeter"); n = nest.Create("iaf_psc_alpha"); '
                                                 'nest.Connect(m, n, syn_spec={"delay": 2.0})', '(nest.min_delay, nest.max_delay)'),
    ("kernel_threads_after_create", 'nest.Create("iaf_psc_alpha")', 'setattr(nest, "local_num_threads", 2)'),
    ("rng_seed_0", '', 'setattr(nest, "rng_seed", 0)'),
    ("rng_seed_negative", '', 'setattr(nest, "rng_seed", -1)'),
    ("rng_seed_1", 'nest.rng_seed = 1', 'nest.rng_seed'),
    ("rng_seed_2**32-1", 'nest.rng_seed = 2**32 - 1', 'nest.rng_seed'),
    ("rng_seed_2**32", '', 'setattr(nest, "rng_seed", 2**32)'),
    ("rng_seed_float", '', 'setattr(nest, "rng_seed", 1.5)'),
    ("rng_seed_str", '', 'setattr(nest, "rng_seed", "1")'),
    ("rng_seed_default", '', 'nest.rng_seed'),
    ("rng_type_unknown", '', 'setattr(nest, "rng_type", "x")'),
    ("reset_kernel_effects",
     'nest.resolution = 0.2; nest.rng_seed = 42; n = nest.Create("iaf_psc_alpha", 3)\n'
     'nest.SetDefaults("iaf_psc_alpha", {"I_e": 5.0}); nest.CopyModel("iaf_psc_alpha", "my_iaf")\n'
     'nest.Connect(n, n); nest.Simulate(10.0); nest.ResetKernel()',
     '(nest.GetKernelStatus(["resolution", "rng_seed", "network_size", "num_connections", "biological_time", '
     '"min_delay", "max_delay"]), nest.GetDefaults("iaf_psc_alpha", "I_e"), "my_iaf" in nest.node_models)'),
    ("reset_kernel_old_nc_get", 'n = nest.Create("iaf_psc_alpha", 3); nest.ResetKernel()', 'n.get("V_m")'),
    ("reset_kernel_old_nc_len_repr", 'n = nest.Create("iaf_psc_alpha", 3); nest.ResetKernel()', '(len(n), repr(n))'),
    ("reset_kernel_keeps_verbosity", 'nest.verbosity = nest.VerbosityLevel.FATAL; nest.ResetKernel()', 'nest.verbosity'),
    ("getdefaults_unknown", '', 'nest.GetDefaults("foo")'),
    ("setdefaults_unknown_key", '', 'nest.SetDefaults("iaf_psc_alpha", {"foo": 1})'),
    ("copymodel_existing_name", '', 'nest.CopyModel("iaf_psc_alpha", "iaf_psc_exp")'),
    ("copymodel_ok", 'nest.CopyModel("iaf_psc_alpha", "my_iaf", {"I_e": 5.0}); n = nest.Create("my_iaf")',
     '(n.get("model"), n.get("I_e"), repr(n), "my_iaf" in nest.node_models)'),
    # --- NodeCollection behaviour
    ("nc_repr_single", 'n = nest.Create("iaf_psc_alpha")', 'repr(n)'),
    ("nc_repr_range", 'n = nest.Create("iaf_psc_alpha", 5)', 'repr(n)'),
    ("nc_str_range", 'n = nest.Create("iaf_psc_alpha", 5)', 'str(n)'),
    ("nc_repr_composite", 'n = nest.Create("iaf_psc_alpha", 5)', 'repr(n[0:2] + n[3:5])'),
    ("nc_repr_composite_singles", 'n = nest.Create("iaf_psc_alpha", 5)', 'repr(n[0] + n[2] + n[4])'),
    ("nc_repr_two_models", 'a = nest.Create("iaf_psc_alpha", 5); b = nest.Create("iaf_psc_exp", 3)', 'repr(a + b)'),
    ("nc_repr_two_models_reversed_add", 'a = nest.Create("iaf_psc_alpha", 5); b = nest.Create("iaf_psc_exp", 3)',
     '(repr(b + a), (b + a).tolist())'),
    ("nc_repr_three_parts", 'a = nest.Create("iaf_psc_alpha", 5); b = nest.Create("iaf_psc_exp", 3); '
                            'c = nest.Create("iaf_psc_alpha")', 'repr(a[0:2] + b + c)'),
    ("nc_repr_step", 'n = nest.Create("iaf_psc_alpha", 5)', 'repr(n[::2])'),
    ("nc_repr_composite_step", 'a = nest.Create("iaf_psc_alpha", 5); b = nest.Create("iaf_psc_exp", 3)', 'repr((a + b)[::3])'),
    ("nc_repr_composite_slice", 'n = nest.Create("iaf_psc_alpha", 5)', 'repr((n[0:2] + n[3:5])[1:3])'),
    ("nc_repr_empty", '', 'repr(nest.NodeCollection())'),
    ("nc_repr_from_list", 'nest.Create("iaf_psc_alpha", 5)', 'repr(nest.NodeCollection([1, 2, 3]))'),
    ("nc_repr_from_list_noncontig", 'nest.Create("iaf_psc_alpha", 5); nest.Create("iaf_psc_exp", 3)',
     'repr(nest.NodeCollection([1, 3, 7]))'),
    ("nc_from_unsorted_list", 'nest.Create("iaf_psc_alpha", 5)', 'nest.NodeCollection([3, 1, 2])'),
    ("nc_from_duplicate_list", 'nest.Create("iaf_psc_alpha", 5)', 'nest.NodeCollection([1, 1, 2])'),
    ("nc_from_nc", 'n = nest.Create("iaf_psc_alpha", 5)', 'nest.NodeCollection(n)'),
    ("nc_len_tolist", 'n = nest.Create("iaf_psc_alpha", 5)', '(len(n), n.tolist(), len(nest.NodeCollection()))'),
    ("nc_index", 'n = nest.Create("iaf_psc_alpha", 5)', 'n.index(3)'),
    ("nc_index_missing", 'n = nest.Create("iaf_psc_alpha", 5)', 'n.index(7)'),
    ("nc_contains_int", 'n = nest.Create("iaf_psc_alpha", 5)', '(3 in n, 7 in n, np.int64(3) in n)'),
    ("nc_contains_nc", 'n = nest.Create("iaf_psc_alpha", 5)', 'n[0] in n'),
    ("nc_iter", 'n = nest.Create("iaf_psc_alpha", 3)', '[repr(x) for x in n]'),
    ("nc_eq", 'a = nest.Create("iaf_psc_alpha", 5); b = nest.Create("iaf_psc_exp", 3)',
     '(a == a, a[0:2] == a[0:2], a[0] == nest.NodeCollection([1]), a == b, a != b)'),
    ("nc_eq_list", 'a = nest.Create("iaf_psc_alpha", 5)', 'a == [1, 2, 3, 4, 5]'),
    ("nc_hash", 'a = nest.Create("iaf_psc_alpha", 5)', 'hash(a)'),
    ("nc_bool", 'a = nest.Create("iaf_psc_alpha", 5)', '(bool(a), bool(nest.NodeCollection()))'),
    ("nc_index_out_of_range", 'n = nest.Create("iaf_psc_alpha", 3)', 'n[5]'),
    ("nc_index_negative", 'n = nest.Create("iaf_psc_alpha", 3)', 'repr(n[-1])'),
    ("nc_index_negative_out_of_range", 'n = nest.Create("iaf_psc_alpha", 3)', 'n[-4]'),
    ("nc_index_np_int", 'n = nest.Create("iaf_psc_alpha", 3)', 'repr(n[np.int64(1)])'),
    ("nc_index_float", 'n = nest.Create("iaf_psc_alpha", 3)', 'n[1.0]'),
    ("nc_index_str", 'n = nest.Create("iaf_psc_alpha", 3)', 'n["x"]'),
    ("nc_slice_step", 'n = nest.Create("iaf_psc_alpha", 3)', '(repr(n[::2]), n[::2].tolist())'),
    ("nc_slice_negative_step", 'n = nest.Create("iaf_psc_alpha", 3)', 'n[::-1]'),
    ("nc_slice_stop_out_of_range", 'n = nest.Create("iaf_psc_alpha", 3)', 'n[0:10]'),
    ("nc_slice_start_gt_stop", 'n = nest.Create("iaf_psc_alpha", 5)', 'n[3:1]'),
    ("nc_slice_negative_start", 'n = nest.Create("iaf_psc_alpha", 5)', 'repr(n[-2:])'),
    ("nc_index_list", 'n = nest.Create("iaf_psc_alpha", 5)', '(repr(n[[0, 2]]), n[[0, 2]].tolist())'),
    ("nc_index_list_unsorted", 'n = nest.Create("iaf_psc_alpha", 5)', 'n[[2, 0]]'),
    ("nc_index_list_duplicate", 'n = nest.Create("iaf_psc_alpha", 5)', 'n[[0, 0]]'),
    ("nc_index_nparray", 'n = nest.Create("iaf_psc_alpha", 5)', 'n[np.array([0, 2])].tolist()'),
    ("nc_index_bool_list", 'n = nest.Create("iaf_psc_alpha", 5)', 'n[[True, False, True, False, True]].tolist()'),
    ("nc_index_bool_nparray", 'n = nest.Create("iaf_psc_alpha", 3)', '(repr(n[np.array([True, False, True])]), '
                                                                      'n[np.array([True, False, True])].tolist())'),
    ("nc_index_bool_wrong_len", 'n = nest.Create("iaf_psc_alpha", 5)', 'n[np.array([True, False, True])]'),
    ("nc_concat_overlap", 'n = nest.Create("iaf_psc_alpha", 3)', 'n[0:2] + n[1:3]'),
    ("nc_concat_self", 'n = nest.Create("iaf_psc_alpha", 3)', 'n + n'),
    ("nc_concat_unordered", 'n = nest.Create("iaf_psc_alpha", 3)', '(repr(n[2] + n[0]), (n[2] + n[0]).tolist())'),
    ("nc_concat_adjacent", 'n = nest.Create("iaf_psc_alpha", 3)', 'repr(n[0] + n[1] + n[2])'),
    ("nc_concat_list", 'n = nest.Create("iaf_psc_alpha", 3)', 'n + [1]'),
    ("nc_concat_empty", 'n = nest.Create("iaf_psc_alpha", 3)', 'repr(n + nest.NodeCollection())'),
    ("nc_subtract", 'n = nest.Create("iaf_psc_alpha", 3)', 'n - n[0]'),
    ("nc_global_id_attr", 'n = nest.Create("iaf_psc_alpha", 3)', '(n.global_id, n[0].global_id)'),
    ("nc_model_attr", 'a = nest.Create("iaf_psc_alpha", 2); b = nest.Create("iaf_psc_exp")', '(a.model, a[0].model, (a + b).model)'),
    ("nc_get_one_full", 'n = nest.Create("iaf_psc_alpha")', 'n.get()'),
    ("nc_get_many_full", 'n = nest.Create("iaf_psc_alpha", 2)', 'n.get()'),
    ("nc_get_V_m_one", 'n = nest.Create("iaf_psc_alpha")', 'n.get("V_m")'),
    ("nc_get_V_m_many", 'n = nest.Create("iaf_psc_alpha", 3)', 'n.get("V_m")'),
    ("nc_get_list_one", 'n = nest.Create("iaf_psc_alpha")', 'n.get(["V_m", "C_m"])'),
    ("nc_get_list_many", 'n = nest.Create("iaf_psc_alpha", 2)', 'n.get(["V_m", "C_m"])'),
    ("nc_get_recordables", 'n = nest.Create("iaf_psc_alpha")', 'n.get("recordables")'),
    ("nc_get_mixed_models", 'a = nest.Create("iaf_psc_alpha"); b = nest.Create("iaf_psc_exp")', '(a + b).get("tau_syn_ex")'),
    ("nc_get_mixed_models_missing_key", 'a = nest.Create("iaf_psc_alpha"); b = nest.Create("parrot_neuron")',
     '(a + b).get("V_m")'),
    ("nc_get_json_one", 'n = nest.Create("iaf_psc_alpha")', 'n.get("V_m", output="json")'),
    ("nc_get_json_many", 'n = nest.Create("iaf_psc_alpha", 2)', 'n.get(["V_m", "C_m"], output="json")'),
    ("nc_get_json_full_one", 'n = nest.Create("iaf_psc_alpha")', 'n.get(output="json")'),
    ("nc_get_pandas", 'n = nest.Create("iaf_psc_alpha", 3)',
     '(lambda df: (type(df).__name__, list(df.shape), list(df.index), list(df.columns), df.index.name, df.to_string()))'
     '(n.get(["V_m", "C_m"], output="pandas"))'),
    ("nc_get_pandas_one", 'n = nest.Create("iaf_psc_alpha")',
     '(lambda df: (type(df).__name__, list(df.shape), list(df.index), list(df.columns), df.to_string()))'
     '(n.get("V_m", output="pandas"))'),
    ("nc_get_pandas_full", 'n = nest.Create("iaf_psc_alpha", 2)',
     '(lambda df: (list(df.shape), list(df.index), list(df.columns)))(n.get(output="pandas"))'),
    ("nc_getattr_one", 'n = nest.Create("iaf_psc_alpha")', 'n.V_m'),
    ("nc_getattr_many", 'n = nest.Create("iaf_psc_alpha", 3)', 'n.V_m'),
    ("nc_setattr_scalar_many", 'n = nest.Create("iaf_psc_alpha", 3); n.V_m = -61.0', 'n.V_m'),
    ("nc_setattr_list", 'n = nest.Create("iaf_psc_alpha", 3); n.V_m = [-60.0, -61.0, -62.0]', 'n.V_m'),
    ("nc_setattr_tuple", 'n = nest.Create("iaf_psc_alpha", 3); n.V_m = (-60.0, -61.0, -62.0)', 'n.V_m'),
    ("nc_setattr_nparray", 'n = nest.Create("iaf_psc_alpha", 3); n.V_m = np.array([-60.0, -61.0, -62.0])', 'n.V_m'),
    ("nc_set_list_kw", 'n = nest.Create("iaf_psc_alpha", 3); n.set(V_m=[-70.0, -71.0, -72.0])', 'n.get("V_m")'),
    ("nc_set_list_wrong_len", 'n = nest.Create("iaf_psc_alpha", 3)', 'n.set(I_e=[1.0, 2.0])'),
    ("nc_set_dict_with_list", 'n = nest.Create("iaf_psc_alpha", 3); n.set({"V_m": [-70.0, -71.0, -72.0], "C_m": 200.0})',
     'n.get(["V_m", "C_m"])'),
    ("nc_set_list_of_dicts", 'n = nest.Create("iaf_psc_alpha", 3); n.set([{"V_m": -60.0}, {"V_m": -61.0}, {"V_m": -62.0}])',
     'n.get("V_m")'),
    ("nc_set_list_of_dicts_wrong_len", 'n = nest.Create("iaf_psc_alpha", 3)', 'n.set([{"I_e": 1.0}, {"I_e": 2.0}])'),
    ("nc_set_int_value", 'n = nest.Create("iaf_psc_alpha"); n.set(V_m=-60)', '(n.V_m, type(n.V_m).__name__)'),
    ("nc_set_mixed_models_common_key", 'a = nest.Create("iaf_psc_alpha"); b = nest.Create("iaf_psc_exp"); '
                                       '(a + b).set(tau_syn_ex=3.0)', '(a + b).get("tau_syn_ex")'),
    ("getstatus_many", 'n = nest.Create("iaf_psc_alpha", 2)',
     '(type(nest.GetStatus(n)).__name__, type(nest.GetStatus(n)[0]).__name__, len(nest.GetStatus(n)))'),
    ("getstatus_key_many", 'n = nest.Create("iaf_psc_alpha", 2)', 'nest.GetStatus(n, "V_m")'),
    ("getstatus_key_one", 'n = nest.Create("iaf_psc_alpha")', 'nest.GetStatus(n, "V_m")'),
    ("getstatus_keys_many", 'n = nest.Create("iaf_psc_alpha", 2)', 'nest.GetStatus(n, ["V_m", "C_m"])'),
    ("getstatus_keys_one", 'n = nest.Create("iaf_psc_alpha")', 'nest.GetStatus(n, ["V_m", "C_m"])'),
    ("setstatus_dict", 'n = nest.Create("iaf_psc_alpha", 2); nest.SetStatus(n, {"V_m": -50.0})', 'n.V_m'),
    ("setstatus_key_value", 'n = nest.Create("iaf_psc_alpha", 2); nest.SetStatus(n, "V_m", -51.0)', 'n.V_m'),
    ("setstatus_list", 'n = nest.Create("iaf_psc_alpha", 2); nest.SetStatus(n, [{"V_m": -52.0}, {"V_m": -53.0}])', 'n.V_m'),
    # --- recorders
    ("events_before_simulate", 'm = nest.Create("multimeter", params={"record_from": ["V_m"]}); s = nest.Create("spike_recorder")',
     '({k: (v.dtype.name, v.tolist()) for k, v in m.get("events").items()}, '
     '{k: (v.dtype.name, v.tolist()) for k, v in s.get("events").items()})'),
    ("events_dtypes_after_simulate",
     'n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0}); m = nest.Create("multimeter", params={"record_from": ["V_m"]})\n'
     's = nest.Create("spike_recorder"); nest.Connect(m, n); nest.Connect(n, s); nest.Simulate(100.0)',
     '({k: (type(v).__name__, v.dtype.name, list(v.shape)) for k, v in m.get("events").items()}, '
     '{k: (type(v).__name__, v.dtype.name, list(v.shape)) for k, v in s.get("events").items()})'),
    ("events_key_access",
     'n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0}); s = nest.Create("spike_recorder"); nest.Connect(n, s); '
     'nest.Simulate(100.0)', '(type(s.events).__name__, s.get("events", "times").tolist(), s.n_events)'),
    ("events_two_recorders", 'm = nest.Create("multimeter", 2)', '(type(m.get("events")).__name__, len(m.get("events")))'),
    ("getstatus_events", 's = nest.Create("spike_recorder")', 'type(nest.GetStatus(s, "events")).__name__'),
    ("recorder_get_full_mm", 'm = nest.Create("multimeter")', 'm.get()'),
    ("recorder_get_full_sr", 's = nest.Create("spike_recorder")', 's.get()'),
    ("recorder_get_full_vm", 'v = nest.Create("voltmeter")', 'v.get()'),
    # --- connections
    ("synapsecollection_str", 'a = nest.Create("iaf_psc_alpha", 3); '
                              'nest.Connect(a, a, "one_to_one", syn_spec={"weight": 2.0, "delay": 1.5})',
     'str(nest.GetConnections())'),
    ("synapsecollection_get", 'a = nest.Create("iaf_psc_alpha", 3); '
                              'nest.Connect(a, a, "one_to_one", syn_spec={"weight": 2.0, "delay": 1.5})',
     'nest.GetConnections().get()'),
    ("synapsecollection_get_one", 'a = nest.Create("iaf_psc_alpha", 3); '
                                  'nest.Connect(a, a, "one_to_one", syn_spec={"weight": 2.0, "delay": 1.5})',
     '(len(nest.GetConnections()), nest.GetConnections()[0].get("weight"), nest.GetConnections().weight, '
     'nest.GetConnections(source=a[0]).get(["source", "target"]))'),
    ("synapsecollection_pandas", 'a = nest.Create("iaf_psc_alpha", 3); '
                                 'nest.Connect(a, a, "one_to_one", syn_spec={"weight": 2.0, "delay": 1.5})',
     'nest.GetConnections().get(["source", "target", "weight"], output="pandas").to_string()'),
    ("synapsecollection_set_list", 'a = nest.Create("iaf_psc_alpha", 3); nest.Connect(a, a, "one_to_one"); '
                                   'nest.GetConnections().set(weight=[1.0, 2.0, 3.0])', 'nest.GetConnections().weight'),
    ("noise_tutorial_weight_matrix", 'n = nest.Create("iaf_psc_alpha"); g = nest.Create("poisson_generator", 2)\n'
                                     'nest.Connect(g, n, syn_spec={"weight": [[1.2, -2.0]], "delay": 1.0})',
     'nest.GetConnections().get(["source", "target", "weight", "delay"])'),
    # --- module level
    ("version", '', 'nest.__version__'),
    ("models_deprecated", '', '(type(nest.Models()).__name__, len(nest.Models()))'),
    ("node_models_type", '', '(type(nest.node_models).__name__, len(nest.node_models), type(nest.synapse_models).__name__, '
                             'len(nest.synapse_models))'),
    ("verbosity_levels", '', '[(m.name, m.value) for m in nest.VerbosityLevel]'),
    ("get_verbosity", '', 'nest.get_verbosity()'),
    ("set_verbosity_M_WARNING", 'nest.set_verbosity("M_WARNING")', '(nest.verbosity, nest.get_verbosity())'),
    ("set_verbosity_M_FOO", '', 'nest.set_verbosity("M_FOO")'),
    ("set_verbosity_int", '', 'nest.set_verbosity(20)'),
    ("verbosity_set_string", '', 'setattr(nest, "verbosity", "M_ERROR")'),
    ("verbosity_set_int", '', 'setattr(nest, "verbosity", 30)'),
    ("verbosity_set_enum", 'nest.verbosity = nest.VerbosityLevel.WARNING', 'nest.verbosity'),
    ("nest_error_alias", '', '(nest.NESTError.__module__, nest.NESTError.__qualname__, nest.NESTError is nest.NESTErrors.KernelException)'),
    ("nest_kernel_attr", '', 'nest.kernel'),
    # collections made before ResetKernel, and Python ints outside C++ long
    ("stale_nc_add", 'a = nest.Create("iaf_psc_alpha", 3); nest.ResetKernel()', 'a + a'),
    ("stale_nc_slice", 'a = nest.Create("iaf_psc_alpha", 3); nest.ResetKernel()', 'a[1:2]'),
    ("stale_nc_connect", 'a = nest.Create("iaf_psc_alpha", 3); nest.ResetKernel()',
     'nest.Connect(a, a)'),
    ("stale_nc_get", 'a = nest.Create("iaf_psc_alpha", 3); nest.ResetKernel()', 'a.get("V_m")'),
    ("stale_nc_len", 'a = nest.Create("iaf_psc_alpha", 3); nest.ResetKernel()', 'len(a)'),
    ("empty_nc_connect_after_reset",
     'e = nest.NodeCollection(); nest.ResetKernel(); n = nest.Create("iaf_psc_alpha")',
     'nest.Connect(n, e)'),
    ("nodecollection_unknown_id", '', 'nest.NodeCollection([99])'),
    ("set_int_above_long", 'n = nest.Create("iaf_psc_alpha")', 'n.set(V_m=2**63)'),
    ("set_int_below_long", 'n = nest.Create("iaf_psc_alpha")', 'n.set(V_m=-2**63 - 1)'),
    ("set_int_long_max", 'n = nest.Create("iaf_psc_alpha"); n.set(V_m=2**63 - 1)', 'n.V_m'),
    ("module_replace_function", '', 'setattr(nest, "get", 5)'),
    ("kernel_attribute_default", '', 'type(nest).keep_source_table._default'),
    ("setattr_readonly_kernel_attribute", '', 'setattr(nest, "network_size", 120)'),
    ("spike_buffer_resize_log", '', 'sorted(nest.spike_buffer_resize_log)'),
    # SetDefaults takes single values only; GetDefaults looks a key up as it is
    ("setdefaults_list_for_scalar", '', 'nest.SetDefaults("iaf_psc_alpha", {"tau_syn_ex": [1.0, 2.0]})'),
    ("setdefaults_parameter", '',
     'nest.SetDefaults("iaf_psc_alpha", "tau_syn_ex", nest.random.uniform(0.5, 1.0))'),
    ("setdefaults_list_for_list", 'nest.SetDefaults("spike_generator", {"spike_times": [1.0, 2.0]})',
     'nest.GetDefaults("spike_generator", "spike_times")'),
    ("setdefaults_unknown_key", '', 'nest.SetDefaults("iaf_psc_alpha", "nonexistent_key", 0)'),
    ("getdefaults_int_key", '', 'nest.GetDefaults("iaf_psc_alpha", 42)'),
    ("create_v_min_above_v_reset", '', 'nest.Create("iaf_psc_alpha", 2, {"V_min": [-1.0, -2.0]}).V_min'),
    # get(outer, inner) forms and collection equality
    ("get_nested_name_pandas", 's = nest.Create("spike_recorder", 2)',
     's.get("events", "times", output="pandas").to_string()'),
    ("get_nested_list_many", 's = nest.Create("spike_recorder", 2)',
     'sorted(s.get("events", ["times", "senders"]))'),
    ("get_nested_name_json", 's = nest.Create("spike_recorder")', 's.get("events", "times", output="json")'),
    ("nc_equal_other_model", 'a = nest.Create("iaf_psc_alpha", 3); nest.ResetKernel(); b = nest.Create("iaf_psc_exp", 3)',
     'a == b'),
]


def _result(value):
    return {"ok": True, "type": type(value).__name__, "repr": repr(value), "value": to_plain(value)}


def _exc(e):
    return {"ok": False, "exc_module": type(e).__module__, "exc_qualname": type(e).__qualname__,
            "exc_mro": [c.__name__ for c in type(e).__mro__], "message": str(e)}


def api_cases():
    out = []
    for cid, setup, expr in API_CASES:
        nest.ResetKernel()
        nest.verbosity = nest.VerbosityLevel.ERROR
        ns = {"nest": nest, "np": np}
        entry = {"id": cid, "setup": setup, "expr": expr}
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                exec(setup, ns)
                entry["result"] = _result(eval(expr, ns))
            except Exception as e:
                entry["result"] = _exc(e)
        ws = [{"category": x.category.__name__, "message": str(x.message).strip()} for x in w]
        if ws:
            entry["warnings"] = ws
        out.append(entry)
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    return out


def error_classes():
    mod = nest.NESTErrors
    names = [x for x in dir(mod) if not x.startswith("__")]
    classes = {}
    for x in names:
        obj = getattr(mod, x)
        if isinstance(obj, type):
            classes[x] = {"module": obj.__module__, "qualname": obj.__qualname__,
                          "mro": [c.__name__ for c in obj.__mro__]}
        else:
            classes[x] = {"not_a_class": type(obj).__name__, "repr": repr(obj)[:200]}
    return {"NESTErrors_module_repr": repr(mod), "NESTErrors_dir": names, "classes": classes,
            "nest.NESTError": {"module": nest.NESTError.__module__, "qualname": nest.NESTError.__qualname__},
            "has_nest_kernel": hasattr(nest, "kernel")}


def module_facts():
    return {
        "__version__": nest.__version__,
        "build_info": to_plain(nest.build_info),
        "verbosity_at_import": VERBOSITY_AT_IMPORT,
        "get_verbosity_at_import": GET_VERBOSITY_AT_IMPORT,
        "verbosity_levels": [(m.name, m.value) for m in nest.VerbosityLevel],
    }



def main(only=()):
    """Regenerate every file, or with ``only`` (e.g. ``api``) just the API probes."""
    hdr = header()
    if "api" in only:
        dump("nest_api_cases.json", dict(hdr, note="each case ran after nest.ResetKernel() with "
                                                   "verbosity ERROR: exec(setup); eval(expr) in a "
                                                   "namespace with nest and np",
                                         cases=api_cases()))
        return
    dump("ref_tutorial.json", dict(hdr, scenarios=tutorial()))
    dump("ref_noise_stats.json", dict(hdr, **noise_statistics()))
    dump("ref_model_traces.json", dict(hdr, scenarios=model_traces()))
    dump("ref_multimeter_conventions.json", dict(hdr, scenarios=multimeter_conventions()))
    sc, facts = parrot_and_generator()
    dump("ref_parrot_spike_generator.json", dict(hdr, scenarios=sc, spike_generator_set_facts=facts))
    defaults, lists = defaults_and_lists()
    dump("nest_defaults.json", dict(hdr, defaults=defaults))
    dump("nest_model_lists.json", dict(hdr, **lists))
    dump("nest_kernel_status.json", dict(hdr, kernel_status=kernel_status()))
    dump("nest_api_cases.json", dict(hdr, note="each case ran after nest.ResetKernel() with verbosity ERROR: "
                                               "exec(setup); eval(expr) in a namespace with nest and np",
                                     cases=api_cases()))
    dump("nest_errors_and_module.json", dict(hdr, errors=error_classes(), module=module_facts()))


if __name__ == "__main__":
    main(sys.argv[1:])
