"""NEST's ``Parameter`` objects and ``CreateParameter``.

A :class:`Parameter` wraps an expression tree of the kernel (``kernel.connect.parameters``)
and gives it NEST's operators: ``+ - * /`` with Parameters or numbers on either side, unary
``-``, ``**`` with a number, and the comparisons ``< <= == != >= >`` (which yield Parameters
evaluating to 1.0 or 0.0, so a Parameter is unhashable, as in NEST). ``GetValue()`` draws one
value from a fresh random stream on every call; Connect and Create evaluate a Parameter once
per connection or node, vectorized, through :meth:`Parameter.evaluate`.

As in NEST, every *use* of a Parameter draws anew: ``x - x`` is not 0, and in
``conditional(x < 0.5, x, 1.0)`` the two ``x`` are independent draws.
"""
import numpy as np

from kernel import get_kernel
from kernel.connect import parameters as kp
from kernel.connect.context import DrawContext
from kernel.spatial import parameters as ksp
from kernel.errors import did_you_mean

from .errors import NESTErrors, nest_errors


# CreateParameter types: name -> (kernel node class, {key: (default, kind)}); a default of
# None marks a required key. Kinds: "double" (any real number) and "long" (an integer).
PARAMETER_TYPES = {
    "constant": (kp.Constant, {"value": (None, "double")}),
    "uniform": (kp.Uniform, {"min": (0.0, "double"), "max": (1.0, "double")}),
    "normal": (kp.Normal, {"mean": (0.0, "double"), "std": (1.0, "double")}),
    "lognormal": (kp.Lognormal, {"mean": (0.0, "double"), "std": (1.0, "double")}),
    "exponential": (kp.Exponential, {"beta": (1.0, "double")}),
    "uniform_int": (kp.UniformInt, {"max": (1, "long")}),
}
# Spatial types: "distance" takes a 1-based dimension (0: the Euclidean distance), "position" a
# 0-based one and the synaptic endpoint (0 node, 1 source, 2 target).
SPATIAL_TYPES = {
    "distance": (lambda dimension: ksp.Distance(None if dimension == 0 else dimension - 1),
                 {"dimension": (0, "long")}),
    "position": (lambda dimension, synaptic_endpoint: ksp.Position(dimension, synaptic_endpoint),
                 {"dimension": (None, "long"), "synaptic_endpoint": (0, "long")}),
}
PROFILE_TYPES = ("gaussian", "gaussian2d", "gamma", "exp_distribution", "gabor")


