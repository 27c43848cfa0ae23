#!/usr/bin/env python
"""Regenerate the NEST 3.10 reference data of the model library (issue 4, neuron models).

Run with the interpreter of a venv that has the real NEST 3.10.0 (PyPI) installed:

    /work/.venv-nest/bin/python tests/data/generate_reference_neurons.py

Like ``generate_reference.py`` (whose helpers it uses) this script only drives NEST through
its public Python API and stores what NEST answered as JSON. It writes:

``ref_neuron_traces.json``
    For every model: one neuron driven by spike_generators (excitatory and inhibitory, and
    one per receptor of the multisynapse / multi-compartment models, repeated spikes, some of
    them during refractoriness) and a dc_generator, recorded by a multimeter (all
    recordables, interval 0.1) and a spike_recorder, simulated in two calls (120 + 130 ms).
    ``final_state`` holds every state variable after the run.
``ref_neuron_defaults.json``
    ``nest.GetDefaults(model)`` of every model, and the status of a node after setting
    the parameters that change derived entries (n_synapses, recordables).
``ref_neuron_errors.json``
    Error probes: each is ``setup`` and ``expr`` run after ``ResetKernel()``; the result is
    "ok" or the exception (class and message).
"""
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_reference import dump, header, nest, run_spec, scenario, to_plain  # noqa: E402

warnings.simplefilter("ignore")
nest.verbosity = nest.VerbosityLevel.ERROR

MODELS = ["iaf_psc_alpha_multisynapse", "iaf_psc_exp_multisynapse", "izhikevich",
          "iaf_cond_alpha", "iaf_cond_exp", "iaf_cond_exp_sfa_rr", "iaf_cond_beta",
          "iaf_cond_alpha_mc", "hh_psc_alpha", "hh_cond_exp_traub"]

# Spike trains (ms) shared by the scenarios: early single spikes, a doublet, a burst, and a
# dense irregular train late in the run (fixed here, drawn once with numpy seed 4).
EXC = [10.0, 10.5, 30.0, 50.0, 50.1, 70.0, 70.2, 70.4, 70.6, 70.8]
INH = [20.0, 60.0, 90.0]
_rng = np.random.default_rng(4)
DENSE = sorted(set(np.round(160.0 + np.cumsum(_rng.exponential(2.0, 40)), 1).tolist()))
DENSE = [t for t in DENSE if t < 240.0]


def on_grid(times, h):
    """``times`` rounded to multiples of ``h`` (for coarser resolutions)."""
    return sorted({round(round(t / h) * h, 10) for t in times})


def drive_spec(model, params, inputs, dc=(), resolution=0.1, simulate=(120.0, 130.0)):
    """One neuron with spike inputs and currents, all recordables sampled every 0.1 ms.

    inputs: list of (spike_times, weight, receptor_type, delay)
    dc:     list of (amplitude, start, stop, receptor_type)
    """
    nest.ResetKernel()
    recordables = list(nest.GetDefaults(model)["recordables"]) if not params.get("tau_syn") \
        else list(nest.Create(model, params={"tau_syn": params["tau_syn"]}).recordables)
    nest.ResetKernel()
    interval = 0.1 if resolution == 0.1 else resolution
    nodes = [{"label": "neuron", "model": model, "params": params},
             {"label": "mm", "model": "multimeter",
              "params": {"record_from": recordables, "interval": interval}},
             {"label": "sr", "model": "spike_recorder"}]
    conns = [{"pre": "mm", "post": "neuron"}, {"pre": "neuron", "post": "sr"}]
    for k, (times, weight, receptor, delay) in enumerate(inputs):
        nodes.append({"label": f"sg{k}", "model": "spike_generator",
                      "params": {"spike_times": sorted(times)}})
        syn = {"weight": weight, "delay": delay}
        if receptor:
            syn["receptor_type"] = receptor
        conns.append({"pre": f"sg{k}", "post": "neuron", "syn_spec": syn})
    for k, (amp, start, stop, receptor) in enumerate(dc):
        nodes.append({"label": f"dc{k}", "model": "dc_generator",
                      "params": {"amplitude": amp, "start": start, "stop": stop}})
        syn = {"receptor_type": receptor} if receptor else None
        conns.append({"pre": f"dc{k}", "post": "neuron", "syn_spec": syn})
    return {"kernel": {"resolution": resolution}, "nodes": nodes, "connections": conns,
            "simulate": list(simulate)}


