"""NEST's hpc_benchmark.py network (STDP with stdp_pl_synapse_hom_hpc) through ``import nest``.

Run by benchmarks/run.py with Neuropil's ``nest`` and with the real NEST, alternating, one case
per fresh process. The network and its parameters are those of NEST's example (a Brunel
network of iaf_psc_alpha neurons, E->E synapses with power-law STDP, 1.5 ms delays, a Poisson
drive, spikes of 1000 neurons recorded), timed as the example times it: build (nodes and
edges), presimulation (50 ms) and simulation (250 ms). ``--scale s`` sizes the populations
(9000 s excitatory, 2250 s inhibitory); the in-degrees stay 9000 and 2250, as in the example,
so the synapse count is 11250 x 11250 x s.

    python hpc_benchmark.py                      -> lists the cases
    python hpc_benchmark.py run --scale 0.1 --threads 1 [--seed 7]

At small scales the network is bistable (docs/performance.md): the rate depends on the seed far
more than on the simulator, so compare rates over several ``--seed`` values, not one run.

The example's logging helpers nest.Rank, nest.message and nest.memory_size are used when the
module has them and replaced by local stand-ins otherwise.
"""
import time

import numpy as np

from common import main, peak_rss_bytes

DEFAULTS = {"scale": 0.1, "threads": 1, "simtime": 250.0, "presimtime": 50.0, "seed": 0}
TAU_SYN = 0.32582722403722841
MODEL = {"E_L": 0.0, "C_m": 250.0, "tau_m": 10.0, "t_ref": 0.5, "V_th": 20.0, "V_reset": 0.0,
         "tau_syn_ex": TAU_SYN, "tau_syn_in": TAU_SYN, "tau_minus": 30.0, "V_m": 5.7}
STDP = {"delay": 1.5, "alpha": 0.0513, "lambda": 0.1, "mu": 0.4, "tau_plus": 15.0}
JE, G, ETA, N_REC = 0.14, -5.0, 1.685, 1000


def weight_per_mV(tau_m, tau_syn, c_m):
    """pA of an alpha current whose PSP peaks at 1 mV (the example's conversion)."""
    from scipy.special import lambertw
    a = tau_m / tau_syn
    b = 1.0 / tau_syn - 1.0 / tau_m
    t_rise = 1.0 / b * (-lambertw(-np.exp(-1.0 / a) / a, k=-1).real - 1.0 / a)
    v_max = np.exp(1.0) / (tau_syn * c_m * b) * (
        (np.exp(-t_rise / tau_m) - np.exp(-t_rise / tau_syn)) / b - t_rise * np.exp(-t_rise / tau_syn))
    return 1.0 / v_max


def run(scale, threads, simtime, presimtime, seed):
    import nest
    message = getattr(nest, "message", lambda *args: None)
    nest.ResetKernel()
    if hasattr(nest, "set_verbosity"):
        nest.set_verbosity("M_ERROR")
    if seed:  # 0 keeps the kernel's default seed, as the example does
        nest.rng_seed = seed
    t0 = time.perf_counter()
    n_e, n_i = int(9000 * scale), int(2250 * scale)
    c_e, c_i = int(n_e / scale), int(n_i / scale)
    nest.local_num_threads = threads
    nest.resolution = 0.1
    message("Creating populations.")
    e_neurons = nest.Create("iaf_psc_alpha", n_e, params=MODEL)
    i_neurons = nest.Create("iaf_psc_alpha", n_i, params=MODEL)
    random_vm = nest.random.normal(5.7, 7.2)
    e_neurons.V_m = random_vm
    i_neurons.V_m = random_vm
    je_pa = weight_per_mV(MODEL["tau_m"], MODEL["tau_syn_ex"], MODEL["C_m"]) * JE
    nu_thresh = MODEL["V_th"] / (c_e * MODEL["tau_m"] / MODEL["C_m"] * je_pa * np.exp(1.0) * TAU_SYN)
    stimulus = nest.Create("poisson_generator", 1, {"rate": nu_thresh * ETA * c_e * 1000.0})
    recorder = nest.Create("spike_recorder")
    nest.SetDefaults("static_synapse_hpc", {"delay": 1.5})
    nest.CopyModel("static_synapse_hpc", "syn_ex", {"weight": je_pa})
    nest.CopyModel("static_synapse_hpc", "syn_in", {"weight": G * je_pa})
    nest.SetDefaults("stdp_pl_synapse_hom_hpc", dict(STDP, weight=je_pa))
    nest.Connect(stimulus, e_neurons, {"rule": "all_to_all"}, {"synapse_model": "syn_ex"})
    nest.Connect(stimulus, i_neurons, {"rule": "all_to_all"}, {"synapse_model": "syn_ex"})
    fixed = {"rule": "fixed_indegree", "allow_autapses": False, "allow_multapses": True}
    nest.Connect(e_neurons, e_neurons, dict(fixed, indegree=c_e),
                 {"synapse_model": "stdp_pl_synapse_hom_hpc"})
    nest.Connect(i_neurons, e_neurons, dict(fixed, indegree=c_i), {"synapse_model": "syn_in"})
    nest.Connect(e_neurons, i_neurons, dict(fixed, indegree=c_e), {"synapse_model": "syn_ex"})
    nest.Connect(i_neurons, i_neurons, dict(fixed, indegree=c_i), {"synapse_model": "syn_in"})
    nest.Connect(e_neurons[:min(N_REC, n_e)], recorder, "all_to_all", "static_synapse_hpc")
    t1 = time.perf_counter()
    nest.Simulate(presimtime)
    t2 = time.perf_counter()
    nest.Simulate(simtime)
    t3 = time.perf_counter()
    synapses = int(nest.num_connections)
    return {"case": "run", "scale": scale, "threads": threads, "seed": seed, "build": t1 - t0,
            "presim": t2 - t1, "simulate": t3 - t2, "synapses": synapses,
            "rate": recorder.n_events / (min(N_REC, n_e) * (presimtime + simtime)) * 1e3,
            "peak_bytes_per_synapse":
                peak_rss_bytes() / synapses}


if __name__ == "__main__":
    main(run, DEFAULTS, [str(DEFAULTS["scale"])], ["1", "2"])
