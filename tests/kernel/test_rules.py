"""The connection rule engine of kernel/connect (rules.py, _rules.pyx).

1. Deterministic rules: exact structure and order (all_to_all, one_to_one), syn_spec array
   shapes (array_shape) and how their elements map onto connections (value_index).
2. Errors: every invalid parameter and switch combination, with the kernel error class that the
   NEST facade turns into NEST's class (BadParameterValue -> BadProperty, BadParameterType ->
   TypeMismatch, Unsupported -> NotImplemented, DimensionMismatch), in NEST's order of checks.
3. Invariants of the random rules for any sizes and overlaps (hypothesis): exact degrees and
   totals, no autapses / multapses when they are not allowed, positions in range.
4. Distributions against theory (chi-squared and z tests).
5. Reproducibility: same (seed, stream) -> same network; different seed or stream -> another;
   per-target rules give the same connections however the targets are split (and
   fixed_outdegree however the sources are split).

All statistical tests use fixed seeds, so each passes or fails the same way on every run. Each
uses ALPHA = 0.001: a correct implementation would fail a given test for about one seed in a
thousand. Next to each test: the defect it detects with probability >= 0.9 (its power).
"""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from kernel.connect import RULES, RuleResult, array_shape, expand_rule, value_index
from kernel.connect.context import DrawContext
from kernel.errors import (BadParameterType, BadParameterValue, DimensionMismatch,
                           MissingParameter, UnknownParameter, Unsupported)

ALPHA = 0.001
Z_CRIT = stats.norm.isf(ALPHA / 2)  # 3.29


def ctx(seed=12345, stream=7):
    return DrawContext(seed, stream)


def ids(first, n):
    return np.arange(first, first + n, dtype=np.int64)


def expand(rule, pre, post, rng=None, **kw):
    return expand_rule(rule, pre, post, rng=rng or ctx(), **kw)


def chi2_pvalue(observed, expected, min_expected=5.0):
    """Chi-squared goodness of fit; cells expecting fewer than 5 are pooled into one."""
    observed = np.asarray(observed, dtype=float)
    expected = np.asarray(expected, dtype=float)
    assert abs(observed.sum() - expected.sum()) < 1e-6 * max(1.0, expected.sum())
    small = expected < min_expected
    if small.any():
        observed = np.append(observed[~small], observed[small].sum())
        expected = np.append(expected[~small], expected[small].sum())
    return stats.chisquare(observed, expected).pvalue


def independent_counts_pvalue(observed, mean, var, min_mean=20.0):
    """Chi-squared test of independent counts with known means and variances (e.g. binomial
    cells whose total is itself random): sum (o - m)^2 / v over cells, chi2 with one degree of
    freedom per cell. Adjacent cells are summed in blocks so that each block expects at least
    ``min_mean`` (the normal approximation)."""
    observed, mean, var = (np.asarray(a, dtype=float) for a in (observed, mean, var))
    block = max(1, int(np.ceil(min_mean / max(mean.min(), 1e-12))))
    n = len(observed) // block * block
    o = observed[:n].reshape(-1, block).sum(1)
    m = mean[:n].reshape(-1, block).sum(1)
    v = var[:n].reshape(-1, block).sum(1)
    return stats.chi2.sf(np.sum((o - m) ** 2 / v), len(o))


PARAMS = {"fixed_indegree": {"indegree": 2}, "fixed_outdegree": {"outdegree": 2},
          "fixed_total_number": {"N": 3}, "pairwise_bernoulli": {"p": 0.5},
          "symmetric_pairwise_bernoulli": {"p": 0.5}, "pairwise_poisson":
          {"pairwise_avg_num_conns": 0.5}}
SYMMETRIC_SWITCHES = {"allow_autapses": False, "make_symmetric": True}


# -- 1. deterministic rules ------------------------------------------------------------------------
def test_registry_has_every_nest_rule():
    assert sorted(RULES) == ['all_to_all', 'fixed_indegree', 'fixed_outdegree',
                             'fixed_total_number', 'one_to_one', 'pairwise_bernoulli',
                             'pairwise_poisson', 'symmetric_pairwise_bernoulli']
    assert {name: rule.params for name, rule in RULES.items() if rule.params} == {
        "fixed_indegree": ("indegree",), "fixed_outdegree": ("outdegree",),
        "fixed_total_number": ("N",), "pairwise_bernoulli": ("p",),
        "symmetric_pairwise_bernoulli": ("p",),
        "pairwise_poisson": ("pairwise_avg_num_conns",)}


def test_all_to_all_makes_every_pair_once_with_its_matrix_element():
    pre_pos, post_pos = expand("all_to_all", ids(1, 3), ids(4, 2))
    assert sorted(zip(pre_pos.tolist(), post_pos.tolist())) == \
        [(i, j) for i in range(3) for j in range(2)]
    assert pre_pos.dtype == np.int64 and post_pos.dtype == np.int64
    # element [j, i] of the (len(post), len(pre)) matrix belongs to pre i -> post j
    index = value_index("all_to_all", 3, 2, pre_pos, post_pos)
    assert (index == post_pos * 3 + pre_pos).all()
    # within each source, targets keep the order of post (NEST's order after packing)
    for i in range(3):
        assert post_pos[pre_pos == i].tolist() == [0, 1]


def test_all_to_all_leaves_out_autapses_of_overlapping_populations():
    pre, post = np.array([1, 2, 3]), np.array([2, 3, 4])
    pre_pos, post_pos = expand("all_to_all", pre, post, allow_autapses=False)
    pairs = list(zip(pre[pre_pos].tolist(), post[post_pos].tolist()))
    assert pairs == [(1, 2), (3, 2), (1, 3), (2, 3), (1, 4), (2, 4), (3, 4)]
    # their syn_spec elements are those of the full (len(post), len(pre)) matrix
    assert value_index("all_to_all", 3, 3, pre_pos, post_pos).tolist() == [0, 2, 3, 4, 6, 7, 8]
    # autapses allowed (the default) and allow_multapses=False change nothing for all_to_all
    assert len(expand("all_to_all", pre, post)[0]) == 9
    assert len(expand("all_to_all", pre, post, allow_multapses=False)[0]) == 9


