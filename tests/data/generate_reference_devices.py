#!/usr/bin/env python
"""Regenerate tests/data/ref_devices.json: devices and recording backends of NEST 3.10.

Run with the interpreter of a venv that has the real NEST 3.10.0 (PyPI) installed, from the
repository root:

    /work/.venv-nest/bin/python tests/data/generate_reference_devices.py

The script only drives NEST through its public Python API (the scenario runner and the
measurements are in tests/devices_refdata.py, shared with our tests) and stores the observed
results as JSON. No NEST source is used or copied. It takes about a minute.

Contents of the JSON file:

* ``scenarios``: deterministic networks (spec + results, see devices_refdata.run): ac,
  step current, dc and noise (std 0) currents into neurons with V_m traces and the
  generators' ``I``; sinusoidal_poisson_generator's ``rate``; pulse packets without jitter;
  spike_generator with off-grid times, shift_now_spikes, spike_weights, multiplicities and
  precise times.
* ``windows``: first and last spike time at a parrot behind a 1 ms delay for spike sources at
  10^6 spikes/s (every step fires), for several start/stop/origin; ``noise_intervals``: the
  stamps at which noise_generator's current changes.
* ``errors``: setting parameters: exception class and message (or the values read back).
* ``defaults``: GetDefaults of the generator models (implementation keys removed).
* ``stochastic``: per-seed statistics (rng_seed 1..10) of the stochastic generators, with
  mean and std over seeds.
* ``ascii``: the files, screen lines, n_events and status keys of a session with every
  recording backend; ``backend_facts``: errors and settings of the backends.
"""
import datetime
import json
import os
import sys
import tempfile
import warnings

import numpy as np

import nest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import devices_refdata as ref  # noqa: E402

warnings.simplefilter("ignore")
nest.verbosity = nest.VerbosityLevel.QUIET

IMPLEMENTATION_KEYS = ("available", "capacity", "instantiations", "elementsize", "type_id",
                       "model_id", "thread", "vp", "global_id", "local", "frozen",
                       "node_uses_wfr", "thread_local_id")
GENERATORS = ("ac_generator", "dc_generator", "step_current_generator", "noise_generator",
              "gamma_sup_generator", "sinusoidal_poisson_generator",
              "inhomogeneous_poisson_generator", "pulsepacket_generator", "spike_generator",
              "poisson_generator")


# -- deterministic scenarios ----------------------------------------------------------------------
def current_scenario(name, model, params, sims=(7.0, 5.5), resolution=0.1, extra_status=(),
                     interval=None):
    """A current generator into iaf_psc_alpha and iaf_psc_exp (weights +1 / -0.5, delay 1.5),
    V_m and I_syn_ex of both, and the generator's I, sampled every step."""
    h = interval or resolution
    return {"name": name, "spec": {
        "kernel": {"resolution": resolution},
        "nodes": [
            {"label": "gen", "model": model, "params": params},
            {"label": "alpha", "model": "iaf_psc_alpha", "params": {"V_th": 1e6}},
            {"label": "exp", "model": "iaf_psc_exp", "params": {"V_th": 1e6}},
            {"label": "mm", "model": "multimeter",
             "params": {"record_from": ["V_m", "I_syn_ex"], "interval": h}},
            {"label": "mm_gen", "model": "multimeter", "params": {"record_from": ["I"],
                                                                  "interval": h}},
        ],
        "connections": [
            {"pre": "gen", "post": "alpha", "syn_spec": {"weight": 1.0, "delay": 1.5}},
            {"pre": "gen", "post": "exp", "syn_spec": {"weight": -0.5, "delay": 1.5}},
            {"pre": "mm", "post": "alpha"}, {"pre": "mm", "post": "exp"},
            {"pre": "mm_gen", "post": "gen"},
        ],
        "steps": [{"simulate": t} for t in sims],
        "status": {"gen": list(extra_status)},
    }}


