"""Distributed simulation: the same network and spikes for any number of MPI processes.

Each test runs ``brunel_mpi.py`` under ``mpiexec -n K`` in fresh processes and compares what
the ranks report (gathered spikes, samples, connection tables) across K. Skipped when mpi4py
or mpiexec is missing (``make install`` installs both).
"""
import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import pytest

import kernel
from kernel.parallel import mpi

SCRIPT = pathlib.Path(__file__).with_name("brunel_mpi.py")
MPIEXEC = shutil.which("mpiexec", path=str(pathlib.Path(sys.executable).parent)) or \
    shutil.which("mpiexec")
HAVE_MPI = MPIEXEC is not None and importlib.util.find_spec("mpi4py") is not None
needs_mpi = pytest.mark.skipif(not HAVE_MPI, reason="mpi4py or mpiexec not installed")


def launch(case, n, out, *args, timeout=120):
    """``mpiexec -n n python brunel_mpi.py case out args`` (a CompletedProcess)."""
    # the processes import the same kernel as this one (a source tree or site-packages)
    root = str(pathlib.Path(kernel.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]),
        "PYTHONWARNINGS": "ignore"}
    return subprocess.run([MPIEXEC, "-n", str(n), sys.executable, str(SCRIPT), case, str(out),
                           *args], capture_output=True, text=True, timeout=timeout, env=env)


def run(case, n, tmp_path, *args, timeout=120):
    """Run a case on ``n`` processes; return the JSON of every rank (a list by rank)."""
    out = tmp_path / f"{case}-{n}-{'-'.join(args)}"
    proc = launch(case, n, out, *args, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads(pathlib.Path(f"{out}.{r}").read_text()) for r in range(n)]


@pytest.fixture(scope="module")
def brunel_single(tmp_path_factory):
    if not HAVE_MPI:
        pytest.skip("mpi4py or mpiexec not installed")
    return run("brunel", 1, tmp_path_factory.mktemp("mpi"))[0]


@needs_mpi
@pytest.mark.parametrize("n", [2, 3])
def test_brunel_same_spikes_samples_and_connections(brunel_single, tmp_path, n):
    ranks = run("brunel", n, tmp_path)
    single = brunel_single
    assert len(single["spikes"]) > 1000          # the network is active
    assert single["num_processes"] == 1
    for rank, result in enumerate(ranks):
        assert result["rank"] == rank
        assert result["num_processes"] == n and result["total_num_virtual_procs"] == n
        assert result["spikes"] == single["spikes"]
        assert result["samples"] == single["samples"]
        assert result["connections"] == single["connections"]
        assert result["local_ok"] and result["rec_local"]
        # a node's state is read on its own rank; elsewhere it is a proxy, as in NEST
        status, own = result["status"], [g % n == rank for g in result["status"]["global_id"]]
        assert status["local"] == own and status["vp"] == [g % n for g in status["global_id"]]
        assert status["model"] == ["iaf_psc_alpha" if o else "proxynode" for o in own]
        assert status["V_m"] == [v if o else None
                                 for v, o in zip(single["status"]["V_m"], own)]
        assert result["getnodes"] == single["getnodes"]
        assert result["getnodes_local"] == [g for g in single["getnodes"] if g % n == rank]
    # each rank holds a share of the nodes and of the connections, the shares add up
    assert sum(ranks[0]["local_nodes"]) == single["local_nodes"][0]
    assert max(ranks[0]["local_nodes"]) - min(ranks[0]["local_nodes"]) <= 1
    assert sum(ranks[0]["local_connections"]) == single["local_connections"][0]
    assert max(ranks[0]["local_connections"]) < 0.6 * single["local_connections"][0]


@needs_mpi
@pytest.mark.parametrize("n", [1, 2])
def test_brunel_same_spikes_with_two_threads(brunel_single, tmp_path, n):
    result = run("brunel", n, tmp_path, "--threads", "2")[0]
    assert result["total_num_virtual_procs"] == 2 * n
    assert result["spikes"] == brunel_single["spikes"]
    assert result["connections"] == brunel_single["connections"]


@pytest.fixture(scope="module")
def plastic_single(tmp_path_factory):
    if not HAVE_MPI:
        pytest.skip("mpi4py or mpiexec not installed")
    return run("plastic", 1, tmp_path_factory.mktemp("mpi"))[0]


@needs_mpi
@pytest.mark.parametrize("n", [2, pytest.param(3, marks=pytest.mark.slow)])
def test_plastic_synapses_same_weights(plastic_single, tmp_path, n):
    single = plastic_single
    vt = 62      # the volume_transmitter: every rank keeps the connections to it, as NEST does

    def without_vt(rows):
        return [r for r in rows if r[1] != vt]
    models = {r[2] for r in single["connections"]}
    assert {"stdp_synapse", "stdp_dopamine_synapse", "tsodyks2_synapse"} <= models
    # the weights moved (so the comparison below tests the plastic updates)
    for model in ("stdp_synapse", "stdp_dopamine_synapse"):
        assert len({r[3] for r in single["connections"] if r[2] == model}) > 20
    result = run("plastic", n, tmp_path)[0]
    assert result["spikes"] == single["spikes"]
    assert without_vt(result["connections"]) == without_vt(single["connections"])
    to_vt = [r for r in result["connections"] if r[1] == vt]
    assert to_vt == sorted(r for r in single["connections"] if r[1] == vt for _ in range(n))


