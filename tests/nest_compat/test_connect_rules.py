"""nest.Connect with every connection rule: structure, syn_spec arrays, errors.

Expected classes and behaviour are those of NEST 3.10 (observed with the real NEST; see
docs/nest_semantics.md, "Connection rules"). Random networks are Neuropil's own (another
generator than NEST's), so they are checked for structure and reproducibility, not against
NEST's draws; their statistics are tested in tests/kernel/test_rules.py.
"""
import numpy as np
import pytest

import nest

E = nest.NESTErrors


def _pairs():
    """(sources, targets, weights, delays) of every connection, as arrays, in no set order."""
    if hasattr(nest, "GetConnections"):
        conns = nest.GetConnections()
        if len(conns) == 0:
            empty = np.zeros(0)
            return empty.astype(int), empty.astype(int), empty, empty
        d = conns.get(["source", "target", "weight", "delay"])
        return tuple(np.atleast_1d(np.asarray(d[k])) for k in ("source", "target", "weight",
                                                                  "delay"))
    from kernel import get_kernel  # fallback while GetConnections does not exist
    t = get_kernel().tables["static_synapse"]
    return t.sources, t.targets, t.weights, t.delays


def _edges():
    s, t, _, _ = _pairs()
    return sorted(zip(s.tolist(), t.tolist()))


# -- structure of each rule ---------------------------------------------------------------------------
def test_all_to_all_and_default():
    a, b = nest.Create("iaf_psc_alpha", 3), nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a, b)
    nest.Connect(a, b, "all_to_all")
    assert _edges() == sorted([(i, j) for i in (1, 2, 3) for j in (4, 5)] * 2)


def test_all_to_all_without_autapses():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, a, {"rule": "all_to_all", "allow_autapses": False})
    assert _edges() == [(i, j) for i in (1, 2, 3) for j in (1, 2, 3) if i != j]


def test_one_to_one_node_collections():
    a, b = nest.Create("iaf_psc_alpha", 3), nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, b, "one_to_one")
    assert _edges() == [(1, 4), (2, 5), (3, 6)]


def test_one_to_one_without_autapses_on_the_same_nodes_makes_nothing():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, a, {"rule": "one_to_one", "allow_autapses": False})
    assert _edges() == []


def test_one_to_one_id_arrays_may_repeat_ids():
    nest.Create("iaf_psc_alpha", 4)
    nest.Connect(np.array([1, 1, 2]), np.array([3, 4, 4]), "one_to_one",
                 {"weight": [1.0, 2.0, 3.0]})
    s, t, w, _ = _pairs()
    assert sorted(zip(s.tolist(), t.tolist(), w.tolist())) == [(1, 3, 1.0), (1, 4, 2.0),
                                                               (2, 4, 3.0)]


def test_one_to_one_make_symmetric_mirrors_with_the_same_weights():
    a, b = nest.Create("iaf_psc_alpha", 3), nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, b, {"rule": "one_to_one", "make_symmetric": True},
                 {"weight": [1.0, 2.0, 3.0]})
    s, t, w, _ = _pairs()
    assert sorted(zip(s.tolist(), t.tolist(), w.tolist())) == [
        (1, 4, 1.0), (2, 5, 2.0), (3, 6, 3.0), (4, 1, 1.0), (5, 2, 2.0), (6, 3, 3.0)]


@pytest.mark.parametrize("multapses", [True, False])
def test_fixed_indegree(multapses):
    a = nest.Create("iaf_psc_alpha", 10)
    nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 9, "allow_autapses": False,
                        "allow_multapses": multapses})
    s, t, _, _ = _pairs()
    assert np.all(np.bincount(t, minlength=11)[1:] == 9)
    assert not np.any(s == t)
    if not multapses:   # every other node exactly once
        assert len(set(zip(s.tolist(), t.tolist()))) == 90