def test_one_to_one():
    pre, post = ids(1, 4), ids(3, 4)  # ids 3, 4 are in both
    res = expand("one_to_one", pre, post)
    assert res[0].tolist() == res[1].tolist() == [0, 1, 2, 3]
    assert not res.symmetric
    same = expand("one_to_one", pre, pre, allow_autapses=False)
    assert same[0].size == 0
    # non-unique ids: positions, not ids, are paired
    dup = np.array([5, 5, 6])
    pre_pos, post_pos = expand("one_to_one", dup, np.array([7, 8, 6]), allow_autapses=False)
    assert pre_pos.tolist() == post_pos.tolist() == [0, 1]
    assert value_index("one_to_one", 3, 3, pre_pos, post_pos).tolist() == [0, 1]


def test_one_to_one_make_symmetric_mirrors_each_connection():
    pre, post = ids(1, 3), ids(4, 3)
    res = expand("one_to_one", pre, post, make_symmetric=True)
    assert res.symmetric
    sources, targets, index = res.connections(pre, post)
    assert list(zip(sources.tolist(), targets.tolist(), index.tolist())) == [
        (1, 4, 0), (2, 5, 1), (3, 6, 2), (4, 1, 0), (5, 2, 1), (6, 3, 2)]
    # on the same nodes without autapses there is nothing to mirror
    none = expand("one_to_one", pre, pre, make_symmetric=True, allow_autapses=False)
    assert none.connections(pre, pre)[0].size == 0


def test_one_to_one_needs_equal_sizes():
    with pytest.raises(DimensionMismatch, match="same size"):
        expand("one_to_one", ids(1, 2), ids(3, 3))


def test_rule_result_unpacks_as_a_pair():
    res = RuleResult(np.array([0, 1]), np.array([1, 0]))
    pre_pos, post_pos = res
    assert res.pre_pos is pre_pos and res.post_pos is post_pos and not res.symmetric


@pytest.mark.parametrize("rule, params, shape", [
    ("all_to_all", {}, (5, 3)), ("one_to_one", {}, (3,)),
    ("fixed_indegree", {"indegree": 2}, (5, 2)), ("fixed_outdegree", {"outdegree": 4}, (3, 4)),
    ("fixed_total_number", {"N": 7}, (7,)), ("pairwise_bernoulli", {"p": 0.1}, None),
    ("symmetric_pairwise_bernoulli", {"p": 0.1}, None),
    ("pairwise_poisson", {"pairwise_avg_num_conns": 0.1}, None)])
def test_array_shape(rule, params, shape):
    assert array_shape(rule, 3, 5, params) == shape


def test_array_shape_unknown_rule():
    with pytest.raises(BadParameterValue, match="unknown connection rule"):
        array_shape("foo", 1, 1, {})


@pytest.mark.parametrize("rule, params", [
    ("fixed_indegree", {"indegree": 3}), ("fixed_outdegree", {"outdegree": 3}),
    ("fixed_total_number", {"N": 11})])
def test_fixed_rules_fill_their_arrays_in_c_order(rule, params):
    pre, post = ids(1, 4), ids(10, 5)
    pre_pos, post_pos = expand(rule, pre, post, **params)
    shape = array_shape(rule, 4, 5, params)
    assert len(pre_pos) == np.prod(shape)
    assert value_index(rule, 4, 5, pre_pos, post_pos).tolist() == list(range(np.prod(shape)))
    if rule == "fixed_indegree":    # row r of the array belongs to target r
        assert post_pos.reshape(shape).tolist() == [[r] * 3 for r in range(5)]
    if rule == "fixed_outdegree":   # row r of the array belongs to source r
        assert pre_pos.reshape(shape).tolist() == [[r] * 3 for r in range(4)]


# -- 2. errors ---------------------------------------------------------------------------------------
A3, B2 = ids(1, 3), ids(4, 2)

