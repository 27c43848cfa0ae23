"""``nest.spatial_distributions``: distance-dependent distributions of Parameters.

Spatial parameters come with spatial networks (positions, masks and distance-dependent
connection rules), which Neuropil does not have yet. The functions exist with NEST's names
and signatures so that scripts import; calling one raises NotImplementedError.
"""
from .parameters import SPATIAL_MESSAGE

__all__ = ["exponential", "gabor", "gamma", "gaussian", "gaussian2D"]


def _not_yet(name):
    raise NotImplementedError(f"nest.spatial_distributions.{name}: {SPATIAL_MESSAGE}.")


def exponential(x, beta=1.0):
    """Applies an exponential distribution on a Parameter (not available yet)."""
    _not_yet("exponential")


def gaussian(x, mean=0.0, std=1.0):
    """Applies a gaussian distribution on a Parameter (not available yet)."""
    _not_yet("gaussian")


def gaussian2D(x, y, mean_x=0.0, mean_y=0.0, std_x=1.0, std_y=1.0, rho=0.0):
    """Applies a bivariate gaussian distribution on two Parameters (not available yet)."""
    _not_yet("gaussian2D")


def gamma(x, kappa=1.0, theta=1.0):
    """Applies a gamma distribution on a Parameter (not available yet)."""
    _not_yet("gamma")


def gabor(x, y, theta=0.0, gamma=1.0, std=1.0, lam=1.0, psi=0.0):
    """Applies a Gabor function on two Parameters (not available yet)."""
    _not_yet("gabor")