def with_state(name, spec, model, description):
    """A scenario plus every state variable of the neuron after the run."""
    sc = scenario(name, spec, description)
    # run once more to read the final state (scenario() ran it twice already)
    run_spec(spec)
    ids = sc["results"]["node_ids"]["neuron"]
    status = nest.NodeCollection(ids).get()
    sc["results"]["final_state"]["neuron"] = {k: to_plain(status[k]) for k in STATE_KEYS[model]
                                              if k in status}
    sc["model"] = model
    return sc


STATE_KEYS = {
    "iaf_psc_alpha_multisynapse": ["V_m"],
    "iaf_psc_exp_multisynapse": ["V_m"],
    "izhikevich": ["V_m", "U_m"],
    "iaf_cond_alpha": ["V_m", "g_ex", "g_in", "dg_ex", "dg_in"],
    "iaf_cond_exp": ["V_m", "g_ex", "g_in"],
    "iaf_cond_exp_sfa_rr": ["V_m", "g_ex", "g_in", "g_sfa", "g_rr"],
    "iaf_cond_beta": ["V_m", "g_ex", "g_in", "dg_ex", "dg_in"],
    "iaf_cond_alpha_mc": ["soma", "proximal", "distal"],
    "hh_psc_alpha": ["V_m", "Act_m", "Inact_h", "Act_n"],
    "hh_cond_exp_traub": ["V_m", "Act_m", "Inact_h", "Act_n", "g_ex", "g_in"],
}


