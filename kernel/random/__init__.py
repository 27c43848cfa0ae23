"""Counter-based random numbers: every draw is a pure function of (seed, stream, counter)."""
from .philox import poisson_counts, uniform_doubles

__all__ = ["poisson_counts", "uniform_doubles"]
