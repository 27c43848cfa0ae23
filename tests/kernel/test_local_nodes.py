"""What one MPI rank holds: its own neurons' state, numbered locally by ring column.

The kernel is built here as rank 1 of 3 processes without MPI (no exchange: the other ranks'
spikes never arrive), which is enough to check the layout; tests/mpi runs real processes.
"""
import numpy as np
import pytest

from kernel.kernel import Kernel
from kernel.parallel import mpi
from kernel.parallel.slices import SlicePlan


def _kernel(monkeypatch, rank, size):
    procs = mpi.Processes.__new__(mpi.Processes)
    procs.rank, procs.size, procs.comm = rank, size, None
    monkeypatch.setattr(mpi, "_PROCESSES", procs)
    return Kernel()


@pytest.fixture
def rank1_of_3(monkeypatch):
    k = _kernel(monkeypatch, 1, 3)
    k.create("iaf_psc_alpha", 10)           # ids 1-10: holds 1, 4, 7, 10
    k.create("poisson_generator", 1)        # id 11: devices are on every rank
    k.create("iaf_psc_exp", 5)              # ids 12-16: holds 13, 16
    return k


def test_blocks_hold_their_own_neurons_only(rank1_of_3):
    k = rank1_of_3
    a, pg, b = k.nodes.blocks
    assert (a.n, a.n_global, pg.n, b.n, b.n_global) == (4, 10, 1, 2, 5)
    assert a.held_ids().tolist() == [1, 4, 7, 10] and b.held_ids().tolist() == [13, 16]
    assert np.asarray(a.core.y3).shape == (4,) and a.values["tau_m"].shape == (4,)
    assert (a.last, b.last, k.nodes.size) == (10, 16, 16)
    # ring columns: the held nodes in id order, from 1
    assert [blk.ring_first for blk in k.nodes.blocks] == [1, 5, 6]
    assert k.nodes.ring_size == 7 and not k.nodes.identity
    assert k.nodes.ring_ids(np.array([1, 4, 11, 13, 16, 2, 12])).tolist() == [1, 2, 5, 6, 7, 0, 0]
    assert k.nodes.global_ids(np.arange(1, 8)).tolist() == [1, 4, 7, 10, 11, 13, 16]


def test_group_splits_held_and_other_nodes(rank1_of_3):
    k = rank1_of_3
    ids = np.array([2, 4, 13, 11, 1, 14])
    held = [(blk.spec.name, pos.tolist(), loc.tolist()) for blk, pos, loc in k.nodes.group(ids)]
    assert held == [("iaf_psc_alpha", [1, 4], [1, 0]), ("poisson_generator", [3], [0]),
                    ("iaf_psc_exp", [2], [0])]
    other = [(blk.spec.name, pos.tolist()) for blk, pos, _ in k.nodes.group(ids, held=False)]
    assert other == [("iaf_psc_alpha", [0]), ("iaf_psc_exp", [5])]


def test_status_and_set_reach_held_nodes_only(rank1_of_3):
    k = rank1_of_3
    k.set_node_values(np.arange(1, 11), {"I_e": np.arange(10.0)})
    assert k.get_node_values(np.arange(1, 6), "I_e") == [0.0, None, None, 3.0, None]
    assert k.get_node_values([4, 13], "global_id") == [4, 13]
    assert k.nodes.blocks[0].values["I_e"].tolist() == [0.0, 3.0, 6.0, 9.0]


def test_connection_targets_are_ring_columns(rank1_of_3):
    k = rank1_of_3
    # stored here: the connections to held nodes (4 and 13), and from the generator to them
    k.connect(np.array([2, 3, 1, 11, 11]), np.array([4, 13, 2, 7, 16]), values={"weight": 2.0})
    k.connections.pack()
    table = k.tables["static_synapse"]
    assert len(table) == 4
    assert table.ring_targets().tolist() == [2, 6, 3, 7]
    assert table.column("target").tolist() == [4, 13, 7, 16]
    found = k.connections.find(target_ids=[13, 16])
    assert [(m, k.connections.read(m, pos, "target").tolist()) for m, pos in found] == \
        [("static_synapse", [13, 16])]


def test_update_reads_and_emits_held_nodes(rank1_of_3):
    k = rank1_of_3
    k.set_node_values(np.arange(1, 11), {"I_e": 500.0})
    rec = k.create("spike_recorder", 1)
    k.connect(np.arange(1, 11), np.full(10, rec))
    k.simulate(50.0)
    assert k.ring.shape[2] == k.nodes.ring_size + 1 == 9
    events = k.nodes.blocks[-1].events(0)
    assert len(events["senders"]) and set(events["senders"].astype(int)) == {1, 4, 7, 10}


def test_node_memory_falls_with_processes(monkeypatch):
    # the general path on both: the slice engine (one process only) keeps the spike buffers
    # outside the blocks
    monkeypatch.setattr(SlicePlan, "build", classmethod(lambda cls, kernel: None))
    sizes = {}
    for size in (1, 3):
        k = _kernel(monkeypatch, 0, size)
        k.create("iaf_psc_alpha", 300)
        k.simulate(1.0)
        sizes[size] = (k.nodes.nbytes(), k.ring.nbytes)
    assert sizes[3][0] == pytest.approx(sizes[1][0] / 3, rel=0.02)
    assert sizes[3][1] == pytest.approx(sizes[1][1] / 3, rel=0.02)


def test_a_connection_to_a_node_held_elsewhere_is_refused(rank1_of_3):
    from kernel.errors import KernelError
    k = rank1_of_3
    table = k.connections.table("static_synapse")
    with pytest.raises(KernelError, match="node 2 was stored on MPI rank 1"):
        table.stage(np.array([1]), {"target": np.array([2]), "weight": 1.0,
                                    "delay": np.uint16(10), "receptor": np.uint8(0)})