def trace_scenarios():
    sc = []

    def add(name, model, params, inputs, dc=(), description="", **kw):
        sc.append(with_state(name, drive_spec(model, params, inputs, dc, **kw), model,
                             description))

    # -- multisynapse: three receptors with different tau_syn (10.0 == tau_m: the singular case)
    for model in ("iaf_psc_alpha_multisynapse", "iaf_psc_exp_multisynapse"):
        taus = [2.0, 10.0, 0.5] if "alpha" in model else [2.0, 5.0, 0.5]
        w = 800.0 if "alpha" in model else 1500.0
        add(f"{model}_receptors", model, {"tau_syn": taus},
            [(EXC, w, 1, 1.0), (INH, -w, 2, 2.3), (EXC[:4], -0.5 * w, 3, 1.0),
             (DENSE, w, 3, 1.0), (DENSE[::2], 0.7 * w, 2, 1.0)],
            [(300.0, 100.0, 150.0, 0)],
            description="3 receptors (tau_syn per receptor), spikes of either sign on each, "
                        "dc 300 pA 100-150 ms")
        add(f"{model}_res025", model, {"tau_syn": taus, "I_e": 200.0},
            [(on_grid(EXC, 0.25), w, 1, 1.0), (INH, -w, 2, 2.25),
             (on_grid(DENSE, 0.25), w, 3, 1.0)],
            [(300.0, 100.0, 150.0, 0)], resolution=0.25, simulate=(120.0, 130.0),
            description="the same at resolution 0.25, I_e 200 pA")
        add(f"{model}_params", model,
            {"tau_syn": [1.0, 3.0], "C_m": 200.0, "tau_m": 15.0, "E_L": -65.0, "V_reset": -72.0,
             "V_th": -50.0, "t_ref": 3.0, "V_m": -60.0, "I_e": 100.0,
             **({"V_min": -75.0} if "alpha" in model else {})},
            [(EXC + DENSE, w, 1, 1.0), (INH + DENSE[1::3], -3 * w, 2, 1.0)],
            [(500.0, 100.0, 150.0, 0)],
            description="non-default parameters (V_min -75 for alpha), strong inhibition")

    # -- izhikevich: weights are jumps of V_m in mV; both numerical schemes
    for ci in (True, False):
        tag = "consistent" if ci else "published"
        add(f"izhikevich_{tag}", "izhikevich", {"consistent_integration": ci, "I_e": 5.0},
            [(EXC + DENSE, 8.0, 0, 1.0), (INH, -10.0, 0, 1.0)],
            [(10.0, 100.0, 150.0, 0)],
            description=f"consistent_integration={ci}, I_e 5, dc 10 100-150 ms")
    add("izhikevich_bursting", "izhikevich",
        {"a": 0.02, "b": 0.2, "c": -50.0, "d": 2.0, "V_m": -70.0, "U_m": -14.0, "I_e": 15.0,
         "V_min": -80.0},
        [(INH + DENSE, -30.0, 0, 1.0)], [], description="chattering parameters, V_min -80")

    # -- conductance-based integrate-and-fire
    cond_in = [(EXC + DENSE, 16.0, 0, 1.0), (INH, -20.0, 0, 1.0)]
    add("iaf_cond_alpha_drive", "iaf_cond_alpha", {}, cond_in, [(400.0, 100.0, 150.0, 0)],
        description="exc 16 nS, inh 20 nS, dc 400 pA 100-150 ms")
    add("iaf_cond_alpha_params", "iaf_cond_alpha",
        {"tau_syn_ex": 1.5, "tau_syn_in": 5.0, "I_e": 260.0, "t_ref": 3.0, "V_reset": -65.0},
        [(EXC + DENSE, 4.0, 0, 1.0), (INH + DENSE[::4], -6.0, 0, 2.3)],
        description="slower synapses, I_e 260 pA")
    add("iaf_cond_exp_drive", "iaf_cond_exp", {}, cond_in, [(400.0, 100.0, 150.0, 0)],
        description="exc 16 nS, inh 20 nS, dc 400 pA 100-150 ms")
    add("iaf_cond_exp_params", "iaf_cond_exp",
        {"tau_syn_ex": 1.5, "tau_syn_in": 5.0, "I_e": 260.0, "t_ref": 3.0, "V_reset": -65.0},
        [(EXC + DENSE, 4.0, 0, 1.0), (INH + DENSE[::4], -6.0, 0, 2.3)],
        description="slower synapses, I_e 260 pA")
    add("iaf_cond_exp_sfa_rr_drive", "iaf_cond_exp_sfa_rr", {},
        [(EXC + DENSE, 10.0, 0, 1.0), (INH, -20.0, 0, 1.0)], [(700.0, 100.0, 150.0, 0)],
        description="exc 10 nS, inh 20 nS, dc 700 pA 100-150 ms (adaptation visible)")
    add("iaf_cond_beta_drive", "iaf_cond_beta", {}, cond_in, [(400.0, 100.0, 150.0, 0)],
        description="default (rise == decay, the alpha limit)")
    add("iaf_cond_beta_rise_decay", "iaf_cond_beta",
        {"tau_rise_ex": 0.5, "tau_decay_ex": 3.0, "tau_rise_in": 1.0, "tau_decay_in": 6.0,
         "I_e": 200.0},
        [(EXC + DENSE, 3.0, 0, 1.0), (INH, -8.0, 0, 1.0)], [(200.0, 100.0, 150.0, 0)],
        description="rise != decay, I_e 200 pA")
    mc_in = [(EXC, 20.0, 1, 1.0), (INH, 10.0, 2, 1.0), (EXC[2:] + DENSE, 40.0, 3, 1.0),
             (INH[1:], 10.0, 4, 1.0), (DENSE[::2] + EXC[:3], 60.0, 5, 1.0), (INH, 10.0, 6, 1.0)]
    add("iaf_cond_alpha_mc_receptors", "iaf_cond_alpha_mc", {}, mc_in,
        [(300.0, 100.0, 130.0, 7), (400.0, 140.0, 170.0, 8), (600.0, 180.0, 210.0, 9)],
        description="one spike_generator per spike receptor (1-6), one dc per current receptor "
                    "(7-9)")
    add("iaf_cond_alpha_mc_params", "iaf_cond_alpha_mc",
        {"soma": {"I_e": 150.0, "tau_syn_ex": 1.0}, "distal": {"g_L": 12.0, "E_L": -68.0},
         "g_sp": 4.0, "t_ref": 3.0},
        mc_in[:2] + mc_in[4:], [],
        description="compartment parameters set as sub-dicts, soma I_e 150 pA")

    # -- Hodgkin-Huxley
    add("hh_psc_alpha_drive", "hh_psc_alpha", {},
        [(EXC + DENSE, 300.0, 0, 1.0), (INH, -300.0, 0, 1.0)], [(800.0, 100.0, 150.0, 0)],
        description="exc 300 pA, inh 300 pA, dc 800 pA 100-150 ms")
    add("hh_psc_alpha_params", "hh_psc_alpha",
        {"I_e": 700.0, "tau_syn_ex": 0.5, "t_ref": 1.0},
        [(INH + DENSE[::3], -400.0, 0, 1.0)], [],
        description="tonic firing at I_e 700 pA with inhibition")
    add("hh_cond_exp_traub_drive", "hh_cond_exp_traub", {},
        [(EXC + DENSE, 30.0, 0, 1.0), (INH, -50.0, 0, 1.0)], [(600.0, 100.0, 150.0, 0)],
        description="exc 30 nS, inh 50 nS, dc 600 pA 100-150 ms")
    return sc


