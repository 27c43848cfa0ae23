"""Exact-integration propagators of kernel/neurons/iaf_psc.py against the matrix exponential.

The subthreshold dynamics of the iaf_psc models are linear, x' = A x, so one step of length h
is x(t + h) = expm(A h) x(t). With the state (dI, I, V) of an alpha synapse,

    dI' = -dI / tau_syn,   I' = dI - I / tau_syn,   V' = I / C - V / tau_m,

expm(A h) has the entries
    [0, 0] = decay(h, tau_syn)              (also [1, 1] and the exp synapse's own decay)
    [2, 0] = alpha_to_v(h, tau_syn, tau_m, C)
    [2, 1] = psc_to_v(h, tau_syn, tau_m, C) (also [1, 0] of the 2x2 system (I, V) of iaf_psc_exp)
    [2, 2] = decay(h, tau_m).

The closed forms divide by (1/tau_m - 1/tau_syn), so they cancel catastrophically when the time
constants meet; the kernel has to switch to stable forms there. The reference:

* ``expm_reference``: the exponential of the same float matrix computed in 60-digit decimal
  arithmetic (Taylor series after scaling, then squaring), exact to far below 1e-16;
* ``scipy.linalg.expm`` as an independent cross-check where it is itself accurate (time
  constants well apart, or exactly equal). Near equality scipy's Pade approximant loses up to
  ~1e-9 relative accuracy in the [2, 0] entry, so it cannot serve as the oracle there.

Required: relative error < 1e-12 everywhere, including tau_syn == tau_m exactly and
tau_syn = tau_m (1 +- delta) for delta from 1e-8 to 1e-3.
"""
from decimal import Decimal, localcontext

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

import nest
from kernel import get_kernel
from kernel.neurons.iaf_psc import alpha_to_v, decay, psc_to_v

RTOL = 1e-12


def expm_reference(a, digits=60):
    """exp(a) for a small float matrix, in ``digits``-digit decimal arithmetic."""
    n = len(a)
    with localcontext() as ctx:
        ctx.prec = digits + 20
        m = [[Decimal(float(a[i][j])) for j in range(n)] for i in range(n)]
        norm = max(sum(abs(x) for x in row) for row in m)
        squarings = 0
        while norm > Decimal("0.25"):
            norm /= 2
            squarings += 1
        scale = Decimal(2) ** squarings
        m = [[x / scale for x in row] for row in m]
        result = [[Decimal(int(i == j)) for j in range(n)] for i in range(n)]
        term = [row[:] for row in result]
        k = 1
        tiny = Decimal(10) ** -(digits + 10)
        while True:
            term = [[sum(term[i][l] * m[l][j] for l in range(n)) / k for j in range(n)]
                    for i in range(n)]
            result = [[result[i][j] + term[i][j] for j in range(n)] for i in range(n)]
            if max(abs(x) for row in term for x in row) < tiny:
                break
            k += 1
        for _ in range(squarings):
            result = [[sum(result[i][l] * result[l][j] for l in range(n)) for j in range(n)]
                      for i in range(n)]
        return np.array([[float(x) for x in row] for row in result])


def alpha_system(h, tau_syn, tau_m, c_m):
    """A h for the state (dI, I, V) of iaf_psc_alpha."""
    return np.array([[-1.0 / tau_syn, 0.0, 0.0],
                     [1.0, -1.0 / tau_syn, 0.0],
                     [0.0, 1.0 / c_m, -1.0 / tau_m]]) * h


def exp_system(h, tau_syn, tau_m, c_m):
    """A h for the state (I, V) of iaf_psc_exp."""
    return np.array([[-1.0 / tau_syn, 0.0],
                     [1.0 / c_m, -1.0 / tau_m]]) * h


def current_system(h, tau_m, c_m):
    """A h for (I0, V) with a constant current I0: gives the P30 / P20 propagator."""
    return np.array([[0.0, 0.0], [1.0 / c_m, -1.0 / tau_m]]) * h


def assert_rel(actual, expected, rtol=RTOL, what=""):
    actual, expected = float(actual), float(expected)
    assert expected != 0.0
    err = abs(actual - expected) / abs(expected)
    assert err < rtol, f"{what}: {actual!r} vs {expected!r}, relative error {err:.3g}"