@pytest.mark.parametrize("multapses", [True, False])
def test_fixed_outdegree(multapses):
    a, b = nest.Create("iaf_psc_alpha", 4), nest.Create("iaf_psc_alpha", 6)
    nest.Connect(a, b, {"rule": "fixed_outdegree", "outdegree": 6,
                        "allow_multapses": multapses})
    s, t, _, _ = _pairs()
    assert np.all(np.bincount(s, minlength=5)[1:] == 6)
    assert set(t.tolist()) <= set(range(5, 11))
    if not multapses:
        assert len(set(zip(s.tolist(), t.tolist()))) == 24


def test_fixed_total_number():
    a, b = nest.Create("iaf_psc_alpha", 3), nest.Create("iaf_psc_alpha", 4)
    nest.Connect(a, b, {"rule": "fixed_total_number", "N": 100})
    s, t, _, _ = _pairs()
    assert len(s) == 100 and set(s.tolist()) <= {1, 2, 3} and set(t.tolist()) <= {4, 5, 6, 7}
    assert nest.GetKernelStatus("num_connections") == 100


def test_fixed_total_number_without_autapses():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a[:2], a[1:], {"rule": "fixed_total_number", "N": 300,
                                "allow_autapses": False})
    assert (2, 2) not in set(_edges())


def test_pairwise_bernoulli_edge_probabilities():
    a = nest.Create("iaf_psc_alpha", 5)
    nest.Connect(a, a, {"rule": "pairwise_bernoulli", "p": 0.0})
    assert _edges() == []
    nest.Connect(a, a, {"rule": "pairwise_bernoulli", "p": 1.0, "allow_autapses": False})
    assert _edges() == [(i, j) for i in range(1, 6) for j in range(1, 6) if i != j]


def test_pairwise_bernoulli_count():
    a = nest.Create("iaf_psc_alpha", 200)
    nest.Connect(a, a, {"rule": "pairwise_bernoulli", "p": 0.1})
    n = nest.GetKernelStatus("num_connections")
    assert abs(n - 4000) < 3.29 * np.sqrt(4000 * 0.9)  # Binomial(40000, 0.1), alpha = 0.001


def test_symmetric_pairwise_bernoulli_is_symmetric():
    a = nest.Create("iaf_psc_alpha", 30)
    nest.Connect(a, a, {"rule": "symmetric_pairwise_bernoulli", "p": 0.2,
                        "allow_autapses": False, "make_symmetric": True})
    s, t, _, _ = _pairs()
    m = np.zeros((31, 31), int)
    np.add.at(m, (s, t), 1)
    assert m.sum() > 0 and np.array_equal(m, m.T) and np.trace(m) == 0


def test_pairwise_poisson():
    a = nest.Create("iaf_psc_alpha", 40)
    nest.Connect(a, a, {"rule": "pairwise_poisson", "pairwise_avg_num_conns": 2.0,
                        "allow_autapses": False})
    s, t, _, _ = _pairs()
    assert not np.any(s == t)
    n = len(s)  # Poisson(2 * 40 * 39)
    assert abs(n - 3120) < 3.29 * np.sqrt(3120)
    assert len(set(zip(s.tolist(), t.tolist()))) < n  # multapses happen at this mean


# -- reproducibility ----------------------------------------------------------------------------------
RANDOM_SPECS = [
    {"rule": "fixed_indegree", "indegree": 3},
    {"rule": "fixed_outdegree", "outdegree": 3},
    {"rule": "fixed_total_number", "N": 30},
    {"rule": "pairwise_bernoulli", "p": 0.3},
    {"rule": "pairwise_poisson", "pairwise_avg_num_conns": 0.3},
    {"rule": "symmetric_pairwise_bernoulli", "p": 0.3, "allow_autapses": False,
     "make_symmetric": True},
]


def _network(conn_spec, seed=None, as_arrays=False):
    nest.ResetKernel()
    if seed is not None:
        nest.rng_seed = seed
    a, b = nest.Create("iaf_psc_alpha", 10), nest.Create("iaf_psc_alpha", 12)
    if as_arrays:
        nest.Connect(np.array(a.tolist()), np.array(b.tolist()), conn_spec)
        nest.Connect(np.array(b.tolist()), np.array(a.tolist()), conn_spec)
    else:
        nest.Connect(a, b, conn_spec)
        nest.Connect(b, a, conn_spec)
    return _edges()


