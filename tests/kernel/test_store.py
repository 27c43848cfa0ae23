"""Connection tables: CSR packing, homogeneous columns, stable ranks, deletion, memory."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.delivery._deliver import set_parallel_min_work
from kernel.delivery._pack import count_chunks, positions_flagged
from kernel.delivery.store import RepeatedIds, SynapseTable


def staged_table(chunks, n_nodes=20):
    table = SynapseTable("static_synapse")
    for sources, targets, weights in chunks:
        n = len(sources)
        table.stage(np.asarray(sources), {"target": np.asarray(targets, np.int32),
                                          "weight": weights, "delay": np.uint16(10),
                                          "receptor": np.uint8(0)})
    table.pack(n_nodes)
    return table


def test_pack_sorts_by_source_keeping_creation_order():
    table = staged_table([([3, 1, 3, 2], [10, 11, 12, 13], np.array([1.0, 2.0, 3.0, 4.0]))])
    np.testing.assert_array_equal(table.sources(), [1, 2, 3, 3])
    np.testing.assert_array_equal(table.column("target"), [11, 13, 10, 12])
    np.testing.assert_array_equal(table.column("weight"), [2.0, 4.0, 1.0, 3.0])
    assert table.indptr[3] == 2 and table.indptr[4] == 4


def test_later_connections_follow_earlier_ones_of_the_same_source():
    table = staged_table([([5, 5], [1, 2], 1.0)])
    table.stage(np.array([4, 5]), {"target": np.array([3, 4], np.int32), "weight": 2.0,
                                   "delay": np.uint16(10), "receptor": np.uint8(0)})
    table.pack(20)
    start = table.indptr[5]
    np.testing.assert_array_equal(table.column("target")[start:start + 3], [1, 2, 4])


def test_equal_values_are_stored_once():
    table = staged_table([([1, 2, 3], [4, 5, 6], 2.5)])
    assert table.is_homogeneous("weight") and table.is_homogeneous("delay")
    assert table.nbytes() == 3 * 4  # only targets
    table.set_column("weight", np.array([1]), [7.0])
    assert not table.is_homogeneous("weight")
    np.testing.assert_array_equal(table.column("weight"), [2.5, 7.0, 2.5])
    assert table.nbytes() == 3 * (4 + 8)


def test_a_static_synapse_costs_at_most_14_bytes():
    n = 10_000
    rng = np.random.default_rng(1)
    table = SynapseTable("static_synapse")
    table.stage(rng.integers(1, 100, n), {"target": rng.integers(1, 100, n).astype(np.int32),
                                          "weight": rng.random(n),
                                          "delay": rng.integers(1, 30, n).astype(np.uint16),
                                          "receptor": np.uint8(0)})
    table.pack(100)
    assert table.nbytes() / n == 14


def test_delete_keeps_the_rest_in_place():
    table = staged_table([([1, 1, 2, 2], [5, 6, 7, 8], np.array([1.0, 2.0, 3.0, 4.0]))])
    table.delete(np.array([1, 2]))
    np.testing.assert_array_equal(table.column("target"), [5, 8])
    np.testing.assert_array_equal(table.sources(), [1, 2])
    assert table.deletions == 1


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("pack_each", [True, False])
@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(1, 10), st.integers(1, 9)), max_size=30),
                min_size=1, max_size=4))
def test_packing_in_chunks_equals_a_stable_sort_of_everything(pack_each, threads, chunks):
    """Also cut into pieces placed by several threads (chunks longer than the node count;
    threaded loops run in parallel however little work they have)."""
    previous = set_parallel_min_work(0)
    try:
        _pack_and_compare(pack_each, threads, chunks)
    finally:
        set_parallel_min_work(previous)


def _pack_and_compare(pack_each, threads, chunks):
    table = SynapseTable("static_synapse")
    everything = []
    for k, chunk in enumerate(chunks):
        if not chunk:
            continue
        src = np.array([s for s, _ in chunk])
        tgt = np.array([t for _, t in chunk], np.int32)
        # odd chunks give scalars, which are broadcast into the packed columns
        weights = np.arange(len(chunk)) + 100.0 * k if k % 2 == 0 else 100.0 * k
        delays = np.uint16(k + 1) if k % 2 == 0 else np.full(len(chunk), 7 + k, np.uint16)
        table.stage(src, {"target": tgt, "weight": weights, "delay": delays,
                          "receptor": np.uint8(0)})
        if pack_each:  # as Connect/Simulate interleave
            table.pack(10, threads)
        everything += list(zip(src, tgt, np.broadcast_to(weights, (len(chunk),)),
                               np.broadcast_to(delays, (len(chunk),))))
    table.pack(10, threads)
    order = sorted(range(len(everything)), key=lambda i: everything[i][0])  # stable
    for c, name in enumerate(("target", "weight", "delay"), start=1):
        np.testing.assert_array_equal(table.column(name), [everything[i][c] for i in order])
    np.testing.assert_array_equal(table.sources(), [everything[i][0] for i in order])
    assert len(table) == len(everything)


def test_staged_connections_must_be_packed_before_deleting():
    table = SynapseTable("static_synapse")
    table.stage(np.array([1]), {"target": np.array([2], np.int32), "weight": 1.0,
                                "delay": np.uint16(1), "receptor": np.uint8(0)})
    with pytest.raises(Exception, match="pack"):
        table.delete(np.array([0]))


def test_a_lone_read_only_part_is_stored_as_a_writable_column():
    weights = np.array([1.0, 2.0, 3.0])
    weights.flags.writeable = False
    table = staged_table([([1, 2, 3], [4, 5, 6], weights)])
    column = table.expand("weight")
    assert column.flags.writeable and column is table.view("weight")
    column[0] = 9.0                       # written in place, as plastic delivery does
    assert table.column("weight")[0] == 9.0 and weights[0] == 1.0


def test_expand_stores_a_homogeneous_column_per_connection():
    table = staged_table([([1, 2, 3], [4, 5, 6], 2.5)])
    assert table.is_homogeneous("weight")
    column = table.expand("weight")
    assert not table.is_homogeneous("weight") and column.flags.writeable
    assert column.strides[0] == 8 and column.tolist() == [2.5, 2.5, 2.5]
    assert table.expand("weight") is column
    table.set_column("weight", [1], [4.0])
    assert column.tolist() == [2.5, 4.0, 2.5]


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("chunks,ordered", [
    ([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10]], True),
    ([[1, 2, 3, 4, 5, 6], [6, 7, 8, 9, 10, 10, 10, 10, 10, 10, 10]], True),
    # every piece is in order, but a later piece starts below the end of an earlier one
    ([[5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6]], False),
    ([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10], [9, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]], False),
])
def test_count_chunks_counts_and_finds_source_order_in_pieces(threads, chunks, ordered):
    previous = set_parallel_min_work(0)
    try:
        counts, in_order, pieces = count_chunks([np.array(c, np.int32) for c in chunks], 10,
                                                threads)
    finally:
        set_parallel_min_work(previous)
    everything = np.concatenate([np.array(c) for c in chunks])
    np.testing.assert_array_equal(counts, np.bincount(everything, minlength=11))
    assert in_order == ordered
    for chunk, piece in zip(chunks, pieces):
        if piece is not None:
            assert piece.shape == (threads, 11)
            np.testing.assert_array_equal(piece.sum(axis=0), np.bincount(chunk, minlength=11))


@pytest.mark.parametrize("threads", [1, 2, 3])
@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=50), st.lists(st.booleans(), min_size=10,
                                                          max_size=10))
def test_positions_flagged_on_threads(threads, targets, flags):
    previous = set_parallel_min_work(0)
    try:
        found = positions_flagged(np.array(targets, np.int32), np.array(flags, np.uint8),
                                  threads)
    finally:
        set_parallel_min_work(previous)
    expected = [k for k, t in enumerate(targets) if flags[t]]
    assert found.tolist() == expected


@pytest.mark.parametrize("threads", [1, 2, 3])
@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(st.integers(1, 10), min_size=1, max_size=5),
                          st.integers(1, 6)), min_size=1, max_size=4))
def test_repeated_targets_pack_as_their_array(threads, chunks):
    """Targets staged as RepeatedIds (each row's target once) place exactly as the repeated
    array would, also in pieces on threads (rows cut anywhere)."""
    lazy, plain = SynapseTable("static_synapse"), SynapseTable("static_synapse")
    rng = np.random.default_rng(len(chunks))
    for rows, repeat in chunks:
        targets = RepeatedIds(np.array(rows, np.int32), repeat)
        sources = rng.integers(1, 11, len(targets)).astype(np.int32)
        weights = rng.random(len(targets))
        for table, tgt in ((lazy, targets), (plain, np.asarray(targets))):
            table.stage(sources, {"target": tgt, "weight": weights, "delay": np.uint16(1),
                                  "receptor": np.uint8(0)})
    previous = set_parallel_min_work(0)
    try:
        lazy.pack(10, threads)
        plain.pack(10, 1)
    finally:
        set_parallel_min_work(previous)
    np.testing.assert_array_equal(lazy.column("target"), plain.column("target"))
    np.testing.assert_array_equal(lazy.column("weight"), plain.column("weight"))
    np.testing.assert_array_equal(lazy.indptr, plain.indptr)
