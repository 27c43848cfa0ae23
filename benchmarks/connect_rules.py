"""Time Connect for every rule (scalar and random weights) in whichever `nest` this Python imports.

Run by benchmarks/run.py with Neuropil's venv and with the real NEST, case by case and
alternating between the two, each case in a fresh process (so resident memory is measured
from a clean start). Prints one JSON line per case: rule, weights, connections, seconds
(Connect + a one-step Simulate, which finishes both simulators' tables), Connect alone, and
resident memory grown per connection (bytes). Without arguments it lists the cases.
"""
import json
import sys
import time

import nest
from common import rss_bytes

N_PRE = N_POST = 4000
RULES = [
    ("all_to_all", {"rule": "all_to_all"}),
    ("one_to_one", {"rule": "one_to_one"}),
    ("fixed_indegree", {"rule": "fixed_indegree", "indegree": 500}),
    ("fixed_outdegree", {"rule": "fixed_outdegree", "outdegree": 500}),
    ("fixed_total_number", {"rule": "fixed_total_number", "N": 2_000_000}),
    ("pairwise_bernoulli", {"rule": "pairwise_bernoulli", "p": 0.125}),
    ("symmetric_pairwise_bernoulli", {"rule": "symmetric_pairwise_bernoulli", "p": 0.0625,
                                      "allow_autapses": False, "make_symmetric": True}),
    ("pairwise_poisson", {"rule": "pairwise_poisson", "pairwise_avg_num_conns": 0.125}),
]



def weights(kind):
    if kind == "scalar":
        return {"weight": 2.5, "delay": 1.5}
    return {"weight": nest.random.uniform(0.5, 5.0), "delay": 1.5}


def run_case(rule, conn_spec, kind):
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR") if hasattr(nest, "set_verbosity") else None
    nest.rng_seed = 1234
    pre = nest.Create("iaf_psc_alpha", N_PRE)
    post = pre if rule == "symmetric_pairwise_bernoulli" else nest.Create("iaf_psc_alpha", N_POST)
    mem0 = rss_bytes()
    t0 = time.perf_counter()
    nest.Connect(pre, post, conn_spec, weights(kind))
    n = nest.num_connections
    t1 = time.perf_counter()
    # both simulators finish building their connection tables when a simulation starts,
    # so the build time is Connect plus a one-step simulation
    nest.Simulate(nest.resolution)
    t2 = time.perf_counter()
    grown = rss_bytes() - mem0
    return {"rule": rule, "weights": kind, "connections": int(n), "seconds": t2 - t0,
            "connect_seconds": t1 - t0, "bytes_per_connection": grown / max(n, 1)}


def main():
    import warnings
    warnings.simplefilter("ignore")
    if len(sys.argv) == 3:  # one case per process, so memory is measured from a clean start
        rule, kind = sys.argv[1:]
        conn_spec = dict(RULES)[rule]
        try:
            result = run_case(rule, conn_spec, kind)
        except Exception as error:  # report, keep going: a missing rule is a data point
            result = {"rule": rule, "weights": kind, "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(result), flush=True)
        return
    only = sys.argv[1:]
    for rule, _ in RULES:
        for kind in ("scalar", "random"):
            # NEST 3.10 rejects random weights for symmetric connections (NotImplemented:
            # "Symmetric connections require parameters that can be reset"), and so do we
            if kind == "random" and rule == "symmetric_pairwise_bernoulli":
                continue
            if not only or rule in only:
                print(json.dumps({"case": [rule, kind]}), flush=True)


if __name__ == "__main__":
    main()
