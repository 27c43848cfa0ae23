"""NEST's Brunel balanced network (brunel_delta_nest.py) through ``import nest``; timings as JSON.

Run by benchmarks/run.py with Neuropil's ``nest`` and with the real NEST, one case per fresh
process, alternating (the machine is shared). The network is NEST's example: N_E = 4 * order
iaf_psc_delta excitatory and N_I = order inhibitory neurons, each receiving 10 % of each
population as inputs (fixed_indegree), a poisson_generator at eta = 2 times the threshold rate
(20 kHz per neuron), delay 1.5 ms, J = 0.1 mV, g = 5, dt = 0.1 ms. ``--scale s`` gives
order = 2500 * s (scale 1: 12,500 neurons, 15.6 M synapses).

    python brunel.py                         -> lists the cases (scale 0.2 and 1, 1 and 2 threads)
    python brunel.py run --scale 0.2 --threads 1 --simtime 1000
    python brunel.py run --scale 0.2 --pieces 1      -> the same time in Simulate(1.0) calls

Each case prints one JSON line: build seconds (Create + Connect), simulate seconds (the
network is prepared and simulated in one Simulate, as in NEST's script, or in Simulate calls
of ``--pieces`` ms each, as scripts that interact with the network do), both also as CPU
time of the process (all threads; less disturbed by other jobs on a shared machine), peak resident
memory, memory grown per synapse during Connect + Simulate, synapses and the firing rates of
the first 50 excitatory and inhibitory neurons.
"""
import time

from common import main, peak_rss_bytes, rss_bytes

DEFAULTS = {"scale": 1.0, "threads": 1, "simtime": 1000.0, "seed": 1, "pieces": 0.0}
DT, DELAY, J, G, ETA, EPSILON = 0.1, 1.5, 0.1, 5.0, 2.0, 0.1
TAU_M, THETA, N_REC = 20.0, 20.0, 50


def build(nest, scale, threads=1, seed=1, n_rec=N_REC):
    """Create and connect the network in ``nest`` (after ResetKernel); return the excitatory
    and inhibitory populations and their spike recorders (nodes_ex, nodes_in, espikes,
    ispikes), each recorder recording the first ``n_rec`` neurons of its population (all of
    them for None). tests/brunel_refdata.py checks this network's rates."""
    order = int(round(2500 * scale))
    n_e, n_i = 4 * order, order
    c_e, c_i = int(EPSILON * n_e), int(EPSILON * n_i)
    nu_th = THETA / (J * c_e * TAU_M)
    p_rate = 1000.0 * ETA * nu_th * c_e
    nest.resolution = DT
    nest.local_num_threads = threads
    nest.rng_seed = seed
    params = {"C_m": 1.0, "tau_m": TAU_M, "t_ref": 2.0, "E_L": 0.0, "V_reset": 0.0,
              "V_m": 0.0, "V_th": THETA}
    nodes_ex = nest.Create("iaf_psc_delta", n_e, params=params)
    nodes_in = nest.Create("iaf_psc_delta", n_i, params=params)
    noise = nest.Create("poisson_generator", params={"rate": p_rate})
    espikes = nest.Create("spike_recorder")
    ispikes = nest.Create("spike_recorder")
    nest.CopyModel("static_synapse", "excitatory", {"weight": J, "delay": DELAY})
    nest.CopyModel("static_synapse", "inhibitory", {"weight": -G * J, "delay": DELAY})
    nest.Connect(noise, nodes_ex, syn_spec="excitatory")
    nest.Connect(noise, nodes_in, syn_spec="excitatory")
    nest.Connect(nodes_ex[:n_rec], espikes, syn_spec="excitatory")
    nest.Connect(nodes_in[:n_rec], ispikes, syn_spec="excitatory")
    nest.Connect(nodes_ex, nodes_ex + nodes_in, {"rule": "fixed_indegree", "indegree": c_e},
                 "excitatory")
    nest.Connect(nodes_in, nodes_ex + nodes_in, {"rule": "fixed_indegree", "indegree": c_i},
                 "inhibitory")
    return nodes_ex, nodes_in, espikes, ispikes


def run(scale, threads, simtime, seed, pieces):
    calls = round(simtime / pieces) if pieces > 0 else 1
    if pieces > 0 and calls * pieces != simtime:
        raise ValueError(f"--pieces ({pieces} ms) must divide --simtime ({simtime} ms)")
    import nest
    nest.ResetKernel()
    if hasattr(nest, "set_verbosity"):
        nest.set_verbosity("M_ERROR")
    mem0 = rss_bytes()
    t0, c0 = time.perf_counter(), time.process_time()
    _, _, espikes, ispikes = build(nest, scale, threads, seed)
    t1, c1 = time.perf_counter(), time.process_time()
    for _ in range(calls):
        nest.Simulate(pieces if pieces > 0 else simtime)
    t2, c2 = time.perf_counter(), time.process_time()
    synapses = nest.GetDefaults("excitatory")["num_connections"] + \
        nest.GetDefaults("inhibitory")["num_connections"]
    return {"case": "run", "scale": scale, "threads": threads, "pieces": pieces,
            "build": t1 - t0, "simulate": t2 - t1, "build_cpu": c1 - c0, "simulate_cpu": c2 - c1,
            "synapses": int(synapses),
            "rate_ex": espikes.n_events / simtime * 1000.0 / N_REC,
            "rate_in": ispikes.n_events / simtime * 1000.0 / N_REC,
            "peak_rss": peak_rss_bytes(),
            "bytes_per_synapse": (rss_bytes() - mem0) / max(synapses, 1),
            "peak_bytes_per_synapse": (peak_rss_bytes() - mem0) / max(synapses, 1)}


if __name__ == "__main__":
    main(run, DEFAULTS, ["0.2", "1"], ["1", "2"])
