"""Fixtures of the pyNN.neuropil tests: the backend module, set up afresh for each test."""
import pytest

sim_module = pytest.importorskip("pynn_backend")


@pytest.fixture
def sim():
    """pynn_backend after ``setup()`` (and ``end()`` afterwards)."""
    sim_module.setup(timestep=0.1)
    yield sim_module
    sim_module.end()
