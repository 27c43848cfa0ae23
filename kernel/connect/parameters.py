"""Parameter expressions: trees of nodes evaluated vectorized for a :class:`DrawContext`.

A parameter expression (NEST's ``nest.Parameter``: random distributions, arithmetic,
comparisons, math functions, ``redraw``, ``conditional``) is an immutable tree of
:class:`ParameterNode` objects. ``node.evaluate(ctx)`` returns one float64 value per counter
site of the context, with numpy operations over all sites at once (no Python loop over
values; only over the nodes of the tree and over redraw rounds).

Random numbers
--------------
Every random leaf draws one uniform per value from the counter-based generator, keyed by
``(ctx.seed, ctx.substream(tag))`` and counted by ``(site, word)``:

- ``tag`` is the leaf's *position* in the tree: random leaves are numbered in pre-order,
  counting every occurrence. Two leaves of one expression are therefore independent, and so
  are two occurrences of the same leaf object (``p - p`` is not 0, as in NEST, which draws
  anew for every use of a parameter).
- ``site`` is ``ctx.sites[i]``: a value depends only on its own site, never on how many
  other values are drawn with it, so any thread or process split gives the same values.
- ``word`` names the attempt: 0 for a first draw, the redraw round inside ``redraw``
  (nested redraws combine their rounds, see :func:`_attempt_word`).

Distributions use one uniform per value by inversion (the normal quantile, scipy's ``ndtri``
bit for bit, for the normal family).

Callers give every independently drawn quantity its own stream: two expressions evaluated
with the same context use the same tags and so the same uniforms (``weight`` and ``delay``
of one Connect call each need a stream of their own, as does each key of a Create/set).
"""
import numpy as np

from ..errors import BadParameterType, BadParameterValue, DimensionMismatch, KernelError
from ..random._draws import normal_quantiles, uniform_doubles_at, uniform_doubles_span
from .context import DrawContext

MAX_REDRAWS = 1000
"""NEST's limit: a value that is still outside the bounds after this many redraws is an error."""

_EARLY_FAIL_ATTEMPTS = 20000
_MAX_TEXT = 200
_UINT32 = 0xFFFFFFFF


class RedrawLimitExceeded(KernelError):
    """``redraw`` could not bring a value within its bounds (NEST: KernelException)."""


