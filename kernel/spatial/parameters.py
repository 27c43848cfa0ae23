"""Spatial parameter expressions: positions, distances and distance-dependent profiles.

These nodes plug into the expression trees of ``kernel.connect.parameters``. A spatial leaf
reads the :class:`Geometry` of its DrawContext: for each value, the source and target
positions and the displacement ``target - source`` (to the nearest periodic image in wrapped
layers, in the source layer's box). A context without a geometry gets one from its source and
target node ids (every value of a node parameter has a target only: ``pos``).
"""
import numpy as np
from scipy.special import gammaln

from ..errors import BadParameterValue, DimensionMismatch
from ..connect.parameters import ParameterNode, _Compound, _fmt, _real
from .layer import NotSpatial, layer_of, positions_of


class Geometry:
    """Positions of the pairs (or single nodes) that values are drawn for.

    Attributes
    ----------
    source_pos, target_pos : ndarray (m, d) or None
    displacement : ndarray (m, d) or None
        ``target_pos - source_pos`` wrapped in ``layer``'s box when its edges wrap.
    """

    def __init__(self, source_pos, target_pos, layer=None, displacement=None):
        self.source_pos = source_pos
        self.target_pos = target_pos
        self.layer = layer
        self._disp = displacement

    @property
    def displacement(self):
        if self._disp is None:
            if self.source_pos is None or self.target_pos is None:
                raise NotSpatial("distance parameters need two nodes (a source and a target): "
                                 "use them when connecting.")
            d = self.target_pos - self.source_pos
            self._disp = d if self.layer is None else self.layer.wrap(d)
        return self._disp

    def subset(self, idx):
        pick = (lambda a: None if a is None else a[idx])
        return Geometry(pick(self.source_pos), pick(self.target_pos), self.layer,
                        pick(self._disp))

    @classmethod
    def from_ids(cls, kernel, sources, targets):
        """Geometry of node-id pairs (sources may be None for node parameters)."""
        tpos = None if targets is None else positions_of(kernel, targets, "target nodes")
        if sources is None:
            return cls(None, tpos)
        sources = np.asarray(sources)
        layer = layer_of(kernel, sources[:1], "source nodes")[0] if sources.size else None
        return cls(positions_of(kernel, sources, "source nodes"), tpos, layer)


def geometry(ctx):
    """The geometry of a context (built from its node ids when not given)."""
    if ctx.geometry is None:
        from .. import get_kernel
        ctx.geometry = Geometry.from_ids(get_kernel(), ctx.sources, ctx.targets)
    return ctx.geometry


def is_spatial(node):
    """Whether an expression depends on positions."""
    return isinstance(node, SpatialLeaf) or any(is_spatial(c) for c in node.children)


def max_dimension(node):
    """The highest dimension index (0-based) an expression reads, -1 if none."""
    own = getattr(node, "dimension", None)
    own = -1 if own is None else own
    return max([own] + [max_dimension(c) for c in node.children])


class SpatialLeaf(ParameterNode):
    """Base of leaves that read positions."""

    def _column(self, arr):
        if self.dimension >= arr.shape[1]:
            raise DimensionMismatch(f"{self.describe()}: dimension {self.dimension + 1} is "
                                    f"not defined for {arr.shape[1]}-dimensional positions.")
        return arr[:, self.dimension]


class Distance(SpatialLeaf):
    """Euclidean distance between source and target, or its absolute value along one axis."""

    def __init__(self, dimension=None):
        self.dimension = None if dimension is None else int(dimension)

    def _eval(self, ctx, tag, word):
        d = geometry(ctx).displacement
        if self.dimension is None:
            return np.sqrt(np.einsum("ij,ij->i", d, d))
        return np.abs(self._column(d))

    def _describe(self):
        return "distance" if self.dimension is None else f"distance.{'xyz'[self.dimension]}"


class Position(SpatialLeaf):
    """A coordinate of the node (endpoint 0, node parameters), the source (1) or target (2)."""

    def __init__(self, dimension, endpoint=0):
        self.dimension = int(dimension)
        self.endpoint = int(endpoint)
        if self.endpoint not in (0, 1, 2):
            raise BadParameterValue("synaptic_endpoint", "must be 0 (node), 1 (source) or 2 "
                                                         "(target).")

    def _eval(self, ctx, tag, word):
        g = geometry(ctx)
        pos = g.source_pos if self.endpoint == 1 else g.target_pos
        if pos is None:
            raise NotSpatial(f"{self.describe()} needs the source node's position: use it when "
                             "connecting.")
        return self._column(pos).copy()

    def _describe(self):
        return f"{('pos', 'source_pos', 'target_pos')[self.endpoint]}.{'xyz'[self.dimension]}"