ERRORS = [
    # (rule, pre, post, kwargs, kernel class, text the message must contain)
    ("foo_rule", A3, B2, {}, BadParameterValue, "unknown connection rule"),
    ("fixed_indegree", A3, B2, {}, MissingParameter, "indegree"),
    ("fixed_outdegree", A3, B2, {}, MissingParameter, "outdegree"),
    ("fixed_total_number", A3, B2, {}, MissingParameter, "'N'"),
    ("pairwise_bernoulli", A3, B2, {}, MissingParameter, "'p'"),
    ("symmetric_pairwise_bernoulli", A3, B2, SYMMETRIC_SWITCHES, MissingParameter, "'p'"),
    ("pairwise_poisson", A3, B2, {}, MissingParameter, "pairwise_avg_num_conns"),
    ("pairwise_bernoulli", A3, B2, {"p": 0.5, "indegree": 2}, UnknownParameter, "indegree"),
    ("all_to_all", A3, B2, {"allow_autapses": 0}, BadParameterType, "allow_autapses"),
    ("all_to_all", A3, B2, {"allow_multapses": "no"}, BadParameterType, "allow_multapses"),
    ("one_to_one", A3, A3, {"make_symmetric": None}, BadParameterType, "make_symmetric"),
    # degrees: integers (NEST: TypeMismatch even for 2.0), not negative, not above the pool
    ("fixed_indegree", A3, B2, {"indegree": 1.5}, BadParameterType, "indegree"),
    ("fixed_indegree", A3, B2, {"indegree": 2.0}, BadParameterType, "2.0"),
    ("fixed_indegree", A3, B2, {"indegree": "2"}, BadParameterType, "indegree"),
    ("fixed_indegree", A3, B2, {"indegree": True}, BadParameterType, "True"),
    ("fixed_indegree", A3, B2, {"indegree": [2]}, BadParameterType, "indegree"),
    ("fixed_indegree", A3, B2, {"indegree": -1}, BadParameterValue, "less than zero"),
    ("fixed_indegree", A3, B2, {"indegree": 4, "allow_multapses": False}, BadParameterValue,
     "larger than population size"),
    # NEST loops forever on these two; we say why they cannot be done
    ("fixed_indegree", A3, A3, {"indegree": 3, "allow_multapses": False,
                                "allow_autapses": False}, BadParameterValue, "target 1"),
    ("fixed_indegree", A3[:1], A3[:1], {"indegree": 1, "allow_autapses": False},
     BadParameterValue, "needs at least one"),
    ("fixed_indegree", A3[:0], B2, {"indegree": 1}, BadParameterValue, "none"),
    ("fixed_outdegree", A3, B2, {"outdegree": 1.5}, BadParameterType, "outdegree"),
    ("fixed_outdegree", A3, B2, {"outdegree": -1}, BadParameterValue, "less than zero"),
    ("fixed_outdegree", B2, A3, {"outdegree": 4, "allow_multapses": False}, BadParameterValue,
     "larger than population size"),
    ("fixed_outdegree", A3, A3, {"outdegree": 3, "allow_multapses": False,
                                 "allow_autapses": False}, BadParameterValue, "source 1"),
    ("fixed_outdegree", A3[:1], A3[:1], {"outdegree": 1, "allow_autapses": False},
     BadParameterValue, "needs at least one"),
    ("fixed_total_number", A3, B2, {"N": 1.5}, BadParameterType, "'N'"),
    ("fixed_total_number", A3, B2, {"N": -1}, BadParameterValue, "cannot be negative"),
    ("fixed_total_number", A3, B2, {"N": 7, "allow_multapses": False}, BadParameterValue,
     "cannot exceed product"),
    ("fixed_total_number", A3, B2, {"N": 5, "allow_multapses": False}, Unsupported,
     "suppression of multapses"),
    ("fixed_total_number", A3[:1], A3[:1], {"N": 1, "allow_autapses": False},
     BadParameterValue, "autapses"),
    ("fixed_total_number", A3[:0], B2, {"N": 1}, BadParameterValue, "no (source, target) pair"),
    ("pairwise_bernoulli", A3, B2, {"p": -0.1}, BadParameterValue, "0 <= p <= 1"),
    ("pairwise_bernoulli", A3, B2, {"p": 1.1}, BadParameterValue, "0 <= p <= 1"),
    ("pairwise_bernoulli", A3, B2, {"p": float("nan")}, BadParameterValue, "nan"),
    ("pairwise_bernoulli", A3, B2, {"p": "0.5"}, BadParameterType, "'p'"),
    ("pairwise_bernoulli", A3, B2, {"p": None}, BadParameterType, "None"),
    ("symmetric_pairwise_bernoulli", A3, B2, {"p": 1.0, **SYMMETRIC_SWITCHES},
     BadParameterValue, "0 <= p < 1"),
    ("symmetric_pairwise_bernoulli", A3, B2, {"p": 0.5}, BadParameterValue,
     "Autapses must be disabled"),
    ("symmetric_pairwise_bernoulli", A3, B2, {"p": 0.5, "allow_autapses": False},
     BadParameterValue, "Symmetric connections must be enabled"),
    ("symmetric_pairwise_bernoulli", A3, B2, {"p": 0.5, "make_symmetric": True},
     BadParameterValue, "Autapses must be disabled"),
    ("symmetric_pairwise_bernoulli", A3, B2, {"p": 0.5, "allow_multapses": False,
                                              **SYMMETRIC_SWITCHES}, BadParameterValue,
     "Multapses must be enabled"),
    # NEST checks multapses before autapses
    ("symmetric_pairwise_bernoulli", A3, B2, {"p": 0.5, "allow_multapses": False},
     BadParameterValue, "Multapses must be enabled"),
    ("pairwise_poisson", A3, B2, {"pairwise_avg_num_conns": -0.1}, BadParameterValue,
     "0 ≤ pairwise_avg_num_conns"),
    ("pairwise_poisson", A3, B2, {"pairwise_avg_num_conns": float("nan")}, BadParameterValue,
     "nan"),
    ("pairwise_poisson", A3, B2, {"pairwise_avg_num_conns": float("inf")}, BadParameterValue,
     "finite"),
    ("pairwise_poisson", A3, B2, {"pairwise_avg_num_conns": 1.0, "allow_multapses": False},
     BadParameterValue, "Multapses must be allowed"),
    # NEST checks the rule's parameters before the switches it does not support
    ("fixed_indegree", A3, B2, {"indegree": -1, "make_symmetric": True}, BadParameterValue,
     "less than zero"),
    ("fixed_total_number", A3, B2, {"N": 9, "allow_multapses": False, "make_symmetric": True},
     BadParameterValue, "cannot exceed product"),
    ("fixed_total_number", A3, B2, {"N": 3, "allow_multapses": False, "make_symmetric": True},
     Unsupported, "suppression of multapses"),
    ("pairwise_bernoulli", A3, B2, {"p": 2.0, "make_symmetric": True}, BadParameterValue,
     "0 <= p <= 1"),
    ("pairwise_poisson", A3, B2, {"pairwise_avg_num_conns": 1.0, "allow_multapses": False,
                                  "make_symmetric": True}, BadParameterValue, "Multapses"),
] + [(rule, A3, B2, {**PARAMS.get(rule, {}), "make_symmetric": True}, Unsupported,
      "does not support symmetric connections")
     for rule in ("all_to_all", "fixed_indegree", "fixed_outdegree", "fixed_total_number",
                  "pairwise_bernoulli", "pairwise_poisson")]


@pytest.mark.parametrize("rule, pre, post, kwargs, error, text", ERRORS,
                         ids=[f"{e[0]}-{sorted(e[3].items())}" for e in ERRORS])
def test_errors(rule, pre, post, kwargs, error, text):
    with pytest.raises(error) as info:
        expand(rule, pre, post, **kwargs)
    assert type(info.value) is error
    assert text in str(info.value)


def test_missing_parameter_is_a_bad_parameter_value():
    # so that the NEST facade reports it as BadProperty naming the key
    assert issubclass(MissingParameter, BadParameterValue)


def test_a_parameter_object_for_p_is_not_supported_yet():
    class FakeParameter:
        def evaluate(self, ctx):
            return 0.5

    with pytest.raises(Unsupported, match="Parameter"):
        expand("pairwise_bernoulli", A3, B2, p=FakeParameter())


@pytest.mark.parametrize("kwargs", [{"p": True}, {"p": np.float32(0.5)}, {"p": 1},
                                    {"p": np.int64(0)}])
def test_p_accepts_numbers_of_any_kind(kwargs):
    expand("pairwise_bernoulli", A3, B2, **kwargs)


