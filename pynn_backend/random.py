"""NativeRNG: PyNN random distributions drawn by the kernel's counter-based generator.

``RandomDistribution('normal', mu=0, sigma=1, rng=NativeRNG())`` draws from Philox streams
keyed by the kernel's ``rng_seed`` (or the NativeRNG's own seed) and a fresh stream per draw
call, so the values are reproducible and do not depend on threads or processes. Distributions
the kernel's parameter expressions have (uniform, normal, normal_clipped, lognormal,
exponential, uniform_int) are drawn by the kernel; the others (gamma, binomial, poisson,
vonmises, normal_clipped_to_boundary) by numpy seeded from the same (seed, stream).
"""
import numpy as np
import pyNN.random
from pyNN.random import NativeRNG as _BaseNativeRNG

from kernel.connect import parameters as kp
from kernel.connect.context import DrawContext
from kernel.parallel.mpi import processes


def _mpi_config():
    """(rank, number of processes) for PyNN's random number generators: the kernel's.

    PyNN's own ``get_mpi_config`` imports mpi4py in every NumpyRNG, which loads the MPI
    library (0.06 s) even in a process no MPI launcher started; the kernel imports it only
    under a launcher, and its processes are the ones a parallel-safe RNG must agree with.
    """
    procs = processes()
    return procs.rank, procs.size


pyNN.random.get_mpi_config = _mpi_config


def _kernel():
    from .simulator import state
    return state.kernel


def kernel_parameter(distribution, parameters):
    """The kernel parameter expression of a PyNN distribution, or None if it has none."""
    p = parameters
    if distribution == "uniform":
        return kp.Uniform(p["low"], p["high"])
    if distribution == "normal":
        return kp.Normal(p["mu"], p["sigma"]) if p["sigma"] > 0 else kp.Constant(p["mu"])
    if distribution == "normal_clipped":
        return kp.Redraw(kp.Normal(p["mu"], p["sigma"]), p["low"], p["high"])
    if distribution == "lognormal":
        return kp.Lognormal(p["mu"], p["sigma"])
    if distribution == "exponential":
        return kp.Exponential(p["beta"])
    if distribution == "uniform_int":
        return kp.BinaryOp("+", kp.UniformInt(int(p["high"]) - int(p["low"])), float(p["low"]))
    return None


class NativeRNG(_BaseNativeRNG):
    """Random numbers from the kernel's generator (see module docstring)."""

    def __init__(self, seed=None):
        super().__init__(seed)
        self.parallel_safe = True

    def _key(self):
        k = _kernel()
        seed = k.rng_seed if self.seed is None else int(self.seed)
        return seed, k.next_stream()

    def next(self, n=None, distribution=None, parameters=None, mask=None):
        size = 1 if n is None else int(n)
        seed, stream = self._key()
        node = kernel_parameter(distribution, parameters or {})
        if node is not None:
            values = node.evaluate(DrawContext(seed, stream, count=size))
            if distribution == "uniform_int":
                values = values.astype(np.int64)
        else:
            gen = np.random.Generator(np.random.PCG64([seed, stream]))
            values = _numpy_draw(gen, distribution, parameters, size)
        if mask is not None:
            values = values[mask]
        return values if n is not None else values[0]

    def permutation(self, array):
        seed, stream = self._key()
        return np.random.Generator(np.random.PCG64([seed, stream])).permutation(array)


def _numpy_draw(gen, distribution, p, size):
    if distribution == "gamma":
        return gen.gamma(p["k"], p["theta"], size)
    if distribution == "binomial":
        return gen.binomial(p["n"], p["p"], size)
    if distribution == "poisson":
        return gen.poisson(p["lambda_"], size)
    if distribution == "vonmises":
        return gen.vonmises(p["mu"], p["kappa"], size)
    if distribution == "normal_clipped_to_boundary":
        return np.clip(gen.normal(p["mu"], p["sigma"], size), p["low"], p["high"])
    raise ValueError(f"unknown distribution {distribution!r}")


def draw(distribution, n):
    """``n`` values of a PyNN RandomDistribution (its own rng, or the kernel's for NativeRNG)."""
    values = distribution.next(n)
    return np.asarray(values, dtype=float).reshape(-1) if n != 1 or np.ndim(values) else \
        np.asarray([values], dtype=float)
