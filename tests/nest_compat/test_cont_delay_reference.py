"""cont_delay_synapse against NEST 3.10: reported delays (rounded at Connect, off-grid after
set/SetDefaults), arrival times at on-grid neurons, and min_delay/max_delay bookkeeping."""
import importlib.util
import os

import pytest

import nest
from refdata import load_reference

REF = load_reference("ref_cont_delay.json")
_PATH = os.path.join(os.path.dirname(__file__), os.pardir, "data",
                     "generate_reference_cont_delay.py")
_SPEC = importlib.util.spec_from_file_location("generate_reference_cont_delay", _PATH)
GENERATOR = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(GENERATOR)


def test_probe_equals_nest():
    assert REF["identical_when_run_twice"]
    assert GENERATOR.probe(nest) == REF["probe"]


def test_off_grid_delay_errors_like_a_grid_delay():
    n = nest.Create("parrot_neuron", 2)
    nest.Connect(n[0], n[1], syn_spec={"synapse_model": "cont_delay_synapse"})
    with pytest.raises(nest.NESTErrors.BadDelay):
        nest.GetConnections().set(delay=0.01)
    assert nest.GetConnections().delay == 1.0
