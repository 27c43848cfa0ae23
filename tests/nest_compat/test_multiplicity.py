"""Spikes of multiplicity > 1 add to their targets as in NEST 3.10, to the last bit: a
neuron's (parrot's) as m single spikes, a device's (spike_generator's) as one event of weight
m w, which a weight recorder does not see (tests/data/ref_multiplicity.json, made by
generate_reference_multiplicity.py)."""
import numpy as np
import pytest

import multiplicity_refdata as ref
import nest
from refdata import load_reference

DATA = load_reference("ref_multiplicity.json")
REFERENCE = DATA["V_m"]


@pytest.mark.parametrize("name", sorted(ref.CASES))
def test_potentials_equal_nest_to_the_bit(name):
    potentials, weight_events = ref.run(nest, name)
    ours, theirs = np.array(potentials), np.array(REFERENCE[name])
    assert ours.tobytes() == theirs.tobytes(), \
        f"first difference at sample {np.argmax(ours != theirs)}"
    assert weight_events == DATA["weight_events"].get(name)


def test_the_order_of_additions_shows_in_the_reference():
    """The cases tell the two ways apart: behind the parrot (1 ms later) the same spikes
    give other bits than straight from the generator (w + w + w is not 3 w)."""
    for kind in ("static", "homogeneous"):
        parrot = np.array(REFERENCE[f"parrot_{kind}"][10:])
        generator = np.array(REFERENCE[f"generator_{kind}"][:-10])
        assert np.any(parrot != generator)
        np.testing.assert_allclose(parrot, generator, atol=1e-12)
