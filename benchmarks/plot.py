"""Plot benchmarks/results.json (written by ``run.py --save``) into one figure.

usage: python benchmarks/plot.py [results.json] [out.png]

Left: Brunel network, NEST seconds / Neuropil seconds for build and simulate per (scale,
threads), fastest run of each side. Right: connections per second of each Connect rule
(scalar and random weights) as a ratio to NEST.
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def fastest(rows, key, field):
    best = {}
    for r in rows:
        if "error" in r or field not in r:
            continue
        k = key(r)
        if k not in best or r[field] < best[k][field]:
            best[k] = r
    return best


def main():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    src = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "results.json"
    out = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parent / "docs/performance.png"
    data = json.loads(src.read_text())
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    if "brunel" in data:
        key = lambda r: (r["scale"], r["threads"])                      # noqa: E731
        labels, build, sim = [], [], []
        ours = fastest(data["brunel"]["neuropil"], key, "simulate")
        ref = fastest(data["brunel"]["nest"], key, "simulate")
        for k in sorted(ours):
            if k in ref:
                labels.append(f"scale {k[0]:g}\n{k[1]} thread{'s' if k[1] > 1 else ''}")
                build.append(ref[k]["build"] / ours[k]["build"])
                sim.append(ref[k]["simulate"] / ours[k]["simulate"])
        x = range(len(labels))
        axes[0].bar([i - 0.2 for i in x], build, 0.4, label="build (Create + Connect)")
        axes[0].bar([i + 0.2 for i in x], sim, 0.4, label="simulate 1 s")
        axes[0].set_xticks(list(x), labels)
        axes[0].axhline(10, color="k", lw=0.8, ls="--")
        axes[0].set_ylabel("NEST time / Neuropil time")
        axes[0].set_title("Brunel network (brunel_delta_nest.py)")
        axes[0].legend(loc="lower left")
    if "connect_rules" in data:
        key = lambda r: (r["rule"], r["weights"])                       # noqa: E731
        ours = fastest(data["connect_rules"]["neuropil"], key, "seconds")
        ref = fastest(data["connect_rules"]["nest"], key, "seconds")
        names = sorted({k[0] for k in ours})
        for j, kind in enumerate(("scalar", "random")):
            vals = [ref[(n, kind)]["seconds"] / ours[(n, kind)]["seconds"]
                    if (n, kind) in ref and (n, kind) in ours else 0 for n in names]
            axes[1].barh([i + 0.2 * (1 - 2 * j) for i in range(len(names))], vals, 0.4,
                         label=f"{kind} weights")
        axes[1].set_yticks(range(len(names)), names)
        axes[1].axvline(5, color="k", lw=0.8, ls="--")
        axes[1].set_xlabel("connection rate, Neuropil / NEST")
        axes[1].set_title("Connect (4000 x 4000 nodes)")
        axes[1].legend()
    machine = data.get("machine", {})
    fig.suptitle(f"Neuropil vs NEST 3.10 on {machine.get('cpu', '?')}, "
                 f"{machine.get('cores', '?')} cores (shared machine; ratios of alternating runs)",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
