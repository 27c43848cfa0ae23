"""Adaptive embedded Runge-Kutta-Fehlberg 4(5) solver for the kernel's non-linear neurons.

NEST integrates its conductance-based and exponential models (aeif_*, iaf_cond_*, hh_*) with
GSL's ``rkf45`` stepper, a GSL step-size control and ``gsl_odeiv_evolve_apply``, each neuron
carrying its own internal step size from one simulation step to the next. The solver here
implements the same scheme (the method and its step-size rules are those published by Fehlberg
and documented for GSL; the arithmetic is written in the same order, so states and internal
step sizes equal GSL's bit for bit: tests/kernel/test_odeint.py::test_bitwise_equal_to_gsl).
Its code is in _odeint.pxd, inline, so that a model's calls compile with its right-hand side;
this module holds the entry points for tests.

Interface (``cimport`` from ``kernel.neurons._odeint``; everything is ``nogil``)
---------------------------------------------------------------------------------

``ctypedef void (*rhs_fn)(double t, const double* y, double* dydt, void* params) noexcept nogil``
    The right-hand side dy/dt = f(t, y). ``t`` runs from 0 to h within a simulation step
    (models treat step inputs as constant, so most ignore it). ``params`` is whatever the
    model passes, typically a pointer to a C struct holding one node's parameters and inputs.

``int integrate_step(f, params, y, dim, h, h_int, eps_abs, eps_rel, work)``
    Advance ``y[0:dim]`` from t = 0 to t = h (one simulation step) in as many accepted internal
    steps as the error control needs. ``h_int`` is the node's internal step size: read as the
    first trial step and overwritten with the suggestion for the next call (initialise it to
    the resolution, as NEST does, and keep one per node). Use it for models that look at their
    state only at the end of a step (iaf_cond_*, hh_*).

``int evolve_apply(f, params, y, dim, &t, t1, h_int, eps_abs, eps_rel, work)``
    Make **one** accepted internal step from ``t`` towards ``t1`` (never beyond it) and advance
    ``t``; this is ``gsl_odeiv_evolve_apply``. Models that react inside a step (aeif_*: spike,
    reset and adaptation jump after every internal step) loop
    ``t = 0; while t < h: code = evolve_apply(...); check state``.

``integrate_step_control(..., eps_abs, eps_rel, a_y, a_dydt, work)`` and
``evolve_apply_control(..., eps_abs, eps_rel, a_y, a_dydt, work)``
    The same two with GSL's general ``standard`` error control (see below); the functions
    without ``_control`` use a_y = 1, a_dydt = 0 (GSL's ``y_new``).

    All return ``ODE_SUCCESS`` (0), ``ODE_UNDERFLOW`` (the step size shrank until t + h_int == t,
    where GSL would loop forever; ``y`` holds the last accepted state) or ``ODE_NONFINITE``
    (inf/NaN in ``y`` after an accepted step). They never raise: the caller releases its loop
    and raises the model's error (e.g. NumericalInstability) in Python.

``work``
    Caller-provided scratch of at least ``ODE_WORK_PER_DIM * dim`` doubles (10 * dim; the
    ``y_new`` control, a_dydt == 0, uses only the first 9 * dim); one buffer per thread is
    enough, it holds nothing between calls.

Error control (GSL ``standard`` control): an internal step is accepted when for every component
|err_i| <= 1.1 * D_i with D_i = eps_abs + eps_rel * (a_y |y_i| + a_dydt |h y'_i|), err being
the difference between the embedded 4th- and 5th-order solutions and y' the derivative at the
end of the step; the 5th-order solution is propagated. GSL's ``y_new(eps_abs, eps_rel)`` is
a_y = 1, a_dydt = 0; ``yp_new`` is a_y = 0, a_dydt = 1.

Which control NEST uses is a fact to check against its traces, not to assume: the aeif_* models
match NEST 3.10 bit for bit with ``yp_new(gsl_error_tol, gsl_error_tol)``, i.e. eps_abs =
eps_rel = gsl_error_tol, a_y = 0, a_dydt = 1 (tests/nest_compat/test_aeif_reference.py); with
``y_new(gsl_error_tol, 0)`` they differ by about the tolerance after every input.
"""
import numpy as np

# -- Python entry points for tests -----------------------------------------------------------------
cdef struct _Linear:
    int dim
    const double* A     # dim x dim, row-major
    const double* b


cdef void _linear_rhs(double t, const double* y, double* dydt, void* params) noexcept nogil:
    cdef _Linear* p = <_Linear*>params
    cdef int i, j
    cdef double s
    for i in range(p.dim):
        s = p.b[i]
        for j in range(p.dim):
            s += p.A[i * p.dim + j] * y[j]
        dydt[i] = s