def test_numpy_switches_and_degrees_are_accepted():
    res = expand("fixed_indegree", A3, B2, indegree=np.int32(2), allow_autapses=np.bool_(False))
    assert len(res[0]) == 4


@pytest.mark.parametrize("rule, kwargs", [
    ("fixed_indegree", {"indegree": 0}), ("fixed_outdegree", {"outdegree": 0}),
    ("fixed_total_number", {"N": 0}), ("pairwise_bernoulli", {"p": 0.0}),
    ("pairwise_poisson", {"pairwise_avg_num_conns": 0.0}),
    ("symmetric_pairwise_bernoulli", {"p": 0.0, **SYMMETRIC_SWITCHES})])
def test_zero_connections(rule, kwargs):
    pre_pos, post_pos = expand(rule, A3, B2, **kwargs)
    assert pre_pos.size == post_pos.size == 0


@pytest.mark.parametrize("rule", sorted(RULES))
def test_empty_populations_give_no_connections(rule):
    # (the NEST facade rejects empty NodeCollections before the rule runs)
    kwargs = {**PARAMS.get(rule, {})}
    if rule == "symmetric_pairwise_bernoulli":
        kwargs.update(SYMMETRIC_SWITCHES)
    if rule == "fixed_total_number":
        kwargs = {"N": 0}  # N > 0 without any pair is an error (see ERRORS)
    if rule in ("fixed_outdegree", "fixed_total_number"):
        pre, post = A3[:0], A3[:0]
    else:
        pre, post = (A3[:0], A3[:0]) if rule == "one_to_one" else (A3, A3[:0])
    pre_pos, post_pos = expand(rule, pre, post, **kwargs)
    assert pre_pos.size == 0 and post_pos.size == 0


# -- 3. invariants for any sizes (hypothesis) -----------------------------------------------------------
populations = st.tuples(st.integers(0, 12), st.integers(1, 30), st.integers(0, 12),
                        st.integers(1, 30))
switches = st.fixed_dictionaries({"allow_autapses": st.booleans(),
                                  "allow_multapses": st.booleans()})


def _pops(spec):
    """pre and post id ranges that may overlap: (first_pre, n_pre, first_post, n_post)."""
    a, n_pre, b, n_post = spec
    return ids(1 + a, n_pre), ids(1 + b, n_post)


def _check_common(pre, post, pre_pos, post_pos, sw):
    assert pre_pos.dtype == np.int64 and post_pos.dtype == np.int64
    assert pre_pos.shape == post_pos.shape
    if pre_pos.size:
        assert 0 <= pre_pos.min() and pre_pos.max() < len(pre)
        assert 0 <= post_pos.min() and post_pos.max() < len(post)
    if not sw["allow_autapses"]:
        assert not np.any(pre[pre_pos] == post[post_pos])


@settings(max_examples=150, deadline=None)
@given(populations, switches, st.integers(0, 35), st.integers(0, 2 ** 32 - 1))
def test_fixed_indegree_invariants(spec, sw, k, seed):
    pre, post = _pops(spec)
    overlap = np.isin(post, pre).any()
    pool = len(pre) - (1 if overlap and not sw["allow_autapses"] else 0)
    feasible = (k <= pool) if not sw["allow_multapses"] else (k == 0 or pool >= 1)
    if not feasible:
        with pytest.raises(BadParameterValue):
            expand("fixed_indegree", pre, post, rng=ctx(seed), indegree=k, **sw)
        return
    pre_pos, post_pos = expand("fixed_indegree", pre, post, rng=ctx(seed), indegree=k, **sw)
    _check_common(pre, post, pre_pos, post_pos, sw)
    assert post_pos.tolist() == np.repeat(np.arange(len(post)), k).tolist()
    if not sw["allow_multapses"]:
        rows = pre_pos.reshape(len(post), k)
        assert all(len(set(r)) == k for r in rows.tolist())


@settings(max_examples=150, deadline=None)
@given(populations, switches, st.integers(0, 35), st.integers(0, 2 ** 32 - 1))
def test_fixed_outdegree_invariants(spec, sw, k, seed):
    post, pre = _pops(spec)
    overlap = np.isin(pre, post).any()
    pool = len(post) - (1 if overlap and not sw["allow_autapses"] else 0)
    feasible = (k <= pool) if not sw["allow_multapses"] else (k == 0 or pool >= 1)
    if not feasible:
        with pytest.raises(BadParameterValue):
            expand("fixed_outdegree", pre, post, rng=ctx(seed), outdegree=k, **sw)
        return
    pre_pos, post_pos = expand("fixed_outdegree", pre, post, rng=ctx(seed), outdegree=k, **sw)
    _check_common(pre, post, pre_pos, post_pos, sw)
    assert pre_pos.tolist() == np.repeat(np.arange(len(pre)), k).tolist()
    if not sw["allow_multapses"]:
        assert all(len(set(r)) == k for r in post_pos.reshape(len(pre), k).tolist())


@settings(max_examples=100, deadline=None)
@given(populations, st.booleans(), st.integers(0, 300), st.integers(0, 2 ** 32 - 1))
def test_fixed_total_number_invariants(spec, autapses, n, seed):
    pre, post = _pops(spec)
    sw = {"allow_autapses": autapses, "allow_multapses": True}
    valid = len(pre) * len(post) - (0 if autapses else np.isin(post, pre).sum())
    if n > 0 and valid == 0:
        with pytest.raises(BadParameterValue):
            expand("fixed_total_number", pre, post, rng=ctx(seed), N=n, **sw)
        return
    pre_pos, post_pos = expand("fixed_total_number", pre, post, rng=ctx(seed), N=n, **sw)
    assert len(pre_pos) == n
    _check_common(pre, post, pre_pos, post_pos, sw)


@settings(max_examples=100, deadline=None)
@given(populations, st.booleans(), st.sampled_from([0.0, 0.01, 0.3, 0.9, 1.0]),
       st.integers(0, 2 ** 32 - 1))
def test_pairwise_bernoulli_invariants(spec, autapses, p, seed):
    pre, post = _pops(spec)
    sw = {"allow_autapses": autapses, "allow_multapses": True}
    pre_pos, post_pos = expand("pairwise_bernoulli", pre, post, rng=ctx(seed), p=p, **sw)
    _check_common(pre, post, pre_pos, post_pos, sw)
    # targets in post order, sources ascending within a target, so no pair twice
    key = post_pos * len(pre) + pre_pos
    assert np.all(np.diff(key) > 0)
    if p == 1.0:
        full_pre, full_post = expand("all_to_all", pre, post, allow_autapses=autapses)
        full_key = np.sort(full_post * len(pre) + full_pre)
        assert key.tolist() == full_key.tolist()


