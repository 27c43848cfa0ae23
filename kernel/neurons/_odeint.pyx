"""Adaptive embedded Runge-Kutta-Fehlberg 4(5) solver for the kernel's non-linear neurons.

NEST integrates its conductance-based and exponential models (aeif_*, iaf_cond_*, hh_*) with
GSL's ``rkf45`` stepper, a GSL step-size control and ``gsl_odeiv_evolve_apply``, each neuron
carrying its own internal step size from one simulation step to the next. This module
implements the same scheme (the method and its step-size rules are those published by Fehlberg
and documented for GSL; the arithmetic is written in the same order, so states and internal
step sizes equal GSL's bit for bit: tests/kernel/test_odeint.py::test_bitwise_equal_to_gsl).

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
from libc.math cimport fabs, isfinite, pow
from libc.string cimport memcpy

import numpy as np

# Fehlberg's coefficients (nodes, stage weights, 5th-order weights, 5th minus 4th order).
cdef double A2 = 1.0 / 4.0, A3 = 3.0 / 8.0, A4 = 12.0 / 13.0, A5 = 1.0, A6 = 1.0 / 2.0
cdef double B21 = 1.0 / 4.0
cdef double B31 = 3.0 / 32.0, B32 = 9.0 / 32.0
cdef double B41 = 1932.0 / 2197.0, B42 = -7200.0 / 2197.0, B43 = 7296.0 / 2197.0
cdef double B51 = 8341.0 / 4104.0, B52 = -32832.0 / 4104.0, B53 = 29440.0 / 4104.0
cdef double B54 = -845.0 / 4104.0
cdef double B61 = -6080.0 / 20520.0, B62 = 41040.0 / 20520.0, B63 = -28352.0 / 20520.0
cdef double B64 = 9295.0 / 20520.0, B65 = -5643.0 / 20520.0
cdef double C1 = 902880.0 / 7618050.0, C3 = 3953664.0 / 7618050.0
cdef double C4 = 3855735.0 / 7618050.0, C5 = -1371249.0 / 7618050.0
cdef double C6 = 277020.0 / 7618050.0
cdef double E1 = 1.0 / 360.0, E3 = -128.0 / 4275.0, E4 = -2197.0 / 75240.0
cdef double E5 = 1.0 / 50.0, E6 = 2.0 / 55.0

# Step-size control: safety factor, bounds of the change per attempt, order of the method.
cdef double SAFETY = 0.9
cdef double ORDER = 5.0
cdef double DBL_MIN_ = 2.2250738585072014e-308

# Offsets of the scratch arrays in ``work`` (in units of dim).
cdef enum:
    W_K1 = 0
    W_K2 = 1
    W_K3 = 2
    W_K4 = 3
    W_K5 = 4
    W_K6 = 5
    W_TMP = 6
    W_Y0 = 7
    W_ERR = 8
    W_DYDT_OUT = 9      # only with a_dydt != 0, so that y_new callers may pass 9 * dim


cdef inline void _rkf45(rhs_fn f, void* params, double* y, int dim, double t, double h,
                        double* work) noexcept nogil:
    """One RKF45 step of size h from (t, y); k1 = f(t, y) must already be in work[K1].

    Overwrites y with the 5th-order solution and work[ERR] with the error estimate.
    """
    cdef double* k1 = work + W_K1 * dim
    cdef double* k2 = work + W_K2 * dim
    cdef double* k3 = work + W_K3 * dim
    cdef double* k4 = work + W_K4 * dim
    cdef double* k5 = work + W_K5 * dim
    cdef double* k6 = work + W_K6 * dim
    cdef double* tmp = work + W_TMP * dim
    cdef double* err = work + W_ERR * dim
    cdef int i
    cdef double d
    for i in range(dim):
        tmp[i] = y[i] + B21 * h * k1[i]
    f(t + A2 * h, tmp, k2, params)
    for i in range(dim):
        tmp[i] = y[i] + h * (B31 * k1[i] + B32 * k2[i])
    f(t + A3 * h, tmp, k3, params)
    for i in range(dim):
        tmp[i] = y[i] + h * (B41 * k1[i] + B42 * k2[i] + B43 * k3[i])
    f(t + A4 * h, tmp, k4, params)
    for i in range(dim):
        tmp[i] = y[i] + h * (B51 * k1[i] + B52 * k2[i] + B53 * k3[i] + B54 * k4[i])
    f(t + A5 * h, tmp, k5, params)
    for i in range(dim):
        tmp[i] = y[i] + h * (B61 * k1[i] + B62 * k2[i] + B63 * k3[i] + B64 * k4[i] + B65 * k5[i])
    f(t + A6 * h, tmp, k6, params)
    for i in range(dim):
        d = C1 * k1[i] + C3 * k3[i] + C4 * k4[i] + C5 * k5[i] + C6 * k6[i]
        y[i] += h * d
    for i in range(dim):
        err[i] = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i])


cdef inline int _adjust(const double* y, const double* err, const double* yp, int dim,
                        double eps_abs, double eps_rel, double a_y, double a_dydt,
                        double* h) noexcept nogil:
    """Suggest a new step size from the error estimate: -1 smaller, 0 unchanged, +1 larger.

    ``rmax`` is the worst ratio of error to tolerance; a NaN ratio is ignored as in GSL (its
    comparison is false), the caller detects non-finite states separately. ``yp`` (the
    derivative at the end of the step) is only read when a_dydt != 0.
    """
    cdef double rmax = DBL_MIN_, r, tol
    cdef double h_old = h[0]
    cdef int i
    for i in range(dim):
        if a_dydt != 0.0:
            tol = eps_rel * (a_y * fabs(y[i]) + a_dydt * fabs(h_old * yp[i])) + eps_abs
        else:
            tol = eps_rel * (a_y * fabs(y[i])) + eps_abs
        r = fabs(err[i]) / fabs(tol)
        if r > rmax:
            rmax = r
    if rmax > 1.1:
        # shrink a little more than the error suggests, but at most by a factor of 5
        r = SAFETY / pow(rmax, 1.0 / ORDER)
        if r < 0.2:
            r = 0.2
        h[0] = r * h_old
        return -1
    if rmax < 0.5:
        # grow by at most a factor of 5 and never shrink because of the safety factor
        r = SAFETY / pow(rmax, 1.0 / (ORDER + 1.0))
        if r > 5.0:
            r = 5.0
        if r < 1.0:
            r = 1.0
        h[0] = r * h_old
        return 1
    return 0


cdef int evolve_apply(rhs_fn f, void* params, double* y, int dim, double* t, double t1,
                      double* h_int, double eps_abs, double eps_rel,
                      double* work) noexcept nogil:
    """evolve_apply_control with GSL's y_new control (a_y = 1, a_dydt = 0)."""
    return evolve_apply_control(f, params, y, dim, t, t1, h_int, eps_abs, eps_rel, 1.0, 0.0,
                                work)


