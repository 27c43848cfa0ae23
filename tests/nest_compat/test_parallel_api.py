"""The parallel-computing functions of the NEST face in one process (see tests/mpi for K > 1)."""
import numpy as np
import pytest

import nest


def test_rank_and_processes_of_a_single_process():
    assert nest.Rank() == 0 and nest.NumProcesses() == 1
    assert nest.mpi_rank == 0 and nest.num_processes == 1
    assert list(nest.GetLocalVPs()) == [0]
    nest.SyncProcesses()


def test_total_num_virtual_procs_follows_threads():
    nest.total_num_virtual_procs = 2
    assert nest.local_num_threads == 2 and nest.total_num_virtual_procs == 2
    assert list(nest.GetLocalVPs()) == [0, 1]
    nest.Create("iaf_psc_alpha")
    nest.local_num_threads = 2              # the current value is accepted, as in NEST
    with pytest.raises(nest.NESTErrors.KernelException, match="Nodes exist"):
        nest.local_num_threads = 1


def test_local_node_collection_is_everything_in_one_process():
    nodes = nest.Create("iaf_psc_alpha", 4)
    with pytest.warns(UserWarning, match="inherently unsafe"):
        local = nest.GetLocalNodeCollection(nodes[1:])
    assert local == nodes[1:]
    assert all(local.local) and local.vp == (0, 0, 0)
    with pytest.raises(TypeError, match="NodeCollection"):
        nest.GetLocalNodeCollection([1, 2])


def test_get_nodes_filters_on_properties():
    a = nest.Create("iaf_psc_alpha", 3, {"V_m": -77.0})
    a[1].V_m = -60.0
    nest.Create("spike_generator", 2)
    assert nest.GetNodes() == nest.NodeCollection(list(range(1, 6)))
    assert nest.GetNodes({"V_m": -77.0}).tolist() == [1, 3]
    assert nest.GetNodes({"model": "spike_generator"}, local_only=True).tolist() == [4, 5]
    assert len(nest.GetNodes({"V_m": 100.0})) == 0
    with pytest.raises(TypeError, match="dict"):
        nest.GetNodes(["V_m"])


def test_node_collection_from_a_generator():
    nodes = nest.Create("parrot_neuron", 5)
    assert nest.NodeCollection(n.global_id for n in nodes if n.global_id % 2).tolist() == \
        [1, 3, 5]
    assert len(nest.NodeCollection(i for i in [])) == 0


def test_connection_arrays_still_allowed_in_one_process():
    n = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(n, n)
    conns = nest.GetConnections()
    conns.set({"weight": [21.0, 22.0, 23.0, 24.0]})
    assert np.allclose(sorted(conns.weight), [21.0, 22.0, 23.0, 24.0])