@settings(max_examples=60, deadline=None)
@given(populations, st.sampled_from([0.0, 0.2, 0.9]), st.integers(0, 2 ** 32 - 1))
def test_symmetric_pairwise_bernoulli_invariants(spec, p, seed):
    pre, post = _pops(spec)
    res = expand("symmetric_pairwise_bernoulli", pre, post, rng=ctx(seed), p=p,
                 **SYMMETRIC_SWITCHES)
    assert res.symmetric
    _check_common(pre, post, res[0], res[1], {"allow_autapses": False})
    sources, targets, index = res.connections(pre, post)
    forward = sorted(zip(sources[:len(res[0])].tolist(), targets[:len(res[0])].tolist()))
    backward = sorted(zip(targets[len(res[0]):].tolist(), sources[len(res[0]):].tolist()))
    assert forward == backward


@settings(max_examples=60, deadline=None)
@given(populations, st.booleans(), st.sampled_from([0.0, 0.05, 1.0, 4.0]),
       st.integers(0, 2 ** 32 - 1))
def test_pairwise_poisson_invariants(spec, autapses, mu, seed):
    pre, post = _pops(spec)
    sw = {"allow_autapses": autapses, "allow_multapses": True}
    pre_pos, post_pos = expand("pairwise_poisson", pre, post, rng=ctx(seed),
                               pairwise_avg_num_conns=mu, **sw)
    _check_common(pre, post, pre_pos, post_pos, sw)
    assert np.all(np.diff(post_pos) >= 0)  # grouped by target, in post order


# -- 4. distributions ----------------------------------------------------------------------------------
@pytest.mark.parametrize("k, multapses", [(20, True), (20, False), (45, False)])
def test_fixed_indegree_sources_uniform(k, multapses):
    """Each target draws k of 50 sources (one is itself; autapses off). Over 400 targets every
    source is drawn k * 400 / 49 times on average. 20-of-49 without multapses uses the
    rejection sampler, 45-of-49 the partial shuffle. Power: a sampler that never draws the
    last valid source (or draws the first one twice as often) shifts one cell by its whole
    expectation (>= 160) -- noncentrality >= 160 against a critical chi2(48) of 84: power ~1.
    The first column (the first drawn source) must be uniform too, since syn_spec arrays map
    onto the draw order (a sorted or Floyd-style order would fail: power ~1 at 400 targets
    for k=45, where Floyd's first pick can only be one of the first 5 sources)."""
    pool = ids(1, 50)
    pre_pos, post_pos = expand("fixed_indegree", pool, np.tile(pool, 8), indegree=k,
                               allow_autapses=False, allow_multapses=multapses,
                               rng=ctx(2024, 3))
    rows = pre_pos.reshape(400, k)
    counts = np.bincount(pre_pos, minlength=50)
    # target j of the tiled post is node (j % 50) + 1: it never draws itself
    own = np.arange(400) % 50
    assert not np.any(rows == own[:, None])
    expected = np.full(50, k * 400 / 49.0) - np.bincount(own, minlength=50) * k / 49.0
    assert chi2_pvalue(counts, expected) > ALPHA
    first = np.bincount(rows[:, 0], minlength=50)
    assert chi2_pvalue(first, np.full(50, 400 / 49.0) - np.bincount(own, minlength=50) / 49.0) \
        > ALPHA


def test_fixed_indegree_without_multapses_includes_each_source_with_probability_k_over_n():
    """Inclusion probability K/n for each (target, source): counts over 2000 targets of a
    30-of-40 draw are Binomial(2000, 0.75) per source; chi-squared over the 40 sources.
    Power: one source excluded 10 % more often than the others (expected 1500 -> 1350,
    noncentrality 60 against chi2(39) critical 73) is detected with probability > 0.9."""
    pre = ids(1, 40)
    pre_pos, _ = expand("fixed_indegree", pre, ids(100, 2000), indegree=30,
                        allow_multapses=False, rng=ctx(99, 1))
    counts = np.bincount(pre_pos, minlength=40)
    assert chi2_pvalue(counts, np.full(40, 2000 * 30 / 40)) > ALPHA


def test_fixed_outdegree_targets_uniform():
    """As for fixed_indegree, with rows of sources: 300 sources x 25 targets out of 60."""
    pre_pos, post_pos = expand("fixed_outdegree", ids(1, 300), ids(1000, 60), outdegree=25,
                               allow_multapses=False, rng=ctx(5, 5))
    assert chi2_pvalue(np.bincount(post_pos, minlength=60), np.full(60, 300 * 25 / 60)) > ALPHA
    first = post_pos.reshape(300, 25)[:, 0]
    assert chi2_pvalue(np.bincount(first, minlength=60), np.full(60, 300 / 60)) > ALPHA


def test_fixed_total_number_counts_are_multinomial():
    """N = 20000 connections between 30 sources and 40 targets: per-target and per-source
    counts are multinomial with equal cells (chi-squared over 40 and 30 cells). Power: a target
    with a 15 % higher probability (expected 500 -> 575, noncentrality 11) is caught ~50 %; one
    that is never drawn (a last-position off-by-one) with probability ~1."""
    pre_pos, post_pos = expand("fixed_total_number", ids(1, 30), ids(31, 40), N=20000,
                               rng=ctx(77, 2))
    assert len(pre_pos) == 20000
    assert chi2_pvalue(np.bincount(post_pos, minlength=40), np.full(40, 500.0)) > ALPHA
    assert chi2_pvalue(np.bincount(pre_pos, minlength=30), np.full(30, 20000 / 30)) > ALPHA
    # syn_spec array elements take the connections in draw order, not grouped by target
    # (NEST's order)
    result = expand("fixed_total_number", ids(1, 30), ids(31, 40), N=20000, rng=ctx(77, 2))
    in_draw_order = result.post_pos[np.argsort(result.conn_index)]
    assert np.any(np.diff(in_draw_order) < 0)
    assert np.array_equal(np.sort(result.conn_index), np.arange(20000))


