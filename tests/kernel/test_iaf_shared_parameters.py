"""iaf_psc_delta, iaf_psc_exp and iaf_psc_alpha read the parameters their nodes share once
(calibrate): the same numbers as per node, and per node again once a node's parameter
differs."""
import numpy as np
import pytest

import nest
from kernel import get_kernel
from kernel.neurons.iaf_psc import IafPscAlpha, IafPscDelta, IafPscExp

# per model: its block class, parameters, Poisson drive (rate, weight) and recurrent weight
NETWORKS = {
    "iaf_psc_delta": (IafPscDelta, {"C_m": 1.0, "tau_m": 20.0, "t_ref": 2.0, "E_L": 0.0,
                                    "V_reset": 0.0, "V_th": 20.0, "I_e": 0.2},
                      (18000.0, 0.1), -0.3),
    "iaf_psc_exp": (IafPscExp, {"tau_syn_ex": 0.5, "tau_syn_in": 0.8, "I_e": 100.0},
                    (8000.0, 87.8), -60.0),
    "iaf_psc_alpha": (IafPscAlpha, {"tau_syn_ex": 0.5, "tau_syn_in": 0.8, "I_e": 100.0,
                                    "V_min": -75.0}, (8000.0, 30.0), -60.0),
}


def run_network(model, threads):
    """400 neurons of one parameter set, Poisson drive and recurrent input, 200 ms: spikes
    and the potentials at the end; whether the step read the shared parameters."""
    _, params, (rate, weight), recurrent = NETWORKS[model]
    nest.ResetKernel()
    nest.local_num_threads = threads
    nest.rng_seed = 5
    neurons = nest.Create(model, 400, params)
    spikes = nest.Create("spike_recorder")
    nest.Connect(nest.Create("poisson_generator", params={"rate": rate}), neurons,
                 syn_spec={"weight": weight, "delay": 1.5})
    nest.Connect(neurons, neurons, {"rule": "fixed_indegree", "indegree": 40},
                 {"weight": recurrent, "delay": 1.5})
    nest.Connect(neurons, spikes)
    nest.Simulate(200.0)
    shared = get_kernel().nodes.blocks[0].core.shared_parameters
    return spikes.events["senders"], spikes.events["times"], np.array(neurons.V_m), shared


@pytest.mark.parametrize("model", sorted(NETWORKS))
def test_shared_parameters_give_the_per_node_numbers(model, monkeypatch):
    *shared, flag = run_network(model, 2)
    assert flag and shared[0].size > 1000
    block_class = NETWORKS[model][0]
    calibrate = block_class.calibrate

    def per_node(self, grid):
        calibrate(self, grid)
        self.core.shared_parameters = False

    monkeypatch.setattr(block_class, "calibrate", per_node)
    *own, flag = run_network(model, 2)
    assert not flag
    for a, b in zip(shared, own):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("model", sorted(NETWORKS))
def test_a_parameter_set_between_runs_is_the_nodes_own(model):
    """A threshold set for one node between two Simulate calls: that node fires sooner from
    then on, the others as before."""
    nest.ResetKernel()
    nodes = nest.Create(model, 10, {"I_e": 500.0})
    spikes = nest.Create("spike_recorder")
    nest.Connect(nodes, spikes)
    nest.Simulate(50.0)
    core = get_kernel().nodes.blocks[0].core
    assert core.shared_parameters
    before = np.bincount(spikes.events["senders"], minlength=11)[1:]
    nodes[3].V_th = -60.0
    nest.Simulate(50.0)
    assert not core.shared_parameters
    after = np.bincount(spikes.events["senders"], minlength=11)[1:] - before
    assert np.all(before == before[0]) and before[0] > 0
    others = np.delete(after, 3)
    assert np.all(others == before[0]) and after[3] > others[0]
