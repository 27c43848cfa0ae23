"""Scenario runner shared by tests/data/generate_reference_devices.py (run with the real
NEST 3.10) and the device tests (run with our ``nest``).

A scenario ``spec`` has the format of tests/spec_runner.py (with ``defaults`` and ``steps``),
plus ``status``: ``{label: [keys]}`` read from the nodes after the last step.

:func:`run` returns ``{"recorders": {label: events dict}, "n_events": {label: [n_events
after each simulate]}, "status": {label: {key: value}}}`` with plain (JSON-able) values.
"""

import numpy as np

from spec_runner import build_and_run, plain, recorder_events, unplain  # noqa: F401


def run(nest, spec):
    """Build and run ``spec`` with the given ``nest`` module; return plain results."""
    nodes, counts = build_and_run(nest, spec)
    out = {"recorders": recorder_events(nodes, list(counts)), "n_events": counts, "status": {}}
    for label, keys in spec.get("status", {}).items():
        out["status"][label] = {k: plain(nodes[label].get(k)) for k in keys}
    return out


# -- stochastic measurements (the same code runs on NEST and on Neuropil) -----------------------
def _parrot_trains(nest, model, params, n, T, seed, defaults=None):
    nest.ResetKernel()
    nest.rng_seed = seed
    if defaults:
        nest.SetDefaults(model, defaults)
    g = nest.Create(model, params=params)
    p = nest.Create("parrot_neuron", n)
    sr = nest.Create("spike_recorder")
    nest.Connect(g, p)
    nest.Connect(p, sr)
    nest.Simulate(T)
    ev = sr.get("events")
    # parrot spikes come 1 ms (the delay) after the generator's
    return np.asarray(ev["senders"]) - p[0].get("global_id"), np.asarray(ev["times"]) - 1.0


def parrot_trains(nest, model, params, n, T, seed):
    """The sorted spike times of each of ``n`` parrots driven by one ``model`` generator."""
    senders, times = _parrot_trains(nest, model, params, n, T, seed)
    return [np.sort(times[senders == i]) for i in range(n)]


def summarize(per_seed):
    """Mean, std (ddof 1), min and max over seeds of each measured quantity."""
    summary = {}
    for key in per_seed[0]:
        values = np.array([float(r[key]) for r in per_seed])
        summary[key] = {"mean": float(values.mean()), "std": float(values.std(ddof=1)),
                        "min": float(values.min()), "max": float(values.max())}
    return summary


def _mean_cv(senders, times, n):
    cvs = []
    for i in range(n):
        isi = np.diff(np.sort(times[senders == i]))
        if isi.size > 2:
            cvs.append(isi.std() / isi.mean())
    return float(np.mean(cvs))


def measure_gamma(nest, seed):
    """gamma_sup_generator: pooled rate and CV; component CV; time of the first spikes."""
    out = {}
    s, t = _parrot_trains(nest, "gamma_sup_generator",
                          {"rate": 20.0, "gamma_shape": 4, "n_proc": 3}, 100, 2000.0, seed)
    out["pooled_rate"] = len(t) / 100 / 2.0
    out["pooled_cv"] = _mean_cv(s, t, 100)
    s, t = _parrot_trains(nest, "gamma_sup_generator",
                          {"rate": 20.0, "gamma_shape": 4, "n_proc": 1}, 100, 2000.0, seed)
    out["single_rate"] = len(t) / 100 / 2.0
    out["single_cv"] = _mean_cv(s, t, 100)
    s, t = _parrot_trains(nest, "gamma_sup_generator",
                          {"rate": 10.0, "gamma_shape": 3, "n_proc": 10}, 500, 60.0, seed)
    first = [t[s == i].min() for i in range(500) if np.any(s == i)]
    out["first_spike_mean"] = float(np.mean(first))
    return out


def measure_inhomogeneous(nest, seed):
    """inhomogeneous_poisson_generator: rate in each constant segment."""
    s, t = _parrot_trains(nest, "inhomogeneous_poisson_generator",
                          {"rate_times": [100.0, 400.0, 700.0], "rate_values": [50.0, 10.0, 0.0]},
                          200, 1000.0, seed)
    return {f"rate_{a:g}_{b:g}": float(((t >= a) & (t < b)).sum() / 200 / ((b - a) / 1000.0))
            for a, b in ((0.0, 100.0), (100.0, 400.0), (400.0, 700.0), (700.0, 999.0))}


def measure_sinusoidal(nest, seed):
    """sinusoidal_poisson_generator: rate in each quarter period, individual and shared."""
    out = {}
    for individual in (True, False):
        s, t = _parrot_trains(nest, "sinusoidal_poisson_generator",
                              {"rate": 50.0, "amplitude": 40.0, "frequency": 10.0, "phase": 0.0},
                              200, 2000.0, seed, defaults={"individual_spike_trains": individual})
        quarter = (t % 100.0) // 25.0
        tag = "individual" if individual else "shared"
        for q in range(4):
            out[f"{tag}_q{q}"] = float((quarter == q).sum() / 200 / 0.5)
        out[f"{tag}_identical"] = bool(np.array_equal(t[s == 0], t[s == 1]))
    return out


