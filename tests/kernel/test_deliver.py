"""The delivery loops of kernel/delivery/_deliver.pyx: the short loops for homogeneous tables
and plain rows must give exactly the ring sums of the general loop (same adds, same order)."""
import numpy as np
import pytest

from kernel.delivery._deliver import (_monotone_offset_rows, deliver, deliver_spikes, plain_rows,
                                      set_parallel_min_work, threaded_table)

N_NODES, L = 40, 7


def network(seed, kinds, shifts):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 12, N_NODES + 1)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    n = int(indptr[-1])
    targets = rng.integers(1, N_NODES + 1, n).astype(np.int32)
    target_kind = np.asarray(kinds(rng), dtype=np.uint8)
    neg_shift = np.asarray(shifts(rng), dtype=np.uint8)
    n_ev = 60
    sources = rng.integers(0, N_NODES + 3, n_ev).astype(np.int32)   # some without a row
    stamps = rng.integers(1, 30, n_ev).astype(np.int64)
    mults = rng.integers(1, 3, n_ev).astype(np.int64)
    return indptr, targets, target_kind, neg_shift, sources, stamps, mults


@pytest.mark.parametrize("weight, receptor", [(0.37, 0), (-1.3, 0), (-1.3, 1), (2.0, 2)])
@pytest.mark.parametrize("mixed", [False, True])
@pytest.mark.parametrize("rows", ["random", "in id order"])
def test_homogeneous_loops_equal_general_loop(weight, receptor, mixed, rows):
    """Rows "in id order" (as the rules stage them, with the targets that take nothing
    first, as recorders connected before them are) take the one-pass offsets."""
    kinds = (lambda rng: rng.choice([0, 0, 0, 1, 2], N_NODES + 1)) if mixed else \
        (lambda rng: np.zeros(N_NODES + 1))
    shifts = (lambda rng: rng.integers(0, 2, N_NODES + 1)) if mixed else \
        (lambda rng: np.zeros(N_NODES + 1))
    indptr, targets, kind, shift, sources, stamps, mults = network(3, kinds, shifts)
    if rows == "in id order":
        for r in range(N_NODES + 1):
            row = targets[indptr[r]:indptr[r + 1]]
            row[:] = sorted(row, key=lambda g: (kind[g] != 2, g))
    n = targets.shape[0]
    hom = [np.broadcast_to(np.asarray(v, dtype=d), (n,)) for v, d in
           ((weight, np.float64), (3, np.uint16), (receptor, np.uint8))]
    full = [np.array(h) for h in hom]                      # the same values, with strides
    plain = plain_rows(indptr, targets, *hom, kind, shift)
    rings = []
    for cols, flags in ((full, None), (hom, None), (hom, plain)):
        ring = np.zeros((L, 3, N_NODES + 1))
        deliver_spikes(ring, sources, stamps, mults, indptr, targets, *cols, kind, shift, flags)
        rings.append(ring)
    # threads' parts (16-bit offsets from each thread's first column for homogeneous tables)
    previous = set_parallel_min_work(0)
    try:
        for bounds in (None, [0, 17, N_NODES + 1], [0, 5, 6, 30, N_NODES + 1]):
            bounds = None if bounds is None else np.array(bounds, dtype=np.int64)
            owned = np.array([0, N_NODES + 1]) if bounds is None else bounds
            one_pass = _monotone_offset_rows(indptr, targets, owned, kind, shift, weight < 0)
            assert (one_pass is not None) == (rows == "in id order" or bounds is None)
            for cols in (full, hom):
                ring = np.zeros((L, 3, N_NODES + 1))
                table = threaded_table(indptr, targets, *cols, plain_rows(
                    indptr, targets, *cols, kind, shift), bounds, kind, shift)
                deliver(ring, sources, stamps, mults, table, kind, shift)
                rings.append(ring)
    finally:
        set_parallel_min_work(previous)
    assert np.any(rings[0] != 0)
    for ring in rings[1:]:
        np.testing.assert_array_equal(ring, rings[0])


