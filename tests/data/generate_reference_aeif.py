#!/usr/bin/env python
"""Regenerate the NEST 3.10 reference data of the AdEx family (``ref_aeif_traces.json``).

Run with the interpreter of a venv that has the real NEST 3.10.0 (PyPI) installed, from the
repository root:

    /work/.venv-nest/bin/python tests/data/generate_reference_aeif.py

The script only drives NEST through its public Python API and stores what it observes (traces,
spike times, defaults, error classes and messages) as JSON; it uses no NEST source.

Scenarios use the format of ``tests/data/README.md`` (``spec``: kernel / nodes / connections /
simulate; ``results``: recorder events, final state), so ``tests/refdata.build_and_run`` can
rebuild them through our own ``nest``.
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
SINGLE = ["aeif_cond_alpha", "aeif_cond_exp", "aeif_psc_alpha", "aeif_psc_exp", "aeif_psc_delta"]
MULTI = ["aeif_cond_alpha_multisynapse", "aeif_cond_beta_multisynapse"]
MODELS = SINGLE + MULTI
T_SIM = 200.0

# Input of the single-synapse models: weights per model so that a few inputs are visible and
# the exc burst around 120 ms triggers spikes on top of the DC (nS for cond, pA for psc, mV
# for delta).
WEIGHTS = {"aeif_cond_alpha": (12.0, -15.0), "aeif_cond_exp": (12.0, -15.0),
           "aeif_psc_alpha": (600.0, -700.0), "aeif_psc_exp": (600.0, -700.0),
           "aeif_psc_delta": (4.0, -5.0)}
EXC_TIMES = [10.0, 10.5, 30.0, 50.0, 50.1, 120.0, 120.2, 120.4, 121.0, 170.0, 185.0]
INH_TIMES = [20.0, 60.0, 125.0, 190.0]


to_plain = spec_runner.plain


def run_spec(spec):
    """Build and run ``spec`` in NEST (same meaning as tests/data/generate_reference.py)."""
    nodes, counts = spec_runner.build_and_run(nest, spec)
    res = {"recorders": spec_runner.recorder_results(nodes, counts), "final_state": {}}
    for nd in spec["nodes"]:
        nc = nodes[nd["label"]]
        if nc[0].get("element_type") != "neuron":
            continue
        keys = [k for k in nc[0].get("recordables") if not k.startswith("g_")] + \
            [k for k in ("g", "dg", "t_spike") if k in nc[0].get()]
        res["final_state"][nd["label"]] = {k: to_plain([nc[i].get(k) for i in range(len(nc))])
                                           for k in keys}
    return res


def scenario(name, spec, description):
    return spec_runner.scenario(run_spec, name, spec, description)


def recording(model, nodes="neuron", interval=0.1):
    """Multimeter (all recordables) and spike recorder nodes and their connections."""
    rec = list(nest.GetDefaults(model, "recordables"))
    return ([{"label": "mm", "model": "multimeter",
              "params": {"interval": interval, "record_from": rec}},
             {"label": "sr", "model": "spike_recorder"}],
            [{"pre": "mm", "post": nodes}, {"pre": nodes, "post": "sr"}])


def single_synapse_spec(model, params, dc=True, exc=EXC_TIMES, inh=INH_TIMES, scale=1.0,
                        resolution=None, simulate=(T_SIM,), delay=1.0):
    w_exc, w_inh = WEIGHTS[model]
    rec_nodes, rec_conns = recording(model, interval=resolution or 0.1)
    nodes = [{"label": "neuron", "model": model, "params": params},
             {"label": "sg_exc", "model": "spike_generator", "params": {"spike_times": exc}},
             {"label": "sg_inh", "model": "spike_generator", "params": {"spike_times": inh}}]
    conns = [{"pre": "sg_exc", "post": "neuron",
              "syn_spec": {"weight": w_exc * scale, "delay": delay}},
             {"pre": "sg_inh", "post": "neuron",
              "syn_spec": {"weight": w_inh * scale, "delay": delay}}]
    if dc:
        nodes.append({"label": "dc", "model": "dc_generator",
                      "params": {"amplitude": 300.0, "start": 100.0, "stop": 150.0}})
        conns.append({"pre": "dc", "post": "neuron", "syn_spec": {"delay": delay}})
    spec = {"nodes": nodes + rec_nodes, "connections": conns + rec_conns,
            "simulate": list(simulate)}
    if resolution is not None:
        spec["kernel"] = {"resolution": resolution}
    return spec


def single_synapse_scenarios():
    out = []
    for model in SINGLE:
        out.append(scenario(f"{model}_drive", single_synapse_spec(model, {"I_e": 650.0}),
                            "defaults (t_ref 0), I_e 650 pA (repetitive spiking with adaptation), "
                            "exc/inh spike_generators, dc 300 pA in (100, 150]"))
        out.append(scenario(f"{model}_subthreshold", single_synapse_spec(model, {}, dc=False),
                            "defaults, synaptic responses only (no spike)"))
        out.append(scenario(f"{model}_refractory", single_synapse_spec(
            model, {"I_e": 500.0, "t_ref": 2.0, "a": 2.0, "b": 40.0, "tau_w": 80.0,
                    "V_reset": -55.0, "V_peak": 10.0, "C_m": 200.0, "g_L": 15.0, "E_L": -68.0,
                    "V_m": -65.0, "w": 5.0}, scale=2.0),
            "t_ref 2 ms and non-default parameters, doubled synaptic weights"))
        out.append(scenario(f"{model}_iaf_limit", single_synapse_spec(
            model, {"I_e": 600.0, "Delta_T": 0.0, "t_ref": 1.5, "a": 0.0, "b": 10.0}),
            "Delta_T = 0 (integrate-and-fire limit: spike at V_th), t_ref 1.5"))
    # a few more only for aeif_cond_alpha: resolution, split Simulate calls, per-node params
    out.append(scenario("aeif_cond_alpha_res025", single_synapse_spec(
        "aeif_cond_alpha", {"I_e": 650.0, "t_ref": 1.0}, resolution=0.25,
        exc=[10.0, 10.5, 30.0, 50.0, 50.25, 120.0, 120.25, 120.5, 121.0, 170.0, 185.0]),
        "resolution 0.25 ms, multimeter interval 0.25, t_ref 1.0"))
    out.append(scenario("aeif_cond_alpha_split", single_synapse_spec(
        "aeif_cond_alpha", {"I_e": 650.0}, simulate=(33.3, 66.7, 100.0, 50.0)),
        "as _drive but Simulate split 33.3 + 66.7 + 100 + 50 (internal step carried over)"))
    out.append(scenario("aeif_psc_delta_no_refractory_input", single_synapse_spec(
        "aeif_psc_delta", {"I_e": 500.0, "t_ref": 5.0},
        exc=[float(t) for t in np.arange(2.0, 190.0, 1.3).round(1)], inh=[], dc=False),
        "refractory_input False, same input: spikes arriving while refractory are dropped"))
    out.append(scenario("aeif_psc_delta_big_jump", single_synapse_spec(
        "aeif_psc_delta", {}, exc=[10.0, 40.0, 40.1], inh=[20.0], dc=False, scale=20.0),
        "delta inputs of 80 mV push V_m past V_peak: when is the spike emitted?"))
    out.append(scenario("aeif_cond_exp_burst", single_synapse_spec(
        "aeif_cond_exp", {"I_e": 5e5, "b": 0.0}, dc=False, exc=[2.0], inh=[3.0],
        simulate=(5.0, 5.0)),
        "huge current, t_ref 0: several spikes within one step (same time stamp)"))
    rec_nodes, rec_conns = recording("aeif_psc_alpha", nodes="neurons")
    out.append(scenario("aeif_psc_alpha_three_nodes", {
        "nodes": [{"label": "neurons", "model": "aeif_psc_alpha", "n": 3,
                   "params": [{"I_e": 600.0}, {"I_e": 800.0, "t_ref": 1.0, "b": 20.0},
                              {"I_e": 300.0, "Delta_T": 0.5, "V_th": -55.0}]},
                  {"label": "sg", "model": "spike_generator",
                   "params": {"spike_times": [5.0, 5.5, 80.0]}}] + rec_nodes,
        "connections": [{"pre": "sg", "post": "neurons", "syn_spec": {"weight": 900.0}}]
        + rec_conns,
        "simulate": [T_SIM]}, "three nodes with different parameters in one block"))
    return out


MULTI_PARAMS = {
    "aeif_cond_alpha_multisynapse": {"E_rev": [0.0, -85.0, -20.0], "tau_syn": [0.5, 3.0, 8.0]},
    "aeif_cond_beta_multisynapse": {"E_rev": [0.0, -85.0, -20.0, 10.0],
                                    "tau_rise": [0.2, 1.0, 2.0, 3.0],
                                    "tau_decay": [2.0, 6.0, 10.0, 3.0]},
}


def multisynapse_scenarios():
    out = []
    for model in MULTI:
        params = dict(MULTI_PARAMS[model])
        n_rec = len(params["E_rev"])
        for label, extra in (("drive", {"I_e": 650.0}),
                             ("refractory", {"I_e": 700.0, "t_ref": 2.0, "b": 30.0, "a": 1.0})):
            nest.ResetKernel()
            nodes = [{"label": "neuron", "model": model, "params": {**params, **extra}}]
            conns = []
            for r in range(1, n_rec + 1):
                times = [float(round(t, 1)) for t in (5.0 * r, 40.0 + 7.0 * r, 120.0 + r,
                                                      120.3 + r, 170.0 + 3 * r)]
                nodes.append({"label": f"sg{r}", "model": "spike_generator",
                              "params": {"spike_times": times}})
                conns.append({"pre": f"sg{r}", "post": "neuron",
                              "syn_spec": {"weight": 6.0 * r, "receptor_type": r,
                                           "delay": 1.0 + 0.5 * (r - 1)}})
            nodes.append({"label": "dc", "model": "dc_generator",
                          "params": {"amplitude": 200.0, "start": 100.0, "stop": 150.0}})
            conns.append({"pre": "dc", "post": "neuron"})
            rec = ["V_m", "w"] + [f"g_{r}" for r in range(1, n_rec + 1)]
            nodes += [{"label": "mm", "model": "multimeter",
                       "params": {"interval": 0.1, "record_from": rec}},
                      {"label": "sr", "model": "spike_recorder"}]
            conns += [{"pre": "mm", "post": "neuron"}, {"pre": "neuron", "post": "sr"}]
            out.append(scenario(f"{model}_{label}", {"nodes": nodes, "connections": conns,
                                                     "simulate": [T_SIM]},
                                f"{n_rec} receptors, one spike_generator per receptor, {extra}"))
        rec_nodes, rec_conns = recording(model)
        out.append(scenario(f"{model}_default_receptor", {
            "nodes": [{"label": "neuron", "model": model, "params": {"I_e": 600.0}},
                      {"label": "sg", "model": "spike_generator",
                       "params": {"spike_times": [10.0, 60.0, 61.0]}}] + rec_nodes,
            "connections": [{"pre": "sg", "post": "neuron",
                             "syn_spec": {"weight": 10.0, "receptor_type": 1}}] + rec_conns,
            "simulate": [T_SIM]}, "default single receptor (E_rev 0), receptor_type 1"))
    return out


def defaults():
    out = {}
    for model in MODELS:
        d = nest.GetDefaults(model)
        out[model] = {k: {"value": to_plain(v), "type": type(v).__name__}
                      for k, v in sorted(d.items())}
    return out


BAD_SETTINGS = [
    {"C_m": 0.0}, {"C_m": -1.0}, {"t_ref": -1.0}, {"V_reset": 0.0}, {"V_peak": -51.0},
    {"Delta_T": -1.0}, {"Delta_T": 0.0, "V_peak": -60.0}, {"tau_w": 0.0}, {"tau_syn_ex": 0.0},
    {"tau_syn_in": -1.0}, {"gsl_error_tol": 0.0}, {"V_peak": 2000.0}, {"Delta_T": 0.05},
    {"g_ex": -1.0}, {"g_in": -2.0}, {"C_m": 0.0, "t_ref": -1.0}, {"V_reset": 1.0, "C_m": 0.0},
    {"V_peak": -51.0, "V_reset": -50.0}, {"tau_syn": [1.0, 2.0]}, {"E_rev": [0.0, 1.0]},
    {"E_rev": [0.0, 1.0], "tau_syn": [1.0, -2.0]}, {"tau_rise": [1.0, 2.0]},
    {"E_rev": [0.0, 1.0], "tau_rise": [1.0, 2.0], "tau_decay": [1.0, -2.0]},
    {"E_rev": [0.0, 1.0], "tau_rise": [3.0, 2.0], "tau_decay": [1.0, 5.0]},
    {"n_receptors": 3}, {"g": [1.0]}, {"recordables": ["V_m"]}, {"I_syn_ex": 1.0},
    {"refractory_input": True},
    # accepted ones (negative g_L, a, b; Delta_T = 0 with V_peak == V_th; big w)
    {"g_L": -1.0}, {"a": -1.0}, {"b": -1.0}, {"Delta_T": 0.0, "V_peak": -50.4}, {"w": 1e7},
    {"E_rev": [], "tau_syn": []}, {"E_rev": [], "tau_rise": [], "tau_decay": []},
]


def error_facts():
    """What NEST does when each model is given each of BAD_SETTINGS (on node 1)."""
    out = []
    for model in MODELS:
        for params in BAD_SETTINGS:
            nest.ResetKernel()
            n = nest.Create(model)
            try:
                n.set(params)
                res = {"raised": None}
            except Exception as e:   # noqa: BLE001 - we record whatever NEST raises
                res = {"raised": type(e).__name__, "message": str(e)}
            out.append({"model": model, "params": params, **res})
    return out


def instability_facts():
    """NumericalInstability: when NEST raises it and what it says."""
    out = []
    cases = [("aeif_cond_alpha", {"V_m": -2000.0}), ("aeif_cond_alpha", {"w": 2e6}),
             ("aeif_psc_exp", {"I_e": -1e9}), ("aeif_psc_delta", {"V_m": -1001.0}),
             ("aeif_cond_beta_multisynapse", {"w": -2e6})]
    for model, params in cases:
        nest.ResetKernel()
        n = nest.Create(model, params=params)
        try:
            nest.Simulate(5.0)
            res = {"raised": None}
        except Exception as e:   # noqa: BLE001 - we record whatever NEST raises
            res = {"raised": type(e).__name__, "message": str(e),
                   "biological_time": nest.biological_time}
        out.append({"model": model, "params": params, **res})
    return out


def refractory_input_fact():
    """aeif_psc_delta with refractory_input=True and t_ref > 0: V_m becomes NaN in NEST 3.10."""
    nest.ResetKernel()
    n = nest.Create("aeif_psc_delta", params={"I_e": 800.0, "t_ref": 5.0,
                                              "refractory_input": True})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm, n)
    nest.Connect(n, sr)
    nest.Simulate(60.0)
    v = mm.get("events")["V_m"]
    nan = np.flatnonzero(np.isnan(v))
    return {"params": {"I_e": 800.0, "t_ref": 5.0, "refractory_input": True},
            "spike_times": to_plain(sr.get("events")["times"]),
            "first_nan_time": float(mm.get("events")["times"][nan[0]]) if nan.size else None}


def main():
    data = {
        "generator": "tests/data/generate_reference_aeif.py",
        "nest_version": nest.__version__,
        "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "defaults": defaults(),
        "scenarios": single_synapse_scenarios() + multisynapse_scenarios(),
        "numerical_instability": instability_facts(),
        "refractory_input_nan": refractory_input_fact(),
        "errors": error_facts(),
    }
    path = os.path.join(HERE, "ref_aeif_traces.json")
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(data['scenarios'])} scenarios)")


if __name__ == "__main__":
    main()
