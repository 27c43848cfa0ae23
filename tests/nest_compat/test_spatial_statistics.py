"""Statistics of spatial connections: the connection probability as a function of distance
follows the requested profile, in 2-D and 3-D, with open and periodic boundaries.

Each test connects a layer of random positions to itself with pairwise_bernoulli, a mask and
p = profile(distance), bins every candidate pair by distance and compares the connections per
bin with the expected sum of p (a chi-square test, fixed seeds). Power: the same data must
reject a profile whose width is off by 10 % (p < 1e-6; in practice a 5 % error gives
p < 1e-20 in every case), so a test that could not fail would fail.
"""
import numpy as np
import pytest
from scipy import stats
from scipy.special import gamma as gamma_fn

import nest

N_NODES = {2: 800, 3: 1200}
RADIUS = 0.35


def _layer(dim, wrap, seed):
    pos = np.random.default_rng(seed).uniform(-0.5, 0.5, (N_NODES[dim], dim))
    return nest.Create("iaf_psc_alpha", positions=nest.spatial.free(
        pos.tolist(), extent=[1.0] * dim, edge_wrap=wrap)), pos


def _pair_distances(pos, wrap):
    """Distances of all ordered pairs (i != j), periodic in a unit box when wrapped."""
    d = pos[None, :, :] - pos[:, None, :]
    if wrap:
        d -= np.floor(d + 0.5)
    dist = np.sqrt((d * d).sum(axis=2))
    np.fill_diagonal(dist, np.inf)
    return dist.reshape(-1)


def _chi2_pvalue(observed_d, candidate_d, profile, bins):
    """Chi-square of the connections per distance bin: each bin's count is a sum of
    independent Bernoulli(p) trials, with mean sum(p) and variance sum(p (1 - p))."""
    p = np.clip(profile(candidate_d), 0.0, 1.0)
    expected, _ = np.histogram(candidate_d, bins=bins, weights=p)
    variance, _ = np.histogram(candidate_d, bins=bins, weights=p * (1 - p))
    observed, _ = np.histogram(observed_d, bins=bins)
    ok = variance > 5
    chi2 = ((observed[ok] - expected[ok]) ** 2 / variance[ok]).sum()
    return stats.chi2.sf(chi2, ok.sum())


PROFILES = {
    "gaussian": (lambda s: nest.spatial_distributions.gaussian(nest.spatial.distance, std=s),
                 lambda s: (lambda d: np.exp(-d ** 2 / (2 * s * s))), 0.12),
    "exponential": (lambda s: nest.spatial_distributions.exponential(nest.spatial.distance,
                                                                      beta=s),
                    lambda s: (lambda d: np.exp(-d / s)), 0.1),
    "gamma": (lambda s: nest.spatial_distributions.gamma(nest.spatial.distance, kappa=2.0,
                                                          theta=s),
              lambda s: (lambda d: d * np.exp(-d / s) / (gamma_fn(2.0) * s * s)), 0.08),
    "linear": (lambda s: 1.0 - nest.spatial.distance / s,
               lambda s: (lambda d: np.clip(1.0 - d / s, 0.0, 1.0)), 0.3),
}


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("wrap", [False, True])
@pytest.mark.parametrize("name", ["gaussian", "exponential", "gamma", "linear"])
def test_probability_follows_profile(dim, wrap, name):
    make, closed_form, width = PROFILES[name]
    if name == "gamma":   # scale so that the peak (at d = theta) stays below 1
        param = make(width) * (width * np.e * 0.9)
        expected = (lambda f: (lambda d: f(d) * width * np.e * 0.9))(closed_form(width))
        wrong = (lambda f: (lambda d: f(d) * width * np.e * 0.9))(closed_form(width * 1.1))
    else:
        param, expected, wrong = make(width), closed_form(width), closed_form(width * 1.1)
    nest.rng_seed = 11 + dim + 2 * wrap
    layer, pos = _layer(dim, wrap, seed=dim * 10 + wrap)
    mask = {"circular" if dim == 2 else "spherical": {"radius": RADIUS}}
    nest.Connect(layer, layer, {"rule": "pairwise_bernoulli", "p": param, "mask": mask,
                                "allow_autapses": False})
    conns = nest.GetConnections()
    observed = np.asarray(conns.distance)
    candidates = _pair_distances(pos, wrap)
    candidates = candidates[candidates <= RADIUS]
    bins = np.linspace(0.0, RADIUS, 15)
    assert observed.max() <= RADIUS + 1e-12
    assert _chi2_pvalue(observed, candidates, expected, bins) > 1e-3
    assert _chi2_pvalue(observed, candidates, wrong, bins) < 1e-6   # power