class PairFunction(SpatialLeaf):
    """A vectorized Python function of the distance (``of='distance'``, an array of m
    distances) or of the displacement (``of='displacement'``, a (dim, m) array, target minus
    source): PyNN's distance expressions and callables."""

    dimension = None

    def __init__(self, function, of="distance"):
        if of not in ("distance", "displacement"):
            raise BadParameterValue("of", "must be 'distance' or 'displacement'.")
        if not callable(function):
            raise BadParameterValue("function", f"must be callable; got {function!r}.")
        self.function, self.of = function, of

    def _eval(self, ctx, tag, word):
        d = geometry(ctx).displacement
        arg = np.sqrt(np.einsum("ij,ij->i", d, d)) if self.of == "distance" else d.T
        values = np.asarray(self.function(arg), dtype=np.float64)
        return np.array(np.broadcast_to(values, (d.shape[0],)))

    def _describe(self):
        return f"{getattr(self.function, '__name__', repr(self.function))}({self.of})"


class Profile(_Compound):
    """A distance profile applied to one or two parameters (x[, y]).

    kind: 'exponential' exp(-x/beta); 'gaussian' exp(-(x-mean)^2/(2 std^2)); 'gaussian2D';
    'gamma' x^(kappa-1) exp(-x/theta) / (Gamma(kappa) theta^kappa); 'gabor'.
    """

    _CHECKS = {"exponential": ("beta",), "gaussian": ("std",), "gamma": ("kappa", "theta"),
               "gaussian2D": ("std_x", "std_y"), "gabor": ("std", "lam")}

    def __init__(self, kind, args, **params):
        if kind not in self._CHECKS:
            raise BadParameterValue("kind", f"unknown spatial distribution {kind!r}.")
        self.kind = kind
        self.params = {k: _real(v, k, kind) for k, v in params.items()}
        for name in self._CHECKS[kind]:
            if not self.params[name] > 0:
                raise BadParameterValue(name, f"{kind}: {name} > 0 required; got "
                                              f"{self.params[name]!r}.")
        if kind == "gaussian2D" and not -1 < self.params["rho"] < 1:
            raise BadParameterValue("rho", f"gaussian2D: -1 < rho < 1 required; got "
                                           f"{self.params['rho']!r}.")
        super().__init__(*args)

    def _eval(self, ctx, tag, word):
        vals = self._eval_children(ctx, tag, word)
        p = self.params
        with np.errstate(all="ignore"):
            if self.kind == "exponential":
                return np.exp(-vals[0] / p["beta"])
            if self.kind == "gaussian":
                return np.exp(-(vals[0] - p["mean"]) ** 2 / (2 * p["std"] ** 2))
            if self.kind == "gamma":
                x, k, th = vals[0], p["kappa"], p["theta"]
                return np.power(x, k - 1) * np.exp(-x / th - gammaln(k) - k * np.log(th))
            if self.kind == "gaussian2D":
                dx = (vals[0] - p["mean_x"]) / p["std_x"]
                dy = (vals[1] - p["mean_y"]) / p["std_y"]
                rho = p["rho"]
                return np.exp(-(dx * dx + dy * dy - 2 * rho * dx * dy) / (2 * (1 - rho * rho)))
            th = np.deg2rad(p["theta"])
            x, y = vals
            xp = x * np.cos(th) + y * np.sin(th)
            yp = -x * np.sin(th) + y * np.cos(th)
            envelope = np.exp(-(p["gamma"] ** 2 * xp * xp + yp * yp) / (2 * p["std"] ** 2))
            wave = np.cos(2 * np.pi * yp / p["lam"] + np.deg2rad(p["psi"]))
            return np.maximum(wave, 0.0) * envelope

    def _describe(self):
        args = ", ".join(c.describe() for c in self.children)
        kw = ", ".join(f"{k}={_fmt(v)}" for k, v in self.params.items())
        return f"{self.kind}({args}, {kw})"
