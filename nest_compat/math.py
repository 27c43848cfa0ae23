"""``nest.math``: mathematical functions of Parameters."""
from kernel.connect import parameters as kp

from .errors import NESTErrors, nest_errors
from .parameters import Parameter, require_parameter

__all__ = ["cos", "exp", "max", "min", "redraw", "sin"]


def exp(parameter):
    """Calculate the exponential of the parameter.

    Parameters
    ----------
    parameter : Parameter
        Input Parameter.

    Returns
    -------
    Parameter
        Object representing the exponential of the parameter.
    """
    return Parameter(kp.Function("exp", require_parameter(parameter, "nest.math.exp")))


def sin(parameter):
    """Calculate the sine of the parameter.

    Parameters
    ----------
    parameter : Parameter
        Input Parameter.

    Returns
    -------
    Parameter
        Object representing the sine of the parameter.
    """
    return Parameter(kp.Function("sin", require_parameter(parameter, "nest.math.sin")))


def cos(parameter):
    """Calculate the cosine of the parameter.

    Parameters
    ----------
    parameter : Parameter
        Input Parameter.

    Returns
    -------
    Parameter
        Object representing the cosine of the parameter.
    """
    return Parameter(kp.Function("cos", require_parameter(parameter, "nest.math.cos")))


def min(parameter, value):
    """Yields the smallest value of the value of a parameter and a given value.

    Parameters
    ----------
    parameter : Parameter
        Input Parameter.
    value : float
        Value to compare against.

    Returns
    -------
    Parameter
        Object yielding the smallest value.
    """
    node = require_parameter(parameter, "nest.math.min")
    return Parameter(kp.BinaryOp("min", node, kp.Constant(float(value))))


def max(parameter, value):
    """Yields the largest value of the value of a parameter and a given value.

    Parameters
    ----------
    parameter : Parameter
        Input Parameter.
    value : float
        Value to compare against.

    Returns
    -------
    Parameter
        Object yielding the largest value.
    """
    node = require_parameter(parameter, "nest.math.max")
    return Parameter(kp.BinaryOp("max", node, kp.Constant(float(value))))


@nest_errors
def redraw(parameter, min, max):
    """Redraws the value of the parameter if it is outside of the given limits.

    Both min and max values are included in the limit. If the number of redraws exceeds 1000,
    an error is thrown (NESTErrors.KernelException) when the parameter is evaluated.

    Parameters
    ----------
    parameter : Parameter
        Input Parameter.
    min : float
        Lower bound of the value.
    max : float
        Upper bound of the value (min <= max, else NESTErrors.BadParameterValue).

    Returns
    -------
    Parameter
        Object redrawing the parameter until it can yield a value within the given limits.
    """
    node = require_parameter(parameter, "nest.math.redraw")
    lower, upper = float(min), float(max)
    if lower > upper:
        raise NESTErrors.BadParameterValue(
            f"nest.math.redraw: min <= max required; got min={lower!r}, max={upper!r}.")
    return Parameter(kp.Redraw(node, lower, upper))