def test_fixed_total_number_without_autapses_is_uniform_over_valid_pairs():
    """pre = {1, 2}, post = {2, 3}: the valid pairs (1,2), (1,3), (2,3) are equally likely, so
    target 3 gets twice as many connections as target 2 (as NEST 3.10 does). Power: drawing
    the target first and then a valid source (target counts 1:1) gives cell expectations 0.5 vs
    1/3 of 30000, noncentrality ~2500: detected with certainty."""
    pre, post = np.array([1, 2]), np.array([2, 3])
    pre_pos, post_pos = expand("fixed_total_number", pre, post, N=30000, allow_autapses=False,
                               rng=ctx(8, 8))
    pairs = pre[pre_pos] * 10 + post[post_pos]
    assert not np.any(pairs == 22)
    observed = [np.sum(pairs == v) for v in (12, 13, 23)]
    assert chi2_pvalue(observed, [10000, 10000, 10000]) > ALPHA


@pytest.mark.parametrize("p", [0.002, 0.1, 0.7])
def test_pairwise_bernoulli_counts_are_binomial(p):
    """300 sources x 1000 targets (autapses off on an overlapping range). (a) The total is
    Binomial(n_valid, p): |z| < 3.29; a 1 % bias of p at p=0.1 (z shift 3.3) is caught ~50 %,
    a 2 % bias with probability > 0.99. (b) Per source position, counts are
    Binomial(n_targets_valid, p): chi-squared over 300 cells catches a skip-loop off-by-one
    that never reaches the last source (one empty cell, noncentrality >= 2 at p=0.002, ~700 at
    p=0.7). (c) The per-target counts are Binomial(n, p): chi-squared over the histogram."""
    pre, post = ids(1, 300), ids(201, 1000)          # 100 nodes are in both
    pre_pos, post_pos = expand("pairwise_bernoulli", pre, post, p=p, allow_autapses=False,
                               rng=ctx(31, 4))
    overlap = np.isin(post, pre)
    n_valid = 300 * 1000 - overlap.sum()
    z = (len(pre_pos) - n_valid * p) / np.sqrt(n_valid * p * (1 - p))
    assert abs(z) < Z_CRIT
    per_source = np.bincount(pre_pos, minlength=300)
    targets_of = np.full(300, 1000.0) - np.isin(pre, post)
    assert independent_counts_pvalue(per_source, targets_of * p, targets_of * p * (1 - p)) \
        > ALPHA
    per_target = np.bincount(post_pos[~overlap[post_pos]], minlength=1000)[~overlap]
    hist = np.bincount(per_target, minlength=301)[:301]
    expected = stats.binom.pmf(np.arange(301), 300, p) * len(per_target)
    assert chi2_pvalue(hist, expected * hist.sum() / expected.sum()) > ALPHA


def test_pairwise_bernoulli_pairs_are_independent():
    """Two sources and 40000 targets: the 2x2 table of (first pair connected, second pair
    connected) per target must show independence (chi-squared, 1 degree of freedom). Power: a
    correlation of 0.03 between the two pairs (noncentrality 36) is detected with probability
    > 0.99."""
    pre_pos, post_pos = expand("pairwise_bernoulli", ids(1, 2), ids(10, 40000), p=0.4,
                               rng=ctx(4, 4))
    a = np.zeros(40000, bool)
    b = np.zeros(40000, bool)
    a[post_pos[pre_pos == 0]] = True
    b[post_pos[pre_pos == 1]] = True
    table = [[np.sum(a & b), np.sum(a & ~b)], [np.sum(~a & b), np.sum(~a & ~b)]]
    assert stats.chi2_contingency(table, correction=False).pvalue > ALPHA


def test_pairwise_bernoulli_edge_probabilities():
    pre = ids(1, 20)
    assert expand("pairwise_bernoulli", pre, pre, p=0.0)[0].size == 0
    full = expand("pairwise_bernoulli", pre, pre, p=1.0)
    assert len(full[0]) == 400
    no_self = expand("pairwise_bernoulli", pre, pre, p=1.0, allow_autapses=False)
    assert len(no_self[0]) == 380 and not np.any(no_self[0] == no_self[1])
    # a tiny p on a big grid: the skip loop must neither stall nor overflow
    tiny = expand("pairwise_bernoulli", ids(1, 3000), ids(1, 3000), p=1e-7)
    assert len(tiny[0]) < 20


def test_symmetric_pairwise_bernoulli_on_one_population():
    """As in NEST 3.10, on one population each ordered pair (s, t), s != t, is drawn with
    probability p and makes s->t and t->s: an unordered pair gets Binomial(2, p) connections in
    each direction. Chi-squared over (0, 1, 2) for 300*299/2 pairs. Power: treating unordered
    pairs once (multiplicity 0/1 only) is detected with certainty."""
    pre = ids(1, 300)
    res = expand("symmetric_pairwise_bernoulli", pre, pre, p=0.3, rng=ctx(6, 6),
                 **SYMMETRIC_SWITCHES)
    sources, targets, _ = res.connections(pre, pre)
    m = np.zeros((300, 300), int)
    np.add.at(m, (sources - 1, targets - 1), 1)
    assert np.array_equal(m, m.T) and np.trace(m) == 0
    upper = m[np.triu_indices(300, 1)]
    observed = np.bincount(upper, minlength=3)
    assert len(observed) == 3
    assert chi2_pvalue(observed, stats.binom.pmf([0, 1, 2], 2, 0.3) * len(upper)) > ALPHA