class Parameter:
    """Class for parameters (NEST's ``nest.Parameter``).

    A parameter may be used as a probability kernel when creating connections or as a
    synaptic or node parameter (such as weight, delay or V_m). Parameters are created with
    :func:`CreateParameter` or the functions of ``nest.random``, ``nest.math`` and
    ``nest.logic``, and combined with arithmetic and comparison operators.
    """

    __hash__ = None  # __eq__ builds a comparison Parameter, as in NEST

    def __init__(self, datum):
        """Parameters must be created using the CreateParameter command."""
        if not isinstance(datum, kp.ParameterNode):
            raise TypeError("Expected low-level parameter object; use the 'CreateParameter()' "
                            "function to create a 'Parameter'.")
        self._node = datum

    # -- evaluation ------------------------------------------------------------------------------
    @nest_errors
    def GetValue(self):
        """Compute value of parameter.

        Every call draws from a fresh random stream (reproducible after ``ResetKernel`` for
        a given ``rng_seed``).

        Returns
        -------
        float
            The value of the parameter.
        """
        k = get_kernel()
        return kp.evaluate_scalar(self._node, k.rng_seed, kp.next_stream(k))

    def evaluate(self, ctx):
        """Values for every site of a kernel DrawContext (used by Connect and Create).

        Parameters
        ----------
        ctx : kernel.connect.context.DrawContext

        Returns
        -------
        ndarray of float64, shape (ctx.size,)
        """
        return self._node.evaluate(ctx)

    def is_spatial(self):
        """Whether the parameter depends on positions."""
        return ksp.is_spatial(self._node)

    @nest_errors
    def apply(self, spatial_nc, positions=None):
        """Values of the parameter for spatial nodes.

        Parameters
        ----------
        spatial_nc : NodeCollection
            Nodes with positions; with ``positions``, a single node (the source).
        positions : list of lists of float, optional
            Target positions: the values are for pairs (node, position).

        Returns
        -------
        tuple of float
        """
        from .spatial_api import apply_parameter
        return apply_parameter(self, spatial_nc, positions)

    def __repr__(self):
        return f"<nest.Parameter: {self._node.describe()}>"

    __str__ = __repr__

    # -- operators -------------------------------------------------------------------------------
    @staticmethod
    def _arg_as_parameter(arg):
        if isinstance(arg, Parameter):
            return arg
        if isinstance(arg, (int, float)):
            return _wrap(kp.Constant(float(arg)))
        raise NotImplementedError(
            f"a Parameter can only be combined with a Parameter, an int or a float; got "
            f"{type(arg).__name__} {arg!r}.")

    def _binary(self, op, other):
        return _wrap(kp.BinaryOp(op, self._node, self._arg_as_parameter(other)._node))

    def _compare(self, op, other):
        return _wrap(kp.Compare(op, self._node, self._arg_as_parameter(other)._node))

    def __add__(self, other):
        return self._binary("+", other)

    def __radd__(self, lhs):
        return self + lhs

    def __sub__(self, other):
        return self._binary("-", other)

    def __rsub__(self, lhs):
        return self * (-1) + lhs

    def __pos__(self):
        return self

    def __neg__(self):
        return self * (-1)

    def __mul__(self, other):
        return self._binary("*", other)

    def __rmul__(self, lhs):
        return self * lhs

    def __truediv__(self, other):
        return self._binary("/", other)

    def __rtruediv__(self, lhs):
        return self ** -1 * lhs

    def __pow__(self, exponent):
        return _wrap(kp.Pow(self._node, float(exponent)))

    def __lt__(self, other):
        return self._compare("<", other)

    def __le__(self, other):
        return self._compare("<=", other)

    def __eq__(self, other):
        return self._compare("==", other)

    def __ne__(self, other):
        return self._compare("!=", other)

    def __ge__(self, other):
        return self._compare(">=", other)

    def __gt__(self, other):
        return self._compare(">", other)


def _wrap(node):
    return Parameter(node)


def kernel_node(value):
    """The kernel expression of a Parameter (for adapters), or None for other values."""
    return value._node if isinstance(value, Parameter) else None


def require_parameter(value, where):
    """The kernel node of ``value``; AttributeError (NEST's class) if it is not a Parameter."""
    if not isinstance(value, Parameter):
        raise AttributeError(f"{where} expects a nest.Parameter; got {type(value).__name__} "
                             f"{value!r}.")
    return value._node


# -- CreateParameter -----------------------------------------------------------------------------
# Python types NEST's dictionary conversion knows; other types raise AttributeError there.
_KNOWN_TYPES = (bool, int, float, str, list, tuple, dict, np.ndarray, np.integer, np.floating)


def _unknown_type(key, value):
    return AttributeError(f"when converting Python Dictionary: value of key ({key}) is not a "
                          f"known type, got {type(value)}")


def _spec_value(ptype, key, value, kind):
    if not isinstance(value, _KNOWN_TYPES):
        raise _unknown_type(key, value)
    if kind == "long":
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise RuntimeError(f"The dictionary value with key {key} does not hold a numeric "
                               f"integer type (CreateParameter('{ptype}'): got {value!r}).")
        if not -2 ** 63 <= int(value) < 2 ** 63:
            raise OverflowError(f"Integer {int(value)} out of range for C++ long "
                                f"[{-2 ** 63}, {2 ** 63 - 1}]")
        return int(value)
    if isinstance(value, (bool, int, float, np.integer, np.floating)):
        return float(value)
    raise NESTErrors.TypeMismatch(
        f"Expected datatype: Failed to cast '{key}' from {type(value).__name__} to type double "
        f"(CreateParameter('{ptype}'): got {value!r}).")


