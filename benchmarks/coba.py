"""A conductance-based balanced network (COBA) through ``import nest``; timings as JSON.

Run by benchmarks/run.py with Neuropil's ``nest`` and with the real NEST, alternating, one
case per fresh process. The network follows the COBA benchmark of Brette et al. (2007) (Vogels
& Abbott 2005; PyNN's VAbenchmarks.py COBA): 4000 * scale iaf_cond_exp neurons, 80 %
excitatory, 2 % of each population as inputs (fixed in-degrees), conductance jumps of 4 nS
(excitatory) and 51 nS (inhibitory), synaptic time constants 5 and 10 ms, V_th -50 mV,
E_L = V_reset -60 mV, t_ref 5 ms, g_L 10 nS, C_m 200 pF. Instead of the original's initial
kick, every neuron gets a Poisson drive (1.5 kHz of 3 nS inputs) that keeps the network
firing. The ODE solver (adaptive RKF45, as NEST's GSL solver) takes most of the time.

    python coba.py                           -> lists the cases (scale 1, 1 and 2 threads)
    python coba.py run --scale 1 --threads 2 --simtime 1000

Each case prints one JSON line: build and simulate seconds (also as process CPU time), the
synapse count and the mean firing rate of the first 500 neurons.
"""
import time

from common import main

DEFAULTS = {"scale": 1.0, "threads": 1, "simtime": 1000.0, "seed": 5}
N_REC = 500
PARAMS = {"V_th": -50.0, "V_reset": -60.0, "E_L": -60.0, "t_ref": 5.0, "tau_syn_ex": 5.0,
          "tau_syn_in": 10.0, "g_L": 10.0, "C_m": 200.0}


def run(scale, threads, simtime, seed):
    import nest
    nest.ResetKernel()
    if hasattr(nest, "set_verbosity"):
        nest.set_verbosity("M_ERROR")
    t0, c0 = time.perf_counter(), time.process_time()
    nest.local_num_threads = threads
    nest.resolution = 0.1
    nest.rng_seed = seed
    n_e, n_i = int(3200 * scale), int(800 * scale)
    cells = nest.Create("iaf_cond_exp", n_e + n_i, PARAMS)
    cells.V_m = nest.random.uniform(-60.0, -50.0)
    noise = nest.Create("poisson_generator", params={"rate": 1500.0})
    spikes = nest.Create("spike_recorder")
    nest.Connect(noise, cells, syn_spec={"weight": 3.0, "delay": 1.0})
    nest.Connect(cells[:n_e], cells, {"rule": "fixed_indegree", "indegree": n_e // 50},
                 {"weight": 4.0, "delay": 1.0})
    nest.Connect(cells[n_e:], cells, {"rule": "fixed_indegree", "indegree": n_i // 50},
                 {"weight": -51.0, "delay": 1.0})
    nest.Connect(cells[:N_REC], spikes)
    t1, c1 = time.perf_counter(), time.process_time()
    nest.Simulate(simtime)
    t2, c2 = time.perf_counter(), time.process_time()
    return {"case": "run", "scale": scale, "threads": threads, "build": t1 - t0,
            "simulate": t2 - t1, "build_cpu": c1 - c0, "simulate_cpu": c2 - c1,
            "synapses": int(nest.num_connections),
            "rate": spikes.n_events / simtime * 1000.0 / N_REC}


if __name__ == "__main__":
    main(run, DEFAULTS, scales=["1"], threads=["1", "2"])
