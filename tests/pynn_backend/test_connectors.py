"""Connectors mapped natively onto the kernel's rule engine, and Projection get/set."""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from pyNN import errors
from pyNN.core import IndexBasedExpression


def _pops(sim, n_pre=5, n_post=7):
    return (sim.Population(n_pre, sim.IF_curr_exp(), label="pre"),
            sim.Population(n_post, sim.IF_curr_exp(), label="post"))


def _pairs(prj):
    return {(int(i), int(j)) for i, j, _ in prj.get("weight", format="list")}


def test_all_to_all_without_self_and_distance_delays(sim):
    p = sim.Population(5, sim.IF_curr_exp())
    prj = sim.Projection(p, p, sim.AllToAllConnector(allow_self_connections=False),
                         sim.StaticSynapse(weight=0.1, delay="0.2+0.3*d"))
    i, j, d = np.array(prj.get("delay", format="list")).T
    assert len(d) == 20
    assert_allclose(d, 0.2 + 0.3 * np.abs(i - j))


def test_one_to_one_and_array(sim):
    pre, post = _pops(sim, 4, 4)
    assert _pairs(sim.Projection(pre, post, sim.OneToOneConnector())) == \
        {(k, k) for k in range(4)}
    matrix = np.zeros((4, 4), bool)
    matrix[0, 3] = matrix[2, 1] = True
    assert _pairs(sim.Projection(pre, post, sim.ArrayConnector(matrix))) == {(0, 3), (2, 1)}


def test_fixed_probability_one_equals_all_to_all(sim):
    p = sim.Population(6, sim.IF_curr_exp())
    a = sim.Projection(p, p, sim.AllToAllConnector(allow_self_connections=False))
    b = sim.Projection(p, p, sim.FixedProbabilityConnector(1.0, allow_self_connections=False))
    assert _pairs(a) == _pairs(b) and b.size() == 30


def test_fixed_probability_is_reproducible_with_seeded_rng(sim):
    pre, post = _pops(sim, 50, 50)
    a = _pairs(sim.Projection(pre, post, sim.FixedProbabilityConnector(0.2,
                                                                        rng=sim.NumpyRNG(7))))
    sim.setup()
    pre, post = _pops(sim, 50, 50)
    b = sim.Projection(pre, post, sim.FixedProbabilityConnector(0.2, rng=sim.NumpyRNG(7)))
    assert a == _pairs(b)
    assert 0.15 < len(b) / 2500 < 0.25


@pytest.mark.parametrize("replacement", [False, True])
def test_fixed_number_pre_and_post(sim, replacement):
    pre, post = _pops(sim)
    prj = sim.Projection(pre, post, sim.FixedNumberPreConnector(3, with_replacement=replacement),
                         sim.StaticSynapse(weight=0.5))
    w = prj.get("weight", format="array", multiple_synapses="sum")
    assert_allclose(np.nansum(w, axis=0), 1.5)
    prj = sim.Projection(pre, post, sim.FixedNumberPostConnector(9, with_replacement=replacement),
                         sim.StaticSynapse(weight=0.5))
    w = prj.get("weight", format="array")
    assert_allclose(np.nansum(w, axis=1), 4.5)
    if not replacement:  # all 7 targets once, then 2 more
        assert np.all((~np.isnan(w)).sum(axis=1) == 7)


def test_fixed_number_pre_random_degree(sim):
    pre, post = _pops(sim, 20, 30)
    n = sim.RandomDistribution("uniform_int", low=1, high=5, rng=sim.NumpyRNG(1))
    prj = sim.Projection(pre, post, sim.FixedNumberPreConnector(n))
    counts = np.bincount(np.array(prj.get("weight", format="list"))[:, 1].astype(int),
                         minlength=30)
    assert counts.min() >= 1 and counts.max() <= 4


@pytest.mark.parametrize("replacement", [False, True])
def test_fixed_total_number(sim, replacement):
    pre, post = _pops(sim)
    prj = sim.Projection(pre, post, sim.FixedTotalNumberConnector(20, with_replacement=replacement))
    assert prj.size() == 20
    if not replacement:
        assert len(_pairs(prj)) == 20


def test_from_list_with_parameters(sim):
    pre, post = _pops(sim, 4, 2)
    conns = [(0, 0, 0.1, 1.0), (3, 0, 0.2, 2.0), (1, 1, 0.3, 3.0)]
    prj = sim.Projection(pre, post, sim.FromListConnector(conns), sim.StaticSynapse())
    got = sorted(prj.get(["weight", "delay"], format="list"))
    assert_allclose(got, sorted(conns))
    k = sim.simulator.state.kernel
    weights = k.connections.read(prj.kernel_model, np.arange(3), "weight")
    assert_allclose(sorted(weights), [100.0, 200.0, 300.0])      # nA -> pA


