"""What the benchmark scripts share: memory readings and their command line.

A script lists its cases (``python script.py [--scale s] [--threads t] [options]``: one JSON
``{"case": [...]}`` line per scale and thread count, the other options passed on to each) or
runs one (``python script.py run --scale s --threads t ...``: one JSON line of results);
benchmarks/run.py runs each listed case with our ``nest`` and with the real NEST.
"""
import json
import resource
import sys


def rss_bytes():
    """Resident memory of this process now (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def peak_rss_bytes():
    """Peak resident memory of this process."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def options(argv, defaults):
    """``defaults`` with the values given as ``--name value`` in ``argv``, of the same type."""
    opts = dict(defaults)
    for name, default in defaults.items():
        if f"--{name}" in argv:
            opts[name] = type(default)(argv[argv.index(f"--{name}") + 1])
    return opts


def main(run, defaults, scales, threads):
    """List the cases (``scales`` x ``threads`` unless given) or run the one asked for with
    ``run(**options)``, printing JSON lines; an error is reported as a result, so that the
    other simulator's run still happens."""
    argv = sys.argv[1:]
    if not argv or argv[0] != "run":
        scales = [argv[argv.index("--scale") + 1]] if "--scale" in argv else scales
        threads = [argv[argv.index("--threads") + 1]] if "--threads" in argv else threads
        rest = [a for i, a in enumerate(argv) if a not in ("--scale", "--threads") and
                (i == 0 or argv[i - 1] not in ("--scale", "--threads"))]
        for scale in scales:
            for n in threads:
                print(json.dumps({"case": ["run", "--scale", scale, "--threads", n, *rest]}))
        return
    try:
        print(json.dumps(run(**options(argv, defaults))), flush=True)
    except Exception as error:
        print(json.dumps({"case": "run", "error": f"{type(error).__name__}: {error}"}))