@pytest.mark.parametrize("conn_spec", RANDOM_SPECS, ids=lambda c: c["rule"])
def test_same_seed_same_network_and_ids_as_arrays_too(conn_spec):
    first = _network(conn_spec)
    assert first == _network(conn_spec)
    assert first == _network(conn_spec, as_arrays=True)
    assert first != _network(conn_spec, seed=12345)
    # the two Connect calls of one network draw from different streams
    forward = [(i, j) for i, j in first if i <= 10]
    backward = sorted((j - 10, i + 10) for i, j in first if i > 10)
    assert forward != backward


# -- syn_spec arrays --------------------------------------------------------------------------------
def test_all_to_all_matrix_is_post_by_pre():
    a, b = nest.Create("iaf_psc_alpha", 3), nest.Create("iaf_psc_alpha", 2)
    w = np.array([[1.2, -3.5, 2.5], [0.4, -0.2, 0.7]])
    nest.Connect(a, b, syn_spec={"weight": w, "delay": [[1.0, 1.1, 1.2], [1.3, 1.4, 1.5]]})
    s, t, weight, delay = _pairs()
    got = {(i, j): (x, d) for i, j, x, d in zip(s.tolist(), t.tolist(), weight.tolist(),
                                                delay.tolist())}
    for col, i in enumerate((1, 2, 3)):
        for row, j in enumerate((4, 5)):
            assert got[(i, j)][0] == w[row, col]
            assert got[(i, j)][1] == pytest.approx(1.0 + 0.1 * (3 * row + col))


def test_all_to_all_matrix_without_autapses_skips_the_diagonal():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, a, {"rule": "all_to_all", "allow_autapses": False},
                 {"weight": np.arange(9.0).reshape(3, 3)})
    s, t, w, _ = _pairs()
    # NEST 3.10: (2,1) 1.0, (3,1) 2.0, (1,2) 3.0, (3,2) 5.0, (1,3) 6.0, (2,3) 7.0
    assert sorted(zip(s.tolist(), t.tolist(), w.tolist())) == [
        (1, 2, 3.0), (1, 3, 6.0), (2, 1, 1.0), (2, 3, 7.0), (3, 1, 2.0), (3, 2, 5.0)]