def measure_pulsepacket(nest, seed):
    """pulsepacket_generator: count, mean and std of the spike times of each pulse."""
    nest.ResetKernel()
    nest.rng_seed = seed
    g = nest.Create("pulsepacket_generator",
                    params={"pulse_times": [50.0, 150.0], "activity": 2000, "sdev": 2.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(g, sr)
    nest.Simulate(300.0)
    t = np.asarray(sr.get("events")["times"])
    out = {}
    for k, sel in enumerate((t < 100.0, t >= 100.0)):
        out[f"pulse{k}_count"] = int(sel.sum())
        out[f"pulse{k}_mean"] = float(t[sel].mean())
        out[f"pulse{k}_std"] = float(t[sel].std())
    return out


def measure_noise(nest, seed):
    """noise_generator: the recorded average current of 1 and of 2 targets, per interval."""
    out = {}
    for n_targets in (1, 2):
        nest.ResetKernel()
        nest.rng_seed = seed
        g = nest.Create("noise_generator", params={"mean": 10.0, "std": 50.0, "dt": 0.5,
                                                   "std_mod": 30.0, "frequency": 20.0})
        mm = nest.Create("multimeter", params={"record_from": ["I"], "interval": 0.5})
        nest.Connect(mm, g)
        n = nest.Create("iaf_psc_alpha", n_targets, params={"V_th": 1e9})
        nest.Connect(g, n)
        nest.Simulate(4000.0)
        ev = mm.get("events")
        current, times = np.asarray(ev["I"]), np.asarray(ev["times"])
        # the interval starting at stamp t - 0.5 ms has std sqrt(50^2 + 30^2 sin(w t0))
        mod = np.sin(2 * np.pi * 20.0 / 1000.0 * (times - 0.5))
        out[f"mean_{n_targets}"] = float(current.mean())
        out[f"var_{n_targets}"] = float(current.var())
        out[f"var_high_{n_targets}"] = float(current[mod > 0.5].var())
        out[f"var_low_{n_targets}"] = float(current[mod < -0.5].var())
        out[f"lag1_corr_{n_targets}"] = float(np.corrcoef(current[:-1], current[1:])[0, 1])
    return out


MEASUREMENTS = {"gamma_sup_generator": measure_gamma,
                "inhomogeneous_poisson_generator": measure_inhomogeneous,
                "sinusoidal_poisson_generator": measure_sinusoidal,
                "pulsepacket_generator": measure_pulsepacket,
                "noise_generator": measure_noise}


# -- recording backends ---------------------------------------------------------------------------
def ascii_session(nest, workdir):
    """Recorders of every backend in one network, two Simulate calls; returns what was written.

    Returns ``{"files": {name: content}, "screen": [lines], "n_events": [...],
    "filenames": [...], "status_keys": {backend: sorted keys}}``. ``workdir`` must be empty.
    """
    import os
    nest.ResetKernel()
    nest.overwrite_files = True
    cwd = os.getcwd()
    os.chdir(workdir)       # data_path stays '' (NEST cannot set it back to '')
    try:
        return _ascii_session(nest, workdir)
    finally:
        os.chdir(cwd)


def _ascii_session(nest, workdir):
    import os
    n = nest.Create("iaf_psc_alpha", 3, params={"I_e": 400.0})
    sg = nest.Create("spike_generator", params={"spike_times": [1.05, 2.0, 3.0001],
                                                "precise_times": True})
    mm = nest.Create("multimeter", params={"record_to": "ascii", "record_from": ["V_m", "I_syn_ex"],
                                           "interval": 0.5})
    sr = nest.Create("spike_recorder", params={"record_to": "ascii", "precision": 5})
    sr2 = nest.Create("spike_recorder", params={"record_to": "ascii", "time_in_steps": True,
                                                "label": "lab", "file_extension": "gdf"})
    mm2 = nest.Create("multimeter", params={"record_to": "ascii", "record_from": ["V_m"],
                                            "time_in_steps": True, "precision": 1})
    scr = nest.Create("spike_recorder", params={"record_to": "screen"})
    nest.Connect(mm, n[:2])
    nest.Connect(n + sg, sr)
    nest.Connect(n + sg, sr2)
    nest.Connect(mm2, n[0])
    nest.Connect(n + sg, scr)
    with captured_stdout() as screen:
        nest.Simulate(30.0)
        first = {f: open(os.path.join(workdir, f)).read() for f in sorted(os.listdir(workdir))}
        nest.Simulate(10.0)
    files = {f: open(os.path.join(workdir, f)).read() for f in sorted(os.listdir(workdir))}
    out = {"files_after_first": first, "files": files,
           "screen": [line for line in screen.text.splitlines() if line[:1].isdigit()],
           "n_events": [int(r.get("n_events")) for r in (mm, sr, sr2, mm2, scr)],
           "filenames": [[os.path.basename(f) for f in r.get("filenames")] for r in (mm, sr2)],
           "status_keys": {}}
    for backend in ("memory", "ascii", "screen"):
        rec = nest.Create("spike_recorder", params={"record_to": backend})
        out["status_keys"][backend] = sorted(rec.get())
    return out


class captured_stdout:
    """Capture file descriptor 1 (Python and C++ output alike) into ``self.text``."""

    def __enter__(self):
        import os
        import sys
        import tempfile
        sys.stdout.flush()
        self._file = tempfile.TemporaryFile(mode="w+")
        self._saved = os.dup(1)
        os.dup2(self._file.fileno(), 1)
        self._saved_stdout = sys.stdout     # Python-level writers (pytest swaps sys.stdout)
        sys.stdout = self._file
        self.text = ""
        return self

    def __exit__(self, *exc):
        import ctypes
        import os
        import sys
        sys.stdout.flush()
        sys.stdout = self._saved_stdout
        try:
            ctypes.CDLL(None).fflush(None)
        except (OSError, AttributeError):
            pass
        os.dup2(self._saved, 1)
        os.close(self._saved)
        self._file.seek(0)
        self.text = self._file.read()
        self._file.close()
        return False