def pulse_scenario(name, params, delay, sims):
    return {"name": name, "spec": {
        "nodes": [{"label": "gen", "model": "pulsepacket_generator", "params": params},
                  {"label": "parrot", "model": "parrot_neuron"},
                  {"label": "sr", "model": "spike_recorder"}],
        "connections": [{"pre": "gen", "post": "sr", "syn_spec": {"delay": delay}},
                        {"pre": "gen", "post": "parrot", "syn_spec": {"delay": delay}},
                        {"pre": "parrot", "post": "sr"}],
        "steps": [{"simulate": t} for t in sims]}}


def spike_scenario(name, sg_params, neuron="iaf_psc_alpha", weight=100.0, resolution=0.1,
                   steps=({"simulate": 20.0},), recorder_params=None):
    """A spike_generator into a neuron (V_m, I_syn_*) and directly into a spike_recorder."""
    rec = ["V_m"] if neuron == "iaf_psc_delta" else ["V_m", "I_syn_ex", "I_syn_in"]
    return {"name": name, "spec": {
        "kernel": {"resolution": resolution},
        "nodes": [{"label": "sg", "model": "spike_generator", "params": sg_params},
                  {"label": "neuron", "model": neuron, "params": {"V_th": 1e6}},
                  {"label": "mm", "model": "multimeter",
                   "params": {"record_from": rec, "interval": resolution}},
                  {"label": "sr", "model": "spike_recorder", "params": recorder_params or {}}],
        "connections": [{"pre": "sg", "post": "neuron", "syn_spec": {"weight": weight,
                                                                     "delay": 1.0}},
                        {"pre": "mm", "post": "neuron"},
                        {"pre": "sg", "post": "sr"}],
        "steps": list(steps), "status": {"sg": ["spike_times"]}}}


