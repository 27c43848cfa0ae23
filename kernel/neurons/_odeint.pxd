# Adaptive embedded Runge-Kutta-Fehlberg 4(5) solver (see _odeint.pyx for the full interface).
#
# Usage from another .pyx:
#     from kernel.neurons._odeint cimport (rhs_fn, integrate_step, evolve_apply,
#                                         integrate_step_control, evolve_apply_control,
#                                         ODE_WORK_PER_DIM)
#
# All functions are nogil and never raise; they report problems through their return code.

ctypedef void (*rhs_fn)(double t, const double* y, double* dydt, void* params) noexcept nogil

cdef enum:
    ODE_SUCCESS = 0        # the requested interval was integrated
    ODE_UNDERFLOW = 1      # the step size became too small to advance t (state left as is)
    ODE_NONFINITE = 2      # the state contains inf or NaN after an accepted step
    ODE_WORK_PER_DIM = 10  # scratch doubles per state component (9 suffice for integrate_step)

# GSL's y_new control (a_y = 1, a_dydt = 0); these two need only 9 * dim doubles of work
cdef int evolve_apply(rhs_fn f, void* params, double* y, int dim, double* t, double t1,
                      double* h_int, double eps_abs, double eps_rel,
                      double* work) noexcept nogil

cdef int integrate_step(rhs_fn f, void* params, double* y, int dim, double h, double* h_int,
                        double eps_abs, double eps_rel, double* work) noexcept nogil

# GSL's standard control: tolerance eps_abs + eps_rel * (a_y |y| + a_dydt |h y'|)
cdef int evolve_apply_control(rhs_fn f, void* params, double* y, int dim, double* t,
                              double t1, double* h_int, double eps_abs, double eps_rel,
                              double a_y, double a_dydt, double* work) noexcept nogil

cdef int integrate_step_control(rhs_fn f, void* params, double* y, int dim, double h,
                                double* h_int, double eps_abs, double eps_rel, double a_y,
                                double a_dydt, double* work) noexcept nogil
