"""Parameter expressions of the kernel: distributions, arithmetic, redraw, conditional, and
the reproducibility of every draw as a function of (seed, stream, site).

Statistical tests use fixed seeds (so they are deterministic) and a stated significance
level ALPHA: a correct implementation fails each with probability ALPHA for a random seed.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from kernel.connect import parameters as kp
from kernel.connect.context import DrawContext
from kernel.errors import BadParameterType, BadParameterValue, DimensionMismatch

ALPHA = 1e-3
N = 20000


def ctx_for(n=N, seed=143202461, stream=7, start=0):
    return DrawContext(seed, stream, sites=np.arange(start, start + n, dtype=np.uint64))


# -- distributions -------------------------------------------------------------------------------
CONTINUOUS = [
    (kp.Uniform(), stats.uniform()),
    (kp.Uniform(-70.0, -55.0), stats.uniform(loc=-70.0, scale=15.0)),
    (kp.Normal(), stats.norm()),
    (kp.Normal(5.0, 0.5), stats.norm(loc=5.0, scale=0.5)),
    (kp.Lognormal(), stats.lognorm(s=1.0)),  # mean/std of the underlying normal (NEST)
    (kp.Lognormal(1.0, 0.3), stats.lognorm(s=0.3, scale=np.exp(1.0))),
    (kp.Exponential(), stats.expon()),
    (kp.Exponential(2.5), stats.expon(scale=2.5)),  # beta is the scale (mean), as in NEST
]


@pytest.mark.parametrize("seed", [1, 143202461])
@pytest.mark.parametrize("node, dist", CONTINUOUS, ids=lambda x: getattr(x, "describe", str)())
def test_continuous_distributions_pass_ks(node, dist, seed):
    values = node.evaluate(ctx_for(seed=seed))
    assert values.dtype == np.float64 and values.shape == (N,)
    assert stats.kstest(values, dist.cdf).pvalue > ALPHA


def test_uniform_stays_in_half_open_interval():
    values = kp.Uniform(-1.0, 2.0).evaluate(ctx_for())
    assert values.min() >= -1.0 and values.max() < 2.0
    tiny = kp.Uniform(1.0, np.nextafter(1.0, 2.0)).evaluate(ctx_for(1000))
    assert np.all(tiny == 1.0)  # the excluded upper bound is never reached


@pytest.mark.parametrize("high", [1, 2, 7, 1000])
def test_uniform_int_is_uniform_on_0_to_max(high):
    values = kp.UniformInt(high).evaluate(ctx_for())
    assert np.all(values == np.floor(values)) and values.min() >= 0 and values.max() <= high - 1
    if high <= 100:
        counts = np.bincount(values.astype(np.int64), minlength=high)
        assert stats.chisquare(counts).pvalue > ALPHA if high > 1 else counts[0] == N
    else:
        assert stats.kstest(values, stats.randint(0, high).cdf).pvalue > ALPHA


def test_uniform_int_large_max():
    values = kp.UniformInt(2 ** 62).evaluate(ctx_for(1000))
    assert values.min() >= 0 and values.max() < 2.0 ** 62 and np.unique(values).size == 1000


# -- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize("make, error, text", [
    (lambda: kp.Uniform(1.0, 1.0), BadParameterValue, "min < max required"),
    (lambda: kp.Uniform(2.0, 1.0), BadParameterValue, "min < max required"),
    (lambda: kp.Normal(0.0, 0.0), BadParameterValue, "std > 0 required"),
    (lambda: kp.Lognormal(0.0, -1.0), BadParameterValue, "std > 0 required"),
    (lambda: kp.UniformInt(0), BadParameterValue, "max > 0 required"),
    (lambda: kp.UniformInt(2 ** 63), BadParameterValue, "max > 0 required"),
    (lambda: kp.UniformInt(1.5), BadParameterType, "expected an integer"),
    (lambda: kp.UniformInt(True), BadParameterType, "expected an integer"),
    (lambda: kp.Uniform("a", 1.0), BadParameterType, "expected a real number"),
    (lambda: kp.Constant(None), BadParameterType, "expected a real number"),
    (lambda: kp.Redraw(kp.Normal(), 1.0, 0.0), BadParameterValue, "min <= max required"),
    (lambda: kp.BinaryOp("%", 1.0, 2.0), BadParameterValue, "unknown operation"),
    (lambda: kp.Compare("<>", 1.0, 2.0), BadParameterValue, "unknown comparison"),
    (lambda: kp.Function("tan", 1.0), BadParameterValue, "unknown function"),
])
def test_invalid_nodes_are_rejected(make, error, text):
    with pytest.raises(error, match=text):
        make()


def test_nest_accepts_what_it_accepts():
    # NEST checks "min >= max" and "std <= 0" only, so NaN passes; beta is not checked.
    assert np.isnan(kp.Uniform(float("nan"), 1.0).evaluate(ctx_for(3))).all()
    assert np.isnan(kp.Normal(0.0, float("nan")).evaluate(ctx_for(3))).all()
    assert np.all(kp.Exponential(-1.0).evaluate(ctx_for(100)) < 0)
    assert kp.Redraw(kp.Normal(), 0.5, 0.5).n_leaves == 1  # min == max is allowed


@pytest.mark.parametrize("ctx, error", [
    (DrawContext(1, 1, sites=np.array([-1, 2])), BadParameterValue),
    (DrawContext(1, 1, sites=np.zeros((2, 2), dtype=np.uint64)), DimensionMismatch),
    (DrawContext(1, 1, sites=np.array([0.5])), BadParameterType),
    (DrawContext(-1, 1, sites=np.arange(2)), BadParameterValue),
    (DrawContext(1, 1, targets=np.arange(3), sites=np.arange(2)), DimensionMismatch),
])
def test_bad_contexts_are_rejected(ctx, error):
    with pytest.raises(error):
        kp.Uniform().evaluate(ctx)


def test_empty_context_gives_empty_array():
    out = kp.Redraw(kp.Normal(), 0.0, 1.0).evaluate(ctx_for(0))
    assert out.shape == (0,) and out.dtype == np.float64


# -- arithmetic ----------------------------------------------------------------------------------
NUMPY_OPS = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide,
             "min": np.minimum, "max": np.maximum, "<": np.less, "<=": np.less_equal,
             "==": np.equal, "!=": np.not_equal, ">=": np.greater_equal, ">": np.greater}
finite = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(op=st.sampled_from(sorted(NUMPY_OPS)), c=finite, left=st.booleans(),
       seed=st.integers(1, 2 ** 32 - 1), stream=st.integers(0, 10 ** 6))
def test_operations_with_a_constant_act_on_the_leaf_values(op, c, left, seed, stream):
    leaf = kp.Normal(1.0, 3.0)
    ctx = ctx_for(64, seed, stream)
    x = leaf.evaluate(ctx)  # the leaf is the only random leaf: tag 0 in both trees
    node_cls = kp.Compare if op in kp._COMPARE else kp.BinaryOp
    node = node_cls(op, c, leaf) if left else node_cls(op, leaf, c)
    with np.errstate(all="ignore"):
        expected = NUMPY_OPS[op](c, x) if left else NUMPY_OPS[op](x, c)
    np.testing.assert_array_equal(node.evaluate(ctx), expected.astype(np.float64))


@settings(max_examples=40, deadline=None)
@given(a=finite, b=finite, e=st.floats(-3, 3, allow_nan=False))
def test_constant_arithmetic_matches_python(a, b, e):
    ctx = ctx_for(3)
    assert kp.BinaryOp("+", a, b).evaluate(ctx)[0] == a + b
    assert kp.BinaryOp("-", a, b).evaluate(ctx)[0] == a - b
    assert kp.BinaryOp("*", a, b).evaluate(ctx)[0] == a * b
    if b != 0:
        assert kp.BinaryOp("/", a, b).evaluate(ctx)[0] == a / b
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(kp.Pow(abs(a), e).evaluate(ctx), np.power(abs(a), e))


def test_math_functions_and_ieee_edge_cases():
    ctx = ctx_for(5)
    x = kp.Uniform(-3.0, 3.0)
    v = x.evaluate(ctx)
    for name, f in (("exp", np.exp), ("sin", np.sin), ("cos", np.cos), ("abs", np.abs)):
        np.testing.assert_array_equal(kp.Function(name, x).evaluate(ctx), f(v))
    assert np.all(np.isinf(kp.BinaryOp("/", 1.0, 0.0).evaluate(ctx)))
    assert np.all(np.isnan(kp.Pow(-1.0, 0.5).evaluate(ctx)))
    nan = kp.Constant(float("nan"))
    assert kp.Compare("<", nan, 1.0).evaluate(ctx)[0] == 0.0
    assert kp.Compare("!=", nan, 1.0).evaluate(ctx)[0] == 1.0


# -- reuse, independence, determinism ------------------------------------------------------------
def test_same_leaf_used_twice_draws_independently_like_nest():
    # NEST draws anew for every use of a Parameter: (x - x).GetValue() is not 0, and
    # x + x (x uniform on [0, 1)) has the triangular distribution of a sum of two uniforms.
    x = kp.Uniform()
    total = kp.BinaryOp("+", x, x).evaluate(ctx_for())
    assert stats.kstest(total, stats.triang(c=0.5, loc=0.0, scale=2.0).cdf).pvalue > ALPHA
    assert np.count_nonzero(kp.BinaryOp("-", x, x).evaluate(ctx_for(100))) == 100


def test_leaves_are_independent():
    ctx = kp._checked_context(ctx_for())
    a = kp.Normal()._eval(ctx, 0, 0)
    b = kp.Normal()._eval(ctx, 1, 0)
    # |r| * sqrt(N) is ~ N(0, 1) for independent samples
    assert abs(np.corrcoef(a, b)[0, 1]) * np.sqrt(N) < stats.norm.ppf(1 - ALPHA / 2)
    tree = kp.BinaryOp("-", kp.Normal(), kp.Normal())
    np.testing.assert_array_equal(tree.evaluate(ctx_for()), a - b)


def test_values_are_pure_functions_of_seed_stream_and_site():
    tree = kp.Conditional(kp.Compare("<", kp.Uniform(), 0.3),
                          kp.Redraw(kp.Normal(0.0, 2.0), -1.0, 1.0),
                          kp.BinaryOp("*", kp.Exponential(), kp.UniformInt(5)))
    full = tree.evaluate(ctx_for(5000))
    np.testing.assert_array_equal(full, tree.evaluate(ctx_for(5000)))
    # any split of the sites (threads, processes, chunks) gives the same values
    perm = np.random.default_rng(0).permutation(5000)
    for chunk in np.array_split(perm, 7):
        part = tree.evaluate(DrawContext(143202461, 7, sites=chunk.astype(np.uint64)))
        np.testing.assert_array_equal(part, full[chunk])
    assert not np.array_equal(full, tree.evaluate(ctx_for(5000, seed=2)))
    assert not np.array_equal(full, tree.evaluate(ctx_for(5000, stream=8)))


def test_sites_accept_signed_ids():
    a = kp.Uniform().evaluate(DrawContext(3, 4, sites=np.array([5, 9], dtype=np.int64)))
    b = kp.Uniform().evaluate(DrawContext(3, 4, sites=np.array([5, 9], dtype=np.uint64)))
    np.testing.assert_array_equal(a, b)


def test_evaluate_for_nodes_depends_only_on_node_id():
    p = kp.Uniform(-70.0, -55.0)
    all_ids = kp.evaluate_for_nodes(p, np.arange(1, 101), seed=5, stream=3)
    some = kp.evaluate_for_nodes(p, [10, 50, 51], seed=5, stream=3)
    np.testing.assert_array_equal(some, all_ids[[9, 49, 50]])
    assert all_ids.min() >= -70.0 and all_ids.max() < -55.0
    with pytest.raises(BadParameterType):
        kp.evaluate_for_nodes(1.0, [1], 5, 3)


# -- redraw --------------------------------------------------------------------------------------
def test_redraw_respects_bounds_and_gives_the_truncated_distribution():
    values = kp.Redraw(kp.Normal(5.0, 1.0), 4.5, 7.0).evaluate(ctx_for())
    assert values.min() >= 4.5 and values.max() <= 7.0
    truncated = stats.truncnorm(-0.5, 2.0, loc=5.0, scale=1.0)
    assert stats.kstest(values, truncated.cdf).pvalue > ALPHA


def test_redraw_keeps_values_inside_and_includes_bounds():
    leaf = kp.Uniform()
    np.testing.assert_array_equal(kp.Redraw(leaf, 0.0, 1.0).evaluate(ctx_for()),
                                  leaf.evaluate(ctx_for()))
    assert np.all(kp.Redraw(kp.Constant(0.5), 0.5, 0.5).evaluate(ctx_for(4)) == 0.5)
    nan = kp.Constant(float("nan"))  # NaN is not outside the bounds (as in NEST)
    assert np.isnan(kp.Redraw(nan, 0.0, 1.0).evaluate(ctx_for(2))).all()


def test_nested_redraw():
    inner = kp.Redraw(kp.Normal(), -2.0, 2.0)
    values = kp.Redraw(kp.BinaryOp("+", inner, kp.Uniform()), 0.0, 1.0).evaluate(ctx_for())
    assert values.min() >= 0.0 and values.max() <= 1.0
    assert np.unique(values).size == N


def test_redraw_of_a_deterministic_value_outside_fails_at_once():
    with pytest.raises(kp.RedrawLimitExceeded, match="not random"):
        kp.Redraw(kp.Constant(5.0), 0.0, 1.0).evaluate(ctx_for(10))


def test_redraw_with_an_empty_acceptance_region_fails_fast():
    with pytest.raises(kp.RedrawLimitExceeded, match="empty or nearly so"):
        kp.Redraw(kp.Normal(), 10.0, 11.0).evaluate(ctx_for(10 ** 5))
    with pytest.raises(kp.RedrawLimitExceeded, match="limit of 1000"):  # few values: 1000 rounds
        kp.Redraw(kp.Normal(), 10.0, 11.0).evaluate(ctx_for(3))


def test_redraw_with_a_narrow_region_still_succeeds():
    # acceptance 1e-2: about 100 redraws per value, far below the limit
    values = kp.Redraw(kp.Uniform(), 0.5, 0.51).evaluate(ctx_for(2000))
    assert values.min() >= 0.5 and values.max() <= 0.51


# -- conditional ---------------------------------------------------------------------------------
def test_conditional_selects_by_the_condition():
    u = kp.Uniform()
    cond = kp.Compare("<", u, 0.25)
    values = kp.Conditional(cond, 1.0, 2.0).evaluate(ctx_for())
    np.testing.assert_array_equal(values, np.where(u.evaluate(ctx_for()) < 0.25, 1.0, 2.0))
    nan = kp.Constant(float("nan"))  # any non-zero value, NaN included, is true (as in NEST)
    assert kp.Conditional(nan, 1.0, 2.0).evaluate(ctx_for(2))[0] == 1.0
    assert kp.Conditional(0.0, 1.0, 2.0).evaluate(ctx_for(2))[0] == 2.0


def test_conditional_branches_keep_their_distributions():
    tree = kp.Conditional(kp.Compare("<", kp.Uniform(), 0.5), kp.Normal(10.0, 1.0),
                          kp.Exponential(2.0))
    values = tree.evaluate(ctx_for())
    ctx = kp._checked_context(ctx_for())
    taken = kp.Uniform()._eval(ctx, 0, 0) < 0.5  # leaves in pre-order: tags 0, 1, 2
    assert stats.binomtest(int(taken.sum()), N, 0.5).pvalue > ALPHA
    np.testing.assert_array_equal(values[taken], kp.Normal(10.0, 1.0)._eval(ctx, 1, 0)[taken])
    np.testing.assert_array_equal(values[~taken], kp.Exponential(2.0)._eval(ctx, 2, 0)[~taken])
    assert stats.kstest(values[taken], stats.norm(10.0, 1.0).cdf).pvalue > ALPHA
    assert stats.kstest(values[~taken], stats.expon(scale=2.0).cdf).pvalue > ALPHA


def test_describe_and_repr():
    tree = kp.Conditional(kp.Compare(">=", kp.Uniform(), 0.5), kp.Pow(kp.Normal(), 2),
                          kp.Function("exp", kp.BinaryOp("min", kp.Exponential(), 3)))
    assert tree.describe() == (
        "conditional((uniform(min=0.0, max=1.0) >= 0.5), (normal(mean=0.0, std=1.0) ** 2.0), "
        "exp(min(exponential(beta=1.0), 3.0)))")
    assert repr(kp.UniformInt(3)) == "<UniformInt uniform_int(max=3)>"
    deep = kp.Uniform()
    for _ in range(60):  # shared subtrees: the text stays short and is computed once
        deep = kp.BinaryOp("+", deep, deep)
    assert len(deep.describe()) <= 200 and deep.n_leaves == 2 ** 60
