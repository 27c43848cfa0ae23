"""``nest.spatial``: layouts for ``Create(..., positions=...)`` and spatial Parameters.

``grid`` and ``free`` describe positions; ``Create`` turns them into a kernel layer
(``kernel.spatial``) attached to the new block. ``pos``, ``source_pos``, ``target_pos`` and
``distance`` are Parameters reading positions (node parameters, connection parameters).
"""
import functools
import numbers

from kernel.spatial import parameters as ksp

from .errors import NESTErrors
from .parameters import Parameter

__all__ = ["free", "grid", "pos", "source_pos", "target_pos"]


def _dimension(value, lowest):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lowest:
        raise NESTErrors.BadParameterValue(f"dimension must be an integer >= {lowest}; got "
                                           f"{value!r}.")
    return int(value)


def _position(dimension, endpoint):
    return Parameter(ksp.Position(_dimension(dimension, 0), endpoint))


class DistanceParameter(Parameter):
    """The distance between source and target (``nest.spatial.distance``); ``.x``, ``.y``,
    ``.z`` and ``.n(d)`` give the absolute displacement along one axis."""

    def __init__(self):
        super().__init__(ksp.Distance())

    @property
    def x(self):
        """Distance along the x-axis."""
        return Parameter(ksp.Distance(0))

    @property
    def y(self):
        """Distance along the y-axis."""
        return Parameter(ksp.Distance(1))

    @property
    def z(self):
        """Distance along the z-axis."""
        return Parameter(ksp.Distance(2))

    @staticmethod
    def n(dimension):
        """Distance along dimension ``dimension`` (1-based, as in NEST)."""
        return Parameter(ksp.Distance(_dimension(dimension, 1) - 1))


def _positions_class(name, endpoint, doc):
    attrs = {"__doc__": doc,
             "x": _position(0, endpoint), "y": _position(1, endpoint),
             "z": _position(2, endpoint),
             "n": staticmethod(lambda dimension: _position(dimension, endpoint))}
    return type(name, (), attrs)


pos = _positions_class("pos", 0, "Position of a node (``x``, ``y``, ``z``, ``n(d)`` 0-based); "
                                 "for node parameters and ``Parameter.apply``.")
source_pos = _positions_class("source_pos", 1, "Position of the source node when connecting.")
target_pos = _positions_class("target_pos", 2, "Position of the target node when connecting.")


class grid:
    """Grid positions for ``Create``.

    Parameters
    ----------
    shape : list of int
        Columns and rows (and depth) of the grid.
    center : list of float, optional
        Middle of the layer (the origin by default).
    extent : list of float, optional
        Size of the layer (1.0 per dimension by default).
    edge_wrap : bool, optional
        Periodic boundary conditions.
    """

    def __init__(self, shape, center=None, extent=None, edge_wrap=False):
        self.shape = shape
        self.center = center
        self.extent = extent
        self.edge_wrap = edge_wrap


class free:
    """Free positions for ``Create``: a list of 2-D/3-D positions, a list of Parameters (one
    per dimension) or one Parameter (with ``num_dimensions`` or ``extent``).

    Parameters
    ----------
    pos : list or Parameter
    extent : list of float, optional
        Size of the layer (the bounding box of the positions, rounded up, by default).
    edge_wrap : bool, optional
        Periodic boundary conditions.
    num_dimensions : int, optional
        Number of dimensions when ``pos`` is a single Parameter.
    """

    def __init__(self, pos, extent=None, edge_wrap=False, num_dimensions=None):
        if extent and num_dimensions:
            raise TypeError("extent and number of dimensions cannot be specified at the same "
                            "time")
        if isinstance(pos, Parameter):
            if extent:
                num_dimensions = len(extent)
            if not num_dimensions:
                raise TypeError("could not infer number of dimensions. Set num_dimensions or "
                                "extent when using Parameter as pos")
            pos = [pos] * int(num_dimensions)
        elif isinstance(pos, (list, tuple)) or hasattr(pos, "__array__"):
            if num_dimensions:
                raise TypeError("number of dimensions cannot be specified when using an array "
                                "of positions")
        else:
            raise TypeError("pos must be either an array of positions, or a Parameter")
        if len(pos) and all(isinstance(p, Parameter) for p in pos) and \
                not 2 <= len(pos) <= 3:
            raise ValueError("Number of dimensions must be 2 or 3")
        self.pos = pos
        self.extent = extent
        self.edge_wrap = edge_wrap


@functools.lru_cache(maxsize=None)
def _distance():
    return DistanceParameter()


def __getattr__(name):
    """``distance`` (the distance between source and target), created on first use."""
    if name == "distance":
        return _distance()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
