"""``nest.logic``: conditional Parameters."""
from kernel.connect import parameters as kp

from .parameters import Parameter, require_parameter

__all__ = ["conditional"]


def conditional(condition, param_if_true, param_if_false):
    """Yields one value or another, based on the condition.

    Parameters
    ----------
    condition : Parameter
        A comparing Parameter, created with the usual comparators (any Parameter works: a
        non-zero value counts as true).
    param_if_true : Parameter or float
        Value or Parameter used where the condition is true.
    param_if_false : Parameter or float
        Value or Parameter used where the condition is false.

    Returns
    -------
    Parameter
        Object representing the conditional. Each branch is drawn only where it is taken.
    """
    branches = []
    for name, value in (("param_if_true", param_if_true), ("param_if_false", param_if_false)):
        if isinstance(value, (int, float)) and not isinstance(value, Parameter):
            branches.append(kp.Constant(float(value)))
        else:
            branches.append(require_parameter(value, f"nest.logic.conditional ({name})"))
    cond = require_parameter(condition, "nest.logic.conditional (condition)")
    return Parameter(kp.Conditional(cond, *branches))