@needs_mpi
def test_every_rule_builds_the_same_network(tmp_path):
    """Each rule (spatial too), Parameter values and SynapseCollection.set with a Parameter:
    the same gathered table for 1, 2, 3 processes and 2 threads, each rank holding its share."""
    single = run("rules", 1, tmp_path)[0]
    assert len(single["connections"]) > 5000
    for n, args in ((2, ()), (3, ()), (2, ("--threads", "2"))):
        ranks = run("rules", n, tmp_path, *args)
        for result in ranks:
            assert result["connections"] == single["connections"]
        shares = ranks[0]["local_connections"]
        assert sum(shares) == len(single["connections"]) and max(shares) < 0.6 * sum(shares)


@needs_mpi
def test_pynn_connectors_build_the_same_projections(tmp_path):
    """PyNN's connectors, with NumpyRNG / NativeRNG / fixed synapse values: the same gathered
    (i, j, weight, delay) lists for 1, 2 and 3 processes."""
    single = run("pynn_rules", 1, tmp_path)[0]
    assert len({row[0] for row in single["connections"]}) == 10     # every connector made some
    for n in (2, 3):
        ranks = run("pynn_rules", n, tmp_path)
        for result in ranks:
            assert result["connections"] == single["connections"]
        assert sum(ranks[0]["local_connections"]) == len(single["connections"])


@needs_mpi
def test_spatial_error_of_some_ranks_targets_is_raised_everywhere(tmp_path):
    """Spatial fixed_indegree draws per rank for its own targets; only rank 1 owns the corner
    targets that lack candidates, and both ranks raise (neither hangs)."""
    single = run("spatial_error", 1, tmp_path)[0]
    assert "Global target ID 1: Not enough sources" in single["error"]
    ranks = run("spatial_error", 2, tmp_path, timeout=60)
    assert ranks[1]["error"] == single["error"]
    assert "MPI rank 1 of 2 failed" in ranks[0]["error"] and "Global target ID 1" in \
        ranks[0]["error"]


@needs_mpi
def test_disconnect_same_connections_and_errors(tmp_path):
    single = run("disconnect", 1, tmp_path)[0]
    assert len(single["connections"]) == 12 and single["error"] == "InexistentConnection"
    for result in run("disconnect", 2, tmp_path):
        assert result["connections"] == single["connections"]
        assert result["error"] == "InexistentConnection"     # raised on every rank


@needs_mpi
def test_ranks_hold_only_their_own_nodes(tmp_path):
    single = run("local", 1, tmp_path, "--simtime", "100")[0]
    assert len(single["spikes"]) > 100 and len(single["lone"]) > 0 and single["samples"]
    for n in (2, 3):
        ranks = run("local", n, tmp_path, "--simtime", "100")
        # 30 and 2 neurons (fewer than processes) owned round-robin; devices everywhere
        assert [sum(r["held"][b] for r in ranks) for b in (0, 1)] == single["held"][:2]
        for rank, result in enumerate(ranks):
            assert result["held"][0] == len(range(1, 31)[(rank - 1) % n::n])
            assert result["held"][2:] == single["held"][2:]
            assert result["ring_columns"] == sum(result["held"])
            # node state (parameters, state, the cores' arrays, the ring) falls with n
            assert result["state_bytes"] < (0.6 if n == 2 else 0.45) * single["state_bytes"]
            for key in ("spikes", "lone", "samples"):
                assert result[key] == single[key]
            # node 32's recorders record on its rank only; elsewhere they have no local target
            mine = 32 % n == rank
            assert (result["lone_events"], result["meter_events"]) == \
                ((single["lone_events"], single["meter_events"]) if mine else (0, 0))
            # other ranks' neurons read as proxies (state None), set changed only own nodes
            own = [g % n == rank for g in range(1, 7)]
            status = result["status"]
            assert status["local"] == own and status["global_id"] == list(range(1, 7))
            assert status["model"] == ["iaf_psc_alpha" if o else "proxynode" for o in own]
            assert status["element_type"] == ["neuron"] * 6
            for key in ("V_m", "tau_m"):
                assert status[key] == [v if o else None for v, o in zip(single["status"][key], own)]
            assert result["getstatus"] == [v if o else None
                                           for v, o in zip(single["getstatus"], own)]
            assert result["full"]["n_keys"] == single["full"]["n_keys"]
            assert (result["full"]["model"], result["full"]["local"]) == \
                (("iaf_psc_alpha", True) if own[0] else ("proxynode", False))


