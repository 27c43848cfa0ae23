#!/usr/bin/env python
"""Regenerate ref_cont_delay.json: what cont_delay_synapse does with on- and off-grid delays.

Run with the interpreter of a venv that has the real NEST 3.10.0 (PyPI) installed:

    /work/.venv-nest/bin/python tests/data/generate_reference_cont_delay.py

``probe(nest)`` drives a ``nest`` module through its public API only and returns what it
observed (numbers); tests/nest_compat/test_cont_delay_reference.py runs the same function on
Neuropil's ``nest`` and compares. No NEST source is used or copied.
"""
import datetime
import json
import os


def _arrivals(nest, delays, set_default=None):
    """Arrival times at parrots of one spike (sent at 6.0 ms) through cont_delay_synapses
    whose delays are set after Connect; one more connection made with the model's default
    delay ``set_default``."""
    nest.ResetKernel()
    sg = nest.Create("spike_generator", params={"spike_times": [5.0]})
    pre = nest.Create("parrot_neuron")
    nest.Connect(sg, pre)
    recorders = []
    for _ in delays:
        post, sr = nest.Create("parrot_neuron"), nest.Create("spike_recorder")
        nest.Connect(pre, post, syn_spec={"synapse_model": "cont_delay_synapse", "delay": 1.0})
        nest.Connect(post, sr)
        recorders.append(sr)
    nest.GetConnections(synapse_model="cont_delay_synapse").set(delay=list(delays))
    if set_default is not None:
        nest.SetDefaults("cont_delay_synapse", {"delay": set_default})
        post, sr = nest.Create("parrot_neuron"), nest.Create("spike_recorder")
        nest.Connect(pre, post, syn_spec="cont_delay_synapse")
        nest.Connect(post, sr)
        recorders.append(sr)
    reported = nest.GetConnections(synapse_model="cont_delay_synapse").get("delay")
    nest.Simulate(20.0)
    return {"delays": list(delays), "default": set_default, "reported": list(reported),
            "arrivals": [[float(t) for t in sr.get("events")["times"]] for sr in recorders],
            "min_delay": nest.min_delay, "max_delay": nest.max_delay}


def probe(nest):
    out = {}
    nest.ResetKernel()
    p = nest.Create("parrot_neuron", 2)
    connect = [2.33, 0.3, 1.15, 1.04, 1.25, 0.15]
    for d in connect:
        nest.Connect(p[0], p[1], syn_spec={"synapse_model": "cont_delay_synapse", "delay": d})
    conns = nest.GetConnections()
    out["connect"] = {"delays": connect, "reported": list(conns.get("delay"))}
    sets = []
    for values in ([2.3, 0.3, 1.15, 0.55, 0.57, 3.0], [2.33, 0.31, 1.151, 3.01, 0.7, 0.45]):
        conns.set(delay=values)
        sets.append({"delays": values, "reported": list(conns.get("delay")),
                     "min_delay": nest.min_delay, "max_delay": nest.max_delay})
    out["set"] = sets
    defaults = []
    for d in (0.3, 1.37, 2.0, 0.35):
        nest.SetDefaults("cont_delay_synapse", {"delay": d})
        defaults.append([d, nest.GetDefaults("cont_delay_synapse", "delay")])
    out["set_defaults"] = defaults
    out["arrivals"] = [_arrivals(nest, [1.01, 1.25, 1.05, 0.15, 2.0], 1.37),
                       _arrivals(nest, [1.5, 0.11, 0.19, 1.09, 1.11], None)]
    return out


def main():
    import nest
    nest.verbosity = nest.VerbosityLevel.ERROR
    first, second = probe(nest), probe(nest)
    obj = {"generator": "tests/data/generate_reference_cont_delay.py",
           "nest_version": nest.__version__,
           "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
           "identical_when_run_twice": first == second, "probe": first}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ref_cont_delay.json")
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote ref_cont_delay.json ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
