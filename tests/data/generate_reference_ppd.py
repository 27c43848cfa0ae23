#!/usr/bin/env python
"""Regenerate tests/data/ref_ppd_sup.json: ppd_sup_generator of NEST 3.10.

Run from the repository root with the interpreter of the venv that has the real NEST 3.10.0:

    /work/.venv-nest/bin/python tests/data/generate_reference_ppd.py

Only NEST's public Python API is used; the measurements (``measure``, ``window``, ``probe``)
are plain functions of a ``nest`` module, so tests/nest_compat/test_ppd_sup_generator.py runs
the same code on Neuropil's facade. Takes about 10 s.

Contents:

* ``stochastic``: per configuration (rate, dead time, n_proc, modulation), statistics of the
  trains a generator sends to 4 parrots for rng_seed 1..10, and their mean and std over seeds:
  rate (spikes/s, pooled), mean ISI, CV of the ISI, shortest ISI, the fraction of ISIs within
  1 ms after the dead time, spikes in the first 10 ms (the start-up distribution) and, for the
  modulated source, the rates in the rising and the falling half of the modulation period.
* ``windows``: spike times at a parrot (delay 1 ms) from a source that fires in every step
  (rate 10^4 /s, h 0.1 ms: hazard 1), for several start/stop/origin.
* ``errors``: setting parameters: exception class and message (or the values read back).
* ``defaults``: GetDefaults (implementation keys removed).
"""
import datetime
import json
import os
import sys
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import devices_refdata as refdata  # noqa: E402

SEEDS = tuple(range(1, 11))
T_SIM = 10000.0
N_TARGETS = 4
CONFIGS = {
    "r100_d5": {"rate": 100.0, "dead_time": 5.0},
    "r50_d5": {"rate": 50.0, "dead_time": 5.0},
    "r100_d0": {"rate": 100.0, "dead_time": 0.0},
    "r20_d3_n5": {"rate": 20.0, "dead_time": 3.0, "n_proc": 5},
    "r80_d2_mod": {"rate": 80.0, "dead_time": 2.0, "relative_amplitude": 0.8,
                   "frequency": 10.0},
    "r300_d0.3_h0.1": {"rate": 300.0, "dead_time": 0.3},
}
WINDOWS = ({"start": 2.0, "stop": 4.0}, {"start": 2.0, "stop": 4.0, "origin": 1.0},
           {"start": 0.0, "stop": 3.0}, {"start": 1.5, "stop": 2.5})
ERROR_CASES = ({"dead_time": -1.0}, {"rate": 300.0, "dead_time": 5.0}, {"rate": -10.0},
               {"n_proc": 0}, {"relative_amplitude": 1.5}, {"relative_amplitude": -0.1},
               {"rate": 199.0, "dead_time": 5.0, "n_proc": 3, "frequency": -2.0,
                "relative_amplitude": 1.0})
IMPLEMENTATION_KEYS = ("available", "capacity", "instantiations", "elementsize", "type_id",
                       "model_id", "thread", "vp", "global_id", "local", "frozen",
                       "node_uses_wfr", "thread_local_id")


def _trains(nest, params, seed, t_sim=T_SIM):
    return refdata.parrot_trains(nest, "ppd_sup_generator", params, N_TARGETS, t_sim, seed)


def measure(nest, params, seed):
    """Statistics of the 4 trains of one generator (see the module docstring)."""
    trains = _trains(nest, params, seed)
    isi = np.concatenate([np.diff(t) for t in trains])
    n = sum(t.size for t in trains)
    dead = params["dead_time"]
    out = {"rate": n / N_TARGETS / T_SIM * 1000.0,
           "mean_isi": float(isi.mean()),
           "cv": float(isi.std() / isi.mean()),
           "min_isi": float(isi.min()),
           "frac_isi_within_1ms_of_dead": float(np.mean(isi <= dead + 1.0)),
           "first_10ms": float(sum(np.count_nonzero(t <= 10.0) for t in trains))}
    if params.get("relative_amplitude", 0.0) > 0:
        phase = np.mod(np.concatenate(trains) * params["frequency"] / 1000.0, 1.0)
        out["rate_rising_half"] = float(np.count_nonzero(phase < 0.5) / N_TARGETS /
                                        (T_SIM / 2) * 1000.0)
        out["rate_falling_half"] = float(np.count_nonzero(phase >= 0.5) / N_TARGETS /
                                         (T_SIM / 2) * 1000.0)
    return out


def window(nest, params):
    """Spike times at a parrot behind a 1 ms delay of a source firing in every active step."""
    nest.ResetKernel()
    gen = nest.Create("ppd_sup_generator", params={"rate": 1e4, **params})
    parrot = nest.Create("parrot_neuron")
    rec = nest.Create("spike_recorder")
    nest.Connect(gen, parrot, syn_spec={"delay": 1.0})
    nest.Connect(parrot, rec)
    nest.Simulate(8.0)
    return [round(float(t), 6) for t in rec.get("events")["times"]]


def probe(nest, params):
    """(exception class name, message) of setting ``params``, or (None, values read back)."""
    nest.ResetKernel()
    gen = nest.Create("ppd_sup_generator")
    try:
        gen.set(params)
    except nest.NESTError as error:
        return type(error).__name__, str(error)
    status = gen.get()
    return None, {key: status[key] for key in sorted(params)}


def main():
    import nest
    warnings.simplefilter("ignore")
    nest.verbosity = nest.VerbosityLevel.QUIET
    t0 = datetime.datetime.now(datetime.timezone.utc)
    data = {"generator": "tests/data/generate_reference_ppd.py", "nest_version": nest.__version__,
            "generated_utc": t0.strftime("%Y-%m-%dT%H:%M:%SZ"), "seeds": list(SEEDS),
            "t_sim": T_SIM, "n_targets": N_TARGETS, "stochastic": {}}
    for name, params in CONFIGS.items():
        per_seed = [measure(nest, params, seed) for seed in SEEDS]
        keys = per_seed[0]
        data["stochastic"][name] = {"params": params, "per_seed": per_seed,
                                    "summary": refdata.summarize(per_seed)}
    data["windows"] = [{"params": p, "times": window(nest, p)} for p in WINDOWS]
    data["errors"] = [{"params": p, "result": list(probe(nest, p))} for p in ERROR_CASES]
    nest.ResetKernel()
    defaults = nest.GetDefaults("ppd_sup_generator")
    data["defaults"] = {k: (float(v) if isinstance(v, float) else v)
                        for k, v in defaults.items() if k not in IMPLEMENTATION_KEYS}
    path = os.path.join(HERE, "ref_ppd_sup.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    took = (datetime.datetime.now(datetime.timezone.utc) - t0).total_seconds()
    print(f"wrote {path} in {took:.0f} s")


if __name__ == "__main__":
    main()