@pytest.mark.parametrize("mu", [0.01, 0.3, 2.5])
def test_pairwise_poisson_counts_per_pair_are_poisson(mu):
    """200 x 300 pairs (autapses off, 100 nodes shared): the number of connections of each
    valid pair is Poisson(mu), chi-squared over the histogram of counts. (Per target we draw
    the total Poisson(mu * n_valid) and spread it uniformly; by the splitting property of the
    Poisson distribution this is the same law.) mu * 200 spans both branches of the Poisson
    sampler (inversion below 10, PTRS above). Power: a per-pair mean off by 5 % at mu = 2.5
    (noncentrality ~ 0.05^2 * 2.5 * 59900 ~ 370) is detected with certainty. Not detectable
    here: a per-target total drawn with mean mu * n_pre instead of mu * (n_pre - 1) for the
    100 targets that are also sources (0.5 % too many for 1/3 of the pairs)."""
    pre, post = ids(1, 200), ids(101, 300)
    pre_pos, post_pos = expand("pairwise_poisson", pre, post, pairwise_avg_num_conns=mu,
                               allow_autapses=False, rng=ctx(10, 10))
    assert not np.any(pre[pre_pos] == post[post_pos])
    m = np.zeros((200, 300), int)
    np.add.at(m, (pre_pos, post_pos), 1)
    valid = pre[:, None] != post[None, :]
    counts = m[valid]
    top = max(int(counts.max()) + 1, 3)
    hist = np.bincount(counts, minlength=top)
    expected = stats.poisson.pmf(np.arange(top), mu) * counts.size
    expected[-1] += stats.poisson.sf(top - 1, mu) * counts.size
    assert chi2_pvalue(hist, expected) > ALPHA


# -- 5. reproducibility ---------------------------------------------------------------------------------
RANDOM_CASES = [("fixed_indegree", {"indegree": 5}),
                ("fixed_indegree", {"indegree": 30, "allow_multapses": False}),
                ("fixed_outdegree", {"outdegree": 5}),
                ("fixed_total_number", {"N": 200}),
                ("pairwise_bernoulli", {"p": 0.2}),
                ("symmetric_pairwise_bernoulli", {"p": 0.2, **SYMMETRIC_SWITCHES}),
                ("pairwise_poisson", {"pairwise_avg_num_conns": 0.2})]


@pytest.mark.parametrize("rule, kwargs", RANDOM_CASES)
def test_same_seed_same_network_other_seed_or_stream_another(rule, kwargs):
    pre, post = ids(1, 40), ids(30, 40)
    a = expand(rule, pre, post, rng=ctx(1, 1), **kwargs)
    b = expand(rule, pre, post, rng=ctx(1, 1), **kwargs)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    for other in (ctx(2, 1), ctx(1, 2), ctx(1 + 2 ** 32, 1)):
        c = expand(rule, pre, post, rng=other, **kwargs)
        assert not (len(c[0]) == len(a[0]) and np.array_equal(c[0], a[0])
                    and np.array_equal(c[1], a[1]))


@pytest.mark.parametrize("rule, kwargs", [c for c in RANDOM_CASES
                                          if c[0] not in ("fixed_outdegree",
                                                          "fixed_total_number")])
def test_per_target_rules_do_not_depend_on_how_targets_are_split(rule, kwargs):
    """The guarantee: a target's connections are a function of (seed, stream, its id, the
    sources, the parameters) -- connecting post[:50] and post[50:] with the same key gives the
    connections of one expansion over post (so threads / ranks owning targets agree)."""
    pre, post = ids(1, 80), ids(40, 100)
    whole = expand(rule, pre, post, rng=ctx(3, 9), **kwargs)
    first = expand(rule, pre, post[:50], rng=ctx(3, 9), **kwargs)
    second = expand(rule, pre, post[50:], rng=ctx(3, 9), **kwargs)
    pre_pos = np.concatenate([first[0], second[0]])
    post_pos = np.concatenate([first[1], second[1] + 50])
    assert np.array_equal(pre_pos, whole[0]) and np.array_equal(post_pos, whole[1])
    # and on each target alone, in any order of targets
    for j in (0, 57, 99):
        one = expand(rule, pre, post[j:j + 1], rng=ctx(3, 9), **kwargs)
        assert np.array_equal(one[0], whole[0][whole[1] == j])


def test_fixed_outdegree_does_not_depend_on_how_sources_are_split():
    pre, post = ids(1, 100), ids(50, 80)
    whole = expand("fixed_outdegree", pre, post, outdegree=7, rng=ctx(3, 9))
    first = expand("fixed_outdegree", pre[:37], post, outdegree=7, rng=ctx(3, 9))
    second = expand("fixed_outdegree", pre[37:], post, outdegree=7, rng=ctx(3, 9))
    assert np.array_equal(np.concatenate([first[1], second[1]]), whole[1])
    assert np.array_equal(np.concatenate([first[0], second[0] + 37]), whole[0])


def test_fixed_total_number_is_a_function_of_the_whole_call():
    pre, post = ids(1, 30), ids(31, 30)
    a = expand("fixed_total_number", pre, post, N=100, rng=ctx(5, 5))
    again = expand("fixed_total_number", pre, post, N=100, rng=ctx(5, 5))
    b = expand("fixed_total_number", pre, post, N=120, rng=ctx(5, 5))
    # N is split over the targets first: the same call gives the same connections, another N
    # another split (not a prefix of the same sequence)
    assert np.array_equal(a[0], again[0]) and np.array_equal(a[1], again[1])
    assert not np.array_equal(np.bincount(b[1], minlength=30)[:30] -
                              np.bincount(a[1], minlength=30), np.zeros(30))


def test_repeated_target_ids_draw_independently():
    """A target id listed twice (possible with id arrays) gets two independent draws."""
    pre = ids(1, 100)
    post = np.array([500, 500, 501])
    pre_pos, post_pos = expand("fixed_indegree", pre, post, indegree=10, rng=ctx(1, 1))
    rows = pre_pos.reshape(3, 10)
    assert not np.array_equal(rows[0], rows[1])
    single = expand("fixed_indegree", pre, post[:1], rng=ctx(1, 1), indegree=10)
    assert np.array_equal(single[0], rows[0])


def test_without_rng_the_kernel_streams_are_used():
    import nest  # noqa: F401  (the autouse fixture resets the kernel)
    from kernel import get_kernel
    pre, post = ids(1, 20), ids(1, 20)
    get_kernel().reset()
    a = expand_rule("pairwise_bernoulli", pre, post, p=0.3)
    b = expand_rule("pairwise_bernoulli", pre, post, p=0.3)
    assert not np.array_equal(a[0], b[0]) or not np.array_equal(a[1], b[1])
    get_kernel().reset()
    again = expand_rule("pairwise_bernoulli", pre, post, p=0.3)
    assert np.array_equal(a[0], again[0]) and np.array_equal(a[1], again[1])