def test_distance_dependent_and_small_world(sim):
    p = sim.Population(10, sim.IF_curr_exp())      # a Line: positions x = index
    prj = sim.Projection(p, p, sim.DistanceDependentProbabilityConnector(
        "d < 2.5", allow_self_connections=False))
    assert _pairs(prj) == {(i, j) for i in range(10) for j in range(10)
                           if 0 < abs(i - j) < 2.5}
    sw = sim.Projection(p, p, sim.SmallWorldConnector(degree=2.5, rewiring=0.0,
                                                      allow_self_connections=False))
    assert _pairs(sw) == _pairs(prj)
    rewired = sim.Projection(p, p, sim.SmallWorldConnector(degree=2.5, rewiring=1.0,
                                                           allow_self_connections=False))
    assert len(rewired) == len(prj) and _pairs(rewired) != _pairs(prj)


def test_index_based_and_displacement(sim):
    class Upper(IndexBasedExpression):
        def __call__(self, i, j):
            return (i < j).astype(float)

    p = sim.Population(6, sim.IF_curr_exp())
    prj = sim.Projection(p, p, sim.IndexBasedProbabilityConnector(Upper()))
    assert _pairs(prj) == {(i, j) for i in range(6) for j in range(6) if i < j}
    disp = sim.Projection(p, p, sim.DisplacementDependentProbabilityConnector(
        "d[0] == 1"))
    assert _pairs(disp) == {(i, i + 1) for i in range(5)}


def test_callback_reaches_one(sim):
    levels = []
    pre, post = _pops(sim)
    sim.Projection(pre, post, sim.FixedProbabilityConnector(0.5, callback=levels.append))
    sim.Projection(pre, post, sim.DistanceDependentProbabilityConnector(
        "exp(-d)", callback=levels.append))
    assert levels[-1] == 1.0 and levels.count(1.0) >= 2


def test_expressions_are_whitelisted(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    for bad in ("__import__('os').system('true')", "d.__class__", "[x for x in d]",
                "open('f')", "lambda: 1"):
        with pytest.raises(errors.InvalidParameterValueError):
            sim.Projection(p, p, sim.DistanceDependentProbabilityConnector(bad))


def test_projection_set_and_get_formats(sim):
    pre, post = _pops(sim, 4, 2)
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    prj.set(weight=np.arange(8, dtype=float).reshape(4, 2))
    assert_array_equal(prj.get("weight", format="array"), np.arange(8).reshape(4, 2))
    prj.set(delay=[0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2])
    assert_allclose(prj.get("delay", format="array"), np.arange(5, 13).reshape(4, 2) / 10)
    prj.set(delay=lambda d: 0.5 + d)
    assert_allclose(prj.get("delay", format="array"), [[0.5, 1.5], [1.5, 0.5], [2.5, 1.5],
                                                       [3.5, 2.5]])
    prj.set(weight=sim.RandomDistribution("uniform", (0.1, 0.2), rng=sim.NumpyRNG(1)))
    w = prj.get("weight", format="array")
    assert np.all((w >= 0.1) & (w < 0.2)) and len(np.unique(w)) == 8


def test_multiple_synapses(sim):
    pre, post = _pops(sim, 2, 1)
    prj = sim.Projection(pre, post, sim.FromListConnector([(0, 0, 0.1, 1.0), (0, 0, 0.3, 1.0)]))
    assert prj.get("weight", format="array")[0, 0] == pytest.approx(0.4)
    assert prj.get("weight", format="array", multiple_synapses="min")[0, 0] == pytest.approx(0.1)
    assert prj.get("weight", format="array", multiple_synapses="max")[0, 0] == pytest.approx(0.3)
    assert np.isnan(prj.get("weight", format="array")[1, 0])


def test_inhibitory_signs(sim):
    pre, post = _pops(sim, 2, 2)
    with pytest.raises(errors.ConnectionError):
        sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1),
                       receptor_type="inhibitory")
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.1),
                         receptor_type="inhibitory")
    assert_allclose(prj.get("weight", format="array"), -0.1)


def test_save_and_from_file(sim, tmp_path):
    pre, post = _pops(sim, 3, 3)
    prj = sim.Projection(pre, post, sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(2)),
                         sim.StaticSynapse(weight=0.25, delay=1.5))
    filename = str(tmp_path / "conns.txt")
    prj.save("all", filename, format="list")
    copy = sim.Projection(pre, post, sim.FromFileConnector(filename))
    assert sorted(copy.get(["weight", "delay"], format="list")) == \
        sorted(prj.get(["weight", "delay"], format="list"))


