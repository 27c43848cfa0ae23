"""The Potjans & Diesmann (2014) cortical microcircuit through ``import nest``; timings as JSON.

Run by benchmarks/run.py with Neuropil's ``nest`` and with the real NEST, one case per fresh
process, alternating (the machine is shared). The model is the one of NEST's microcircuit
example (Potjans_2014, NEST <= 3.9): eight populations (L2/3, L4, L5, L6, excitatory and
inhibitory; 77,169 iaf_psc_exp neurons at full scale), recurrent connections drawn with
``fixed_total_number`` (the number of synapses that gives each pair of populations its
published connection probability when multapses are allowed), weights normal around a PSP of
0.15 mV (relative sd 0.1, L4E -> L2/3E doubled, inhibitory g = -4, clipped to keep their sign),
delays normal around 1.5 ms (excitatory) and 0.75 ms (inhibitory) (relative sd 0.5, redrawn
below half a step), a Poisson background of K_ext inputs at 8 Hz per neuron (or, with
``--dc 1``, the DC current of the same mean), dt = 0.1 ms.

``--scale s`` scales the neuron numbers and the in-degrees together (NEST's N_scaling =
K_scaling = s), so the synapse count is ~300 M x s^2. As NEST does, the weights of a network
with scaled in-degrees are multiplied by 1 / sqrt(s) and a DC current restores the mean input
that the missing synapses would have carried at the full-scale rates; the input variance is
then preserved, the correlations are not, so small scales reproduce the full-scale rates only
approximately (and both simulators the same approximation).

    python microcircuit.py                    -> lists the cases (scales 0.1 and 0.25, 1 thread)
    python microcircuit.py run --scale 0.1 --threads 1 --presim 100 --simtime 1000 --seed 55

Each case prints one JSON line: build seconds (Create + Connect), presimulation seconds (the
first Simulate: connection tables are finalized there, then the initial transient), simulate
seconds (``--simtime`` ms, over which the rates are measured), both also as CPU time of the
process, peak resident memory and memory per synapse, the synapse count and the firing rate of
every population (all neurons recorded, as in NEST's example).
"""
import math
import time

import numpy as np

from common import main, peak_rss_bytes, rss_bytes

