"""Time building a 2-D layer of 40,000 neurons with a Gaussian connection kernel.

Run by benchmarks/run.py (``run.py spatial_layer``) with Neuropil's venv and with the real
NEST, case by case and alternating, each case in a fresh process. Every case creates the
layer(s) and connects the layer to itself with pairwise_bernoulli, a circular mask of radius
0.06 and p = gaussian(distance, std=0.02) (about 100 connections per neuron out of about 450
candidates); "distance" weights are 1 + distance. Prints one JSON line per case in the form
of connect_rules.py; without arguments it lists the cases.
"""
import json
import sys
import time

import numpy as np

import nest
from common import rss_bytes

SIDE = 200                      # 200 x 200 = 40,000 neurons
RADIUS, STD = 0.06, 0.02
CASES = ["grid_wrap", "grid_open", "free_wrap"]



def layer(case):
    if case.startswith("grid"):
        return nest.spatial.grid(shape=[SIDE, SIDE], extent=[1.0, 1.0],
                                 edge_wrap=case.endswith("wrap"))
    pos = np.random.default_rng(7).uniform(-0.5, 0.5, (SIDE * SIDE, 2))
    return nest.spatial.free(pos.tolist(), extent=[1.0, 1.0], edge_wrap=True)


def run_case(case, kind):
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR") if hasattr(nest, "set_verbosity") else None
    nest.rng_seed = 1234
    positions = layer(case)
    t0 = time.perf_counter()
    nodes = nest.Create("iaf_psc_alpha", positions=positions)
    mem0 = rss_bytes()
    t1 = time.perf_counter()
    conn = {"rule": "pairwise_bernoulli",
            "p": nest.spatial_distributions.gaussian(nest.spatial.distance, std=STD),
            "mask": {"circular": {"radius": RADIUS}}}
    syn = {"weight": 1.0 + nest.spatial.distance if kind == "distance" else 1.0, "delay": 1.5}
    nest.Connect(nodes, nodes, conn, syn)
    n = nest.num_connections
    t2 = time.perf_counter()
    nest.Simulate(nest.resolution)   # both simulators finish their tables here
    t3 = time.perf_counter()
    grown = rss_bytes() - mem0
    return {"rule": case, "weights": kind, "connections": int(n), "seconds": t3 - t1,
            "connect_seconds": t2 - t1, "create_seconds": t1 - t0,
            "bytes_per_connection": grown / max(n, 1)}


def main():
    import warnings
    warnings.simplefilter("ignore")
    if len(sys.argv) == 3:
        case, kind = sys.argv[1:]
        try:
            result = run_case(case, kind)
        except Exception as error:  # report, keep going
            result = {"rule": case, "weights": kind, "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(result), flush=True)
        return
    only = sys.argv[1:]
    for case in CASES:
        for kind in ("scalar", "distance"):
            if not only or case in only:
                print(json.dumps({"case": [case, kind]}), flush=True)


if __name__ == "__main__":
    main()