@nest_errors
def CreateParameter(parametertype, specs):
    """Create a parameter.

    Parameters
    ----------
    parametertype : str
        One of 'constant' ({'value'}), 'uniform' ({'min': 0.0, 'max': 1.0}), 'normal'
        ({'mean': 0.0, 'std': 1.0}), 'lognormal' ({'mean': 0.0, 'std': 1.0}, of the
        underlying normal), 'exponential' ({'beta': 1.0}) or 'uniform_int' ({'max': 1}).
        The spatial types ('distance', 'position', 'gaussian', ...) come with spatial
        networks.
    specs : dict
        The type's parameters; missing ones take the defaults above.

    Returns
    -------
    Parameter

    Raises
    ------
    NESTErrors.UndefinedName
        Unknown ``parametertype``.
    NESTErrors.TypeMismatch
        ``specs`` is not a dict, or a value is not a number.
    NESTErrors.BadProperty
        A value out of range (e.g. min >= max, std <= 0, max <= 0 for uniform_int).
    NESTErrors.UnaccessedDictionaryEntry
        A key the type does not take.
    """
    if not isinstance(parametertype, str):  # NEST: AttributeError ('... has no attribute encode')
        raise AttributeError(f"CreateParameter: parametertype must be a str; got "
                             f"{type(parametertype).__name__} {parametertype!r}.")
    if parametertype in PROFILE_TYPES:
        raise NotImplementedError(f"CreateParameter('{parametertype}'): use the functions of "
                                  "nest.spatial_distributions instead.")
    if parametertype not in PARAMETER_TYPES and parametertype not in SPATIAL_TYPES:
        raise NESTErrors.UndefinedName(
            f"The name {parametertype} is not defined. Parameter types: "
            f"{', '.join(PARAMETER_TYPES)}.{did_you_mean(parametertype, PARAMETER_TYPES)}")
    if not isinstance(specs, dict):
        if not isinstance(specs, _KNOWN_TYPES):
            raise _unknown_type(parametertype, specs)
        raise NESTErrors.TypeMismatch(
            f"Expected datatype: Failed to cast '{parametertype}' from "
            f"{type(specs).__name__} to type Dictionary.")
    node_class, keys = PARAMETER_TYPES.get(parametertype) or SPATIAL_TYPES[parametertype]
    for key in specs:
        if not isinstance(key, str):  # NEST: AttributeError ('... has no attribute encode')
            raise AttributeError(f"CreateParameter: keys of specs must be str; got {key!r}.")
    values = {}
    for key, (default, kind) in keys.items():
        if key in specs:
            values[key] = _spec_value(parametertype, key, specs[key], kind)
        elif default is None:
            raise IndexError(f"CreateParameter('{parametertype}'): the key '{key}' is required.")
        else:
            values[key] = default
    node = node_class(**values)
    unknown = [key for key in specs if key not in keys]
    if unknown:
        raise NESTErrors.UnaccessedDictionaryEntry(
            f"Unaccessed elements in param, in function create_parameter:  {' '.join(unknown)}"
            f" ('{parametertype}' takes: {', '.join(keys)})")
    return Parameter(node)


# -- node parameters -----------------------------------------------------------------------------
@nest_errors
def values_for_nodes(param, node_ids):
    """One value of ``param`` per node id (for Create(..., params=...) and set()).

    Each call uses a fresh random stream, so call it once per parameter name: two names set
    from the same Parameter get independent values, as in NEST.

    Parameters
    ----------
    param : Parameter
    node_ids : array_like of int

    Returns
    -------
    ndarray of float64
    """
    k = get_kernel()
    return kp.evaluate_for_nodes(param._node, node_ids, k.rng_seed, kp.next_stream(k))


def draw_context(seed, stream, sources, targets):
    """The DrawContext of a Connect call: sites are the connection indices within the call."""
    sources = np.asarray(sources)
    return DrawContext(seed, stream, sources, np.asarray(targets),
                       np.arange(sources.shape[0], dtype=np.uint64))


__all__ = ["CreateParameter", "Parameter"]
