"""The adaptive RKF45 solver (kernel/neurons/_odeint.pyx) against closed-form solutions.

The solver controls the *local* error per internal step (|err_i| <= 1.1 eps_abs with eps_rel
0); the global error after many steps is a small multiple of eps_abs times the number of
internal steps, scaled by the problem's stability. The tolerances below are stated per test
and leave one to two orders of magnitude of headroom over what the solver achieves.

The solver also reproduces GSL's rkf45 + standard control + evolve_apply scheme bit for bit:
``test_bitwise_equal_to_gsl`` runs the libgsl that ships with the NEST 3.10 wheel (in the
reference venv's interpreter, skipped without it) and compares states and internal step sizes.
The other tests pin the closed-form accuracy and the interface contract (carried-over internal
step, return codes).
"""
import json
import math
import os
import pathlib
import subprocess

import numpy as np
import pytest
from scipy.linalg import expm

from kernel.neurons._odeint import evolve_python, integrate_linear, integrate_python

SUCCESS, UNDERFLOW, NONFINITE = 0, 1, 2


def linear_exact(A, b, y0, h, n):
    """Solution of dy/dt = A y + b at 0, h, ..., n h (augmented-matrix exponential, applied
    step by step: rounding grows by about 1e-16 per step, far below the tolerances here)."""
    A = np.asarray(A, float)
    d = A.shape[0]
    M = np.zeros((d + 1, d + 1))
    M[:d, :d] = A
    M[:d, d] = b
    step = expm(M * h)
    z = np.append(y0, 1.0)
    out = [z[:d]]
    for _ in range(n):
        z = step @ z
        out.append(z[:d])
    return np.array(out)


def test_exponential_decay():
    tau, h, n = 3.0, 0.1, 300
    ys, h_int, code = integrate_linear([[-1.0 / tau]], [0.0], [1.0], h, n, 1e-8, 0.0)
    assert code == SUCCESS
    t = h * np.arange(n + 1)
    assert np.max(np.abs(ys[:, 0] - np.exp(-t / tau))) < 1e-7
    # a smooth problem lets the internal step grow beyond the simulation step
    assert h_int > h


def test_exponential_relaxation_with_drive_matches_neuron_like_case():
    """dV/dt = (-(V - E_L) + R I) / tau_m, in mV and ms: error below 1e-6 mV at eps_abs 1e-6."""
    tau_m, E_L, RI = 10.0, -70.0, 15.0
    h, n = 0.1, 1000
    ys, _, code = integrate_linear([[-1.0 / tau_m]], [(E_L + RI) / tau_m], [E_L], h, n, 1e-6, 0.0)
    assert code == SUCCESS
    t = h * np.arange(n + 1)
    exact = E_L + RI * (1.0 - np.exp(-t / tau_m))
    assert np.max(np.abs(ys[:, 0] - exact)) < 1e-5


def test_harmonic_oscillator():
    omega, h, n = 2.0, 0.1, 300          # about 10 periods
    A = [[0.0, 1.0], [-omega ** 2, 0.0]]
    ys, _, code = integrate_linear(A, [0.0, 0.0], [1.0, 0.0], h, n, 1e-9, 0.0)
    assert code == SUCCESS
    t = h * np.arange(n + 1)
    assert np.max(np.abs(ys[:, 0] - np.cos(omega * t))) < 1e-6
    assert np.max(np.abs(ys[:, 1] + omega * np.sin(omega * t))) < 2e-6


def test_damped_forced_oscillator_with_relative_tolerance():
    A, b, y0 = [[0.0, 1.0], [-4.0, -0.1]], [0.5, 0.0], [1.0, 0.0]
    h, n = 0.1, 200
    ys, _, code = integrate_linear(A, b, y0, h, n, 1e-9, 1e-9)
    assert code == SUCCESS
    exact = linear_exact(A, b, y0, h, n)
    assert np.max(np.abs(ys - exact)) < 1e-6