def check_against(reference, h, tau_syn, tau_m, c_m, rtol=RTOL):
    e3 = reference(alpha_system(h, tau_syn, tau_m, c_m))
    e2 = reference(exp_system(h, tau_syn, tau_m, c_m))
    args = f"h={h!r}, tau_syn={tau_syn!r}, tau_m={tau_m!r}, C={c_m!r}"
    assert_rel(alpha_to_v(h, tau_syn, tau_m, c_m), e3[2, 0], rtol, "alpha_to_v " + args)
    assert_rel(psc_to_v(h, tau_syn, tau_m, c_m), e3[2, 1], rtol, "psc_to_v (alpha) " + args)
    assert_rel(psc_to_v(h, tau_syn, tau_m, c_m), e2[1, 0], rtol, "psc_to_v (exp) " + args)
    assert_rel(decay(h, tau_syn), e3[0, 0], rtol, "decay tau_syn " + args)
    assert_rel(decay(h, tau_m), e3[2, 2], rtol, "decay tau_m " + args)
    assert_rel(h * decay(h, tau_syn), e3[1, 0], rtol, "h decay (P21 of alpha) " + args)


# -- fixed grids of parameters ---------------------------------------------------------------------
H = [0.001, 0.01, 0.1, 0.25, 1.0, 2.0]
TAUS = [(2.0, 10.0), (0.5, 10.0), (10.0, 2.0), (5.0, 20.0), (0.1, 100.0), (40.0, 3.0)]
C_M = [1.0, 250.0]
DELTAS = [1e-8, -1e-8, 1e-7, 1e-6, -1e-5, 1e-4, 3e-4, -1e-3, 1e-3, 2e-3]


@pytest.mark.parametrize("h", H)
@pytest.mark.parametrize("tau_syn, tau_m", TAUS)
def test_distinct_time_constants(h, tau_syn, tau_m):
    for c_m in C_M:
        check_against(expm_reference, h, tau_syn, tau_m, c_m)
        check_against(scipy.linalg.expm, h, tau_syn, tau_m, c_m)


@pytest.mark.parametrize("h", H)
@pytest.mark.parametrize("tau", [0.2, 2.0, 10.0, 33.3])
def test_equal_time_constants(h, tau):
    """tau_syn == tau_m exactly: the closed forms are 0/0; the limits are
    psc_to_v = h/C e^(-h/tau) and alpha_to_v = h^2/(2C) e^(-h/tau)."""
    for c_m in C_M:
        check_against(expm_reference, h, tau, tau, c_m)
        check_against(scipy.linalg.expm, h, tau, tau, c_m)
        assert_rel(psc_to_v(h, tau, tau, c_m), h / c_m * np.exp(-h / tau))
        assert_rel(alpha_to_v(h, tau, tau, c_m), h * h / (2 * c_m) * np.exp(-h / tau))


@pytest.mark.parametrize("h", [0.01, 0.1, 1.0])
@pytest.mark.parametrize("tau_m", [2.0, 10.0, 50.0])
@pytest.mark.parametrize("delta", DELTAS)
def test_nearly_equal_time_constants(h, tau_m, delta):
    check_against(expm_reference, h, tau_m * (1.0 + delta), tau_m, 250.0)
    check_against(expm_reference, h, tau_m, tau_m * (1.0 + delta), 250.0)


def test_alpha_to_v_around_its_series_switch():
    """alpha_to_v switches from a series to the closed form at |x| = |h (1/tau_syn - 1/tau_m)|
    = 1e-3; the closed form loses ~2 eps / |x| there. Sweep x across the switch on both sides."""
    h, tau_m = 0.1, 10.0
    for x in np.concatenate([np.geomspace(2e-4, 5e-2, 40), -np.geomspace(2e-4, 5e-2, 40)]):
        tau_syn = 1.0 / (x / h + 1.0 / tau_m)
        ref = expm_reference(alpha_system(h, tau_syn, tau_m, 1.0))
        assert_rel(alpha_to_v(h, tau_syn, tau_m, 1.0), ref[2, 0], what=f"x={x}")


def test_propagators_are_vectorized():
    """calibrate() passes arrays (one entry per node); each entry must equal the scalar call."""
    h = 0.1
    tau_syn = np.array([2.0, 10.0, 10.0 * (1 + 1e-7), 0.5, 10.0])
    tau_m = np.array([10.0, 10.0, 10.0, 20.0, 10.0 * (1 - 1e-4)])
    c_m = np.array([250.0, 250.0, 100.0, 1.0, 250.0])
    for f in (psc_to_v, alpha_to_v):
        out = f(h, tau_syn, tau_m, c_m)
        assert out.shape == tau_syn.shape
        for i in range(len(tau_syn)):
            assert out[i] == f(h, tau_syn[i], tau_m[i], c_m[i])
    assert np.array_equal(decay(h, tau_syn), np.exp(-h / tau_syn))