# -- slow: larger statistical checks ---------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("k", [1, 10, 499, 500, 999])
def test_fixed_indegree_large_uniform_order(k):
    """1000 sources, 20000 targets, k across the rejection / shuffle switch at n/2: every
    position of a row (not only the first) is uniform over the sources (chi-squared over
    1000 cells of 20; a position that can never hold the last source is caught with
    certainty)."""
    pre = ids(1, 1000)
    pre_pos, _ = expand("fixed_indegree", pre, ids(2001, 20000), indegree=k,
                        allow_multapses=False, rng=ctx(11, 11))
    rows = pre_pos.reshape(20000, k)
    for col in sorted({0, k // 2, k - 1}):
        counts = np.bincount(rows[:, col], minlength=1000)
        assert chi2_pvalue(counts, np.full(1000, 20.0)) > ALPHA


@pytest.mark.slow
def test_pairwise_bernoulli_large_total():
    """5000 x 5000 at p = 0.01: the total is Binomial(25e6, 0.01) (|z| < 3.29 for 5 seeds)."""
    pre = ids(1, 5000)
    for seed in range(5):
        pre_pos, _ = expand("pairwise_bernoulli", pre, pre, p=0.01, rng=ctx(seed, 1))
        z = (len(pre_pos) - 25e6 * 0.01) / np.sqrt(25e6 * 0.01 * 0.99)
        assert abs(z) < Z_CRIT


@pytest.mark.slow
def test_pairwise_poisson_large_mean():
    """mu = 40 per pair (the PTRS branch per target): mean and variance of the pair counts."""
    pre = ids(1, 100)
    pre_pos, post_pos = expand("pairwise_poisson", pre, ids(200, 400),
                               pairwise_avg_num_conns=40.0, rng=ctx(3, 3))
    m = np.zeros((100, 400), int)
    np.add.at(m, (pre_pos, post_pos), 1)
    n = m.size
    assert abs(m.mean() - 40.0) < Z_CRIT * np.sqrt(40.0 / n)
    assert abs(m.var() / 40.0 - 1.0) < Z_CRIT * np.sqrt(2.0 / n) * 1.1


@pytest.mark.parametrize("rule, params, subset", [
    ("fixed_indegree", {"indegree": 4}, None), ("fixed_outdegree", {"outdegree": 3}, None),
    ("fixed_indegree", {"indegree": 4}, np.array([1, 3, 4]))])
@pytest.mark.parametrize("id_dtype", [np.int32, np.int64])
def test_fixed_degree_ids_come_straight_from_the_rows(rule, params, subset, id_dtype):
    # Connect takes the ids without the int64 position arrays; they must be the same
    pre, post = ids(3, 7), ids(1, 6)
    res = expand(rule, pre, post, targets_subset=subset, **params)
    sources, targets, index = res.connections(pre.astype(id_dtype), post.astype(id_dtype))
    assert index is None and sources.dtype == targets.dtype == id_dtype
    expected = expand(rule, pre, post, targets_subset=subset, **params)
    pre_pos, post_pos = expected
    np.testing.assert_array_equal(sources, pre[pre_pos])
    np.testing.assert_array_equal(targets, post[post_pos])
    assert len(sources) == (6 * 4 if subset is None and rule == "fixed_indegree" else
                            7 * 3 if subset is None else 3 * 4)


@pytest.mark.parametrize("rule,params", [("fixed_indegree", {"indegree": 7}),
                                         ("fixed_outdegree", {"outdegree": 7})])
@pytest.mark.parametrize("ascending", [True, False])
def test_degree_rows_give_the_same_connections_and_positions_after_connections(rule, params,
                                                                              ascending):
    """connections() writes ascending ids over the drawn rows (to save a copy): the positions
    asked for afterwards, and the ids of a second call, must be those of a fresh result."""
    pre, post = ids(3, 40).astype(np.int32), ids(100, 30).astype(np.int32)
    if not ascending:
        pre, post = pre[::-1].copy(), post[::-1].copy()
    fresh = expand(rule, pre, post, rng=ctx(5), **params)
    expected = (fresh.pre_pos.copy(), fresh.post_pos.copy())
    res = expand(rule, pre, post, rng=ctx(5), **params)
    first = [a.copy() for a in res.connections(pre, post)[:2]]
    assert first[0].tolist() == pre[expected[0]].tolist()
    assert first[1].tolist() == post[expected[1]].tolist()
    second = res.connections(pre, post)
    assert [a.tolist() for a in second[:2]] == [a.tolist() for a in first]
    third = res.connections(pre, post)
    assert not any(np.shares_memory(a, b) for a, b in zip(second[:2], third[:2]))
    assert res.pre_pos.tolist() == expected[0].tolist()
    assert res.post_pos.tolist() == expected[1].tolist()


@pytest.mark.parametrize("k", [1, 6, 7])
def test_fixed_indegree_with_multapses_draws_from_the_documented_stream(k):
    """Row r (target id g) of fixed_indegree takes its k uniforms from the Philox stream with
    key (seed, stream) and counter (g, g >> 32, rule word, j): block j gives (word 3, word 2),
    then (word 1, word 0) as 52-bit (hi, lo) doubles; position = floor(u * n). The rows are
    drawn in batches of blocks: this pins them to the one-by-one definition (a swapped pair or
    an odd k's last draw would show)."""
    from kernel.connect import _rules
    from kernel.random.philox import philox_block
    seed, stream, n_pre = 99, 3, 37
    pre, post = ids(1, n_pre), ids(200, 4)
    pre_pos, post_pos = expand("fixed_indegree", pre, post, rng=ctx(seed, stream), indegree=k)
    word = 0xC0000000 | (_rules.TAG_INDEGREE << 24)
    for row, target in enumerate(post.tolist()):
        uniforms = []
        for j in range((k + 1) // 2):
            out = philox_block([target & 0xFFFFFFFF, target >> 32, word, j],
                               [seed & 0xFFFFFFFF, stream ^ (seed >> 32)])
            for hi, lo in ((out[3], out[2]), (out[1], out[0])):
                uniforms.append(((((hi << 32) | lo) >> 12) + 0.5) / 2.0 ** 52)
        expected = [min(int(u * n_pre), n_pre - 1) for u in uniforms[:k]]
        assert pre_pos[post_pos == row].tolist() == expected
