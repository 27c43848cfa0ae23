"""The user API of Parameters: nest.random / nest.math / nest.logic, CreateParameter, operators,
GetValue, and errors, checked against facts probed with the real NEST 3.10 (the classes of
the exceptions, the values of deterministic expressions, the semantics of reuse).
"""
import numpy as np
import pytest

import nest
import nest.logic
import nest.math
import nest.random
import nest.spatial
import nest.spatial_distributions
from nest_compat.errors import NESTErrors
from nest_compat.parameters import CreateParameter, Parameter, values_for_nodes


def const(value):
    return CreateParameter("constant", {"value": value})


# -- GetValue --------------------------------------------------------------------------------------
def test_getvalue_returns_a_fresh_float_each_call():
    x = nest.random.uniform()
    values = [x.GetValue() for _ in range(50)]
    assert all(type(v) is float and 0.0 <= v < 1.0 for v in values)
    assert len(set(values)) == 50


def test_getvalue_is_reproducible_after_reset_and_depends_on_the_seed():
    x = nest.random.normal()
    nest.ResetKernel()
    first = [x.GetValue() for _ in range(3)]
    nest.ResetKernel()
    assert [x.GetValue() for _ in range(3)] == first
    nest.ResetKernel()
    nest.SetKernelStatus({"rng_seed": 5})
    assert [x.GetValue() for _ in range(3)] != first


def test_every_use_of_a_parameter_draws_anew_like_nest():
    # NEST 3.10: x = nest.random.uniform(); (x - x).GetValue() is not 0, (x == x) is 0.0
    # almost surely, and conditional(x < 0.5, x, 5.0) can yield x >= 0.5.
    x = nest.random.uniform()
    assert all((x - x).GetValue() != 0.0 for _ in range(20))
    assert sum((x == x).GetValue() for _ in range(20)) == 0.0
    picked = [nest.logic.conditional(x < 0.5, x, 5.0).GetValue() for _ in range(200)]
    assert any(0.5 <= v < 1.0 for v in picked) and 5.0 in picked


# -- CreateParameter -------------------------------------------------------------------------------
@pytest.mark.parametrize("ptype, specs, low, high", [
    ("uniform", {}, 0.0, 1.0),
    ("uniform", {"min": 1, "max": 3}, 1.0, 3.0),
    ("uniform", {"min": np.int64(-2)}, -2.0, 1.0),
    ("normal", {"mean": 100.0, "std": 0.1}, 98.0, 102.0),
    ("lognormal", {}, 0.0, np.inf),
    ("exponential", {"beta": 2.0}, 0.0, np.inf),
    ("uniform_int", {"max": 4}, 0.0, 3.0),
    ("uniform_int", {}, 0.0, 0.0),  # default max 1: always 0 (as in NEST)
])
def test_create_parameter_types_and_defaults(ptype, specs, low, high):
    p = CreateParameter(ptype, specs)
    assert isinstance(p, Parameter)
    values = [p.GetValue() for _ in range(20)]
    assert all(low <= v <= high for v in values)


def test_constant_values():
    assert const(3).GetValue() == 3.0 and type(const(3).GetValue()) is float
    assert const(True).GetValue() == 1.0
    assert const(np.float64(2.5)).GetValue() == 2.5
    assert np.isnan(const(float("nan")).GetValue())