def test_stiff_linear_system():
    """Eigenvalues -1000 and -0.5: the explicit method is stability limited (h ~ 3e-3)."""
    A, b, y0 = [[-1000.0, 1.0], [0.0, -0.5]], [1.0, 2.0], [3.0, -1.0]
    h, n = 0.1, 50
    ys, h_int, code, count = integrate_linear(A, b, y0, h, n, 1e-6, 0.0, substeps=True)
    assert code == SUCCESS
    exact = linear_exact(A, b, y0, h, n)
    assert np.max(np.abs(ys - exact)) < 1e-5
    assert h_int < 0.01
    assert count > 10 * n


def test_error_shrinks_with_tolerance():
    A, b, y0 = [[0.0, 1.0], [-1.0, 0.0]], [0.0, 0.0], [1.0, 0.0]
    h, n = 0.5, 40
    t = h * n
    errors = []
    for eps in (1e-4, 1e-6, 1e-8, 1e-10):
        ys, _, code = integrate_linear(A, b, y0, h, n, eps, 0.0)
        assert code == SUCCESS
        errors.append(abs(ys[-1, 0] - math.cos(t)))
    assert all(e2 < e1 for e1, e2 in zip(errors, errors[1:]))
    assert errors[-1] < 1e-8


def test_step_carry_over_equals_one_run():
    """Splitting a run and passing h_int on gives the identical trajectory."""
    A, b, y0 = [[-0.3, 2.0], [-2.0, -0.3]], [1.0, 0.0], [0.0, 1.0]
    h = 0.1
    full, h_full, _ = integrate_linear(A, b, y0, h, 100, 1e-6, 0.0)
    first, h1, _ = integrate_linear(A, b, y0, h, 40, 1e-6, 0.0)
    second, h2, _ = integrate_linear(A, b, first[-1], h, 60, 1e-6, 0.0, h_int=h1)
    assert np.array_equal(np.vstack([first, second[1:]]), full)
    assert h2 == h_full


def test_evolve_apply_loop_equals_integrate_step():
    A, b, y0 = [[-5.0, 1.0], [0.5, -0.2]], [3.0, 0.0], [1.0, 1.0]
    a, ha, _ = integrate_linear(A, b, y0, 0.1, 50, 1e-6, 0.0)
    c, hc, _, count = integrate_linear(A, b, y0, 0.1, 50, 1e-6, 0.0, substeps=True)
    assert np.array_equal(a, c) and ha == hc and count >= 50


def test_nonlinear_logistic_equation():
    r, h, n = 1.5, 0.1, 100
    ys, _, code = integrate_python(lambda t, y: r * y * (1.0 - y), [0.01], h, n, 1e-9, 0.0)
    assert code == SUCCESS
    t = h * np.arange(n + 1)
    exact = 1.0 / (1.0 + 99.0 * np.exp(-r * t))
    assert np.max(np.abs(ys[:, 0] - exact)) < 1e-7


def test_time_argument_runs_within_the_step():
    """dy/dt = t: within each step t runs from 0 to h, so each step adds h^2/2."""
    h, n = 0.2, 10
    ys, _, code = integrate_python(lambda t, y: np.array([t]), [0.0], h, n, 1e-12, 0.0)
    assert code == SUCCESS
    assert np.allclose(ys[:, 0], 0.5 * h * h * np.arange(n + 1), rtol=0, atol=1e-14)


def test_blow_up_reports_nonfinite_state():
    # dy/dt = y^2 from y(0) = 1 explodes at t = 1
    with np.errstate(over="ignore", invalid="ignore"):
        ys, _, code = integrate_python(lambda t, y: y * y, [1.0], 0.1, 20, 1e-6, 0.0)
    assert code == NONFINITE
    assert np.all(np.isfinite(ys[:10, 0]))
    # overflow under a tolerance that accepts every step
    ys, _, code = integrate_linear([[1000.0]], [0.0], [1.0], 0.1, 100, 1e300, 0.0)
    assert code == NONFINITE


