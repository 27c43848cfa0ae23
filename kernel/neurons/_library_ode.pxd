# One simulation step of an ODE neuron, for the model library's cores (_iaf_cond, _hh).
#
# The same loop as _odeint.integrate_step (accepted internal steps with evolve_apply until the
# end of the step), with a cap on the number of internal steps: NEST loops forever when the
# step size collapses without reaching zero (e.g. I_e = 1e308 in iaf_cond_exp); here the node
# reports ODE_TOO_MANY_STEPS instead and the block raises a clear error.
from kernel.neurons._odeint cimport evolve_apply, rhs_fn, ODE_SUCCESS

cdef enum:
    ODE_TOO_MANY_STEPS = 3
    MAX_INTERNAL_STEPS = 100000


cdef inline int integrate_capped(rhs_fn f, void* params, double* y, int dim, double h,
                                 double* h_int, double eps_abs, double eps_rel,
                                 double* work) noexcept nogil:
    """Integrate y over [0, h]; 0 on success, else an _odeint code or ODE_TOO_MANY_STEPS."""
    cdef double t = 0.0
    cdef int code, count = 0
    while t < h:
        code = evolve_apply(f, params, y, dim, &t, h, h_int, eps_abs, eps_rel, work)
        if code != ODE_SUCCESS:
            return code
        count += 1
        if count > MAX_INTERNAL_STEPS:
            return ODE_TOO_MANY_STEPS
    return ODE_SUCCESS
