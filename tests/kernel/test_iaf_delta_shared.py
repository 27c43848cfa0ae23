"""iaf_psc_delta reads the parameters its nodes share once (IafPscDelta.calibrate): the same
numbers as per node, and per node again once a node's parameter differs."""
import numpy as np

import nest
from kernel import get_kernel
from kernel.neurons.iaf_psc import IafPscDelta


def run_network(threads):
    """400 neurons of one parameter set, Poisson drive and recurrent input, 200 ms: spikes
    and the potentials at the end; whether the step read the shared parameters."""
    nest.ResetKernel()
    nest.local_num_threads = threads
    nest.rng_seed = 5
    neurons = nest.Create("iaf_psc_delta", 400, {"C_m": 1.0, "tau_m": 20.0, "t_ref": 2.0,
                                                 "E_L": 0.0, "V_reset": 0.0, "V_th": 20.0,
                                                 "I_e": 0.2})
    spikes = nest.Create("spike_recorder")
    nest.Connect(nest.Create("poisson_generator", params={"rate": 18000.0}), neurons,
                 syn_spec={"weight": 0.1, "delay": 1.5})
    nest.Connect(neurons, neurons, {"rule": "fixed_indegree", "indegree": 40},
                 {"weight": -0.3, "delay": 1.5})
    nest.Connect(neurons, spikes)
    nest.Simulate(200.0)
    shared = get_kernel().nodes.blocks[0].core.shared_parameters
    return spikes.events["senders"], spikes.events["times"], np.array(neurons.V_m), shared


def test_shared_parameters_give_the_per_node_numbers(monkeypatch):
    *shared, flag = run_network(2)
    assert flag and shared[0].size > 1000
    calibrate = IafPscDelta.calibrate

    def per_node(self, grid):
        calibrate(self, grid)
        self.core.shared_parameters = False

    monkeypatch.setattr(IafPscDelta, "calibrate", per_node)
    *own, flag = run_network(2)
    assert not flag
    for a, b in zip(shared, own):
        np.testing.assert_array_equal(a, b)


def test_a_parameter_set_between_runs_is_the_nodes_own():
    """A threshold set for one node between two Simulate calls: that node fires sooner from
    then on, the others as before."""
    nest.ResetKernel()
    nodes = nest.Create("iaf_psc_delta", 10, {"I_e": 500.0})
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