def scenarios():
    pulses = np.round(np.arange(0.05, 7.0, 0.05), 3).tolist()
    out = [
        current_scenario("ac_window", "ac_generator",
                         {"amplitude": 50.0, "frequency": 100.0, "offset": 20.0, "phase": 30.0,
                          "start": 1.0, "stop": 8.0}, extra_status=("y_0", "y_1")),
        current_scenario("ac_origin", "ac_generator",
                         {"amplitude": 50.0, "frequency": 33.0, "offset": -20.0, "phase": 200.0,
                          "start": 1.0, "stop": 8.0, "origin": 2.0},
                         extra_status=("y_0", "y_1")),
        current_scenario("ac_res_0.25", "ac_generator",
                         {"amplitude": 80.0, "frequency": 250.0, "phase": 90.0},
                         sims=(10.0, 5.0), resolution=0.25, extra_status=("y_0", "y_1")),
        current_scenario("ac_interval_0.5", "ac_generator",
                         {"amplitude": 80.0, "frequency": 70.0, "offset": 5.0},
                         interval=0.5, sims=(12.0,)),
        current_scenario("step_basic", "step_current_generator",
                         {"amplitude_times": [1.0, 2.5, 4.6, 9.0],
                          "amplitude_values": [100.0, -100.0, 200.0, 50.0]},
                         extra_status=("amplitude_times",)),
        current_scenario("step_window_origin", "step_current_generator",
                         {"amplitude_times": [1.0, 2.5, 4.6, 9.0],
                          "amplitude_values": [100.0, -100.0, 200.0, 50.0],
                          "start": 2.0, "stop": 7.0, "origin": 0.5}),
        current_scenario("step_offgrid", "step_current_generator",
                         {"amplitude_times": [1.01, 2.55, 4.6, 7.0001],
                          "amplitude_values": [100.0, -100.0, 200.0, 3.0],
                          "allow_offgrid_times": True}, extra_status=("amplitude_times",)),
        current_scenario("dc_window", "dc_generator",
                         {"amplitude": 300.0, "start": 2.0, "stop": 6.0}),
        current_scenario("noise_std0", "noise_generator",
                         {"mean": 300.0, "std": 0.0, "start": 2.0, "stop": 6.0, "dt": 0.5},
                         extra_status=("y_0", "y_1")),
        current_scenario("noise_std0_modulated", "noise_generator",
                         {"mean": -40.0, "std": 0.0, "frequency": 10.0, "phase": 45.0},
                         extra_status=("y_0", "y_1")),
        {"name": "step_nest_testsuite_neuron", "spec": {
            "nodes": [
                {"label": "nrn", "model": "iaf_psc_alpha",
                 "params": {"V_th": 1e10, "C_m": 1.0, "tau_m": 1.0, "E_L": 0.0,
                            "V_reset": 0.0, "V_m": 0.0}},
                {"label": "scg", "model": "step_current_generator",
                 "params": {"start": 5.0, "stop": 15.0,
                            "amplitude_times": [1.5, 5.5, 7.5, 10.0, 14.9, 15.0, 20.0],
                            "amplitude_values": [1.0, -2.0, 4.0, -8.0, 16.0, -32.0, 64.0]}},
                {"label": "vm", "model": "voltmeter", "params": {"interval": 0.1}}],
            "connections": [{"pre": "scg", "post": "nrn"}, {"pre": "vm", "post": "nrn"}],
            "steps": [{"simulate": 25.0}]}},
        {"name": "sinusoidal_rate", "spec": {
            "nodes": [
                {"label": "gen", "model": "sinusoidal_poisson_generator",
                 "params": {"rate": 10.0, "amplitude": 20.0, "frequency": 100.0, "phase": 30.0,
                            "start": 1.0, "stop": 6.0}},
                {"label": "parrot", "model": "parrot_neuron"},
                {"label": "mm", "model": "multimeter", "params": {"record_from": ["rate"],
                                                                  "interval": 0.1}}],
            "connections": [{"pre": "gen", "post": "parrot"}, {"pre": "mm", "post": "gen"}],
            "steps": [{"simulate": 6.0}, {"simulate": 6.0}],
            "status": {"gen": ["y_0", "y_1"]}}},
        pulse_scenario("pulse_d1", {"pulse_times": pulses, "activity": 1, "sdev": 0.0}, 1.0,
                       [8.0]),
        pulse_scenario("pulse_d2", {"pulse_times": pulses, "activity": 2, "sdev": 0.0}, 2.0,
                       [8.0]),
        pulse_scenario("pulse_window_d1", {"pulse_times": pulses, "activity": 1, "sdev": 0.0,
                                           "start": 2.5, "stop": 3.5}, 1.0, [8.0]),
        pulse_scenario("pulse_window_d0.1", {"pulse_times": pulses, "activity": 1, "sdev": 0.0,
                                             "start": 2.5, "stop": 3.5}, 0.1, [8.0]),
        pulse_scenario("pulse_split", {"pulse_times": [4.9, 5.05, 5.5], "activity": 1,
                                       "sdev": 0.0}, 0.1, [5.0, 5.0]),
        pulse_scenario("pulse_split_d1", {"pulse_times": [4.9, 5.05, 5.5], "activity": 1,
                                          "sdev": 0.0}, 1.0, [4.5, 5.5]),
        pulse_scenario("pulse_origin", {"pulse_times": [1.0, 2.0, 3.0, 4.0], "activity": 3,
                                        "sdev": 0.0, "origin": 1.0, "start": 1.0, "stop": 3.0},
                       1.0, [8.0]),
        spike_scenario("sg_offgrid", {"spike_times": [1.01, 1.04, 1.05, 2.15, 3.0, 4.0001, 6.55],
                                      "allow_offgrid_times": True}),
        spike_scenario("sg_offgrid_delta", {"spike_times": [1.01, 2.15, 3.0, 6.55],
                                            "allow_offgrid_times": True},
                       neuron="iaf_psc_delta", weight=2.0),
        spike_scenario("sg_weights_multiplicities",
                       {"spike_times": [1.0, 2.0, 2.0, 3.5, 5.0],
                        "spike_weights": [2.0, -1.5, 0.5, 3.0, -0.25],
                        "spike_multiplicities": [1, 2, 3, 1, 4]}, neuron="iaf_psc_exp",
                       weight=150.0),
        spike_scenario("sg_weights_negative_conn",
                       {"spike_times": [1.0, 2.0, 4.0], "spike_weights": [2.0, -1.0, 0.5]},
                       neuron="iaf_psc_alpha", weight=-120.0),
        spike_scenario("sg_weights_delta",
                       {"spike_times": [1.0, 2.0], "spike_weights": [3.0, -2.0]},
                       neuron="iaf_psc_delta", weight=1.5),
        spike_scenario("sg_precise", {"spike_times": [1.0, 1.05, 3.0001, 5.300001, 5.399999, 5.9],
                                      "precise_times": True},
                       recorder_params={"time_in_steps": True}),
        spike_scenario("sg_precise_ms", {"spike_times": [0.1, 5.0, 5.3, 5.33, 5.4, 5.9, 6.0],
                                         "precise_times": True, "start": 5.0, "stop": 6.0},
                       neuron="iaf_psc_delta", weight=1.0, resolution=1.0),
        spike_scenario("sg_precise_res_0.02", {"spike_times": [0.1, 5.0, 5.3, 5.33, 5.4, 5.9],
                                               "precise_times": True}, neuron="iaf_psc_delta",
                       weight=1.0, resolution=0.02),
        spike_scenario("sg_shift_now", {"shift_now_spikes": True},
                       steps=({"simulate": 10.0},
                              {"set": "sg", "params": {"spike_times": [5.0, 10.0001, 11.0001]}},
                              {"simulate": 10.0}),
                       recorder_params={"time_in_steps": True}),
        spike_scenario("sg_shift_now_zero", {"shift_now_spikes": True,
                                             "spike_times": [0.0, 0.0, 1.0]}),
        spike_scenario("sg_precise_future", {"precise_times": True},
                       steps=({"simulate": 10.0},
                              {"set": "sg", "params": {"spike_times": [10.0001, 12.5]}},
                              {"simulate": 10.0}),
                       recorder_params={"time_in_steps": True}),
        spike_scenario("sg_at_sim_end", {},
                       steps=({"simulate": 10.0},
                              {"set": "sg", "params": {"spike_times": [10.0001, 10.2],
                                                       "stop": 16.0}},
                              {"simulate": 10.0})),
        spike_scenario("sg_origin_shift", {"spike_times": [1.0, 2.0, 3.0], "origin": 1.0,
                                           "start": 1.0}),
    ]
    return out


