"""``import pyNN.neuropil`` gives this backend (skipped where the shim is not installed)."""
import pytest


def test_pynn_neuropil_is_pynn_backend():
    try:
        import pyNN.neuropil as sim
    except ImportError:
        pytest.skip("the pyNN/neuropil shim is not installed in this environment")
    import pynn_backend
    if not hasattr(sim, "Population"):
        pytest.skip("an older pyNN/neuropil shim is installed")
    assert sim.Population is pynn_backend.Population
    import pyNN.neuropil.simulator
    assert pyNN.neuropil.simulator.state is pynn_backend.simulator.state


def test_pointneuron_composition():
    sim = pytest.importorskip("pynn_backend")
    if not hasattr(sim, "PointNeuron"):
        pytest.skip("no multisynapse model in this kernel")
    from pyNN.parameters import Sequence
    sim.setup(timestep=0.1, min_delay=1.0)
    cell = sim.PointNeuron(sim.AdExp(tau_m=10.0, v_rest=-60.0),
                           AMPA=sim.AlphaPSR(tau_syn=1.0, e_syn=0.0),
                           GABAA=sim.AlphaPSR(tau_syn=1.5, e_syn=-70.0))
    n = sim.Population(1, cell, initial_values={"v": -60.0})
    n.record(["v", "AMPA.gsyn", "GABAA.gsyn"])
    inputs = sim.Population(2, sim.SpikeSourceArray(spike_times=[Sequence([30.0]),
                                                                 Sequence([60.0])]))
    sim.Projection(inputs[0:1], n, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.01, delay=1.5), receptor_type="AMPA")
    sim.Projection(inputs[1:2], n, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.1, delay=1.5), receptor_type="GABAA")
    sim.run(100.0)
    seg = n.get_data().segments[0]
    peaks = {sig.name: float(sig.magnitude.max()) for sig in seg.analogsignals}
    assert peaks["AMPA.gsyn"] == pytest.approx(0.01, rel=1e-6)
    assert peaks["GABAA.gsyn"] == pytest.approx(0.1, rel=1e-6)
    assert n.get("GABAA.e_syn") == -70.0
    sim.end()
