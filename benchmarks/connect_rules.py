"""Time Connect for every rule (scalar and random weights) in whichever `nest` this Python imports.

Run by benchmarks/run.py once with Neuropil's venv and once with the real NEST, so both
sides run the same script on the same machine in the same run. Prints one JSON line per case:
rule, weights, connections, seconds, and resident memory grown per connection (bytes).
"""
import json
import sys
import time

import nest

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


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


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
    n = nest.num_connections  # forces any lazy work to finish
    seconds = time.perf_counter() - t0
    nest.Simulate(1.0)  # what a connection costs once the network is ready to run
    grown = rss_bytes() - mem0
    return {"rule": rule, "weights": kind, "connections": int(n), "seconds": seconds,
            "bytes_per_connection": grown / max(n, 1)}


def main():
    import warnings
    warnings.simplefilter("ignore")
    only = sys.argv[1:]
    for rule, conn_spec in RULES:
        if only and rule not in only:
            continue
        for kind in ("scalar", "random"):
            try:
                result = run_case(rule, conn_spec, kind)
            except Exception as error:  # report, keep going: a missing rule is a data point
                result = {"rule": rule, "weights": kind, "error": f"{type(error).__name__}: {error}"}
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