@pytest.mark.parametrize("make, error, text", [
    (lambda: CreateParameter("foo", {}), NESTErrors.UndefinedName, "The name foo is not defined"),
    (lambda: CreateParameter("gaussian2D", {}), NESTErrors.UndefinedName, "gaussian2D"),
    (lambda: CreateParameter("uniform", {"mn": 1.0}), NESTErrors.UnaccessedDictionaryEntry, "mn"),
    (lambda: CreateParameter("constant", {"value": 1.0, "foo": 1}),
     NESTErrors.UnaccessedDictionaryEntry, "foo"),
    (lambda: CreateParameter("exponential", {"lambda": 1.0}),
     NESTErrors.UnaccessedDictionaryEntry, "lambda"),
    (lambda: CreateParameter("uniform", {"min": "a"}), NESTErrors.TypeMismatch, "min"),
    (lambda: CreateParameter("constant", {"value": [1.0]}), NESTErrors.TypeMismatch, "value"),
    (lambda: CreateParameter("uniform", [1, 2]), NESTErrors.TypeMismatch, "uniform"),
    (lambda: CreateParameter("uniform", 1.0), NESTErrors.TypeMismatch, "uniform"),
    (lambda: CreateParameter("uniform", None), AttributeError, "uniform"),
    (lambda: CreateParameter("normal", {"mean": 1j}), AttributeError, "mean"),
    (lambda: CreateParameter("uniform", {"min": np.bool_(False)}), AttributeError, "min"),
    (lambda: CreateParameter(1, {}), AttributeError, "parametertype"),
    (lambda: CreateParameter("uniform", {1: 1.0}), AttributeError, "keys"),
    (lambda: CreateParameter("constant", {}), IndexError, "value"),
    # type errors come before range errors, range errors before unknown keys (as in NEST)
    (lambda: CreateParameter("uniform", {"min": "a", "foo": 1}), NESTErrors.TypeMismatch, "min"),
    (lambda: CreateParameter("uniform", {"min": 2.0, "foo": 1}), NESTErrors.BadProperty,
     "min < max required"),
    (lambda: CreateParameter("uniform", {"min": 1.0}), NESTErrors.BadProperty, "min < max"),
    (lambda: nest.random.uniform(2, 1), NESTErrors.BadProperty, "min < max required"),
    (lambda: nest.random.uniform(1, 1), NESTErrors.BadProperty, "min < max required"),
    (lambda: nest.random.normal(0, -1), NESTErrors.BadProperty, "std > 0 required"),
    (lambda: nest.random.normal(0, 0), NESTErrors.BadProperty, "std > 0 required"),
    (lambda: nest.random.lognormal(0, -1), NESTErrors.BadProperty, "std > 0 required"),
    (lambda: nest.random.uniform_int(0), NESTErrors.BadProperty, "max > 0 required"),
    (lambda: nest.random.uniform_int(-2 ** 63), NESTErrors.BadProperty, "max > 0 required"),
    (lambda: nest.random.uniform_int(2 ** 63), OverflowError, "out of range"),
    (lambda: nest.random.uniform_int(1.5), RuntimeError, "numeric integer type"),
    (lambda: nest.random.uniform_int(2.0), RuntimeError, "numeric integer type"),
    (lambda: nest.random.uniform_int(True), RuntimeError, "numeric integer type"),
    (lambda: nest.random.uniform("a", 1), ValueError, "could not convert"),
    (lambda: nest.random.uniform(None, 1), TypeError, "float()"),
    (lambda: CreateParameter("distance", {"dim": 1}), NESTErrors.UnaccessedDictionaryEntry,
     "dim"),
    (lambda: CreateParameter("gaussian", {}), NotImplementedError, "spatial"),
])
def test_creation_errors_have_nests_classes(make, error, text):
    with pytest.raises(error, match=text):
        make()


def test_values_nest_does_not_range_check():
    assert nest.random.exponential(-1.0).GetValue() <= 0.0  # NEST accepts beta < 0
    assert nest.random.exponential(0.0).GetValue() == 0.0
    assert np.isnan(nest.random.normal(float("nan"), 1.0).GetValue())
    assert np.isnan(nest.random.normal(0.0, float("nan")).GetValue())
    assert nest.random.uniform_int(np.int32(1)).GetValue() == 0.0
    assert 0.0 <= nest.random.uniform_int(2 ** 63 - 1).GetValue() < 2.0 ** 63