def run_scenarios():
    out = []
    for sc in scenarios():
        res = ref.run(nest, sc["spec"])
        again = ref.run(nest, sc["spec"])
        out.append({**sc, "results": res, "identical_when_run_twice": res == again})
    return out


# -- windows of stochastic sources ----------------------------------------------------------------
WINDOW_SOURCES = {
    "poisson_generator": ({"rate": 1e6}, None),
    "inhomogeneous_poisson_generator": ({"rate_times": [0.1], "rate_values": [1e6]}, None),
    "inhomogeneous_poisson_generator steps": ({"rate_times": [2.5, 3.2],
                                               "rate_values": [1e6, 0.0]}, None),
    "gamma_sup_generator": ({"rate": 1e6, "n_proc": 5, "gamma_shape": 1}, None),
    "sinusoidal_poisson_generator": ({"rate": 1e6}, None),
    "sinusoidal_poisson_generator shared": ({"rate": 1e6}, {"individual_spike_trains": False}),
}
WINDOWS = ({"start": 2.0, "stop": 4.0}, {"start": 2.0, "stop": 4.0, "origin": 1.0},
           {"start": 0.0, "stop": 3.0}, {"start": 1.5, "stop": 2.5})


def noise_change_times(nest_module, params):
    """Stamps (ms) at which the recorded noise current changes, sampled every step."""
    nest_module.ResetKernel()
    g = nest_module.Create("noise_generator", params=params)
    mm = nest_module.Create("multimeter", params={"record_from": ["I"], "interval": 0.1})
    nest_module.Connect(mm, g)
    nest_module.Connect(g, nest_module.Create("iaf_psc_alpha"))
    nest_module.Simulate(6.0)
    ev = mm.get("events")
    current, times = np.asarray(ev["I"]), np.asarray(ev["times"])
    return [round(float(t), 6) for t in times[1:][np.diff(current) != 0]]