def test_nest_face_sees_pynn_network(sim):
    nest = pytest.importorskip("nest_compat")
    pre, post = _pops(sim, 3, 4)
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5))
    conns = nest.GetConnections(synapse_model=prj.kernel_model)
    assert len(conns) == 12
    assert_allclose(conns.get("weight"), 500.0)


def test_fixed_total_number_without_self_connections(sim):
    p = sim.Population(6, sim.IF_curr_exp())
    for replacement in (False, True):
        prj = sim.Projection(p, p, sim.FixedTotalNumberConnector(
            30, allow_self_connections=False, with_replacement=replacement,
            rng=sim.NumpyRNG(4)))
        pairs = np.array(prj.get("weight", format="list"))[:, :2]
        assert prj.size() == 30
        assert not np.any(pairs[:, 0] == pairs[:, 1])
    with pytest.raises(Exception):   # 31 distinct pairs of 30 possible
        sim.Projection(p, p, sim.FixedTotalNumberConnector(
            31, allow_self_connections=False, with_replacement=False))


def test_weights_and_delays_from_random_distributions(sim):
    pre, post = _pops(sim, 20, 20)
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(
        weight=sim.RandomDistribution("uniform", (0.1, 0.3), rng=sim.NumpyRNG(5)),
        delay=sim.RandomDistribution("uniform", (1.0, 2.0), rng=sim.NumpyRNG(6))))
    w = prj.get("weight", format="array")
    d = prj.get("delay", format="array")
    assert np.all((w >= 0.1) & (w < 0.3)) and abs(w.mean() - 0.2) < 0.01
    assert np.all((d >= 1.0 - 1e-12) & (d <= 2.0 + 1e-12)) and abs(d.mean() - 1.5) < 0.05
    # delays are on the grid
    assert_allclose(np.round(d / 0.1) * 0.1, d, atol=1e-9)


def _connectors(sim, callback, tmp_path):
    conns = [(0, 1, 0.1, 1.0), (2, 3, 0.1, 1.0)]
    filename = str(tmp_path / "c.txt")
    np.savetxt(filename, conns)
    return [sim.AllToAllConnector(callback=callback),
            sim.OneToOneConnector(callback=callback),
            sim.FixedProbabilityConnector(0.3, callback=callback),
            sim.FromListConnector(conns, callback=callback),
            sim.FromFileConnector(filename, callback=callback),
            sim.ArrayConnector(np.eye(5, dtype=bool), callback=callback),
            sim.FixedNumberPreConnector(2, callback=callback),
            sim.FixedNumberPostConnector(2, callback=callback),
            sim.FixedTotalNumberConnector(7, callback=callback),
            sim.DistanceDependentProbabilityConnector("d < 2", callback=callback),
            sim.DisplacementDependentProbabilityConnector("d[0] < 2", callback=callback),
            sim.SmallWorldConnector(2.0, 0.1, callback=callback)]


def test_callback_reaches_one_for_every_connector(sim, tmp_path):
    levels = []
    connectors = _connectors(sim, levels.append, tmp_path)
    p = sim.Population(5, sim.IF_curr_exp())
    for connector in connectors:
        levels.clear()
        sim.Projection(p, p, connector)
        assert levels, type(connector).__name__
        assert levels[-1] == 1.0, type(connector).__name__
        assert levels == sorted(levels), type(connector).__name__


def test_csa_connector(sim):
    csa = pytest.importorskip("csa")
    pre, post = _pops(sim, 10, 10)
    prj = sim.Projection(pre, post, sim.CSAConnector(csa.oneToOne),
                         sim.StaticSynapse(weight=0.2))
    assert _pairs(prj) == {(k, k) for k in range(10)}
    assert_allclose(prj.get("weight", format="array").diagonal(), 0.2)
    with_values = sim.Projection(pre, post, sim.CSAConnector(csa.cset(csa.oneToOne, 0.5, 2.0)))
    assert_allclose(np.array(with_values.get(["weight", "delay"], format="list"))[:, 2:],
                    [[0.5, 2.0]] * 10)
    levels = []
    sim.Projection(pre, post, sim.CSAConnector(csa.random(0.3), callback=levels.append))
    assert levels[-1] == 1.0


def test_save_array_format(sim, tmp_path):
    pre, post = _pops(sim, 3, 2)
    prj = sim.Projection(pre, post, sim.FromListConnector([(0, 1, 0.5, 1.0), (2, 0, 0.25, 2.0)]),
                         sim.StaticSynapse())
    filename = str(tmp_path / "w.txt")
    prj.save("weight", filename, format="array")
    # as pyNN.nest writes it: unconnected pairs as 0
    assert_allclose(np.loadtxt(filename), [[0.0, 0.5], [0.0, 0.0], [0.25, 0.0]])