@pytest.mark.parametrize("dim, wrap", [(2, False), (2, True), (3, True)])
def test_fixed_indegree_draws_sources_in_proportion_to_p(dim, wrap):
    nest.rng_seed = 5
    layer, pos = _layer(dim, wrap, seed=3)
    std = 0.1
    nest.Connect(layer, layer, {"rule": "fixed_indegree", "indegree": 40,
                                "p": nest.spatial_distributions.gaussian(nest.spatial.distance,
                                                                         std=std),
                                "mask": {"box": {"lower_left": [-RADIUS] * 3,
                                                 "upper_right": [RADIUS] * 3}}
                                if dim == 3 else {"circular": {"radius": RADIUS}}})
    observed = np.asarray(nest.GetConnections().distance)
    assert observed.size == 40 * N_NODES[dim]
    # each target draws with replacement in proportion to p: the distance density of a draw
    # is p(d) times the candidates' distance density, normalised per target
    d = pos[None, :, :] - pos[:, None, :]
    if wrap:
        d -= np.floor(d + 0.5)
    inside = np.all(np.abs(d) <= RADIUS, axis=2) if dim == 3 else \
        np.sqrt((d * d).sum(axis=2)) <= RADIUS
    dist = np.sqrt((d * d).sum(axis=2))
    w = np.where(inside, np.exp(-dist ** 2 / (2 * std * std)), 0.0)
    w /= w.sum(axis=0, keepdims=True)      # column: one target's candidates
    bins = np.linspace(0.0, RADIUS * np.sqrt(dim), 15)
    expected = np.histogram(dist.reshape(-1), bins=bins, weights=40 * w.reshape(-1))[0]
    obs = np.histogram(observed, bins=bins)[0]
    ok = expected > 5
    chi2 = ((obs[ok] - expected[ok]) ** 2 / expected[ok]).sum()
    assert stats.chi2.sf(chi2, ok.sum()) > 1e-3


def test_same_seed_same_network_and_pairs_independent_of_partners():
    def build(targets_slice=slice(None)):
        nest.ResetKernel()
        nest.rng_seed = 99
        layer, _ = _layer(2, True, seed=1)
        nest.Connect(layer, layer[targets_slice], {
            "rule": "pairwise_bernoulli", "mask": {"circular": {"radius": 0.2}},
            "p": nest.spatial_distributions.gaussian(nest.spatial.distance, std=0.1)})
        c = nest.GetConnections()
        return set(zip(c.source, c.target))

    full = build()
    assert full == build()
    part = build(slice(200, 700))
    assert part and part == {(s, t) for s, t in full if 201 <= t <= 700}


def test_chunking_does_not_change_the_network(monkeypatch):
    from kernel.spatial import connect

    def build():
        nest.ResetKernel()
        nest.rng_seed = 3
        layer, _ = _layer(3, False, seed=2)
        nest.Connect(layer, layer, {"rule": "pairwise_bernoulli",
                                    "mask": {"spherical": {"radius": 0.25}},
                                    "p": 1.0 - 2 * nest.spatial.distance})
        c = nest.GetConnections()
        return sorted(zip(c.source, c.target))

    whole = build()
    monkeypatch.setattr(connect, "_CHUNK_PAIRS", 5000)
    assert build() == whole
