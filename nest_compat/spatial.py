"""``nest.spatial``: node positions and distances as Parameters, and spatial layouts.

Spatial parameters come with spatial networks (positions, masks and distance-dependent
connection rules), which Neuropil does not have yet. The names NEST offers (``distance``,
``pos``, ``source_pos``, ``target_pos``, ``grid``, ``free``) exist so that scripts import;
using one raises NotImplementedError.
"""
from .parameters import SPATIAL_MESSAGE

__all__ = ["free", "grid", "pos", "source_pos", "target_pos"]


def _not_yet(name):
    raise NotImplementedError(f"nest.spatial.{name}: {SPATIAL_MESSAGE}.")


class _NotYet:
    """A class attribute (e.g. ``pos.x``) that raises NotImplementedError when used."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        _not_yet(f"{(owner or type(obj)).__name__}.{self.name}")


class _Positions:
    x = _NotYet()
    y = _NotYet()
    z = _NotYet()

    @classmethod
    def n(cls, dimension):
        """Position in the given dimension (not available yet)."""
        _not_yet(f"{cls.__name__}.n")


class pos(_Positions):
    """Positions of the nodes, as Parameters (not available yet)."""


class source_pos(_Positions):
    """Positions of the presynaptic nodes, as Parameters (not available yet)."""


class target_pos(_Positions):
    """Positions of the postsynaptic nodes, as Parameters (not available yet)."""


class grid:
    """Grid positions for Create(..., positions=...) (not available yet)."""

    def __init__(self, shape, center=None, extent=None, edge_wrap=False):
        _not_yet("grid")


class free:
    """Free positions for Create(..., positions=...) (not available yet)."""

    def __init__(self, pos, extent=None, edge_wrap=False, num_dimensions=None):
        _not_yet("free")


def __getattr__(name):
    """``distance`` (the distance between two nodes) is created on first use in NEST."""
    if name == "distance":
        _not_yet("distance")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