# -- hypothesis ------------------------------------------------------------------------------------
@st.composite
def parameters(draw):
    h = draw(st.floats(1e-3, 2.0))
    tau_m = draw(st.floats(0.1, 100.0))
    c_m = draw(st.floats(1.0, 1000.0))
    kind = draw(st.sampled_from(["free", "equal", "near"]))
    if kind == "free":
        tau_syn = draw(st.floats(0.1, 100.0))
    elif kind == "equal":
        tau_syn = tau_m
    else:
        delta = draw(st.floats(1e-8, 1e-3)) * draw(st.sampled_from([-1.0, 1.0]))
        tau_syn = tau_m * (1.0 + delta)
    # keep h / tau <= 20 so that every entry stays far above the double underflow range
    tau_syn = max(tau_syn, h / 20.0)
    tau_m = max(tau_m, h / 20.0)
    return h, tau_syn, tau_m, c_m


@settings(max_examples=150, deadline=None)
@given(parameters())
def test_propagators_match_the_matrix_exponential(params):
    check_against(expm_reference, *params)


# -- what calibrate() stores ----------------------------------------------------------------------
def _core(model, params, resolution=0.1):
    nest.resolution = resolution
    nest.Create(model, params=params)
    nest.Prepare()
    core = get_kernel().nodes.blocks[0].core
    nest.Cleanup()
    return core


@pytest.mark.parametrize("resolution", [0.1, 0.25])
def test_iaf_psc_alpha_calibration_uses_the_right_time_constants(resolution):
    """Different tau_syn_ex / tau_syn_in / tau_m so that swapped arguments show; tau_syn_in ==
    tau_m exercises the degenerate case inside the model."""
    p = {"tau_m": 12.0, "tau_syn_ex": 1.7, "tau_syn_in": 12.0, "C_m": 180.0}
    c = _core("iaf_psc_alpha", p, resolution)
    h = resolution
    for side in ("ex", "in"):
        ref = expm_reference(alpha_system(h, p[f"tau_syn_{side}"], p["tau_m"], p["C_m"]))
        assert_rel(np.asarray(getattr(c, f"P11_{side}"))[0], ref[0, 0], what=f"P11_{side}")
        assert_rel(np.asarray(getattr(c, f"P21_{side}"))[0], ref[1, 0], what=f"P21_{side}")
        assert_rel(np.asarray(getattr(c, f"P31_{side}"))[0], ref[2, 0], what=f"P31_{side}")
        assert_rel(np.asarray(getattr(c, f"P32_{side}"))[0], ref[2, 1], what=f"P32_{side}")
    ref = expm_reference(current_system(h, p["tau_m"], p["C_m"]))
    assert_rel(np.asarray(c.P30)[0], ref[1, 0], what="P30")
    assert_rel(np.asarray(c.expm1_tau_m)[0] + 1.0, ref[1, 1], what="P33")


@pytest.mark.parametrize("resolution", [0.1, 0.25])
def test_iaf_psc_exp_calibration_uses_the_right_time_constants(resolution):
    p = {"tau_m": 12.0, "tau_syn_ex": 1.7, "tau_syn_in": 12.0, "C_m": 180.0}
    c = _core("iaf_psc_exp", p, resolution)
    h = resolution
    for side in ("ex", "in"):
        ref = expm_reference(exp_system(h, p[f"tau_syn_{side}"], p["tau_m"], p["C_m"]))
        assert_rel(np.asarray(getattr(c, f"P11_{side}"))[0], ref[0, 0], what=f"P11_{side}")
        assert_rel(np.asarray(getattr(c, f"P21_{side}"))[0], ref[1, 0], what=f"P21_{side}")
    ref = expm_reference(current_system(h, p["tau_m"], p["C_m"]))
    assert_rel(np.asarray(c.P20)[0], ref[1, 0], what="P20")
    assert_rel(np.asarray(c.P22)[0], ref[1, 1], what="P22")


def test_iaf_psc_delta_calibration():
    p = {"tau_m": 7.0, "C_m": 80.0}
    c = _core("iaf_psc_delta", p, 0.1)
    ref = expm_reference(current_system(0.1, p["tau_m"], p["C_m"]))
    assert_rel(np.asarray(c.P30)[0], ref[1, 0], what="P30")
    assert_rel(np.asarray(c.P33)[0], ref[1, 1], what="P33")
