"""``nest.spatial_distributions``: distance-dependent profiles applied to Parameters."""
from kernel.spatial.parameters import Profile

from .errors import nest_errors
from .parameters import Parameter, require_parameter

__all__ = ["exponential", "gabor", "gamma", "gaussian", "gaussian2D"]


def _profile(kind, args, **params):
    nodes = [require_parameter(a, f"spatial_distributions.{kind}") for a in args]
    return Parameter(Profile(kind, nodes, **params))


@nest_errors
def exponential(x, beta=1.0):
    """exp(-x / beta) of a Parameter ``x`` (typically ``nest.spatial.distance``)."""
    return _profile("exponential", [x], beta=beta)


@nest_errors
def gaussian(x, mean=0.0, std=1.0):
    """exp(-(x - mean)^2 / (2 std^2)) of a Parameter ``x``."""
    return _profile("gaussian", [x], mean=mean, std=std)


@nest_errors
def gaussian2D(x, y, mean_x=0.0, mean_y=0.0, std_x=1.0, std_y=1.0, rho=0.0):
    """Bivariate Gaussian (peak 1) of two Parameters with correlation ``rho``."""
    return _profile("gaussian2D", [x, y], mean_x=mean_x, mean_y=mean_y, std_x=std_x,
                    std_y=std_y, rho=rho)


@nest_errors
def gamma(x, kappa=1.0, theta=1.0):
    """Gamma density x^(kappa-1) exp(-x/theta) / (Gamma(kappa) theta^kappa) of ``x``."""
    return _profile("gamma", [x], kappa=kappa, theta=theta)


@nest_errors
def gabor(x, y, theta=0.0, gamma=1.0, std=1.0, lam=1.0, psi=0.0):
    """Gabor function of two Parameters (angles theta and psi in degrees)."""
    return _profile("gabor", [x, y], theta=theta, gamma=gamma, std=std, lam=lam, psi=psi)