def test_nan_right_hand_side_reports_nonfinite_state():
    _, _, code = integrate_python(lambda t, y: np.array([np.nan]), [1.0], 0.1, 3, 1e-6, 0.0)
    assert code == NONFINITE


@pytest.mark.parametrize("h", [0.01, 0.1, 0.25, 1.0])
def test_resolutions(h):
    tau = 2.0
    n = int(round(5.0 / h))
    ys, _, code = integrate_linear([[-1.0 / tau]], [0.0], [2.0], h, n, 1e-9, 0.0)
    assert code == SUCCESS
    t = h * np.arange(n + 1)
    assert np.max(np.abs(ys[:, 0] - 2.0 * np.exp(-t / tau))) < 1e-8


@pytest.mark.parametrize("a_y, a_dydt", [(0.0, 1.0), (1.0, 1.0)])
def test_derivative_weighted_control(a_y, a_dydt):
    """GSL's yp_new-style control (tolerance grows with |h y'|), as NEST's aeif models use."""
    A, b, y0 = [[0.0, 1.0], [-4.0, -0.1]], [0.5, 0.0], [1.0, 0.0]
    h, n = 0.1, 200
    ys, _, code = integrate_linear(A, b, y0, h, n, 1e-9, 1e-9, a_y=a_y, a_dydt=a_dydt)
    assert code == SUCCESS
    exact = linear_exact(A, b, y0, h, n)
    assert np.max(np.abs(ys - exact)) < 1e-6
    loose, _, _ = integrate_linear(A, b, y0, h, n, 1e-9, 1e-2, a_y=a_y, a_dydt=a_dydt)
    assert np.max(np.abs(loose - exact)) > np.max(np.abs(ys - exact))


def test_evolve_python_single_internal_step():
    y = np.array([1.0])
    t, h_int, code = evolve_python(lambda t, y: -y, y, 0.0, 0.1, 1.0, 1e-6, 0.0)
    assert code == SUCCESS and t == 0.1           # capped at t1 (final step)
    assert abs(y[0] - math.exp(-0.1)) < 1e-9
    y = np.array([1.0])
    t, h_int, code = evolve_python(lambda t, y: -100.0 * y, y, 0.0, 1.0, 1.0, 1e-6, 0.0)
    assert code == SUCCESS and 0.0 < t < 1.0      # one accepted (shrunk) step only
    assert abs(y[0] - math.exp(-100.0 * t)) < 1e-6


def _nest_python():
    """The real NEST's interpreter where the benchmarks look for it: $NEST_PYTHON, then a
    .venv-nest beside or inside the repository (a path that may not exist)."""
    root = pathlib.Path(__file__).resolve().parents[2]
    candidates = [os.environ.get("NEST_PYTHON"), root.parent / ".venv-nest/bin/python",
                  root / ".venv-nest/bin/python"]
    found = [pathlib.Path(c) for c in candidates if c and pathlib.Path(c).exists()]
    return found[0] if found else pathlib.Path(candidates[1])


NEST_PYTHON = _nest_python()
NEST_LIBS = sorted((NEST_PYTHON.parent.parent / "lib").glob(
    "python3*/site-packages/nest_simulator.libs"))

