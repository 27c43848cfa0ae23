"""The Brunel (2000) network of NEST's example brunel_delta_nest.py, for the firing-rate check.

Shared by tests/data/generate_reference_brunel.py (run with the real NEST) and
tests/scenarios/test_brunel_rates.py (run with ours): the same PyNEST calls on both sides.
Every neuron is recorded, so the population rates are averages over thousands of cells.
"""
ORDER_AT_SCALE_1 = 2500
DT, DELAY, J, G, ETA, EPSILON, TAU_M, THETA = 0.1, 1.5, 0.1, 5.0, 2.0, 0.1, 20.0, 20.0


def population_rates(nest, scale, simtime, seed):
    """(excitatory, inhibitory) mean firing rate in spikes/s of the Brunel network.

    Parameters
    ----------
    nest : module
        The PyNEST module to drive (the real NEST or ours).
    scale : float
        Network size relative to NEST's example (1: 12,500 neurons).
    simtime : float
        Simulated time in ms.
    seed : int
        rng_seed.
    """
    order = int(round(ORDER_AT_SCALE_1 * scale))
    n_e, n_i = 4 * order, order
    c_e, c_i = int(EPSILON * n_e), int(EPSILON * n_i)
    p_rate = 1000.0 * ETA * THETA / (J * c_e * TAU_M) * c_e
    nest.ResetKernel()
    nest.resolution = DT
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
    nest.Connect(noise, nodes_ex + nodes_in, syn_spec="excitatory")
    nest.Connect(nodes_ex, espikes, syn_spec="excitatory")
    nest.Connect(nodes_in, ispikes, syn_spec="excitatory")
    nest.Connect(nodes_ex, nodes_ex + nodes_in, {"rule": "fixed_indegree", "indegree": c_e},
                 "excitatory")
    nest.Connect(nodes_in, nodes_ex + nodes_in, {"rule": "fixed_indegree", "indegree": c_i},
                 "inhibitory")
    nest.Simulate(simtime)
    return (espikes.n_events / n_e / simtime * 1000.0,
            ispikes.n_events / n_i / simtime * 1000.0)