# -- operators -------------------------------------------------------------------------------------
@pytest.mark.parametrize("expr, expected", [
    (lambda p: p + 3, 5.0), (lambda p: 3 + p, 5.0), (lambda p: p + 0.5, 2.5),
    (lambda p: p - 3, -1.0), (lambda p: 3 - p, 1.0),
    (lambda p: p * 3, 6.0), (lambda p: 3 * p, 6.0),
    (lambda p: p / 4, 0.5), (lambda p: 4 / p, 2.0),
    (lambda p: p ** 3, 8.0), (lambda p: p ** "2", 4.0), (lambda p: p ** np.int64(2), 4.0),
    (lambda p: -p, -2.0), (lambda p: +p, 2.0),
    (lambda p: p + True, 3.0), (lambda p: p * np.float64(1.5), 3.0),
    (lambda p: np.float64(3) * p, 6.0), (lambda p: np.int64(3) + p, 5.0),
    (lambda p: p + p * p - p / p, 5.0),
    (lambda p: p < 3, 1.0), (lambda p: p <= 2, 1.0), (lambda p: p > 3, 0.0),
    (lambda p: p >= 2.5, 0.0), (lambda p: p == 2, 1.0), (lambda p: p != 2, 0.0),
    (lambda p: 3 < p, 0.0), (lambda p: 3 > p, 1.0), (lambda p: p == p, 1.0),
    (lambda p: p / 0, np.inf), (lambda p: (p - 3) ** 0.5, np.nan),
    (lambda p: nest.math.exp(p * 0), 1.0), (lambda p: nest.math.sin(p * 0), 0.0),
    (lambda p: nest.math.cos(p * 0), 1.0),
    (lambda p: nest.math.min(p, 0.5), 0.5), (lambda p: nest.math.max(p, 0.5), 2.0),
    (lambda p: nest.math.min(p, "7"), 2.0),
    (lambda p: nest.math.redraw(p, 2.0, 2.0), 2.0),
    (lambda p: nest.logic.conditional(p > 1, p, 0), 2.0),
    (lambda p: nest.logic.conditional(p < 1, 1, 7.5), 7.5),
    (lambda p: nest.logic.conditional(p, True, 0), 1.0),
])
def test_operators_on_constants(expr, expected):
    result = expr(const(2.0))
    assert isinstance(result, Parameter)
    np.testing.assert_equal(result.GetValue(), expected)


