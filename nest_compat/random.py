"""``nest.random``: Parameters drawing from random distributions.

Every value is a pure function of (rng_seed, stream, site, draw) of the kernel's
counter-based generator, so a network built with these Parameters is the same for any
number of threads or processes.
"""
from .parameters import CreateParameter

__all__ = ["exponential", "lognormal", "normal", "uniform", "uniform_int"]


def uniform(min=0.0, max=1.0):
    """Draws samples from a uniform distribution in [min, max) (includes min, excludes max).

    Parameters
    ----------
    min : float, optional
        Lower boundary of the sample interval. Default value is 0.
    max : float, optional
        Upper boundary of the sample interval. Default value is 1.0.

    Returns
    -------
    Parameter
        Object yielding values drawn from the distribution.
    """
    return CreateParameter("uniform", {"min": float(min), "max": float(max)})


def uniform_int(max):
    """Draws integer samples from a uniform distribution in [0, max) (includes 0, excludes max).

    Parameters
    ----------
    max : int
        Upper boundary of the sample interval (a positive integer).

    Returns
    -------
    Parameter
        Object yielding values drawn from the distribution (as floats, like NEST).
    """
    return CreateParameter("uniform_int", {"max": max})


def normal(mean=0.0, std=1.0):
    """Draws samples from a normal distribution.

    Parameters
    ----------
    mean : float, optional
        Mean of the distribution. Default value is 0.
    std : float, optional
        Standard deviation of the distribution (> 0). Default value is 1.0.

    Returns
    -------
    Parameter
        Object yielding values drawn from the distribution.
    """
    return CreateParameter("normal", {"mean": float(mean), "std": float(std)})


def exponential(beta=1.0):
    """Draws samples from an exponential distribution.

    Parameters
    ----------
    beta : float, optional
        Scale parameter of the distribution (its mean). Default value is 1.0.

    Returns
    -------
    Parameter
        Object yielding values drawn from the distribution.
    """
    return CreateParameter("exponential", {"beta": float(beta)})


def lognormal(mean=0.0, std=1.0):
    """Draws samples from a log-normal distribution.

    Parameters
    ----------
    mean : float, optional
        Mean value of the underlying normal distribution. Default value is 0.
    std : float, optional
        Standard deviation of the underlying normal distribution (> 0). Default value is 1.0.

    Returns
    -------
    Parameter
        Object yielding values drawn from the distribution.
    """
    return CreateParameter("lognormal", {"mean": float(mean), "std": float(std)})