# ---------------------------------------------------------------------------
# defaults
# ---------------------------------------------------------------------------
def defaults():
    out = {}
    for model in MODELS:
        nest.ResetKernel()
        out[model] = {k: to_plain(v) for k, v in nest.GetDefaults(model).items()}
    derived = {}
    for model in ("iaf_psc_alpha_multisynapse", "iaf_psc_exp_multisynapse"):
        nest.ResetKernel()
        nest.SetDefaults(model, {"tau_syn": [1.0, 2.0, 3.0]})
        d = nest.GetDefaults(model)
        n = nest.Create(model)
        derived[model] = {
            "after_SetDefaults_tau_syn_3": {k: to_plain(d[k]) for k in
                                            ("n_synapses", "recordables", "tau_syn")},
            "node_status": {k: to_plain(v) for k, v in n.get().items()
                            if k not in ("global_id", "thread", "thread_local_id", "vp")},
        }
    return {"defaults": out, "derived": derived}


# ---------------------------------------------------------------------------
# error probes
# ---------------------------------------------------------------------------
def _probe(setup, expr):
    nest.ResetKernel()
    ns = {"nest": nest, "np": np}
    try:
        exec(setup, ns)
        if ";" in expr:     # statements, then the expression whose value is recorded
            statements, expr = expr.rsplit(";", 1)
            exec(statements, ns)
        value = eval(expr.strip(), ns)
        return {"result": "ok", "value": to_plain(value)}
    except Exception as e:  # noqa: BLE001 - we record whatever NEST raises
        return {"result": "error", "exc_module": type(e).__module__,
                "exc_qualname": type(e).__qualname__, "message": str(e)}