@pytest.mark.parametrize("expr, error", [
    (lambda p: p + "a", NotImplementedError),
    (lambda p: p + np.int64(1), NotImplementedError),  # only int/float/Parameter, as in NEST
    (lambda p: p < None, NotImplementedError),
    (lambda p: p ** p, TypeError),
    (lambda p: 2 ** p, TypeError),
    (lambda p: pow(p, 2, 3), TypeError),
    (lambda p: abs(p), TypeError),
    (lambda p: p % 2, TypeError),
    (lambda p: p // 2, TypeError),
    (lambda p: float(p), TypeError),
    (lambda p: hash(p), TypeError),
    (lambda p: nest.math.exp(1.0), AttributeError),
    (lambda p: nest.math.min(2, 0.5), AttributeError),
    (lambda p: nest.math.min(p, p), TypeError),
    (lambda p: nest.math.redraw(0.5, 0.0, 1.0), AttributeError),
    (lambda p: nest.math.redraw(p, "a", 1.0), ValueError),
    (lambda p: nest.math.redraw(p, 1.0, 0.0), NESTErrors.BadParameterValue),
    (lambda p: nest.logic.conditional(1, 1, 2), AttributeError),
    (lambda p: nest.logic.conditional(p, "a", 2), AttributeError),
    (lambda p: nest.logic.conditional(p, np.int64(1), 2), AttributeError),
    (lambda p: Parameter(1), TypeError),
])
def test_operator_errors_have_nests_classes(expr, error):
    with pytest.raises(error):
        expr(const(2.0))


def test_parameters_are_truthy_and_unhashable():
    p = nest.random.uniform()
    assert bool(p) and p in [p]
    with pytest.raises(TypeError, match="unhashable"):
        {p}


# -- redraw ----------------------------------------------------------------------------------------
def test_redraw_bounds():
    p = nest.math.redraw(nest.random.normal(5.0, 1.0), min=4.5, max=10000.0)
    assert all(4.5 <= p.GetValue() <= 10000.0 for _ in range(100))


@pytest.mark.parametrize("make", [
    lambda: nest.math.redraw(nest.random.normal(), 10, 11),
    lambda: nest.math.redraw(nest.random.uniform(), 0.0, 1e-6),
    lambda: nest.math.redraw(const(5.0), 0, 1),
])
def test_redraw_limit_raises_kernel_exception(make):
    with pytest.raises(NESTErrors.KernelException,
                       match="Number of redraws exceeded limit of 1000"):
        make().GetValue()


def test_redraw_nan_passes_like_nest():
    assert np.isnan(nest.math.redraw(const(float("nan")), 0, 1).GetValue())


# -- repr, modules ---------------------------------------------------------------------------------
def test_repr_describes_the_expression():
    p = nest.math.redraw(nest.random.normal(mean=5.0, std=1.0), min=0.5, max=10000.0) * 2
    assert repr(p) == ("<nest.Parameter: (redraw(normal(mean=5.0, std=1.0), min=0.5, "
                       "max=10000.0) * 2.0)>")
    assert str(nest.random.uniform_int(3)) == "<nest.Parameter: uniform_int(max=3)>"
    assert not nest.random.uniform().is_spatial()


@pytest.mark.parametrize("module, names", [
    (nest.random, ["exponential", "lognormal", "normal", "uniform", "uniform_int"]),
    (nest.math, ["cos", "exp", "max", "min", "redraw", "sin"]),
    (nest.logic, ["conditional"]),
    (nest.spatial_distributions, ["exponential", "gabor", "gamma", "gaussian", "gaussian2D"]),
    (nest.spatial, ["free", "grid", "pos", "source_pos", "target_pos"]),
])
def test_modules_offer_nests_names(module, names):
    assert sorted(module.__all__) == names
    assert all(callable(getattr(module, name)) for name in names)


@pytest.mark.parametrize("make, spatial", [
    (lambda: nest.spatial.distance, True),
    (lambda: nest.spatial.pos.x, True),
    (lambda: nest.spatial.source_pos.n(2), True),
    (lambda: nest.spatial.target_pos.z, True),
    (lambda: nest.spatial_distributions.gaussian(const(1.0), std=0.5), False),
    (lambda: nest.spatial_distributions.gabor(nest.spatial.distance, const(1.0)), True),
])
def test_spatial_parameters_know_they_are_spatial(make, spatial):
    assert make().is_spatial() is spatial


def test_apply_needs_spatial_nodes():
    with pytest.raises(TypeError):
        nest.random.uniform().apply(None)
    with pytest.raises(NESTErrors.LayerExpected):
        nest.spatial.pos.x.apply(nest.Create("iaf_psc_alpha", 2))


def test_spatial_module_attribute_errors_stay_attribute_errors():
    assert not hasattr(nest.spatial, "no_such_name")


# -- node parameters -------------------------------------------------------------------------------
def test_values_for_nodes_gives_one_value_per_node_and_fresh_streams():
    p = nest.random.uniform(-70.0, -55.0)
    a = values_for_nodes(p, np.arange(1, 11))
    b = values_for_nodes(p, np.arange(1, 11))
    assert a.shape == (10,) and np.all((a >= -70.0) & (a < -55.0))
    assert not np.array_equal(a, b)  # a second key/call gets its own stream
    nest.ResetKernel()
    np.testing.assert_array_equal(values_for_nodes(p, np.arange(1, 11)), a)


def test_scipy_stats_loads_with_the_first_draw_that_needs_it_not_with_nest(tmp_path):
    """scipy.stats takes about 0.4 s to import and only pairwise_poisson with a mask needs
    it: ``import nest`` leaves it out (scipy.special, for normal draws, is
    imported with nest, as NEST loads its libraries at import)."""
    import subprocess
    import sys
    script = ("import sys, nest\n"
              "print('scipy.special' in sys.modules, 'scipy.stats' in sys.modules)\n"
              "n = nest.Create('iaf_psc_alpha', 50, {'V_m': nest.random.normal(-70.0, 2.0)})\n"
              "print(abs(sum(n.V_m) / 50 + 70.0) < 1.0)\n"
              "layer = nest.Create('iaf_psc_alpha', positions=nest.spatial.grid([4, 4]))\n"
              "nest.Connect(layer, layer, {'rule': 'pairwise_poisson',\n"
              "                            'pairwise_avg_num_conns': 0.5,\n"
              "                            'mask': {'circular': {'radius': 0.3}}})\n"
              "print('scipy.stats' in sys.modules, nest.num_connections > 0)\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["True", "False", "True", "True", "True"]