DEFAULTS = {"scale": 0.1, "threads": 1, "presim": 100.0, "simtime": 1000.0, "seed": 55, "dc": 0}
POPULATIONS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
FULL_N = np.array([20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])
# population rates of the full-scale model (spikes/s), used for the in-degree compensation
FULL_RATES = np.array([0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829])
# connection probabilities, [target, source]
P = np.array([[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
              [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
              [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
              [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
              [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
              [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
              [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
              [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]])
K_EXT = np.array([1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100])
V0_MEAN = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]
V0_STD = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]
PSP_E, G, W_REL_SD, D_E, D_I, D_REL_SD, BG_RATE, D_EXT = 0.15, -4.0, 0.1, 1.5, 0.75, 0.5, 8.0, 1.5
C_M, TAU_M, TAU_SYN, DT = 250.0, 10.0, 0.5, 0.1
NEURON = {"C_m": C_M, "tau_m": TAU_M, "tau_syn_ex": TAU_SYN, "tau_syn_in": TAU_SYN,
          "E_L": -65.0, "V_th": -50.0, "V_reset": -65.0, "t_ref": 2.0}


def pA_per_mV():
    """Current amplitude (pA) of an exponential PSC whose PSP peaks at 1 mV."""
    t_peak = math.log(TAU_M / TAU_SYN) * TAU_M * TAU_SYN / (TAU_M - TAU_SYN)
    psp = TAU_M * TAU_SYN / (C_M * (TAU_M - TAU_SYN)) * (
        math.exp(-t_peak / TAU_M) - math.exp(-t_peak / TAU_SYN))
    return 1.0 / psp


def network(scale, dc):
    """Population sizes, synapse counts, mean weights (pA), external in-degrees and weight,
    and the DC current per population for scale ``scale`` (neurons and in-degrees)."""
    n = np.round(FULL_N * scale).astype(int)
    pairs = np.outer(FULL_N, FULL_N).astype(float)
    full_synapses = np.log(1.0 - P) / np.log(1.0 - 1.0 / pairs)   # multapses allowed
    synapses = np.round(full_synapses * scale * scale).astype(int)
    w = np.tile([PSP_E, G * PSP_E], 4) * np.ones((8, 1)) * pA_per_mV()
    w[0, 2] *= 2.0
    w_ext = PSP_E * pA_per_mV()
    k_ext = np.round(K_EXT * scale).astype(int)
    i_dc = BG_RATE * K_EXT * w_ext * TAU_SYN * 1e-3 if dc else np.zeros(8)
    # the mean input (pA) that 1 - sqrt(scale) of the full-scale synapses would carry
    recurrent = (w * full_synapses / FULL_N[:, None] * FULL_RATES).sum(axis=1)
    external = 0.0 if dc else w_ext * K_EXT * BG_RATE
    i_dc = i_dc + 1e-3 * TAU_SYN * (1.0 - math.sqrt(scale)) * (recurrent + external)
    return n, synapses, w / math.sqrt(scale), k_ext, w_ext / math.sqrt(scale), i_dc


def run(scale, threads, presim, simtime, seed, dc):
    import nest
    n, synapses, w, k_ext, w_ext, i_dc = network(scale, dc)
    nest.ResetKernel()
    if hasattr(nest, "set_verbosity"):
        nest.set_verbosity("M_ERROR")
    mem0 = rss_bytes()
    t0, c0 = time.perf_counter(), time.process_time()
    nest.resolution = DT
    nest.local_num_threads = threads
    nest.rng_seed = seed
    pops = []
    for i in range(8):
        pop = nest.Create("iaf_psc_exp", n[i], params=dict(NEURON, I_e=i_dc[i]))
        pop.V_m = nest.random.normal(V0_MEAN[i], V0_STD[i])
        pops.append(pop)
    recorders = nest.Create("spike_recorder", 8, params={"start": presim})
    for i, target in enumerate(pops):
        for j, source in enumerate(pops):
            if synapses[i, j] == 0:
                continue
            d_mean = D_E if j % 2 == 0 else D_I
            bounds = {"min": 0.0, "max": np.inf} if w[i, j] > 0 else {"min": -np.inf, "max": 0.0}
            syn = {"synapse_model": "static_synapse",
                   "weight": nest.math.redraw(
                       nest.random.normal(w[i, j], abs(w[i, j]) * W_REL_SD), **bounds),
                   "delay": nest.math.redraw(
                       nest.random.normal(d_mean, d_mean * D_REL_SD), min=0.5 * DT, max=np.inf)}
            nest.Connect(source, target, {"rule": "fixed_total_number",
                                          "N": int(synapses[i, j])}, syn)
    if not dc:
        background = nest.Create("poisson_generator", 8)
        background.rate = list(BG_RATE * k_ext)
        for i, target in enumerate(pops):
            nest.Connect(background[i], target, "all_to_all",
                         {"synapse_model": "static_synapse", "weight": w_ext, "delay": D_EXT})
    for i, pop in enumerate(pops):
        nest.Connect(pop, recorders[i])
    t1, c1 = time.perf_counter(), time.process_time()
    nest.Simulate(presim)
    t2, c2 = time.perf_counter(), time.process_time()
    nest.Simulate(simtime)
    t3, c3 = time.perf_counter(), time.process_time()
    total = int(synapses.sum())
    rates = {name: recorders[i].n_events / (n[i] * simtime) * 1000.0
             for i, name in enumerate(POPULATIONS)}
    return {"case": "run", "scale": scale, "threads": threads, "dc": dc, "seed": seed,
            "build": t1 - t0, "presim": t2 - t1, "simulate": t3 - t2, "simtime": simtime,
            "build_cpu": c1 - c0, "presim_cpu": c2 - c1, "simulate_cpu": c3 - c2,
            "neurons": int(n.sum()), "synapses": total, "rates": rates,
            "peak_rss": peak_rss_bytes(),
            "bytes_per_synapse": (rss_bytes() - mem0) / max(total, 1),
            "peak_bytes_per_synapse": (peak_rss_bytes() - mem0) / max(total, 1)}


if __name__ == "__main__":
    main(run, DEFAULTS, ["0.1", "0.25"], ["1"])
