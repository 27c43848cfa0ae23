"""Firing rates of the Brunel network (NEST's brunel_delta_nest.py at scale 0.2) against the
real NEST's: the performance work must not change the dynamics.

Reference: tests/data/ref_brunel_rates.json (tests/data/generate_reference_brunel.py, NEST
3.10, rng_seed 1..8, every neuron recorded). Over seeds NEST's population rates vary by about
0.1 %, so a 2 % band around their mean separates a correct network from one whose delivery,
Poisson drive or neuron update is off (a 2 % change of the drive moves the rates by more).
"""
import json
import pathlib

import pytest

import nest
from brunel_refdata import population_rates

REF = json.loads((pathlib.Path(__file__).parents[1] / "data" / "ref_brunel_rates.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 12345])
def test_population_rates_match_nest_within_two_percent(seed):
    assert REF["rate_ex_std"] < 0.005 * REF["rate_ex_mean"]     # the band is meaningful
    rate_ex, rate_in = population_rates(nest, REF["scale"], REF["simtime"], seed)
    assert rate_ex == pytest.approx(REF["rate_ex_mean"], rel=0.02)
    assert rate_in == pytest.approx(REF["rate_in_mean"], rel=0.02)
