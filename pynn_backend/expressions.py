"""Distance expressions (``"exp(-d/100)"``, ``"d < 3"``, ``"0.2 + 0.3*d"``) without ``eval``.

PyNN lets connection probabilities and synaptic parameters be given as the right-hand side
of a Python expression in ``d`` (a distance, or for displacement-dependent connectors the
3 x N array of displacements). PyNN itself ``eval``s such strings; Neuropil parses them with
:mod:`ast` and accepts only a whitelist -- numbers, the names ``d``, ``pi`` and ``e``,
arithmetic, comparisons, ``and``/``or``/``not``, conditional expressions, indexing ``d[k]`` and
a fixed set of numpy functions -- and compiles the tree into a closure that evaluates it on
whole numpy arrays at once.
"""
import ast
import operator

import numpy as np
from pyNN import errors

_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply,
           ast.Div: np.true_divide, ast.FloorDiv: np.floor_divide, ast.Mod: np.mod,
           ast.Pow: np.power}
_UNARY = {ast.UAdd: operator.pos, ast.USub: np.negative, ast.Not: np.logical_not}
_COMPARE = {ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater,
            ast.GtE: np.greater_equal, ast.Eq: np.equal, ast.NotEq: np.not_equal}
FUNCTIONS = {
    name: getattr(np, name) for name in (
        "exp", "log", "log10", "sqrt", "abs", "fabs", "sin", "cos", "tan", "arcsin", "arccos",
        "arctan", "arctan2", "sinh", "cosh", "tanh", "floor", "ceil", "power", "hypot", "fmod",
        "minimum", "maximum", "where", "sign", "clip", "square")}
FUNCTIONS.update({"min": np.minimum, "max": np.maximum, "pow": np.power,
                  "ldexp": np.ldexp, "heaviside": np.heaviside})
CONSTANTS = {"pi": np.pi, "e": np.e, "inf": np.inf}
MAX_LENGTH = 2000


class DistanceExpression:
    """A parsed expression of one variable, callable on numpy arrays.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"exp(-abs(d))"`` or ``"d < 3"``.
    variable : str
        Name of the variable (``d``).

    Raises
    ------
    pyNN.errors.InvalidParameterValueError
        A syntax error, or anything outside the whitelist (attribute access, unknown names
        or functions, lambdas, comprehensions, strings ...).

    Examples
    --------
    >>> f = DistanceExpression("0.2 + 0.3*d")
    >>> f(np.array([0.0, 1.0]))
    array([0.2, 0.5])
    """

    def __init__(self, text, variable="d"):
        if not isinstance(text, str):
            raise errors.InvalidParameterValueError(f"expected an expression string, got {text!r}")
        if len(text) > MAX_LENGTH:
            raise errors.InvalidParameterValueError(
                f"distance expression longer than {MAX_LENGTH} characters")
        self.text = text
        self.variable = variable
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as err:
            raise errors.InvalidParameterValueError(
                f"Value should be a string expressing a function of {variable}. Incorrect "
                f"syntax in {text!r}: {err.msg}") from None
        self._fn = self._compile(tree.body)

    def __call__(self, d):
        value = self._fn(d)
        if isinstance(value, np.ndarray) and value.dtype == bool:
            return value.astype(np.float64)
        if isinstance(value, (bool, np.bool_)):
            return float(value)
        return value

    def __repr__(self):
        return f"DistanceExpression({self.text!r})"

    def __eq__(self, other):
        return isinstance(other, DistanceExpression) and other.text == self.text

    def __hash__(self):
        return hash(self.text)

    def __reduce__(self):
        return (DistanceExpression, (self.text, self.variable))

    # -- compilation ------------------------------------------------------------------------------
    def _reject(self, node, what):
        raise errors.InvalidParameterValueError(
            f"{what} is not allowed in the expression {self.text!r} (allowed: numbers, "
            f"{self.variable}, pi, e, arithmetic, comparisons, and/or/not, x if c else y, "
            f"{self.variable}[k] and the functions {', '.join(sorted(FUNCTIONS))})")

    def _compile(self, node):
        method = getattr(self, "_c_" + type(node).__name__, None)
        if method is None:
            self._reject(node, f"'{type(node).__name__}'")
        return method(node)

    def _c_Constant(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._reject(node, f"the constant {value!r}")
        return lambda d: value

    def _c_Name(self, node):
        if node.id == self.variable:
            return lambda d: d
        if node.id in CONSTANTS:
            value = CONSTANTS[node.id]
            return lambda d: value
        self._reject(node, f"the name '{node.id}'")

    def _c_BinOp(self, node):
        fn = _BINARY.get(type(node.op))
        if fn is None:
            self._reject(node, f"the operator {type(node.op).__name__}")
        left, right = self._compile(node.left), self._compile(node.right)
        return lambda d: fn(left(d), right(d))

    def _c_UnaryOp(self, node):
        fn = _UNARY.get(type(node.op))
        if fn is None:
            self._reject(node, f"the operator {type(node.op).__name__}")
        operand = self._compile(node.operand)
        return lambda d: fn(operand(d))

    def _c_Compare(self, node):
        parts = [self._compile(node.left)] + [self._compile(c) for c in node.comparators]
        fns = []
        for op in node.ops:
            fn = _COMPARE.get(type(op))
            if fn is None:
                self._reject(node, f"the comparison {type(op).__name__}")
            fns.append(fn)

        def compare(d):
            values = [p(d) for p in parts]
            result = fns[0](values[0], values[1])
            for k, fn in enumerate(fns[1:], 1):
                result = np.logical_and(result, fn(values[k], values[k + 1]))
            return result
        return compare

    def _c_BoolOp(self, node):
        fn = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        parts = [self._compile(v) for v in node.values]

        def combine(d):
            result = parts[0](d)
            for part in parts[1:]:
                result = fn(result, part(d))
            return result
        return combine

    def _c_IfExp(self, node):
        test, body, orelse = (self._compile(n) for n in (node.test, node.body, node.orelse))
        return lambda d: np.where(test(d), body(d), orelse(d))

    def _c_Call(self, node):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
            self._reject(node, "this function call")
        fn = FUNCTIONS[node.func.id]
        args = [self._compile(a) for a in node.args]
        return lambda d: fn(*(a(d) for a in args))

    def _c_Subscript(self, node):
        if not (isinstance(node.value, ast.Name) and node.value.id == self.variable):
            self._reject(node, "indexing anything but the variable")
        index = node.slice
        if not (isinstance(index, ast.Constant) and isinstance(index.value, int)
                and not isinstance(index.value, bool)):
            self._reject(node, "an index that is not an integer constant")
        k = index.value
        return lambda d: np.asarray(d)[k]


def as_callable(value, variable="d"):
    """``value`` unchanged unless it is a string, which is parsed into a DistanceExpression."""
    if isinstance(value, str):
        return DistanceExpression(value, variable)
    return value