def test_plain_rows_flags_rows_that_need_no_lookup():
    indptr = np.array([0, 2, 4, 5, 5], dtype=np.int64)
    targets = np.array([1, 2, 3, 4, 2], dtype=np.int32)
    weights = np.array([1.0, 1.0, 1.0, 2.0, -1.0])
    delays = np.ones(5, dtype=np.uint16)
    channels = np.zeros(5, dtype=np.uint8)
    kind = np.array([0, 0, 0, 0, 2], dtype=np.uint8)
    shift = np.array([0, 0, 1, 0, 0], dtype=np.uint8)
    # row 0 plain; row 1 mixes weights; row 2 has a negative weight onto a sign-splitting node;
    # row 3 is empty (plain)
    assert plain_rows(indptr, targets, weights, delays, channels, kind, shift).tolist() == \
        [1, 0, 0, 1]
    kind[2] = 2
    assert plain_rows(indptr, targets, weights, delays, channels, kind, shift)[0] == 0


@pytest.mark.parametrize("bounds", [[1, 41], [1, 20, 41], [1, 5, 6, 41]])
def test_thread_parts_split_rows_by_target_owner_in_row_order(bounds):
    from kernel.delivery._deliver import thread_parts
    indptr, targets, *_ = network(5, lambda rng: np.zeros(N_NODES + 1),
                                  lambda rng: np.zeros(N_NODES + 1))
    bounds = np.array(bounds, dtype=np.int64)
    part_ptr, perm = thread_parts(indptr, targets, bounds)
    assert sorted(perm.tolist()) == list(range(targets.shape[0]))
    for t in range(len(bounds) - 1):
        for r in range(indptr.shape[0] - 1):
            mine = perm[part_ptr[t, r]:part_ptr[t, r + 1]]
            row = np.arange(indptr[r], indptr[r + 1])
            expected = row[(targets[row] >= bounds[t]) & (targets[row] < bounds[t + 1])]
            np.testing.assert_array_equal(mine, expected)


def test_delivery_prefetch_is_in_the_compiled_loop():
    # GCC drops a call to a function that only prefetches (it finds it pure): the next row's
    # prefetch then silently vanished from the build and delivery ran a third slower
    import platform
    import re
    import shutil
    import subprocess

    import kernel.delivery._deliver as module
    instruction = {"x86_64": r"\tprefetch\w*\s", "aarch64": r"\tprfm\s"}.get(platform.machine())
    if instruction is None or shutil.which("objdump") is None:
        pytest.skip("needs objdump on x86_64 or aarch64")
    listing = subprocess.run(["objdump", "-d", module.__file__], capture_output=True,
                             text=True, check=True).stdout
    assert re.search(instruction, listing)


def test_unroll_flags_must_cover_the_senders():
    """A neuron's spike of multiplicity 3 adds w three times, a device's adds 3 w once; flags
    that do not cover every sender row are refused, not read past their end."""
    indptr = np.array([0, 0, 1, 2], dtype=np.int64)        # senders 1 and 2 -> target 1
    targets = np.array([1, 1], dtype=np.int32)
    table = threaded_table(indptr, targets, np.array([0.1, 0.1]), np.ones(2, np.uint16),
                           np.zeros(2, np.uint8), None)
    kind, shift = np.zeros(3, np.uint8), np.zeros(3, np.uint8)
    senders, stamps, mults = np.array([1, 2], np.int32), np.array([1, 1]), np.array([3, 3])
    ring = np.zeros((2, 1, 3))
    deliver(ring, senders, stamps, mults, table, kind, shift, np.array([0, 1, 0], np.uint8))
    assert ring[1, 0, 1] == (0.0 + 0.1 + 0.1 + 0.1) + 0.1 * 3
    with pytest.raises(ValueError, match="a flag for each of the table's 3 rows"):
        deliver(ring, senders, stamps, mults, table, kind, shift, np.array([1, 1], np.uint8))
