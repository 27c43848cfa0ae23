"""Masks: regions of space relative to a node, tested for many points at once.

``mask.inside(points)`` takes an (m, d) array of displacements and returns a bool array;
``mask.bbox()`` gives (lower_left, upper_right) of a box holding the mask, which bounds the
neighbour query. Masks combine with ``|`` ``&`` ``-`` and move with :class:`Anchored`.
Grid masks (in units of grid cells) are not geometric; they live in :class:`GridMask` and are
handled by the connection builder directly.
"""
import numpy as np

from ..errors import BadParameterValue, DimensionMismatch


def _rotation_2d(azimuth):
    a = np.deg2rad(azimuth)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


def _rotation(dim, azimuth, polar):
    """Rotation taking mask coordinates to space: polar angle about y, then azimuth about z."""
    if dim == 2:
        return _rotation_2d(azimuth)
    a, p = np.deg2rad(azimuth), np.deg2rad(polar)
    rz = np.array([[np.cos(a), -np.sin(a), 0.0], [np.sin(a), np.cos(a), 0.0], [0.0, 0.0, 1.0]])
    ry = np.array([[np.cos(p), 0.0, np.sin(p)], [0.0, 1.0, 0.0], [-np.sin(p), 0.0, np.cos(p)]])
    return rz @ ry


def _padded(v):
    """A 2-D or 3-D vector as three floats (the compiled search's layout)."""
    return [float(x) for x in v] + [0.0] * (3 - len(v))