# Runs in the reference venv's interpreter (a separate process, so that the GSL of the NEST
# wheel and its BLAS never load into the test process): GSL's rkf45 + standard control +
# evolve_apply on dy/dt = A y + b, printing the states and the final internal step as JSON.
GSL_SCRIPT = r"""
import ctypes, glob, json, sys
args = json.loads(sys.argv[1])
libdir = args["libdir"]
gsl = ctypes.CDLL(glob.glob(libdir + "/libgsl-*")[0])
fn_t = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_double, ctypes.POINTER(ctypes.c_double),
                        ctypes.POINTER(ctypes.c_double), ctypes.c_void_p)
class System(ctypes.Structure):
    _fields_ = [("function", fn_t), ("jacobian", ctypes.c_void_p),
                ("dimension", ctypes.c_size_t), ("params", ctypes.c_void_p)]
gsl.gsl_odeiv_step_alloc.restype = ctypes.c_void_p
gsl.gsl_odeiv_step_alloc.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
gsl.gsl_odeiv_control_standard_new.restype = ctypes.c_void_p
gsl.gsl_odeiv_control_standard_new.argtypes = [ctypes.c_double] * 4
gsl.gsl_odeiv_evolve_alloc.restype = ctypes.c_void_p
gsl.gsl_odeiv_evolve_alloc.argtypes = [ctypes.c_size_t]
dp = ctypes.POINTER(ctypes.c_double)
gsl.gsl_odeiv_evolve_apply.argtypes = [ctypes.c_void_p] * 4 + [dp, ctypes.c_double, dp, dp]
A, b, y0, h, n = args["A"], args["b"], args["y0"], args["h"], args["n"]
dim = len(b)
def rhs(t, y, dydt, params):
    for i in range(dim):
        s = b[i]
        for j in range(dim):
            s += A[i][j] * y[j]
        dydt[i] = s
    return 0
func = fn_t(rhs)
system = System(func, None, dim, None)
stepper = gsl.gsl_odeiv_step_alloc(ctypes.c_void_p.in_dll(gsl, "gsl_odeiv_step_rkf45"), dim)
ctrl = gsl.gsl_odeiv_control_standard_new(*args["control"])
evolve = gsl.gsl_odeiv_evolve_alloc(dim)
y = (ctypes.c_double * dim)(*y0)
h_int = ctypes.c_double(h)
out = [list(y0)]
for _ in range(n):
    t = ctypes.c_double(0.0)
    while t.value < h:
        gsl.gsl_odeiv_evolve_apply(evolve, ctrl, stepper, ctypes.byref(system),
                                   ctypes.byref(t), h, ctypes.byref(h_int), y)
    out.append(list(y))
print(json.dumps({"ys": [[v.hex() for v in row] for row in out], "h_int": h_int.value.hex()}))
"""


@pytest.mark.skipif(not (NEST_PYTHON.exists() and NEST_LIBS),
                    reason="needs the NEST 3.10 reference venv (its libgsl)")
@pytest.mark.parametrize("control", [(1e-6, 0.0, 1.0, 0.0), (1e-6, 1e-6, 0.0, 1.0),
                                     (1e-3, 1e-4, 1.0, 1.0)])
def test_bitwise_equal_to_gsl(control):
    """Same states and internal step sizes as GSL's rkf45 + standard control + evolve_apply
    (the library NEST 3.10 links), on a stiff, an oscillating and a slow system (whose errors
    are so small that every step would grow more than five-fold: the capped growth)."""
    env = dict(os.environ, LD_LIBRARY_PATH=str(NEST_LIBS[0]))
    for A, b, y0, h, n in ([[-1000.0, 1.0], [0.0, -0.5]], [1.0, 2.0], [3.0, -1.0], 0.1, 30), \
                          ([[0.0, 1.0], [-4.0, -0.1]], [0.5, 0.0], [1.0, 0.0], 0.1, 100), \
                          ([[-0.05, 0.0], [0.01, -0.2]], [0.0, 0.1], [1.0, -2.0], 0.1, 40):
        args = {"libdir": str(NEST_LIBS[0]), "A": A, "b": b, "y0": y0, "h": h, "n": n,
                "control": list(control)}
        run = subprocess.run([str(NEST_PYTHON), "-c", GSL_SCRIPT, json.dumps(args)], env=env,
                             capture_output=True, text=True, timeout=120, check=True)
        theirs = json.loads(run.stdout)
        ours, h_ours, _ = integrate_linear(A, b, y0, h, n, control[0], control[1],
                                           a_y=control[2], a_dydt=control[3])
        assert np.array_equal(ours, [[float.fromhex(v) for v in row] for row in theirs["ys"]])
        assert h_ours == float.fromhex(theirs["h_int"])
