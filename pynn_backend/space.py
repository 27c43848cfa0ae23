"""PyNN's positions and Space as kernel layers.

PyNN keeps positions on populations (from their structures: Line, Grid2D, Grid3D,
RandomStructure) and the metric on projections (``Space``: the axes used, a scale factor and
offset applied to the post positions, periodic boundaries per axis). For a projection both
become a pair of kernel layers (``kernel.spatial.Layer``), one position per cell, in which
the kernel's displacement is exactly PyNN's: axes left out are zero, the post side is
``scale_factor * (position + offset)``, and periodic axes wrap to the nearest image. The
distance-dependent connectors and distance-dependent weights and delays then use the
kernel's spatial code (``spatial_connect``, ``Geometry``).
"""
import numpy as np

from kernel import spatial as ks


def _layer(positions, periods):
    pos = np.ascontiguousarray(np.asarray(positions, dtype=np.float64).T)
    lo = pos.min(axis=0) if pos.shape[0] else np.zeros(3)
    hi = pos.max(axis=0) if pos.shape[0] else np.zeros(3)
    return ks.Layer(pos, np.maximum(hi - lo, 0.0), 0.5 * (lo + hi), False, None, periods)


def projection_layers(projection, use_space=True):
    """(pre layer, post layer) of a projection's cells.

    With ``use_space`` the layers follow the projection's Space (axes, scale, offset,
    periodic boundaries); without, they hold the raw positions (PyNN's displacement-dependent
    connectors see raw displacements).
    """
    a = np.array(projection.pre.positions, dtype=np.float64)
    b = np.array(projection.post.positions, dtype=np.float64)
    periods = np.zeros(3)
    if use_space:
        sp = projection.space
        b = sp.scale_factor * (b + sp.offset)
        unused = np.setdiff1d(np.arange(3), np.atleast_1d(sp.axes))
        a[unused] = 0.0
        b[unused] = 0.0
        for axis, bounds in enumerate(sp.periodic_boundaries or ()):
            if bounds is not None and axis not in unused:
                periods[axis] = float(bounds[1]) - float(bounds[0])
    return _layer(a, periods), _layer(b, periods)


def pair_distances(projection, pre_pos, post_pos):
    """PyNN distances between pre cells ``pre_pos`` and post cells ``post_pos`` (positions in
    the projection's populations), computed by the kernel's geometry."""
    pre_layer, post_layer = projection_layers(projection)
    pre_pos, post_pos = np.asarray(pre_pos), np.asarray(post_pos)
    geom = ks.Geometry(pre_layer.positions[pre_pos.reshape(-1)],
                       post_layer.positions[post_pos.reshape(-1)], pre_layer)
    d = geom.displacement
    return np.sqrt(np.einsum("ij,ij->i", d, d)).reshape(np.shape(pre_pos))