def _real(value, name, where):
    """``value`` as a float; BadParameterType unless it is a real number (bool excluded)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)):
        raise BadParameterType(name, f"expected a real number; got {value!r} "
                                     f"({type(value).__name__}).", context=f"{where}: ")
    return float(value)


def as_node(value):
    """A ParameterNode for ``value``: nodes unchanged, real numbers as :class:`Constant`."""
    if isinstance(value, ParameterNode):
        return value
    return Constant(_real(value, "value", "parameter expression"))


def _subset(ctx, idx):
    """The context restricted to positions ``idx``."""
    return DrawContext(ctx.seed, ctx.stream,
                       None if ctx.sources is None else ctx.sources[idx],
                       None if ctx.targets is None else ctx.targets[idx],
                       ctx.site_array[idx],
                       geometry=None if ctx.geometry is None else ctx.geometry.subset(idx))


def _attempt_word(word, round_):
    """Counter word of redraw round ``round_`` inside an attempt named ``word``.

    Exact (10 bits per level, rounds <= 1000 < 1024) for up to three nested redraws; deeper
    nesting folds the path with a 64-bit mixer, which keeps distinct paths apart with
    probability 1 - 2**-32 per pair.
    """
    x = (word << 10) | round_
    if x <= _UINT32:
        return x
    x = (x * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x ^= x >> 31
    x = (x * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    return (x ^ (x >> 29)) & _UINT32


def _fmt(x):
    return repr(float(x))


class ParameterNode:
    """Base class of all expression nodes (immutable).

    Attributes
    ----------
    n_leaves : int
        Random leaf occurrences in the subtree (repeated subtrees counted each time); the
        next occurrence to the right starts numbering after them.
    is_random : bool
        Whether the subtree draws random numbers (a deterministic subtree never changes
        when redrawn).
    """

    n_leaves = 0
    is_random = False
    children = ()

    def evaluate(self, ctx):
        """One value per site of ``ctx``.

        Parameters
        ----------
        ctx : DrawContext
            Seed, stream and one counter site per value (and, for spatial parameters, the
            sources and targets).

        Returns
        -------
        ndarray of float64, shape (ctx.size,)
        """
        return self._eval(_checked_context(ctx), 0, 0)

    def _eval(self, ctx, tag, word):  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self):
        """A short readable expression (truncated to 200 characters)."""
        text = self.__dict__.get("_text")
        if text is None:
            text = self._describe()
            if len(text) > _MAX_TEXT:
                text = text[:_MAX_TEXT - 3] + "..."
            self.__dict__["_text"] = text
        return text

    def _describe(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} {self.describe()}>"


def _checked_context(ctx):
    if not isinstance(ctx, DrawContext):
        raise BadParameterType("ctx", f"expected a DrawContext; got {type(ctx).__name__}.")
    seed, stream = ctx.seed, ctx.stream
    for name, value in (("seed", seed), ("stream", stream)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise BadParameterValue(name, f"must be a non-negative integer; got {value!r}.",
                                    context="DrawContext: ")
    if int(seed) > 0xFFFFFFFFFFFFFFFF:
        raise BadParameterValue("seed", "must be below 2**64.", context="DrawContext: ")
    if ctx.sites is None:
        count = ctx.count
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
            raise BadParameterValue("count", f"must be a non-negative integer; got {count!r}.",
                                    context="DrawContext: ")
        for name in ("sources", "targets"):
            arr = getattr(ctx, name)
            if arr is not None and np.shape(arr) != (count,):
                raise DimensionMismatch(f"DrawContext: {name} has shape {np.shape(arr)} but "
                                        f"there are {count} values.")
        return DrawContext(int(seed), int(stream), ctx.sources, ctx.targets, None, int(count),
                           ctx.geometry)
    sites = np.asarray(ctx.sites)
    if sites.ndim != 1:
        raise DimensionMismatch(f"DrawContext: sites must be one-dimensional; got shape "
                                f"{sites.shape}.")
    if sites.dtype != np.uint64:
        if sites.size and not np.issubdtype(sites.dtype, np.integer):
            raise BadParameterType("sites", f"must be integers; got dtype {sites.dtype}.",
                                   context="DrawContext: ")
        if sites.size and np.issubdtype(sites.dtype, np.signedinteger) and sites.min() < 0:
            raise BadParameterValue("sites", "must be non-negative.", context="DrawContext: ")
        sites = sites.astype(np.uint64)
    sites = np.ascontiguousarray(sites)
    for name in ("sources", "targets"):
        arr = getattr(ctx, name)
        if arr is not None and np.shape(arr) != sites.shape:
            raise DimensionMismatch(f"DrawContext: {name} has shape {np.shape(arr)} but there "
                                    f"are {sites.shape[0]} sites.")
    return DrawContext(int(seed), int(stream),
                       None if ctx.sources is None else np.asarray(ctx.sources),
                       None if ctx.targets is None else np.asarray(ctx.targets), sites,
                       geometry=ctx.geometry)


# -- leaves ------------------------------------------------------------------------------------
class Constant(ParameterNode):
    """The same value everywhere."""

    def __init__(self, value):
        self.value = _real(value, "value", "constant")

    def _eval(self, ctx, tag, word):
        return np.full(ctx.size, self.value)

    def _describe(self):
        return _fmt(self.value)


class RandomLeaf(ParameterNode):
    """A distribution: one uniform per value, transformed by :meth:`transform`."""

    n_leaves = 1
    is_random = True

    def _eval(self, ctx, tag, word):
        if ctx.sites is None:
            u = uniform_doubles_span(ctx.seed, ctx.substream(tag), 0, ctx.count, word)
        else:
            u = uniform_doubles_at(ctx.seed, ctx.substream(tag), ctx.sites, word)
        return self.transform(u)

    def transform(self, u):
        """Values of the distribution from uniforms in the open interval (0, 1)."""
        raise NotImplementedError  # pragma: no cover


class Uniform(RandomLeaf):
    """Uniform in [min, max); requires min < max (NEST: ``min < max required``)."""

    def __init__(self, min=0.0, max=1.0):
        self.min = _real(min, "min", "uniform")
        self.max = _real(max, "max", "uniform")
        if self.min >= self.max:
            raise BadParameterValue("uniform", f"min < max required; got min={self.min!r}, "
                                               f"max={self.max!r}.")

    def transform(self, u):
        # in place: these arrays can hold one value per connection
        v = u
        v *= self.max - self.min
        v += self.min
        if np.isfinite(self.max):  # rounding must not reach the excluded upper bound
            np.minimum(v, np.nextafter(self.max, -np.inf), out=v)
        return v

    def _describe(self):
        return f"uniform(min={_fmt(self.min)}, max={_fmt(self.max)})"


class Normal(RandomLeaf):
    """Normal with mean and standard deviation; requires std > 0."""

    def __init__(self, mean=0.0, std=1.0):
        self.mean = _real(mean, "mean", "normal")
        self.std = _real(std, "std", "normal")
        if self.std <= 0.0:
            raise BadParameterValue("normal", f"std > 0 required; got std={self.std!r}.")

    def transform(self, u):
        v = normal_quantiles(u, out=u)
        v *= self.std
        v += self.mean
        return v

    def _describe(self):
        return f"normal(mean={_fmt(self.mean)}, std={_fmt(self.std)})"


class Lognormal(RandomLeaf):
    """exp(N(mean, std)): mean and std are those of the underlying normal; std > 0."""

    def __init__(self, mean=0.0, std=1.0):
        self.mean = _real(mean, "mean", "lognormal")
        self.std = _real(std, "std", "lognormal")
        if self.std <= 0.0:
            raise BadParameterValue("lognormal", f"std > 0 required; got std={self.std!r}.")

    def transform(self, u):
        return np.exp(self.mean + self.std * normal_quantiles(u))

    def _describe(self):
        return f"lognormal(mean={_fmt(self.mean)}, std={_fmt(self.std)})"


class Exponential(RandomLeaf):
    """Exponential with scale beta (mean beta). Like NEST, beta is not range-checked."""

    def __init__(self, beta=1.0):
        self.beta = _real(beta, "beta", "exponential")

    def transform(self, u):
        return -self.beta * np.log(u)

    def _describe(self):
        return f"exponential(beta={_fmt(self.beta)})"


class UniformInt(RandomLeaf):
    """Integers uniform in [0, max) (as floats); max a positive integer below 2**63."""

    def __init__(self, max=1):
        if isinstance(max, (bool, np.bool_)) or not isinstance(max, (int, np.integer)):
            raise BadParameterType("max", f"expected an integer; got {max!r} "
                                          f"({type(max).__name__}).", context="uniform_int: ")
        if not 0 < int(max) < 2 ** 63:
            raise BadParameterValue("uniform_int", f"max > 0 required (and below 2**63); "
                                                   f"got max={max!r}.")
        self.max = int(max)

    def transform(self, u):
        return np.minimum(np.floor(u * float(self.max)), float(self.max - 1))

    def _describe(self):
        return f"uniform_int(max={self.max})"


# -- compound nodes ----------------------------------------------------------------------------
class _Compound(ParameterNode):
    def __init__(self, *children):
        self.children = tuple(as_node(c) for c in children)
        self.n_leaves = sum(c.n_leaves for c in self.children)
        self.is_random = any(c.is_random for c in self.children)

    def _eval_children(self, ctx, tag, word):
        out = []
        for child in self.children:
            out.append(child._eval(ctx, tag, word))
            tag += child.n_leaves
        return out


_BINARY = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide,
    "min": np.minimum, "max": np.maximum,
}
_COMPARE = {
    "<": np.less, "<=": np.less_equal, "==": np.equal, "!=": np.not_equal,
    ">=": np.greater_equal, ">": np.greater,
}
_FUNCTIONS = {"exp": np.exp, "sin": np.sin, "cos": np.cos, "abs": np.abs}


class BinaryOp(_Compound):
    """``left op right`` for op in + - * / min max (IEEE semantics: x/0 is inf)."""

    def __init__(self, op, left, right):
        if op not in _BINARY:
            raise BadParameterValue("op", f"unknown operation {op!r}; known: "
                                          f"{', '.join(_BINARY)}.")
        self.op = op
        super().__init__(left, right)

    def _eval(self, ctx, tag, word):
        a, b = self._eval_children(ctx, tag, word)
        with np.errstate(all="ignore"):
            return _BINARY[self.op](a, b)

    def _describe(self):
        a, b = (c.describe() for c in self.children)
        if self.op in ("min", "max"):
            return f"{self.op}({a}, {b})"
        return f"({a} {self.op} {b})"


class Compare(_Compound):
    """``left op right`` for op in < <= == != >= >: 1.0 where true, else 0.0."""

    def __init__(self, op, left, right):
        if op not in _COMPARE:
            raise BadParameterValue("op", f"unknown comparison {op!r}; known: "
                                          f"{', '.join(_COMPARE)}.")
        self.op = op
        super().__init__(left, right)

    def _eval(self, ctx, tag, word):
        a, b = self._eval_children(ctx, tag, word)
        return _COMPARE[self.op](a, b).astype(np.float64)

    def _describe(self):
        a, b = (c.describe() for c in self.children)
        return f"({a} {self.op} {b})"


class Pow(_Compound):
    """``base ** exponent`` with a number as exponent (as NEST)."""

    def __init__(self, base, exponent):
        self.exponent = _real(exponent, "exponent", "pow")
        super().__init__(base)

    def _eval(self, ctx, tag, word):
        (a,) = self._eval_children(ctx, tag, word)
        with np.errstate(all="ignore"):
            return np.power(a, self.exponent)

    def _describe(self):
        return f"({self.children[0].describe()} ** {_fmt(self.exponent)})"


class Function(_Compound):
    """A function of one parameter: exp, sin, cos (and abs)."""

    def __init__(self, name, arg):
        if name not in _FUNCTIONS:
            raise BadParameterValue("function", f"unknown function {name!r}; known: "
                                                f"{', '.join(_FUNCTIONS)}.")
        self.name = name
        super().__init__(arg)

    def _eval(self, ctx, tag, word):
        (a,) = self._eval_children(ctx, tag, word)
        with np.errstate(all="ignore"):
            return _FUNCTIONS[self.name](a)

    def _describe(self):
        return f"{self.name}({self.children[0].describe()})"


class Conditional(_Compound):
    """``if_true`` where ``condition`` is non-zero (NaN counts as true, as in C++), else
    ``if_false``. Each branch is evaluated only at the sites that take it."""

    def __init__(self, condition, if_true, if_false):
        super().__init__(condition, if_true, if_false)

    def _eval(self, ctx, tag, word):
        cond, yes, no = self.children
        c = cond._eval(ctx, tag, word) != 0.0
        out = np.empty(ctx.size)
        for mask, child, child_tag in ((c, yes, tag + cond.n_leaves),
                                       (~c, no, tag + cond.n_leaves + yes.n_leaves)):
            idx = np.flatnonzero(mask)
            if idx.size == ctx.size:
                out[:] = child._eval(ctx, child_tag, word)
            elif idx.size:
                out[idx] = child._eval(_subset(ctx, idx), child_tag, word)
        return out

    def _describe(self):
        return "conditional({}, {}, {})".format(*(c.describe() for c in self.children))


class Redraw(_Compound):
    """Redraw values outside [min, max] (bounds included) until all are inside.

    Only the failing values are redrawn, each from fresh draws (the next attempt word), so a
    value depends only on its own site. A value still outside after ``MAX_REDRAWS`` redraws
    raises :class:`RedrawLimitExceeded`, as NEST does; so does a deterministic expression
    outside the bounds (at once), and a random one of which not a single value has fallen
    within the bounds in 20000 draws (the acceptance region is empty or nearly so: with at
    least 20 values waiting, each needing thousands of redraws, the limit would be hit
    anyway). NaN is never outside the bounds (as in NEST).
    """

    def __init__(self, param, min, max):
        self.min = _real(min, "min", "redraw")
        self.max = _real(max, "max", "redraw")
        if self.min > self.max:
            raise BadParameterValue("redraw", f"min <= max required; got min={self.min!r}, "
                                              f"max={self.max!r}.")
        super().__init__(param)

    def _outside(self, values):
        return (values < self.min) | (values > self.max)

    def _eval(self, ctx, tag, word):
        (child,) = self.children
        values = child._eval(ctx, tag, _attempt_word(word, 0))
        bad = np.flatnonzero(self._outside(values))
        if bad.size and not child.is_random:
            raise RedrawLimitExceeded(self._message(
                "the expression is not random, so redrawing cannot change it", values[bad[0]]))
        attempts, accepted = ctx.size, ctx.size - bad.size
        for round_ in range(1, MAX_REDRAWS + 1):
            if not bad.size:
                return values
            if not accepted and attempts >= _EARLY_FAIL_ATTEMPTS:
                # p <~ 1e-4: each value would need ~1e4 redraws, and >= 20 of them wait.
                raise RedrawLimitExceeded(self._message(
                    f"not one of {attempts} drawn values fell within the bounds: the "
                    f"acceptance region is empty or nearly so", values[bad[0]]))
            new = child._eval(_subset(ctx, bad), tag, _attempt_word(word, round_))
            values[bad] = new
            still = self._outside(new)
            attempts += bad.size
            accepted += int(bad.size - np.count_nonzero(still))
            bad = bad[still]
        if bad.size:
            raise RedrawLimitExceeded(self._message(
                f"{bad.size} value(s) still outside the bounds", values[bad[0]]))
        return values

    def _message(self, why, example):
        return (f"Number of redraws exceeded limit of {MAX_REDRAWS} in redraw("
                f"{self.children[0].describe()}, min={_fmt(self.min)}, max={_fmt(self.max)}): "
                f"{why} (e.g. {float(example)!r}). Check the bounds against the distribution.")

    def _describe(self):
        return (f"redraw({self.children[0].describe()}, min={_fmt(self.min)}, "
                f"max={_fmt(self.max)})")


# -- entry points ------------------------------------------------------------------------------
def evaluate_for_nodes(param, node_ids, seed, stream):
    """One value of ``param`` per node (randomized node parameters in Create and set).

    Parameters
    ----------
    param : ParameterNode
        The expression.
    node_ids : array_like of int
        Node ids; each is the counter site of its node's value, so a node's value does not
        depend on which other nodes are set with it.
    seed : int
        The kernel's rng_seed.
    stream : int
        A stream unique to this Create/set call (see :func:`next_stream`).

    Returns
    -------
    ndarray of float64, shape (len(node_ids),)
    """
    if not isinstance(param, ParameterNode):
        raise BadParameterType("param", f"expected a parameter expression; got "
                                        f"{type(param).__name__}.")
    ids = np.asarray(node_ids)
    if ids.ndim != 1:
        ids = ids.reshape(-1)
    ctx = DrawContext(seed, stream, None, ids, ids)
    return param.evaluate(ctx)


def evaluate_scalar(param, seed, stream):
    """A single value of ``param`` (site 0 of ``stream``): NEST's ``Parameter.GetValue()``."""
    ctx = DrawContext(seed, stream, None, None, np.zeros(1, dtype=np.uint64))
    return float(param.evaluate(ctx)[0])


def next_stream(kernel):
    """A fresh stream id for one drawing call (Connect, one key of Create/set, GetValue).

    The kernel counts streams since ResetKernel, so the same script gives the same values.
    """
    return kernel.next_stream()


__all__ = [
    "BinaryOp", "Compare", "Conditional", "Constant", "Exponential", "Function", "Lognormal",
    "MAX_REDRAWS", "Normal", "ParameterNode", "Pow", "RandomLeaf", "Redraw",
    "RedrawLimitExceeded", "Uniform", "UniformInt", "as_node", "evaluate_for_nodes",
    "evaluate_scalar", "next_stream",
]
