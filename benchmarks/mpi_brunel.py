"""The Brunel network with PyNEST on K MPI processes (or T threads); per-rank timings, memory.

    mpiexec -n K python mpi_brunel.py [--order N] [--simtime T] [--threads T]
    python mpi_brunel.py compare [--processes K] [--repeats R] [--order N] [--simtime T]

The first form runs once; ``compare`` runs Neuropil under ``mpiexec -n K`` (default 2) and the
real NEST (found as benchmarks/run.py finds it) with K threads, alternately R times (default
3), and prints the medians and the ratios NEST / Neuropil (> 1: Neuropil is faster).

runs with Neuropil's ``nest`` (or the real NEST, when its venv runs the script). Rank 0 prints
one JSON line: build and run seconds (the slowest rank's), spikes and connections summed over
the ranks, and per rank the peak resident memory (MB), the resident memory after building
(MB), Neuropil's node state (MB: parameters, state, input ring) and the local connections.
The network is the one of pynn_brunel.py's ``nest`` case.
"""
import ctypes
import json
import resource
import sys
import time

from pynn_brunel import DT, build_nest


def resident_mb():
    """Current resident memory of this process in MB (Linux), after handing freed heap
    memory back to the system (otherwise it counts what Connect's temporaries left behind)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2 ** 20


def node_mb():
    """MB of node state on this process (Neuropil: parameters, state, input ring), or None."""
    try:
        from kernel import get_kernel
        k = get_kernel()
        return round((k.nodes.nbytes() + k.ring.nbytes) / 2 ** 20, 2)
    except Exception:       # the real NEST
        return None


def main():
    import nest
    argv = sys.argv[1:]
    opts = {"order": 1000, "simtime": 200.0, "threads": 1}
    for name in opts:
        if f"--{name}" in argv:
            opts[name] = type(opts[name])(argv[argv.index(f"--{name}") + 1])
    t0 = time.perf_counter()
    nest.ResetKernel()
    rec = build_nest(nest, opts["order"], opts["threads"], n_rec=None)
    nest.Simulate(DT)
    t1 = time.perf_counter()
    built_mb = resident_mb()
    nest.Simulate(opts["simtime"] - DT)
    t2 = time.perf_counter()
    mine = {"build": t1 - t0, "run": t2 - t1, "spikes": int(rec.get("n_events")),
            "connections": int(nest.num_connections), "built_mb": round(built_mb, 1),
            "node_mb": node_mb(),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    ranks = [mine]
    if nest.NumProcesses() > 1:
        from mpi4py import MPI
        ranks = MPI.COMM_WORLD.gather(mine, root=0)
    if nest.Rank() == 0:
        print(json.dumps({
            "processes": nest.NumProcesses(), "threads": opts["threads"],
            "order": opts["order"], "simtime": opts["simtime"],
            "build": max(r["build"] for r in ranks), "run": max(r["run"] for r in ranks),
            "spikes": sum(r["spikes"] for r in ranks),
            "connections": sum(r["connections"] for r in ranks),
            "per_rank": [{k: r[k] for k in ("connections", "built_mb", "node_mb", "peak_mb")}
                         for r in ranks]}))


def compare(argv):
    import os
    import pathlib
    import shutil
    import statistics
    import subprocess
    from run import nest_python
    here = pathlib.Path(__file__).resolve().parent
    k = int(argv[argv.index("--processes") + 1]) if "--processes" in argv else 2
    repeats = int(argv[argv.index("--repeats") + 1]) if "--repeats" in argv else 3
    extra = [a for name in ("--order", "--simtime") if name in argv
             for a in (name, argv[argv.index(name) + 1])]
    ours = pathlib.Path(os.environ.get("NEUROPIL_PYTHON", sys.executable))
    mpiexec = shutil.which("mpiexec", path=str(pathlib.Path(sys.executable).parent)) or \
        shutil.which("mpiexec")
    theirs = nest_python()
    if theirs is None:
        sys.exit("real NEST not found (see benchmarks/run.py)")
    commands = {"neuropil": [str(mpiexec), "-n", str(k), str(ours), __file__, *extra],
                "nest": [theirs, __file__, *extra, "--threads", str(k)]}
    rows = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            out = subprocess.run(command, capture_output=True, text=True, cwd=str(here))
            lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
            if not lines:
                sys.exit(f"{name} failed:\n{out.stderr[-2000:]}")
            rows[name].append(json.loads(lines[-1]))
    result = {"processes_vs_threads": k}
    for key in ("build", "run"):
        med = {name: statistics.median(r[key] for r in rows[name]) for name in rows}
        result[key] = {**med, "ratio": med["nest"] / med["neuropil"]}
    result["peak_mb"] = {name: max(p["peak_mb"] for p in rows[name][0]["per_rank"])
                         for name in rows}
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1:2] == ["compare"]:
        compare(sys.argv[2:])
    else:
        main()