NOISE_INTERVALS = ({"mean": 10.0, "std": 100.0, "dt": 0.3, "start": 1.1, "stop": 3.0},
                   {"mean": 10.0, "std": 100.0, "dt": 0.3, "start": 1.1, "stop": 3.0,
                    "origin": 0.1},
                   {"mean": 10.0, "std": 100.0, "dt": 0.5})


def run_windows():
    out = []
    for key, (params, defaults) in WINDOW_SOURCES.items():
        model = key.split()[0]
        for w in WINDOWS:
            s, t = ref._parrot_trains(nest, model, {**params, **w}, 2, 8.0, 1, defaults)
            times = np.unique(np.round(t + 1.0, 6))
            out.append({"source": key, "model": model, "params": {**params, **w},
                        "defaults": defaults,
                        "first": float(times.min()) if times.size else None,
                        "last": float(times.max()) if times.size else None,
                        "n_times": int(times.size),
                        "same_for_both_targets": bool(np.array_equal(t[s == 0], t[s == 1]))})
    return out


# -- errors and read-back -------------------------------------------------------------------------
ERROR_CASES = [
    ("step_current_generator", {"amplitude_times": [1.0, 2.0]}, 0.0),
    ("step_current_generator", {"amplitude_values": [1.0, 2.0]}, 0.0),
    ("step_current_generator", {"amplitude_times": [1.0, 2.0], "amplitude_values": [1.0]}, 0.0),
    ("step_current_generator", {"amplitude_times": [1.0, 2.0, 2.0],
                                "amplitude_values": [1.0, 2.0, 3.0]}, 0.0),
    ("step_current_generator", {"amplitude_times": [2.0, 1.0],
                                "amplitude_values": [1.0, 2.0]}, 0.0),
    ("step_current_generator", {"amplitude_times": [1.05], "amplitude_values": [1.0]}, 0.0),
    ("step_current_generator", {"amplitude_times": [1.0001], "amplitude_values": [1.0]}, 0.0),
    ("step_current_generator", {"amplitude_times": [0.0], "amplitude_values": [1.0]}, 0.0),
    ("step_current_generator", {"amplitude_times": [-1.0], "amplitude_values": [1.0]}, 0.0),
    ("step_current_generator", {"amplitude_times": [1.04, 1.06], "amplitude_values": [1.0, 2.0],
                                "allow_offgrid_times": True}, 0.0),
    ("step_current_generator", {"amplitude_times": [1.0, 3.0],
                                "amplitude_values": [1.0, 2.0]}, 2.0),
    ("inhomogeneous_poisson_generator", {"rate_times": [1.0, 2.0]}, 0.0),
    ("inhomogeneous_poisson_generator", {"rate_times": [1.0, 2.0], "rate_values": [1.0]}, 0.0),
    ("inhomogeneous_poisson_generator", {"rate_times": [1.0, 2.0, 2.0],
                                         "rate_values": [1.0, 2.0, 3.0]}, 0.0),
    ("inhomogeneous_poisson_generator", {"rate_times": [1.05], "rate_values": [1.0]}, 0.0),
    ("inhomogeneous_poisson_generator", {"rate_times": [0.0], "rate_values": [1.0]}, 0.0),
    ("inhomogeneous_poisson_generator", {"rate_times": [1.0], "rate_values": [-1.0]}, 0.0),
    ("inhomogeneous_poisson_generator", {"rate_times": [1.0, 3.0], "rate_values": [1.0, 2.0]}, 2.0),
    ("inhomogeneous_poisson_generator", {"rate_times": [1.04, 1.06], "rate_values": [1.0, 2.0],
                                         "allow_offgrid_times": True}, 0.0),
    ("inhomogeneous_poisson_generator", {"allow_offgrid_times": True, "rate_times": [1.04],
                                         "rate_values": [1.0]}, 0.0),
    ("ac_generator", {"y_0": 1.0}, 0.0),
    ("ac_generator", {"frequency": -1.0, "amplitude": -2.0, "phase": 400.0}, 0.0),
    ("gamma_sup_generator", {"rate": -1.0}, 0.0),
    ("gamma_sup_generator", {"gamma_shape": 0}, 0.0),
    ("gamma_sup_generator", {"n_proc": 0}, 0.0),
    ("gamma_sup_generator", {"gamma_shape": 1.5}, 0.0),
    ("sinusoidal_poisson_generator", {"rate": -1.0, "amplitude": -1.0, "frequency": -1.0}, 0.0),
    ("sinusoidal_poisson_generator", {"individual_spike_trains": True}, 0.0),
    ("sinusoidal_poisson_generator", {"y_1": 1.0}, 0.0),
    ("noise_generator", {"std": -1.0}, 0.0),
    ("noise_generator", {"std_mod": -1.0}, 0.0),
    ("noise_generator", {"std_mod": 200.0, "std": 100.0}, 0.0),
    ("noise_generator", {"std_mod": 100.0, "std": 100.0}, 0.0),
    ("noise_generator", {"dt": 0.15}, 0.0),
    ("noise_generator", {"dt": 0.0}, 0.0),
    ("pulsepacket_generator", {"sdev": -1.0}, 0.0),
    ("pulsepacket_generator", {"activity": -1}, 0.0),
    ("pulsepacket_generator", {"activity": 1.5}, 0.0),
    ("pulsepacket_generator", {"pulse_times": [3.0, 1.0, 2.05]}, 0.0),
    ("spike_generator", {"spike_times": [0.0]}, 0.0),
    ("spike_generator", {"spike_times": [4.33], "precise_times": False}, 0.0),
    ("spike_generator", {"spike_times": [1.0, 1.05, 3.0001]}, 0.0),
    ("spike_generator", {"spike_times": [0.1, 10.0, 10.5, 10.50001]}, 0.0),
    ("spike_generator", {"spike_times": [0.1, 10.0, 10.5, 10.50001, 10.55],
                         "allow_offgrid_times": True}, 0.0),
    ("spike_generator", {"spike_times": [0.1, 10.0, 10.5, 10.50001, 10.55],
                         "precise_times": True}, 0.0),
    ("spike_generator", {"spike_times": [0.0, 10.0, 10.5, 10.50001],
                         "shift_now_spikes": True}, 0.0),
    ("spike_generator", {"precise_times": True, "allow_offgrid_times": True}, 0.0),
    ("spike_generator", {"precise_times": True, "shift_now_spikes": True}, 0.0),
    ("spike_generator", {"spike_times": [0.0001]}, 0.0),
    ("spike_generator", {"spike_times": [-0.1], "allow_offgrid_times": True}, 0.0),
    ("spike_generator", {"spike_times": [-1.0]}, 0.0),
    ("spike_generator", {"spike_times": [0.0], "precise_times": True}, 0.0),
    ("spike_generator", {"spike_times": [0.0], "allow_offgrid_times": True}, 0.0),
    ("spike_generator", {"spike_times": [2.0, 1.0], "allow_offgrid_times": True}, 0.0),
    ("spike_generator", {"spike_times": [1.06, 1.04], "allow_offgrid_times": True}, 0.0),
    ("spike_generator", {"spike_times": [1.04, 1.05], "allow_offgrid_times": True}, 0.0),
    ("spike_generator", {"spike_times": [1.0, 2.0], "spike_multiplicities": [1.5, 1]}, 0.0),
    ("spike_generator", {"spike_times": [1.0, 2.0], "spike_weights": [1.0]}, 0.0),
    ("spike_generator", {"spike_times": [1.0, 2.0], "spike_multiplicities": [1]}, 0.0),
    ("spike_generator", {"spike_weights": [1.0]}, 0.0),
    ("spike_generator", {"spike_times": [5.0, 10.0]}, 10.0),
    ("spike_generator", {"spike_times": [10.0, 11.0], "shift_now_spikes": True}, 10.0),
    ("spike_generator", {"spike_times": [1.0], "origin": 0.05}, 0.0),
    ("dc_generator", {"start": 2.0, "stop": 1.0}, 0.0),
]


