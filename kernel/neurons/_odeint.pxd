# Adaptive embedded Runge-Kutta-Fehlberg 4(5) solver (see _odeint.pyx for the full interface).
#
# Usage from another .pyx:
#     from kernel.neurons._odeint cimport (rhs_fn, integrate_step, evolve_apply,
#                                         integrate_step_control, evolve_apply_control,
#                                         ODE_WORK_PER_DIM)
#
# All functions are nogil and never raise; they report problems through their return code.
# They are defined here, inline, so that a model's call with its own right-hand side compiles
# into one loop with that function inlined (a call through the pointer per stage cost more
# than the arithmetic of a 3-variable model).
from libc.math cimport fabs, isfinite, pow
from libc.string cimport memcpy

ctypedef void (*rhs_fn)(double t, const double* y, double* dydt, void* params) noexcept nogil

cdef enum:
    ODE_SUCCESS = 0        # the requested interval was integrated
    ODE_UNDERFLOW = 1      # the step size became too small to advance t (state left as is)
    ODE_NONFINITE = 2      # the state contains inf or NaN after an accepted step
    ODE_WORK_PER_DIM = 10  # scratch doubles per state component (9 suffice for integrate_step)

# Fehlberg's coefficients (nodes, stage weights, 5th-order weights, 5th minus 4th order) and
# the step-size control's safety factor and order, as C constants of every module that
# cimports this file
cdef extern from *:
    """
    static const double NP_RKF_A2 = 1.0 / 4.0;
    static const double NP_RKF_A3 = 3.0 / 8.0;
    static const double NP_RKF_A4 = 12.0 / 13.0;
    static const double NP_RKF_A5 = 1.0;
    static const double NP_RKF_A6 = 1.0 / 2.0;
    static const double NP_RKF_B21 = 1.0 / 4.0;
    static const double NP_RKF_B31 = 3.0 / 32.0;
    static const double NP_RKF_B32 = 9.0 / 32.0;
    static const double NP_RKF_B41 = 1932.0 / 2197.0;
    static const double NP_RKF_B42 = -7200.0 / 2197.0;
    static const double NP_RKF_B43 = 7296.0 / 2197.0;
    static const double NP_RKF_B51 = 8341.0 / 4104.0;
    static const double NP_RKF_B52 = -32832.0 / 4104.0;
    static const double NP_RKF_B53 = 29440.0 / 4104.0;
    static const double NP_RKF_B54 = -845.0 / 4104.0;
    static const double NP_RKF_B61 = -6080.0 / 20520.0;
    static const double NP_RKF_B62 = 41040.0 / 20520.0;
    static const double NP_RKF_B63 = -28352.0 / 20520.0;
    static const double NP_RKF_B64 = 9295.0 / 20520.0;
    static const double NP_RKF_B65 = -5643.0 / 20520.0;
    static const double NP_RKF_C1 = 902880.0 / 7618050.0;
    static const double NP_RKF_C3 = 3953664.0 / 7618050.0;
    static const double NP_RKF_C4 = 3855735.0 / 7618050.0;
    static const double NP_RKF_C5 = -1371249.0 / 7618050.0;
    static const double NP_RKF_C6 = 277020.0 / 7618050.0;
    static const double NP_RKF_E1 = 1.0 / 360.0;
    static const double NP_RKF_E3 = -128.0 / 4275.0;
    static const double NP_RKF_E4 = -2197.0 / 75240.0;
    static const double NP_RKF_E5 = 1.0 / 50.0;
    static const double NP_RKF_E6 = 2.0 / 55.0;
    static const double NP_RKF_SAFETY = 0.9;
    static const double NP_RKF_ORDER = 5.0;
    static const double NP_RKF_DBL_MIN_ = 2.2250738585072014e-308;
    static const double NP_RKF_GROW_CAPPED_RMAX = 3.4e-5;
    """
    const double A2 "NP_RKF_A2"
    const double A3 "NP_RKF_A3"
    const double A4 "NP_RKF_A4"
    const double A5 "NP_RKF_A5"
    const double A6 "NP_RKF_A6"
    const double B21 "NP_RKF_B21"
    const double B31 "NP_RKF_B31"
    const double B32 "NP_RKF_B32"
    const double B41 "NP_RKF_B41"
    const double B42 "NP_RKF_B42"
    const double B43 "NP_RKF_B43"
    const double B51 "NP_RKF_B51"
    const double B52 "NP_RKF_B52"
    const double B53 "NP_RKF_B53"
    const double B54 "NP_RKF_B54"
    const double B61 "NP_RKF_B61"
    const double B62 "NP_RKF_B62"
    const double B63 "NP_RKF_B63"
    const double B64 "NP_RKF_B64"
    const double B65 "NP_RKF_B65"
    const double C1 "NP_RKF_C1"
    const double C3 "NP_RKF_C3"
    const double C4 "NP_RKF_C4"
    const double C5 "NP_RKF_C5"
    const double C6 "NP_RKF_C6"
    const double E1 "NP_RKF_E1"
    const double E3 "NP_RKF_E3"
    const double E4 "NP_RKF_E4"
    const double E5 "NP_RKF_E5"
    const double E6 "NP_RKF_E6"
    const double SAFETY "NP_RKF_SAFETY"
    const double ORDER "NP_RKF_ORDER"
    const double DBL_MIN_ "NP_RKF_DBL_MIN_"
    # (SAFETY / 5)^(ORDER + 1) = 3.4012224e-5, less a margin: SAFETY / rmax^(1 / (ORDER + 1))
    # > 5 for every rmax below it
    const double GROW_CAPPED_RMAX "NP_RKF_GROW_CAPPED_RMAX"

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
        # grow by at most a factor of 5 and never shrink because of the safety factor; below
        # GROW_CAPPED_RMAX the power is known to give more than 5 (the usual case between
        # input spikes), so it is not computed
        if rmax < GROW_CAPPED_RMAX:
            r = 5.0
        else:
            r = SAFETY / pow(rmax, 1.0 / (ORDER + 1.0))
        if r > 5.0:
            r = 5.0
        if r < 1.0:
            r = 1.0
        h[0] = r * h_old
        return 1
    return 0


cdef inline int evolve_apply(rhs_fn f, void* params, double* y, int dim, double* t, double t1,
                      double* h_int, double eps_abs, double eps_rel,
                      double* work) noexcept nogil:
    """evolve_apply_control with GSL's y_new control (a_y = 1, a_dydt = 0)."""
    return evolve_apply_control(f, params, y, dim, t, t1, h_int, eps_abs, eps_rel, 1.0, 0.0,
                                work)


cdef inline int evolve_apply_control(rhs_fn f, void* params, double* y, int dim, double* t,
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


cdef inline int integrate_step_control(rhs_fn f, void* params, double* y, int dim, double h,
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


cdef inline int integrate_step(rhs_fn f, void* params, double* y, int dim, double h, double* h_int,
                        double eps_abs, double eps_rel, double* work) noexcept nogil:
    """integrate_step_control with GSL's y_new control (a_y = 1, a_dydt = 0)."""
    return integrate_step_control(f, params, y, dim, h, h_int, eps_abs, eps_rel, 1.0, 0.0,
                                  work)
