"""iaf_psc_delta, iaf_psc_exp and iaf_psc_alpha read the parameters their nodes share once
(calibrate): the same numbers as per node, and per node again once a node's parameter
differs. They leave their current channels alone while no current source was ever connected
to them: the same numbers as reading them."""
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
    and the potentials at the end; the block's core."""
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
    core = get_kernel().nodes.blocks[0].core
    return spikes.events["senders"], spikes.events["times"], np.array(neurons.V_m), core


@pytest.mark.parametrize("model", sorted(NETWORKS))
def test_shared_parameters_give_the_per_node_numbers(model, monkeypatch):
    *shared, core = run_network(model, 2)
    assert core.shared_parameters and shared[0].size > 1000
    block_class = NETWORKS[model][0]
    calibrate = block_class.calibrate

    def per_node(self, grid):
        calibrate(self, grid)
        self.core.shared_parameters = False

    monkeypatch.setattr(block_class, "calibrate", per_node)
    *own, core = run_network(model, 2)
    assert not core.shared_parameters
    for a, b in zip(shared, own):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("model", sorted(NETWORKS))
def test_idle_current_channels_give_the_numbers_of_reading_them(model, threads, monkeypatch):
    *idle, core = run_network(model, threads)
    assert not core.current_input and idle[0].size > 1000

    def fed(self, connected):
        self.core.current_input = True

    monkeypatch.setattr(NETWORKS[model][0], "note_current_sources", fed)
    *read, core = run_network(model, threads)
    assert core.current_input
    for a, b in zip(idle, read):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("model", sorted(NETWORKS))
def test_a_current_source_connected_between_runs_is_felt_and_keeps_the_channels_read(model):
    """Connected after a first Simulate, a dc_generator moves its targets' potentials from
    the next one on (the others' stay with their twins'); disconnected again, the block
    keeps reading its current channels (a current sent before may still be in the ring)."""
    nest.ResetKernel()
    nodes = nest.Create(model, 4)
    nest.Simulate(20.0)
    core = get_kernel().nodes.blocks[0].core
    assert not core.current_input
    dc = nest.Create("dc_generator", params={"amplitude": 50.0})
    nest.Connect(dc, nodes[:2])
    nest.Simulate(20.0)
    v = np.array(nodes.V_m)
    assert core.current_input
    assert v[0] == v[1] and v[2] == v[3] and v[0] > v[2] + 1e-3
    nest.Disconnect(nest.GetConnections(dc))
    nest.Simulate(5.0)
    assert core.current_input
    assert not np.any(core.y0 if model != "iaf_psc_exp" else core.i_0)     # (all taken)
    nest.Simulate(5.0)
    assert core.current_input


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