def test_fixed_indegree_rows_belong_to_targets():
    a, b = nest.Create("iaf_psc_alpha", 5), nest.Create("iaf_psc_alpha", 3)
    w = 100.0 * np.arange(3)[:, None] + np.arange(2)[None, :]   # row j: target j
    nest.Connect(a, b, {"rule": "fixed_indegree", "indegree": 2}, {"weight": w})
    s, t, weight, _ = _pairs()
    assert sorted(weight.tolist()) == sorted(w.ravel().tolist())
    assert np.array_equal(weight // 100, t - 6)


def test_fixed_outdegree_rows_belong_to_sources():
    a, b = nest.Create("iaf_psc_alpha", 2), nest.Create("iaf_psc_alpha", 5)
    w = 100.0 * np.arange(2)[:, None] + np.arange(3)[None, :]   # row i: source i
    nest.Connect(a, b, {"rule": "fixed_outdegree", "outdegree": 3}, {"weight": w})
    s, t, weight, _ = _pairs()
    assert sorted(weight.tolist()) == sorted(w.ravel().tolist())
    assert np.array_equal(weight // 100, s - 1)


def test_fixed_total_number_array_has_one_value_per_connection():
    a, b = nest.Create("iaf_psc_alpha", 3), nest.Create("iaf_psc_alpha", 4)
    nest.Connect(a, b, {"rule": "fixed_total_number", "N": 4},
                 {"weight": [1.2, -3.5, 0.4, -0.2], "delay": [1.0, 2.0, 3.0, 4.0]})
    _, _, w, d = _pairs()
    assert sorted(zip(w.tolist(), d.tolist())) == [(-3.5, 2.0), (-0.2, 4.0), (0.4, 3.0),
                                                   (1.2, 1.0)]


def test_one_to_one_array():
    a, b = nest.Create("iaf_psc_alpha", 2), nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a, b, "one_to_one", {"weight": [1.2, -3.5]})
    s, t, w, _ = _pairs()
    assert sorted(zip(s.tolist(), t.tolist(), w.tolist())) == [(1, 3, 1.2), (2, 4, -3.5)]


def test_one_to_one_array_without_autapses_keeps_positions():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(np.array([1, 2, 3]), np.array([2, 2, 1]),
                 {"rule": "one_to_one", "allow_autapses": False}, {"weight": [1.0, 2.0, 3.0]})
    s, t, w, _ = _pairs()
    assert sorted(zip(s.tolist(), t.tolist(), w.tolist())) == [(1, 2, 1.0), (3, 1, 3.0)]
    assert a is not None


@pytest.mark.parametrize("conn_spec, n_pre, n_post, weight, error, text", [
    ("all_to_all", 2, 2, [[1.0, 2.0]], ValueError, "2x2 (n_target x n_sources)"),
    ("all_to_all", 3, 1, [[1.0], [2.0], [3.0]], ValueError, "1x3"),
    ("all_to_all", 2, 2, [1.0, 2.0, 3.0, 4.0], TypeError, "One-dimensional"),
    ("all_to_all", 1, 1, [2.0], TypeError, "One-dimensional"),
    ("all_to_all", 2, 2, np.ones((2, 2, 1)), TypeError, "dimensions"),
    ("one_to_one", 2, 2, [1.0, 2.0, 3.0], ValueError, "dimension 2,"),
    ("one_to_one", 2, 2, [1.0], ValueError, "dimension 2,"),
    ("one_to_one", 2, 2, [[1.0, 2.0]], TypeError, "Two-dimensional"),
    ({"rule": "fixed_indegree", "indegree": 2}, 2, 2, np.ones((2, 3)), ValueError,
     "2x2 (n_target x indegree)"),
    ({"rule": "fixed_indegree", "indegree": 3}, 2, 2, np.ones((3, 2)), ValueError, "2x3"),
    ({"rule": "fixed_indegree", "indegree": 2}, 2, 2, np.ones(4), TypeError, "One-dimensional"),
    ({"rule": "fixed_outdegree", "outdegree": 2}, 2, 2, np.ones((2, 3)), ValueError,
     "2x2 (n_sources x outdegree)"),
    ({"rule": "fixed_outdegree", "outdegree": 2}, 2, 2, np.ones(4), TypeError,
     "One-dimensional"),
    ({"rule": "fixed_total_number", "N": 3}, 2, 2, np.ones(4), ValueError, "dimension 3"),
    ({"rule": "fixed_total_number", "N": 4}, 2, 2, np.ones((2, 2)), TypeError,
     "Two-dimensional"),
    ({"rule": "pairwise_bernoulli", "p": 1.0}, 2, 2, np.ones(4), TypeError, "One-dimensional"),
    ({"rule": "pairwise_bernoulli", "p": 1.0}, 2, 2, np.ones((2, 2)), TypeError,
     "Two-dimensional"),
    ({"rule": "pairwise_poisson", "pairwise_avg_num_conns": 1.0}, 2, 2, np.ones(4), TypeError,
     "One-dimensional"),
    ({"rule": "symmetric_pairwise_bernoulli", "p": 0.5, "allow_autapses": False,
      "make_symmetric": True}, 2, 2, np.ones(4), TypeError, "One-dimensional"),
])
def test_wrong_array_shapes(conn_spec, n_pre, n_post, weight, error, text):
    a, b = nest.Create("iaf_psc_alpha", n_pre), nest.Create("iaf_psc_alpha", n_post)
    with pytest.raises(error) as info:
        nest.Connect(a, b, conn_spec, {"weight": weight})
    assert type(info.value) is error and text in str(info.value) and "'weight'" in str(info.value)
    assert nest.GetKernelStatus("num_connections") == 0


def test_wrong_delay_array_names_delay():
    a, b = nest.Create("iaf_psc_alpha", 2), nest.Create("iaf_psc_alpha", 2)
    with pytest.raises(ValueError, match="'delay' has to be an array of dimension 2"):
        nest.Connect(a, b, "one_to_one", {"delay": [1.0, 2.0, 3.0]})


@pytest.mark.parametrize("conn_spec, weight", [
    ({"rule": "fixed_indegree", "indegree": 0}, np.ones((2, 0))),
    ({"rule": "fixed_total_number", "N": 0}, np.ones(0))])
def test_empty_arrays_for_zero_connections(conn_spec, weight):
    a, b = nest.Create("iaf_psc_alpha", 3), nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a, b, conn_spec, {"weight": weight})
    assert nest.GetKernelStatus("num_connections") == 0


