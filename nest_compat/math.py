"""``nest.math``: mathematical functions of Parameters."""
from kernel.connect import parameters as kp

from .errors import NESTErrors, nest_errors
from .parameters import Parameter, require_parameter

__all__ = ["cos", "exp", "max", "min", "redraw", "sin"]


_UNARY_DOC = """Calculate the {what} of the parameter.

    Parameters
    ----------
    parameter : Parameter
        Input Parameter.

    Returns
    -------
    Parameter
        Object representing the {what} of the parameter.
    """

_EXTREMUM_DOC = """Yields the {what} value of the value of a parameter and a given value.

    Parameters
    ----------
    parameter : Parameter
        Input Parameter.
    value : float
        Value to compare against.

    Returns
    -------
    Parameter
        Object yielding the {what} value.
    """


def _unary(name, what):
    """``nest.math.<name>``: the elementwise function ``name`` of a Parameter."""
    def function(parameter):
        return Parameter(kp.Function(name, require_parameter(parameter, f"nest.math.{name}")))

    function.__name__ = function.__qualname__ = name
    function.__doc__ = _UNARY_DOC.format(what=what)
    return function


def _extremum(name, what):
    """``nest.math.min`` / ``max``: a Parameter bounded by a constant."""
    def function(parameter, value):
        node = require_parameter(parameter, f"nest.math.{name}")
        return Parameter(kp.BinaryOp(name, node, kp.Constant(float(value))))

    function.__name__ = function.__qualname__ = name
    function.__doc__ = _EXTREMUM_DOC.format(what=what)
    return function


exp = _unary("exp", "exponential")
sin = _unary("sin", "sine")
cos = _unary("cos", "cosine")
min = _extremum("min", "smallest")
max = _extremum("max", "largest")


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