def error_probes():
    cases = []

    def case(name, setup, expr):
        cases.append({"name": name, "setup": setup, "expr": expr, **_probe(setup, expr)})

    for model in MODELS:
        d = nest.GetDefaults(model)
        setup = f"n = nest.Create({model!r})"
        for key, value in sorted(d.items()):
            if isinstance(value, float) and key not in ("Ca", "beta_Ca", "tau_Ca", "tau_minus",
                                                       "tau_minus_triplet", "post_trace",
                                                       "ignore_and_spike_interval",
                                                       "ignore_and_spike_offset", "t_spike"):
                for bad in (0.0, -1.0):
                    case(f"{model}:{key}={bad}", setup, f"n.set({{{key!r}: {bad}}})")
        case(f"{model}:V_reset=V_th", setup,
             "n.set(V_reset=n.get('V_th'))" if "V_reset" in d else "None")
        case(f"{model}:V_th_below_V_reset", setup,
             "n.set(V_th=n.get('V_reset') - 1.0)" if "V_reset" in d else "None")
        case(f"{model}:spike_receptor_1", setup + "; sg = nest.Create('spike_generator')",
             "nest.Connect(sg, n, syn_spec={'receptor_type': 1})")
        case(f"{model}:spike_receptor_0", setup + "; sg = nest.Create('spike_generator')",
             "nest.Connect(sg, n)")
        case(f"{model}:current_receptor_1", setup + "; dc = nest.Create('dc_generator')",
             "nest.Connect(dc, n, syn_spec={'receptor_type': 1})")
        case(f"{model}:unknown_key", setup, "n.set(foo=1.0)")
        case(f"{model}:string_value", setup, "n.set(I_e='x')" if "I_e" in d else "None")
        case(f"{model}:record_unknown", setup + "; mm = nest.Create('multimeter', "
             "params={'record_from': ['foo']})", "nest.Connect(mm, n)")
    for model in ("iaf_psc_alpha_multisynapse", "iaf_psc_exp_multisynapse"):
        s = f"n = nest.Create({model!r}); sg = nest.Create('spike_generator')"
        for name, expr in [
                ("tau_syn_zero", "n.set(tau_syn=[1.0, 0.0])"),
                ("tau_syn_negative", "n.set(tau_syn=[-1.0])"),
                ("tau_syn_eq_tau_m", "n.set(tau_syn=[10.0])"),
                ("tau_syn_scalar", "n.set(tau_syn=3.0)"),
                ("tau_syn_empty", "n.set(tau_syn=[]) or (n.n_synapses, n.recordables)"),
                ("tau_syn_ints", "n.set(tau_syn=[1, 2]) or (n.tau_syn, n.recordables)"),
                ("set_n_synapses", "n.set(n_synapses=2)"),
                ("set_has_connections", "n.set(has_connections=True)"),
                ("receptor_2_of_1", "nest.Connect(sg, n, syn_spec={'receptor_type': 2})"),
                ("receptor_3_of_3", "n.set(tau_syn=[1., 2., 3.]); "
                                    "nest.Connect(sg, n, syn_spec={'receptor_type': 3}); "
                                    "n.has_connections"),
                ("receptor_negative", "nest.Connect(sg, n, syn_spec={'receptor_type': -1})"),
                ("grow_with_connections", "nest.Connect(sg, n, syn_spec={'receptor_type': 1}); "
                                          "n.set(tau_syn=[1.0, 2.0])"),
                ("shrink_with_connections", "n.set(tau_syn=[1.0, 2.0]); nest.Connect(sg, n, "
                                            "syn_spec={'receptor_type': 1}); n.set(tau_syn=[3.0])"),
                ("same_size_with_connections", "nest.Connect(sg, n, syn_spec={'receptor_type': 1}"
                                               "); n.set(tau_syn=[3.0]) or n.tau_syn"),
                ("has_connections_dc", "dc = nest.Create('dc_generator'); nest.Connect(dc, n); "
                                       "n.has_connections"),
                ("record_I_syn_2_of_1", "mm = nest.Create('multimeter', params={'record_from': "
                                        "['I_syn_2']}); nest.Connect(mm, n)"),
                ("zero_synapses_receptor_1", "n.set(tau_syn=[]); "
                                             "nest.Connect(sg, n, syn_spec={'receptor_type': 1})"),
                ("V_min_exists", "n.set(V_min=-80.0) or n.V_min"),
                ("create_params_tau_syn", "m = nest.Create(" + repr(model) + ", 2, params={"
                                          "'tau_syn': [1., 2., 3.]}); (m.n_synapses, m.recordables)"),
        ]:
            case(f"{model}:{name}", s, expr)
    s = "n = nest.Create('izhikevich')"
    case("izhikevich:consistent_integration_int", s, "n.set(consistent_integration=1)")
    case("izhikevich:set_U_m_V_m", s, "n.set(V_m=-70.0) or (n.V_m, n.U_m)")
    s = "n = nest.Create('iaf_cond_alpha_mc')"
    for name, expr in [
            ("set_soma_C_m", "n.set(soma={'C_m': 100.0}) or n.get('soma')"),
            ("set_soma_C_m_zero", "n.set(soma={'C_m': 0.0})"),
            ("set_proximal_g_L_zero", "n.set(proximal={'g_L': 0.0})"),
            ("set_distal_tau_zero", "n.set(distal={'tau_syn_ex': 0.0})"),
            ("set_soma_unknown", "n.set(soma={'foo': 1.0})"),
            ("set_flat_C_m", "n.set(C_m=100.0)"),
            ("set_V_m_s", "n.set({'V_m.s': -60.0})"),
            ("get_V_m", "n.get('V_m')"),
            ("set_g_sp_negative", "n.set(g_sp=-1.0) or n.g_sp"),
            ("receptor_10", "sg = nest.Create('spike_generator'); "
                            "nest.Connect(sg, n, syn_spec={'receptor_type': 10})"),
            ("spike_to_current_receptor", "sg = nest.Create('spike_generator'); "
                                          "nest.Connect(sg, n, syn_spec={'receptor_type': 7})"),
            ("current_to_spike_receptor", "dc = nest.Create('dc_generator'); "
                                          "nest.Connect(dc, n, syn_spec={'receptor_type': 1})"),
            ("current_receptor_9", "dc = nest.Create('dc_generator'); "
                                   "nest.Connect(dc, n, syn_spec={'receptor_type': 9})"),
            ("negative_weight_soma_exc", "sg = nest.Create('spike_generator'); nest.Connect(sg, "
                                         "n, syn_spec={'receptor_type': 1, 'weight': -1.0})"),
            ("receptor_types_status", "n.get('receptor_types')"),
    ]:
        case(f"iaf_cond_alpha_mc:{name}", s, expr)
    for comp in ("soma", "proximal", "distal"):
        for key in ("C_m", "g_L", "tau_syn_ex", "tau_syn_in", "E_L", "I_e"):
            for bad in (0.0, -1.0):
                case(f"iaf_cond_alpha_mc:{comp}.{key}={bad}", s,
                     f"n.set({comp}={{{key!r}: {bad}}}) or n.get({comp!r})[{key!r}]")
    case("iaf_cond_alpha_mc:soma_not_dict", s, "n.set(soma=1.0)")
    case("iaf_cond_alpha_mc:soma_string_value", s, "n.set(soma={'C_m': 'x'})")
    for model in ("iaf_cond_alpha", "iaf_cond_exp", "hh_psc_alpha", "hh_cond_exp_traub",
                  "iaf_cond_beta", "iaf_cond_exp_sfa_rr"):
        s = f"n = nest.Create({model!r})"
        case(f"{model}:negative_conductance_state",
             s, "n.set(g_ex=-1.0) or n.g_ex" if "g_ex" in nest.GetDefaults(model) else "None")
    return cases


def main():
    hdr = header()
    hdr["generator"] = "tests/data/generate_reference_neurons.py"
    dump("ref_neuron_traces.json", dict(hdr, scenarios=trace_scenarios()))
    dump("ref_neuron_defaults.json", dict(hdr, **defaults()))
    dump("ref_neuron_errors.json", dict(hdr, cases=error_probes()))


if __name__ == "__main__":
    main()
