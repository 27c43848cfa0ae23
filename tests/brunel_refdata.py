"""The Brunel (2000) network of NEST's example brunel_delta_nest.py, for the firing-rate check.

Shared by tests/data/generate_reference_brunel.py (run with the real NEST) and
tests/scenarios/test_brunel_rates.py (run with ours): the very network benchmarks/brunel.py
times, with every neuron recorded, so the population rates are averages over thousands of
cells.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "benchmarks"))
from brunel import build  # noqa: E402


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
    nest.ResetKernel()
    nodes_ex, nodes_in, espikes, ispikes = build(nest, scale, seed=seed, n_rec=None)
    nest.Simulate(simtime)
    return (espikes.n_events / len(nodes_ex) / simtime * 1000.0,
            ispikes.n_events / len(nodes_in) / simtime * 1000.0)