# -- errors ----------------------------------------------------------------------------------------------
SYM = {"allow_autapses": False, "make_symmetric": True}

ERRORS = [
    # (conn_spec, n_pre, n_post (None: post is pre), NEST class, text in the message)
    ({"rule": "fixed_indegree"}, 3, 2, E.BadProperty, "indegree"),           # NEST: IndexError
    ({"rule": "fixed_outdegree"}, 3, 2, E.BadProperty, "outdegree"),
    ({"rule": "fixed_total_number"}, 3, 2, E.BadProperty, "'N'"),
    ("pairwise_bernoulli", 3, 2, E.BadProperty, "'p'"),
    ({"rule": "symmetric_pairwise_bernoulli", **SYM}, 3, 2, E.BadProperty, "'p'"),
    ({"rule": "pairwise_poisson"}, 3, 2, E.BadProperty, "pairwise_avg_num_conns"),
    ({"rule": "fixed_indegree", "foo": 1}, 3, 2, E.BadProperty, "indegree"),  # missing first
    ({"allow_autapses": False}, 3, 2, KeyError, "rule"),
    ({"rule": "foo_rule"}, 3, 2, E.BadProperty, "Unknown connectivity rule: foo_rule"),
    ({"rule": "pairwise_bernoulli", "p": 0.5, "indegree": 2}, 3, 2,
     E.UnaccessedDictionaryEntry, "indegree"),
    ({"rule": "all_to_all", "allow_autapses": 0}, 3, 2, E.TypeMismatch, "allow_autapses"),
    ({"rule": "all_to_all", "allow_autapses": "x"}, 3, 2, E.TypeMismatch, "allow_autapses"),
    ({"rule": "all_to_all", "make_symmetric": 1.0}, 3, 2, E.TypeMismatch, "make_symmetric"),
    ({"rule": "fixed_indegree", "indegree": 1.5}, 3, 2, E.TypeMismatch, "indegree"),
    ({"rule": "fixed_indegree", "indegree": 2.0}, 3, 2, E.TypeMismatch, "indegree"),
    ({"rule": "fixed_indegree", "indegree": "2"}, 3, 2, E.TypeMismatch, "indegree"),
    ({"rule": "fixed_indegree", "indegree": -1}, 3, 2, E.BadProperty, "less than zero"),
    ({"rule": "fixed_indegree", "indegree": 4, "allow_multapses": False}, 3, 2, E.BadProperty,
     "larger than population size"),
    ({"rule": "fixed_indegree", "indegree": 3, "allow_multapses": False,
      "allow_autapses": False}, 3, None, E.BadProperty, "target 1"),         # NEST hangs
    ({"rule": "fixed_indegree", "indegree": 1, "allow_autapses": False}, 1, None,
     E.BadProperty, "needs at least one"),                                   # NEST hangs
    ({"rule": "fixed_outdegree", "outdegree": 1.5}, 3, 2, E.TypeMismatch, "outdegree"),
    ({"rule": "fixed_outdegree", "outdegree": -1}, 3, 2, E.BadProperty, "less than zero"),
    ({"rule": "fixed_outdegree", "outdegree": 3, "allow_multapses": False}, 3, 2,
     E.BadProperty, "larger than population size"),
    ({"rule": "fixed_outdegree", "outdegree": 3, "allow_multapses": False,
      "allow_autapses": False}, 3, None, E.BadProperty, "source 1"),         # NEST hangs
    ({"rule": "fixed_total_number", "N": 1.5}, 3, 2, E.TypeMismatch, "'N'"),
    ({"rule": "fixed_total_number", "N": -1}, 3, 2, E.BadProperty, "cannot be negative"),
    ({"rule": "fixed_total_number", "N": 7, "allow_multapses": False}, 3, 2, E.BadProperty,
     "cannot exceed product"),
    ({"rule": "fixed_total_number", "N": 5, "allow_multapses": False}, 3, 2, E.NotImplemented,
     "suppression of multapses"),
    ({"rule": "fixed_total_number", "N": 1, "allow_autapses": False}, 1, None, E.BadProperty,
     "autapses"),                                                             # NEST hangs
    ({"rule": "pairwise_bernoulli", "p": -0.1}, 3, 2, E.BadProperty, "0 <= p <= 1"),
    ({"rule": "pairwise_bernoulli", "p": 1.1}, 3, 2, E.BadProperty, "0 <= p <= 1"),
    ({"rule": "pairwise_bernoulli", "p": float("nan")}, 3, 2, E.BadProperty, "nan"),
    ({"rule": "pairwise_bernoulli", "p": "0.5"}, 3, 2, E.TypeMismatch, "'p'"),
    ({"rule": "symmetric_pairwise_bernoulli", "p": 1.0, **SYM}, 3, 2, E.BadProperty,
     "0 <= p < 1"),
    ({"rule": "symmetric_pairwise_bernoulli", "p": 0.5}, 3, 2, E.BadProperty,
     "Autapses must be disabled"),
    ({"rule": "symmetric_pairwise_bernoulli", "p": 0.5, "allow_autapses": False}, 3, 2,
     E.BadProperty, "Symmetric connections must be enabled"),
    ({"rule": "symmetric_pairwise_bernoulli", "p": 0.5, "allow_multapses": False}, 3, 2,
     E.BadProperty, "Multapses must be enabled"),
    ({"rule": "pairwise_poisson", "pairwise_avg_num_conns": -0.1}, 3, 2, E.BadProperty,
     "pairwise_avg_num_conns"),
    ({"rule": "pairwise_poisson", "pairwise_avg_num_conns": 1.0, "allow_multapses": False},
     3, 2, E.BadProperty, "Multapses must be allowed"),
    ({"rule": "one_to_one"}, 2, 3, E.DimensionMismatch, "same size"),
] + [({"rule": rule, **params, "make_symmetric": True}, 3, 2, E.NotImplemented,
      "does not support symmetric connections")
     for rule, params in (("all_to_all", {}), ("fixed_indegree", {"indegree": 1}),
                          ("fixed_outdegree", {"outdegree": 1}),
                          ("fixed_total_number", {"N": 1}),
                          ("pairwise_bernoulli", {"p": 0.5}),
                          ("pairwise_poisson", {"pairwise_avg_num_conns": 0.5}))]


@pytest.mark.parametrize("conn_spec, n_pre, n_post, error, text", ERRORS,
                         ids=[str(e[0]) for e in ERRORS])
def test_errors(conn_spec, n_pre, n_post, error, text):
    a = nest.Create("iaf_psc_alpha", n_pre)
    b = a if n_post is None else nest.Create("iaf_psc_alpha", n_post)
    with pytest.raises(error) as info:
        nest.Connect(a, b, conn_spec)
    assert type(info.value) is error
    assert text in str(info.value)
    assert nest.GetKernelStatus("num_connections") == 0


def test_missing_parameter_for_a_rule_given_as_a_string():
    a = nest.Create("iaf_psc_alpha", 2)
    with pytest.raises(E.BadProperty, match="'p'"):
        nest.Connect(a, a, "pairwise_bernoulli")
