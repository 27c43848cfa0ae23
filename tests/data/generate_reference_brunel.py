#!/usr/bin/env python
"""Regenerate tests/data/ref_brunel_rates.json: population firing rates of the Brunel network.

Run with the interpreter of a venv that has the real NEST 3.10.0 (PyPI) installed, from the
repository root:

    /work/.venv-nest/bin/python tests/data/generate_reference_brunel.py

The network is NEST's example brunel_delta_nest.py at scale 0.2 (2,500 neurons, every neuron
recorded; see tests/brunel_refdata.py), simulated for 1 s with rng_seed 1..SEEDS on one
thread. Stored: the excitatory and inhibitory rate of every seed and their mean and standard
deviation over seeds. It takes about half a minute.
"""
import datetime
import json
import os
import sys

import numpy as np

import nest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from brunel_refdata import population_rates  # noqa: E402

SCALE, SIMTIME, SEEDS = 0.2, 1000.0, 8


def main():
    nest.set_verbosity("M_ERROR")
    rates = [population_rates(nest, SCALE, SIMTIME, seed) for seed in range(1, SEEDS + 1)]
    ex, inh = np.array(rates).T
    out = {"generated_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(),
           "nest_version": nest.__version__, "scale": SCALE, "simtime": SIMTIME,
           "seeds": list(range(1, SEEDS + 1)), "rate_ex": ex.tolist(), "rate_in": inh.tolist(),
           "rate_ex_mean": float(ex.mean()), "rate_ex_std": float(ex.std(ddof=1)),
           "rate_in_mean": float(inh.mean()), "rate_in_std": float(inh.std(ddof=1))}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ref_brunel_rates.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print(json.dumps({k: v for k, v in out.items() if "mean" in k or "std" in k}))


if __name__ == "__main__":
    main()