cdef int evolve_apply_control(rhs_fn f, void* params, double* y, int dim, double* t,
                              double t1, double* h_int, double eps_abs, double eps_rel,
                              double a_y, double a_dydt, double* work) noexcept nogil:
    """One accepted internal step from t[0] towards t1 (see the module docstring)."""
    cdef double t0 = t[0]
    cdef double dt = t1 - t0
    cdef double h0 = h_int[0], h_old, t_next
    cdef double* y0 = work + W_Y0 * dim
    cdef bint final_step
    cdef int i, adj
    memcpy(y0, y, dim * sizeof(double))
    # k1 is the same for every attempt from (t0, y0)
    f(t0, y, work + W_K1 * dim, params)
    while True:
        if h0 > dt:
            # the last internal step ends exactly at t1
            h0 = dt
            final_step = True
        else:
            final_step = False
        _rkf45(f, params, y, dim, t0, h0, work)
        if a_dydt != 0.0:
            # the derivative at the end of the step enters the tolerance
            f(t0 + h0, y, work + W_DYDT_OUT * dim, params)
        t[0] = t1 if final_step else t0 + h0
        h_old = h0
        adj = _adjust(y, work + W_ERR * dim, work + W_DYDT_OUT * dim, dim, eps_abs, eps_rel,
                      a_y, a_dydt, &h0)
        if adj < 0:
            t_next = t[0] + h0
            if fabs(h0) < fabs(h_old) and t_next != t[0]:
                # error too large: undo and retry with the smaller step
                memcpy(y, y0, dim * sizeof(double))
                continue
            # the smaller step would not move t any more: keep this one
            h0 = h_old
        break
    h_int[0] = h0
    if t[0] == t0:
        return ODE_UNDERFLOW
    for i in range(dim):
        if not isfinite(y[i]):
            return ODE_NONFINITE
    return ODE_SUCCESS


cdef int integrate_step_control(rhs_fn f, void* params, double* y, int dim, double h,
                                double* h_int, double eps_abs, double eps_rel, double a_y,
                                double a_dydt, double* work) noexcept nogil:
    """Integrate y over one simulation step [0, h] (see the module docstring)."""
    cdef double t = 0.0
    cdef int code
    while t < h:
        code = evolve_apply_control(f, params, y, dim, &t, h, h_int, eps_abs, eps_rel, a_y,
                                    a_dydt, work)
        if code != ODE_SUCCESS:
            return code
    return ODE_SUCCESS


cdef int integrate_step(rhs_fn f, void* params, double* y, int dim, double h, double* h_int,
                        double eps_abs, double eps_rel, double* work) noexcept nogil:
    """integrate_step_control with GSL's y_new control (a_y = 1, a_dydt = 0)."""
    return integrate_step_control(f, params, y, dim, h, h_int, eps_abs, eps_rel, 1.0, 0.0,
                                  work)


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
