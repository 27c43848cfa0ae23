"""The Brunel (2000) network, built and run with PyNN and with plain PyNEST; timings as JSON.

Run by benchmarks/run.py with Neuropil's venv (pyNN.neuropil and Neuropil's ``nest``) and with
the real NEST's venv (pyNN.nest and NEST), one case per fresh process:

    python pynn_brunel.py            -> lists the cases
    python pynn_brunel.py pynn       -> Brunel with pyNN.neuropil (or pyNN.nest without it)
    python pynn_brunel.py nest       -> the same network with PyNEST calls

Options after the case: ``--order N`` (N_E = 4N excitatory, N_I = N inhibitory cells, each
cell gets 10% of each population as inputs; default 1000) and ``--simtime T`` (ms, default
200). Each case prints one JSON line: build seconds (populations + projections, up to the
first time step), run seconds, connections, spikes.
"""
import json
import sys
import time

CASES = ["pynn", "nest"]
DEFAULTS = {"order": 1000, "simtime": 200.0}
DT, DELAY, J, G, ETA = 0.1, 1.5, 0.1, 5.0, 2.0         # ms, ms, mV, -, nu_ext / nu_thr
TAU_M, THETA, C_M, TAU_SYN = 20.0, 20.0, 250.0, 0.5     # ms, mV, pF, ms


def parameters(order):
    """Population sizes, in-degrees, weights (pA) and the Poisson rate of each cell's input."""
    n_e, n_i = 4 * order, order
    c_e, c_i = n_e // 10, n_i // 10
    j_ex = J / _psp_peak_per_pA()
    nu_th = THETA / (J * c_e * TAU_M)
    rate = ETA * nu_th * 1000.0 * c_e  # Hz
    return n_e, n_i, c_e, c_i, j_ex, -G * j_ex, rate


def _psp_peak_per_pA():
    """Peak PSP (mV) of an alpha current of peak 1 pA (closed form of the LIF response)."""
    import numpy as np
    t = np.linspace(0.0, 20.0 * TAU_SYN, 200001)
    a = 1.0 / TAU_SYN - 1.0 / TAU_M
    # V(t) = e/(tau_s C) * [exp(-t/tau_m) - exp(-t/tau_s) (1 + a t)] / a^2
    v = np.e / (TAU_SYN * C_M) * (np.exp(-t / TAU_M) - np.exp(-t / TAU_SYN) * (1 + a * t)) / a ** 2
    return float(v.max())


def run_pynn(order, simtime):
    try:
        import pyNN.neuropil as sim
    except ImportError:
        import pyNN.nest as sim
    n_e, n_i, c_e, c_i, j_ex, j_in, rate = parameters(order)
    t0 = time.perf_counter()
    sim.setup(timestep=DT, min_delay=DELAY, max_delay=DELAY)
    cell = sim.IF_curr_alpha(tau_m=TAU_M, cm=C_M / 1000.0, tau_syn_E=TAU_SYN,
                             tau_syn_I=TAU_SYN, v_rest=0.0, v_reset=10.0, v_thresh=THETA,
                             tau_refrac=2.0, i_offset=0.0)
    cells = sim.Population(n_e + n_i, cell, label="E+I")
    exc, inh = cells[:n_e], cells[n_e:]
    noise = sim.Population(n_e + n_i, sim.SpikeSourcePoisson(rate=rate), label="noise")
    w_ex, w_in = j_ex / 1000.0, j_in / 1000.0  # pA -> nA
    rng = sim.NumpyRNG(seed=42)
    sim.Projection(noise, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=w_ex, delay=DELAY), receptor_type="excitatory")
    prj_e = sim.Projection(exc, cells, sim.FixedNumberPreConnector(c_e, rng=rng),
                           sim.StaticSynapse(weight=w_ex, delay=DELAY),
                           receptor_type="excitatory")
    prj_i = sim.Projection(inh, cells, sim.FixedNumberPreConnector(c_i, rng=rng),
                           sim.StaticSynapse(weight=w_in, delay=DELAY),
                           receptor_type="inhibitory")
    exc[:50].record("spikes")
    sim.run(DT)
    t1 = time.perf_counter()
    sim.run(simtime - DT)
    t2 = time.perf_counter()
    spikes = sum(exc[:50].get_spike_counts().values())
    n = prj_e.size() + prj_i.size() + n_e + n_i
    sim.end()
    return {"case": "pynn", "simulator": sim.__name__, "build": t1 - t0, "run": t2 - t1,
            "connections": int(n), "spikes": int(spikes)}


def build_nest(nest, order, threads=1, n_rec=50):
    """The network through PyNEST (after ResetKernel), the first ``n_rec`` excitatory cells
    recorded (all cells for None); returns the spike recorder. Shared with mpi_brunel.py."""
    n_e, n_i, c_e, c_i, j_ex, j_in, rate = parameters(order)
    if hasattr(nest, "set_verbosity"):
        nest.set_verbosity("M_ERROR")
    nest.local_num_threads = threads
    nest.resolution = DT
    nest.rng_seed = 42
    params = {"C_m": C_M, "tau_m": TAU_M, "tau_syn_ex": TAU_SYN, "tau_syn_in": TAU_SYN,
              "t_ref": 2.0, "E_L": 0.0, "V_reset": 10.0, "V_m": 0.0, "V_th": THETA}
    exc = nest.Create("iaf_psc_alpha", n_e, params=params)
    inh = nest.Create("iaf_psc_alpha", n_i, params=params)
    noise = nest.Create("poisson_generator", params={"rate": rate})
    rec = nest.Create("spike_recorder")
    cells = exc + inh
    nest.Connect(noise, cells, "all_to_all", {"weight": j_ex, "delay": DELAY})
    nest.Connect(exc, cells, {"rule": "fixed_indegree", "indegree": c_e},
                 {"weight": j_ex, "delay": DELAY})
    nest.Connect(inh, cells, {"rule": "fixed_indegree", "indegree": c_i},
                 {"weight": j_in, "delay": DELAY})
    nest.Connect(cells if n_rec is None else exc[:n_rec], rec)
    return rec


def run_nest(order, simtime):
    import nest
    t0 = time.perf_counter()
    nest.ResetKernel()
    rec = build_nest(nest, order)
    nest.Simulate(DT)
    t1 = time.perf_counter()
    nest.Simulate(simtime - DT)
    t2 = time.perf_counter()
    return {"case": "nest", "simulator": "nest", "build": t1 - t0, "run": t2 - t1,
            "connections": int(nest.num_connections), "spikes": int(rec.get("n_events"))}


def main():
    argv = sys.argv[1:]
    if not argv or argv[0] not in CASES:
        for case in CASES:  # the options given to the listing go with every case
            print(json.dumps({"case": [case, *argv]}))
        return
    options = dict(DEFAULTS)
    for name in ("order", "simtime"):
        if f"--{name}" in argv:
            options[name] = type(DEFAULTS[name])(argv[argv.index(f"--{name}") + 1])
    runner = run_pynn if argv[0] == "pynn" else run_nest
    try:
        print(json.dumps(runner(options["order"], options["simtime"])))
    except Exception as error:  # report, so the other side still runs
        print(json.dumps({"case": argv[0], "error": f"{type(error).__name__}: {error}"}))


if __name__ == "__main__":
    main()
