"""Layers: the positions of a block of nodes in 2-D or 3-D space.

A layer belongs to one node block (``block.layer``): ``positions[i]`` is the position of node
``block.first + i``. It also carries the layer's box (``center`` and ``extent``) and whether its
edges wrap (periodic boundary conditions), which decide displacements and distances between
nodes. Both adapters build layers here: NEST's ``spatial.grid``/``spatial.free`` and PyNN's
structures (Line, Grid2D, Grid3D, RandomStructure) are only different ways to fill ``positions``.
"""
import numpy as np

from ..errors import BadParameterType, BadParameterValue, DimensionMismatch, KernelError


class NotSpatial(KernelError):
    """Nodes without positions where positions are needed (NEST: LayerExpected / TypeError)."""


class Layer:
    """Positions of the nodes of one block, and the box they live in.

    Parameters
    ----------
    positions : ndarray, shape (n, d)
        One position per node, d = 2 or 3.
    extent, center : array_like of float, shape (d,)
        Size and middle of the layer's box.
    edge_wrap : bool
        Periodic boundary conditions: displacements are taken to the nearest periodic image.
    shape : tuple of int or None
        The grid shape (columns, rows[, depth]) for grid layers; None for free layers.
    periods : array_like of float, optional
        Period of each axis, 0 for an open axis (PyNN's Space may wrap some axes only);
        ``extent`` on every axis when ``edge_wrap``, else none, by default.
    """

    def __init__(self, positions, extent, center, edge_wrap=False, shape=None, periods=None):
        self.positions = np.ascontiguousarray(positions, dtype=np.float64)
        self.extent = np.asarray(extent, dtype=np.float64)
        self.center = np.asarray(center, dtype=np.float64)
        self.edge_wrap = bool(edge_wrap)
        self.shape = None if shape is None else tuple(int(s) for s in shape)
        if periods is None:
            periods = self.extent if self.edge_wrap else np.zeros(self.extent.shape)
        self.periods = np.asarray(periods, dtype=np.float64)
        self._wrapped_axes = np.flatnonzero(self.periods > 0)
        self.first = None   # node id of positions[0], set when attached to a block

    @property
    def dim(self):
        return int(self.positions.shape[1])

    @property
    def n(self):
        return int(self.positions.shape[0])

    @property
    def lower_left(self):
        return self.center - 0.5 * self.extent

    def wrap(self, d):
        """Displacements ``d`` (m, dim) taken to the nearest periodic image (in place)."""
        if self.edge_wrap:
            ext = self.extent
            d -= ext * np.floor(d / ext + 0.5)
        elif self._wrapped_axes.size:
            for k in self._wrapped_axes:
                d[..., k] -= self.periods[k] * np.floor(d[..., k] / self.periods[k] + 0.5)
        return d


def _vector(value, name, d=None):
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise BadParameterType(name, f"must be a list of {d or 2 or 3} numbers; got {value!r}.")
    if arr.ndim != 1 or (d is not None and arr.shape[0] != d) or arr.shape[0] not in (2, 3):
        raise BadParameterValue(name, f"must have {d if d else '2 or 3'} elements (one per "
                                      f"dimension); got {value!r}.")
    if not np.all(np.isfinite(arr)):
        raise BadParameterValue(name, f"must be finite; got {value!r}.")
    return arr


def _edge_wrap(value):
    if not isinstance(value, (bool, np.bool_)):
        raise BadParameterType("edge_wrap", f"must be True or False; got {value!r}.")
    return bool(value)


def grid_layer(shape, extent=None, center=None, edge_wrap=False):
    """A grid layer (NEST's node order: x slowest, then y from the top, then z from below).

    Parameters
    ----------
    shape : sequence of 2 or 3 positive int
        Number of columns, rows (and depth levels).
    extent : sequence of float, optional
        Size of the layer; 1.0 in each dimension by default.
    center : sequence of float, optional
        Middle of the layer; the origin by default.
    edge_wrap : bool
        Periodic boundary conditions.

    Returns
    -------
    Layer
    """
    try:
        shp = [int(s) for s in shape]
        bad = len(shp) not in (2, 3) or any(s != v for s, v in zip(shp, shape)) or min(shp) < 1
    except (TypeError, ValueError):
        bad = True
    if bad:
        raise BadParameterValue("shape", f"must be 2 or 3 positive integers (columns, rows[, "
                                         f"depth]); got {shape!r}.")
    d = len(shp)
    ext = np.ones(d) if extent is None else _vector(extent, "extent", d)
    ctr = np.zeros(d) if center is None else _vector(center, "center", d)
    if np.any(ext <= 0):
        raise BadParameterValue("extent", f"must be positive; got {extent!r}.")
    wrap = _edge_wrap(edge_wrap)
    # NEST's arithmetic, so that positions (and mask edges) agree to the last bit: from the
    # upper left corner in steps of extent / shape (rows count downwards)
    corner = ctr - ext / 2
    step = ext / np.asarray(shp, dtype=np.float64)
    if d > 1:
        corner[1] += ext[1]
        step[1] = -step[1]
    axes = [corner[k] + step[k] * np.arange(shp[k]) + step[k] * 0.5 for k in range(d)]
    mesh = np.meshgrid(*axes, indexing="ij")
    positions = np.stack([m.reshape(-1) for m in mesh], axis=1)
    return Layer(positions, ext, ctr, wrap, tuple(shp))