@needs_mpi
def test_fewer_neurons_than_processes(tmp_path):
    single = run("tiny", 1, tmp_path)[0]
    assert len(single["spikes"]) == 6
    for result in run("tiny", 3, tmp_path):
        assert result["spikes"] == single["spikes"]
        assert result["connections"] == single["connections"]


@needs_mpi
def test_error_on_one_rank_is_raised_on_every_rank(tmp_path):
    ranks = run("error", 3, tmp_path, timeout=60)
    # node 2 lives on rank 2: its solver fails there, the others are told and stop too
    assert ranks[2]["error"] == "NumericalInstability"
    for rank in (0, 1):
        assert ranks[rank]["error"] == "KernelException"
        assert "MPI rank 2 of 3 failed" in ranks[rank]["message"]
        assert "aeif_cond_alpha 2" in ranks[rank]["message"]


@needs_mpi
def test_uncaught_error_on_one_rank_ends_all(tmp_path):
    proc = launch("uncaught", 2, tmp_path / "x", timeout=60)
    assert proc.returncode != 0
    assert "a mistake on rank 1 only" in proc.stderr


@needs_mpi
@pytest.mark.parametrize("n", [2, pytest.param(3, marks=pytest.mark.slow)])
def test_pynn_gathered_data_and_projection(tmp_path, n):
    single = run("pynn", 1, tmp_path)[0]
    assert len(single["spikes"]) > 100
    ranks = run("pynn", n, tmp_path)
    for result in ranks:
        assert result["num_processes"] == n
        assert result["spikes"] == single["spikes"]
        assert result["v"] == single["v"]
        assert result["weights"] == single["weights"]
        assert result["n_trains"] == single["n_trains"]
    files = ranks[0]["files"]    # read back on rank 0
    # write_data(gather=True): everything in one file; gather=False: <file>.<rank>
    assert files["all"] == len(single["spikes"])
    assert len(files["own"]) == n and sum(files["own"]) == len(single["spikes"])
    assert min(files["own"]) > 0
    assert files["prj_rows"] == len(single["weights"])


def test_single_process_without_launcher(monkeypatch):
    for name in mpi._LAUNCHER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("NEUROPIL_MPI", raising=False)
    procs = mpi.Processes()
    assert (procs.rank, procs.size, procs.comm) == (0, 1, None)
    assert procs.is_local(np.arange(1, 5)).all()
    assert procs.connection_mask(np.arange(3), np.arange(3), False) is None


@pytest.mark.parametrize("broken", ["missing", "raising"])
def test_unusable_mpi4py_leaves_one_process(monkeypatch, tmp_path, broken):
    monkeypatch.setenv("NEUROPIL_MPI", "1")
    monkeypatch.delitem(sys.modules, "mpi4py", raising=False)
    if broken == "missing":
        monkeypatch.setitem(sys.modules, "mpi4py", None)    # import raises ImportError
    else:
        package = tmp_path / "mpi4py"
        package.mkdir()
        (package / "__init__.py").write_text("raise RuntimeError('no MPI library found')\n")
        monkeypatch.syspath_prepend(str(tmp_path))
    assert mpi._world() is None
    assert mpi.Processes().size == 1


def test_ownership_is_round_robin_as_in_nest():
    procs = mpi.Processes.__new__(mpi.Processes)
    procs.rank, procs.size, procs.comm = 1, 3, None
    ids = np.arange(1, 11)
    assert procs.owner(ids).tolist() == [1, 2, 0, 1, 2, 0, 1, 2, 0, 1]
    assert np.flatnonzero(procs.is_local(ids)).tolist() == [0, 3, 6, 9]
    # connections live with their target, those to recorders with their source
    keep = procs.connection_mask(np.array([1, 2, 4, 2]), np.array([2, 4, 9, 9]),
                                 np.array([False, False, True, True]))
    assert keep.tolist() == [False, True, True, False]


def test_canonical_register_order():
    blocks = np.array([-1, 0, 0, 0, 1, 1, 1])      # node id -> block (ids 1..6)
    senders = np.array([5, 2, 1, 3, 4, 6], dtype=np.int32)
    stamps = np.array([7, 9, 9, 8, 7, 7])
    mults = np.arange(6)
    s, t, m = mpi.canonical_order(senders, stamps, mults, lambda ids: blocks[ids])
    assert s.tolist() == [3, 1, 2, 4, 5, 6]
    assert t.tolist() == [8, 9, 9, 7, 7, 7]
    assert m.tolist() == [3, 2, 1, 4, 0, 5]
    # in order already (blocks that emit step by step): returned as they are
    same = mpi.canonical_order(s, t, m, lambda ids: blocks[ids])
    assert all(a is b for a, b in zip(same, (s, t, m)))
