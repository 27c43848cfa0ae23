"""PyNN's structures and Space through the kernel's spatial code: distances as pyNN.space
computes them, and distance-dependent connection probabilities that follow the requested
profile (2-D and 3-D, open and periodic boundaries)."""
import numpy as np
import pytest
from numpy.testing import assert_allclose
from pyNN import space
from scipy import stats


def _all_pairs(n_pre, n_post):
    return np.repeat(np.arange(n_pre), n_post), np.tile(np.arange(n_post), n_pre)


@pytest.mark.parametrize("sp", [
    space.Space(),
    space.Space(axes="xy", periodic_boundaries=((0, 1.0), (0, 1.0), None)),
    space.Space(axes="xz", scale_factor=2.0, offset=0.1),
    space.Space(periodic_boundaries=((-0.5, 0.5), None, (0, 2.0))),
])
def test_projection_distances_are_pynn_space_distances(sim, sp):
    pre = sim.Population(20, sim.IF_curr_exp(),
                         structure=space.RandomStructure(space.Cuboid(1, 1, 2),
                                                         rng=sim.NumpyRNG(seed=1)))
    post = sim.Population(24, sim.IF_curr_exp(), structure=space.Grid2D(aspect_ratio=1.5,
                                                                         dx=0.1, dy=0.2))
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), space=sp)
    i, j = _all_pairs(20, 24)
    expected = sp.distances(pre.positions.T, post.positions.T).reshape(20, 24)
    assert_allclose(prj._distances(i, j), expected[i, j], rtol=1e-12, atol=1e-12)


def _chi2_pvalue(observed, candidates, p, bins):
    expected = np.histogram(candidates, bins=bins, weights=p)[0]
    variance = np.histogram(candidates, bins=bins, weights=p * (1 - p))[0]
    obs = np.histogram(observed, bins=bins)[0]
    ok = variance > 5
    return stats.chi2.sf(((obs[ok] - expected[ok]) ** 2 / variance[ok]).sum(), ok.sum())


@pytest.mark.parametrize("structure, periodic", [
    (space.Grid2D(dx=1.0 / 30, dy=1.0 / 30), False),
    (space.Grid2D(dx=1.0 / 30, dy=1.0 / 30), True),
    (space.RandomStructure(space.Cuboid(1, 1, 1)), False),
    (space.RandomStructure(space.Cuboid(1, 1, 1)), True),
    (space.RandomStructure(space.Sphere(1.0)), False),
])
def test_distance_dependent_probability_follows_profile(sim, structure, periodic):
    n = 900
    if isinstance(structure, space.RandomStructure):
        structure.rng = sim.NumpyRNG(seed=4)
    pop = sim.Population(n, sim.IF_curr_exp(), structure=structure)
    lo, hi = pop.positions.min(axis=1) - 1e-9, pop.positions.max(axis=1) + 1e-9
    bounds = tuple((lo[k], lo[k] + max(1.0, hi[k] - lo[k])) for k in range(3)) \
        if periodic else None
    sp = space.Space(periodic_boundaries=bounds)
    prj = sim.Projection(pop, pop, sim.DistanceDependentProbabilityConnector(
        "0.9 * exp(-d / 0.12)", rng=sim.NumpyRNG(seed=7)), space=sp)
    conns = np.array(prj.get("weight", format="list"))[:, :2].astype(int)
    dist = sp.distances(pop.positions.T, pop.positions.T).reshape(n, n)
    observed = dist[conns[:, 0], conns[:, 1]]
    candidates = dist.reshape(-1)
    bins = np.linspace(0.0, 0.6, 13)
    good = _chi2_pvalue(observed, candidates, 0.9 * np.exp(-candidates / 0.12), bins)
    wrong = _chi2_pvalue(observed, candidates, 0.9 * np.exp(-candidates / 0.132), bins)
    assert good > 1e-3
    assert wrong < 1e-6   # power: a 10 % wider profile is rejected


def test_displacement_dependent_and_distance_weights(sim):
    pop = sim.Population(60, sim.IF_curr_exp(),
                         structure=space.RandomStructure(space.Cuboid(1, 1, 1),
                                                         rng=sim.NumpyRNG(seed=2)))
    prj = sim.Projection(pop, pop, sim.DisplacementDependentProbabilityConnector(
        "d[0] > 0.2", rng=sim.NumpyRNG(seed=3)),
        sim.StaticSynapse(weight="0.5 + d", delay="1.0 + 2*d"))
    rows = np.array(prj.get(["weight", "delay"], format="list"))
    i, j = rows[:, 0].astype(int), rows[:, 1].astype(int)
    dx = pop.positions[0, j] - pop.positions[0, i]
    assert len(rows) == np.count_nonzero(
        pop.positions[0][None, :] - pop.positions[0][:, None] > 0.2)
    assert np.all(dx > 0.2)
    d = np.sqrt(((pop.positions[:, j] - pop.positions[:, i]) ** 2).sum(axis=0))
    assert_allclose(rows[:, 2], 0.5 + d, rtol=1e-6)
    assert_allclose(rows[:, 3], np.round((1.0 + 2 * d) / 0.1) * 0.1, atol=1e-9)