def integrate_linear(A, b, y0, double h, int nsteps, double eps_abs, double eps_rel,
                     h_int=None, bint substeps=False, double a_y=1.0, double a_dydt=0.0):
    """Integrate dy/dt = A y + b over ``nsteps`` steps of size h with :func:`integrate_step`.

    Parameters
    ----------
    A : (dim, dim) array_like
    b, y0 : (dim,) array_like
    h : float
        Step between returned states.
    nsteps : int
    eps_abs, eps_rel : float
        Tolerances of the error control.
    h_int : float, optional
        First internal step size (default h).
    substeps : bool
        If True, drive :func:`evolve_apply` directly and also return the number of accepted
        internal steps.
    a_y, a_dydt : float
        Weights of |y| and |h y'| in the tolerance (1, 0: GSL's y_new; 0, 1: yp_new).

    Returns
    -------
    ys : (nsteps + 1, dim) ndarray
        The state at 0, h, 2h, ...
    h_int : float
        The internal step size after the last step.
    code : int
        0 on success, else the solver's error code (the trajectory stops there).
    n_internal : int
        Only if ``substeps``: accepted internal steps in total.
    """
    cdef double[:, ::1] Am = np.ascontiguousarray(A, dtype=np.float64)
    cdef double[::1] bm = np.ascontiguousarray(b, dtype=np.float64)
    cdef int dim = bm.shape[0]
    if Am.shape[0] != dim or Am.shape[1] != dim:
        raise ValueError("A must be (dim, dim) with dim = len(b)")
    ys_arr = np.full((nsteps + 1, dim), np.nan)
    ys_arr[0] = np.asarray(y0, dtype=np.float64)
    cdef double[:, ::1] ys = ys_arr
    cdef double[::1] work = np.zeros(ODE_WORK_PER_DIM * dim)
    cdef double[::1] y = ys_arr[0].copy()
    cdef double hi = h if h_int is None else h_int
    cdef double t
    cdef _Linear p
    cdef int k, code = 0
    cdef long count = 0
    p.dim = dim
    p.A = &Am[0, 0]
    p.b = &bm[0]
    with nogil:
        for k in range(nsteps):
            if substeps:
                t = 0.0
                while t < h:
                    code = evolve_apply_control(_linear_rhs, &p, &y[0], dim, &t, h, &hi,
                                                eps_abs, eps_rel, a_y, a_dydt, &work[0])
                    count += 1
                    if code != 0:
                        break
            else:
                code = integrate_step_control(_linear_rhs, &p, &y[0], dim, h, &hi, eps_abs,
                                              eps_rel, a_y, a_dydt, &work[0])
            if code != 0:
                break
            ys[k + 1, :] = y
    if substeps:
        return ys_arr, hi, code, count
    return ys_arr, hi, code


cdef void _python_rhs(double t, const double* y, double* dydt, void* params) noexcept nogil:
    with gil:
        p = <tuple>params
        func, dim = p
        out = np.asarray(func(t, np.asarray(<double[:dim]>y).copy()), dtype=np.float64)
        for i in range(dim):
            dydt[i] = out[i]


def integrate_python(func, y0, double h, int nsteps, double eps_abs, double eps_rel,
                     h_int=None):
    """Like :func:`integrate_linear` for a Python right-hand side ``func(t, y) -> dydt``.

    Slow (a Python call per evaluation); for tests of non-linear problems only. ``t`` passed to
    ``func`` is the time within the current step (0 ... h).
    """
    y_arr = np.array(y0, dtype=np.float64).reshape(-1)
    cdef int dim = y_arr.shape[0]
    cdef double[::1] y = y_arr
    ys = np.full((nsteps + 1, dim), np.nan)
    ys[0] = y_arr
    cdef double[::1] work = np.zeros(ODE_WORK_PER_DIM * dim)
    cdef double hi = h if h_int is None else h_int
    cdef int k, code = 0
    params = (func, dim)
    for k in range(nsteps):
        code = integrate_step(_python_rhs, <void*>params, &y[0], dim, h, &hi, eps_abs, eps_rel,
                              &work[0])
        if code != 0:
            break
        ys[k + 1] = y_arr
    return ys, hi, code


def evolve_python(func, y, double t, double t1, double h_int, double eps_abs, double eps_rel,
                  double a_y=1.0, double a_dydt=0.0):
    """One :func:`evolve_apply` call for a Python right-hand side (tests and experiments).

    ``y`` (a float64 array) is advanced in place. Returns (t, h_int, code).
    """
    cdef double[::1] ym = y
    cdef int dim = ym.shape[0]
    cdef double[::1] work = np.zeros(ODE_WORK_PER_DIM * dim)
    params = (func, dim)
    code = evolve_apply_control(_python_rhs, <void*>params, &ym[0], dim, &t, t1, &h_int,
                                eps_abs, eps_rel, a_y, a_dydt, &work[0])
    return t, h_int, code