def free_layer(positions, extent=None, edge_wrap=False):
    """A layer of given positions.

    Without ``extent`` the box is the positions' bounding box with each side rounded up to a
    whole number (NEST's rule); with ``extent`` it is centred on the bounding box. Every
    position must lie inside the box.

    Parameters
    ----------
    positions : array_like, shape (n, 2) or (n, 3)
    extent : sequence of float, optional
    edge_wrap : bool

    Returns
    -------
    Layer
    """
    try:
        pos = np.asarray(positions, dtype=np.float64)
    except (TypeError, ValueError):
        raise BadParameterValue("positions", "all positions must have the same number of "
                                             "dimensions (2 or 3).") from None
    if pos.ndim != 2 or pos.shape[1] not in (2, 3) or pos.shape[0] < 1:
        raise BadParameterValue("positions", f"expected a list of 2-D or 3-D positions; got "
                                             f"shape {pos.shape}.")
    if not np.all(np.isfinite(pos)):
        raise BadParameterValue("positions", "must be finite.")
    d = pos.shape[1]
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    ctr = 0.5 * (lo + hi)
    if extent is None:
        if pos.shape[0] == 1:
            raise BadParameterValue("extent", "If only one node is created, 'extent' must be "
                                              "specified.")
        ext = np.ceil(hi - lo)
    else:
        ext = _vector(extent, "extent")
        if ext.shape[0] != d:
            raise BadParameterValue("extent", f"has {ext.shape[0]} elements but the positions "
                                              f"are {d}-dimensional.")
        if np.any(ext <= 0):
            raise BadParameterValue("extent", f"must be positive; got {extent!r}.")
        if np.any(hi - lo > ext * (1 + 1e-12)):
            raise BadParameterValue("positions", f"some positions lie outside the layer's "
                                                 f"extent {list(ext)} around {list(ctr)}.")
    return Layer(pos, ext, ctr, _edge_wrap(edge_wrap), None)


# -- kernel side ----------------------------------------------------------------------------------
def attach(kernel, first, layer):
    """Give the block that starts at node id ``first`` its layer."""
    block = kernel.nodes.block_of(first)
    if block.first != first or block.n_global != layer.n:
        raise DimensionMismatch(f"a layer of {layer.n} positions does not fit the block of "
                                f"{block.n_global} nodes at id {block.first}.")
    layer.first = block.first
    block.layer = layer


def layer_of(kernel, ids, what="nodes"):
    """The one layer holding all ``ids`` and their local indices in it.

    Raises NotSpatial when an id has no position or the ids span several layers.
    """
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    if ids.size == 0:
        raise NotSpatial(f"{what}: no nodes given.")
    kernel.nodes.check_ids(ids)
    bidx = kernel.nodes.block_index(ids)
    if bidx.min() != bidx.max():
        raise NotSpatial(f"{what} must all belong to one spatial layer (one Create with "
                         "positions).")
    layer = getattr(kernel.nodes.blocks[int(bidx[0])], "layer", None)
    if layer is None:
        raise NotSpatial(f"{what} must have spatial information (create them with positions).")
    return layer, ids - layer.first


def positions_of(kernel, ids, what="nodes"):
    """Positions (m, d) of any spatial node ids (several layers allowed, same dimension)."""
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    if ids.size:   # the common case, one layer: index it directly
        kernel.nodes.check_ids(ids)
        lo, hi = kernel.nodes.block_index(ids[[0, -1]])
        block = kernel.nodes.blocks[int(lo)]
        layer = getattr(block, "layer", None)
        if lo == hi and layer is not None and ids.min() >= block.first and \
                ids.max() <= block.last:
            return layer.positions[ids - block.first]
    out, dim = None, None
    for block, pos, local in kernel.nodes.group(ids):
        layer = getattr(block, "layer", None)
        if layer is None:
            raise NotSpatial(f"{what} must have spatial information (create them with "
                             "positions).")
        if out is None:
            dim = layer.dim
            out = np.empty((ids.shape[0], dim))
        elif layer.dim != dim:
            raise DimensionMismatch(f"{what}: layers of different dimensions.")
        out[pos] = layer.positions[local]
    if out is None:
        out = np.empty((0, 2))
    return out