def probe(model, params, pre):
    """Set ``params`` on a fresh node (after simulating ``pre`` ms); error or values."""
    nest.ResetKernel()
    node = nest.Create(model)
    if pre:
        target = nest.Create("iaf_psc_alpha")
        if model in ("spike_generator",):
            nest.Connect(node, nest.Create("spike_recorder"))
        else:
            nest.Connect(node, target)
        nest.Simulate(pre)
    try:
        node.set(params)
    except Exception as error:  # noqa: BLE001 - we record whatever NEST raises
        return {"error": {"class": type(error).__name__, "module": type(error).__module__,
                          "message": str(error)}}
    status = node.get()
    return {"error": None, "result": {k: ref.plain(status[k]) for k in params if k in status}}


def run_errors():
    return [{"model": m, "params": p, "simulated_before": pre, **probe(m, p, pre)}
            for m, p, pre in ERROR_CASES]


def run_defaults():
    out = {}
    nest.ResetKernel()
    for model in GENERATORS:
        d = nest.GetDefaults(model)
        out[model] = {k: ref.plain(v) for k, v in sorted(d.items())
                      if k not in IMPLEMENTATION_KEYS}
    return out


# -- stochastic -----------------------------------------------------------------------------------
SEEDS = list(range(1, 11))


def run_stochastic():
    out = {}
    for model, measure in ref.MEASUREMENTS.items():
        per_seed = [measure(nest, seed) for seed in SEEDS]
        out[model] = {"seeds": SEEDS, "per_seed": per_seed, "summary": ref.summarize(per_seed)}
    return out