class Mask:
    """Base class: a region of 2-D or 3-D space."""

    dim = 2

    def inside(self, points):
        """Bool array: which rows of ``points`` (m, dim) are inside."""
        points = np.asarray(points, dtype=np.float64)
        if points.ndim != 2 or points.shape[1] != self.dim:
            raise DimensionMismatch(f"the mask is {self.dim}-dimensional but the points have "
                                    f"{points.shape[-1]} coordinates.")
        return self._inside(points)

    def _inside(self, points):  # pragma: no cover - abstract
        raise NotImplementedError

    def bbox(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def compiled(self, shift=None):
        """(kind, parameters) for the compiled search (``_grid``): the exact test of boxes,
        balls and doughnuts moved by ``shift``; other masks give KIND_BBOX (0), tested by
        their bounding box there and exactly with :meth:`inside`."""
        return 0, []

    def __or__(self, other):
        return Combined("or", self, other)

    def __and__(self, other):
        return Combined("and", self, other)

    def __sub__(self, other):
        return Combined("minus", self, other)


class Box(Mask):
    """Rectangle / box from lower_left to upper_right (edges included), rotated about its
    middle by azimuth_angle (and polar_angle in 3-D), in degrees."""

    def __init__(self, lower_left, upper_right, azimuth_angle=0.0, polar_angle=0.0):
        self.ll = np.asarray(lower_left, dtype=np.float64)
        self.ur = np.asarray(upper_right, dtype=np.float64)
        self.dim = self.ll.shape[0]
        if self.ur.shape != self.ll.shape:
            raise DimensionMismatch("lower_left and upper_right must have the same dimension.")
        if np.any(self.ur <= self.ll):
            raise BadParameterValue("upper_right", "Upper right must be strictly to the right "
                                                   "and above lower left.")
        if self.dim == 2 and polar_angle != 0.0:
            raise BadParameterValue("polar_angle", "not defined for 2-D masks.")
        self.angles = (float(azimuth_angle), float(polar_angle))
        self.rotated = self.angles != (0.0, 0.0)
        self.mid = 0.5 * (self.ll + self.ur)
        self.rot = _rotation(self.dim, *self.angles)

    def _inside(self, p):
        if self.rotated:
            p = (p - self.mid) @ self.rot + self.mid   # rows times R = R^T applied per row
            # rotated coordinates carry rounding (cos 90 deg is 6e-17): allow for it
            eps = 1e-12 * np.max(self.ur - self.ll)
            return np.all((p >= self.ll - eps) & (p <= self.ur + eps), axis=1)
        return np.all((p >= self.ll) & (p <= self.ur), axis=1)

    def compiled(self, shift=None):
        if self.rotated:
            return 0, []
        sh = np.zeros(self.dim) if shift is None else shift
        return 1, _padded(self.ll + sh) + _padded(self.ur + sh)

    def bbox(self):
        if not self.rotated:
            return self.ll.copy(), self.ur.copy()
        corners = np.array(np.meshgrid(*zip(self.ll, self.ur), indexing="ij")).reshape(
            self.dim, -1).T
        moved = (corners - self.mid) @ self.rot.T + self.mid
        return moved.min(axis=0), moved.max(axis=0)


class Ball(Mask):
    """Circle / sphere of ``radius`` around ``center`` (boundary included)."""

    def __init__(self, radius, center):
        self.radius = float(radius)
        self.center = np.asarray(center, dtype=np.float64)
        self.dim = self.center.shape[0]
        if not self.radius > 0:
            raise BadParameterValue("radius", f"Circular mask radius must be positive; got "
                                              f"{radius!r}.")

    def _inside(self, p):
        d = p - self.center
        return np.einsum("ij,ij->i", d, d) <= self.radius * self.radius

    def compiled(self, shift=None):
        c = self.center if shift is None else self.center + shift
        return 2, _padded(c) + [self.radius * self.radius, 0.0]

    def bbox(self):
        return self.center - self.radius, self.center + self.radius


class Doughnut(Mask):
    """Ring between inner_radius (excluded) and outer_radius (included), 2-D."""

    def __init__(self, inner_radius, outer_radius, center):
        self.inner, self.outer = float(inner_radius), float(outer_radius)
        self.center = np.asarray(center, dtype=np.float64)
        self.dim = self.center.shape[0]
        if not 0 <= self.inner < self.outer:
            raise BadParameterValue("outer_radius", "Doughnut mask: 0 <= inner_radius < "
                                                    "outer_radius required.")

    def _inside(self, p):
        d = p - self.center
        r2 = np.einsum("ij,ij->i", d, d)
        return (r2 > self.inner * self.inner) & (r2 <= self.outer * self.outer)

    def compiled(self, shift=None):
        c = self.center if shift is None else self.center + shift
        return 3, _padded(c) + [self.outer * self.outer, self.inner * self.inner]

    def bbox(self):
        return self.center - self.outer, self.center + self.outer


class Ellipse(Mask):
    """Ellipse / ellipsoid with full axes major (x), minor (y) and polar (z), centred at
    ``center`` and rotated by azimuth_angle (and polar_angle), in degrees."""

    def __init__(self, major_axis, minor_axis, center, polar_axis=None, azimuth_angle=0.0,
                 polar_angle=0.0):
        self.center = np.asarray(center, dtype=np.float64)
        self.dim = self.center.shape[0]
        axes = [major_axis, minor_axis] + ([polar_axis] if self.dim == 3 else [])
        self.half = 0.5 * np.asarray(axes, dtype=np.float64)
        if np.any(self.half <= 0):
            raise BadParameterValue("major_axis", "All axis lengths of an elliptical mask must "
                                                  "be positive.")
        if major_axis < minor_axis:
            raise BadParameterValue("major_axis", "The major axis must be at least as long as "
                                                  "the minor axis.")
        self.rot = _rotation(self.dim, float(azimuth_angle), float(polar_angle))

    def _inside(self, p):
        q = (p - self.center) @ self.rot / self.half
        return np.einsum("ij,ij->i", q, q) <= 1.0

    def bbox(self):
        r = float(self.half.max())
        return self.center - r, self.center + r


class Anchored(Mask):
    """``mask`` moved by ``anchor``: p is inside when p - anchor is inside ``mask``."""

    def __init__(self, mask, anchor):
        self.mask = mask
        self.anchor = np.asarray(anchor, dtype=np.float64)
        self.dim = mask.dim
        if self.anchor.shape != (self.dim,):
            raise DimensionMismatch(f"anchor must have {self.dim} elements; got "
                                    f"{list(self.anchor)}.")

    def _inside(self, p):
        return self.mask._inside(p - self.anchor)

    def compiled(self, shift=None):
        return self.mask.compiled(self.anchor if shift is None else self.anchor + shift)

    def bbox(self):
        lo, hi = self.mask.bbox()
        return lo + self.anchor, hi + self.anchor


class Combined(Mask):
    """Union (or), intersection (and) or difference (minus) of two masks."""

    def __init__(self, op, left, right):
        if not isinstance(left, Mask) or not isinstance(right, Mask):
            raise BadParameterValue("mask", "masks combine only with masks.")
        if left.dim != right.dim:
            raise DimensionMismatch("Masks must have the same number of dimensions.")
        self.op, self.left, self.right, self.dim = op, left, right, left.dim

    def _inside(self, p):
        a = self.left._inside(p)
        b = self.right._inside(p)
        return a | b if self.op == "or" else (a & b if self.op == "and" else a & ~b)

    def bbox(self):
        lo1, hi1 = self.left.bbox()
        if self.op == "minus":
            return lo1, hi1
        lo2, hi2 = self.right.bbox()
        if self.op == "and":
            return np.maximum(lo1, lo2), np.minimum(hi1, hi2)
        return np.minimum(lo1, lo2), np.maximum(hi1, hi2)


class GridMask:
    """A block of ``shape`` grid cells (columns, rows[, depth]), for grid layers only.

    With anchor a, a driver at grid index c selects the pool's cells with index
    c + a - shape + 1 .. c + a in every dimension (NEST's convention, see
    docs/nest_semantics.md).
    """

    def __init__(self, shape, anchor=None):
        self.shape = np.asarray(shape, dtype=np.int64)
        self.dim = self.shape.shape[0]
        if self.dim not in (2, 3) or np.any(self.shape < 1):
            raise BadParameterValue("shape", "Grid mask shape must be 2 or 3 positive integers.")
        self.anchor = np.zeros(self.dim, np.int64) if anchor is None else \
            np.asarray(anchor, dtype=np.int64)