# -- recording backends ---------------------------------------------------------------------------
def run_backend_facts(workdir):
    facts = {}

    def attempt(key, fn):
        try:
            value = fn()
            facts[key] = {"error": None, "value": ref.plain(value)}
        except Exception as error:  # noqa: BLE001
            facts[key] = {"error": {"class": type(error).__name__, "message": str(error)}}

    nest.ResetKernel()
    facts["recording_backends"] = list(nest.recording_backends)
    facts["kernel_defaults"] = {"data_path": nest.data_path, "data_prefix": nest.data_prefix,
                                "overwrite_files": nest.overwrite_files}
    for i, params in enumerate([{"record_to": "foo"}, {"record_to": "memory", "precision": 5},
                                {"file_extension": "x"},
                                {"record_to": "screen", "file_extension": "x"},
                                {"record_to": 3}, {"record_to": "ascii", "precision": 2.5},
                                {"record_to": "ascii", "filenames": ["a"]},
                                {"record_to": "ascii", "events": {}},
                                {"record_to": "ascii", "precision": -1}]):
        attempt(f"create_spike_recorder_{i}",
                lambda p=params: nest.Create("spike_recorder", params=p).get(sorted(p)))
        facts[f"create_spike_recorder_{i}"]["params"] = ref.plain(params)
    # defaults per backend
    nest.ResetKernel()
    facts["defaults_memory"] = sorted(nest.GetDefaults("spike_recorder"))
    nest.SetDefaults("spike_recorder", {"record_to": "ascii", "file_extension": "nest"})
    d = nest.GetDefaults("spike_recorder")
    facts["defaults_ascii"] = {"keys": sorted(d), "file_extension": d["file_extension"],
                               "filenames": list(d["filenames"]), "precision": d["precision"]}
    # time_in_steps after Simulate; switching backends
    nest.ResetKernel()
    nest.overwrite_files = True
    nest.data_path = workdir
    mm = nest.Create("multimeter", params={"record_from": ["V_m"]})
    nest.Connect(mm, nest.Create("iaf_psc_alpha"))
    nest.Simulate(3.0)
    attempt("time_in_steps_after_simulate", lambda: mm.set(time_in_steps=True))
    mm.set(record_to="ascii")
    nest.Simulate(3.0)
    facts["n_events_after_switch_to_ascii"] = int(mm.get("n_events"))
    facts["file_after_switch"] = open(mm.get("filenames")[0]).read()
    mm.set(record_to="memory")
    facts["events_after_switch_back"] = ref.plain(dict(mm.get("events")))
    nest.Simulate(3.0)
    facts["events_after_switch_back_and_simulate"] = ref.plain(dict(mm.get("events")))
    # the file of an earlier run exists: IOError at Simulate, kernel stays prepared
    nest.ResetKernel()
    nest.data_path = workdir
    mm = nest.Create("multimeter", params={"record_to": "ascii", "record_from": ["V_m"]})
    nest.Connect(mm, nest.Create("iaf_psc_alpha"))
    attempt("simulate_existing_file", lambda: nest.Simulate(5.0))
    attempt("simulate_again", lambda: nest.Simulate(5.0))
    attempt("cleanup", lambda: nest.Cleanup())
    nest.overwrite_files = True
    attempt("simulate_overwrite", lambda: nest.Simulate(5.0))
    facts["file_after_overwrite"] = open(mm.get("filenames")[0]).read()
    # data_path / data_prefix / label / file names
    os.makedirs(os.path.join(workdir, "sub"), exist_ok=True)
    nest.ResetKernel()
    nest.data_path = workdir + "/sub"
    nest.data_prefix = "pre_"
    sr = nest.Create("spike_recorder", params={"record_to": "ascii", "label": "L"})
    facts["filename_prefix_label"] = os.path.relpath(sr.get("filenames")[0], workdir)
    nest.data_path = os.path.join(workdir, "missing")
    facts["data_path_after_missing"] = os.path.relpath(nest.data_path, workdir)
    nest.data_prefix = "a/b"
    facts["data_prefix_after_slash"] = nest.data_prefix
    nest.overwrite_files = True
    nest.ResetKernel()
    facts["after_reset"] = {"data_path": os.path.relpath(nest.data_path, workdir),
                            "data_prefix": nest.data_prefix,
                            "overwrite_files": nest.overwrite_files}
    nest.data_prefix = ""
    attempt("cleanup_without_prepare", lambda: nest.Cleanup())
    return facts


def main():
    t0 = datetime.datetime.now(datetime.timezone.utc)
    data = {"generator": "tests/data/generate_reference_devices.py",
            "nest_version": nest.__version__,
            "generated_utc": t0.strftime("%Y-%m-%dT%H:%M:%SZ")}
    data["scenarios"] = run_scenarios()
    data["windows"] = run_windows()
    data["noise_intervals"] = [{"params": p, "change_times": noise_change_times(nest, p)}
                               for p in NOISE_INTERVALS]
    data["errors"] = run_errors()
    data["defaults"] = run_defaults()
    with tempfile.TemporaryDirectory() as workdir:
        data["ascii"] = ref.ascii_session(nest, workdir)
    with tempfile.TemporaryDirectory() as workdir:
        data["backend_facts"] = run_backend_facts(workdir)
    data["stochastic"] = run_stochastic()
    path = os.path.join(HERE, "ref_devices.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    took = (datetime.datetime.now(datetime.timezone.utc) - t0).total_seconds()
    print(f"wrote {path} in {took:.0f} s")


if __name__ == "__main__":
    main()
