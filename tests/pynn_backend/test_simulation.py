"""Simulation control, cell types, parameters and recording of pyNN.neuropil."""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal


def test_run_until_and_time(sim):
    sim.Population(1, sim.IF_curr_exp())
    sim.run_until(12.7)
    assert sim.get_current_time() == pytest.approx(12.7)
    sim.run(0.3)
    assert sim.get_current_time() == pytest.approx(13.0)
    with pytest.raises(ValueError):
        sim.run_until(5.0)


def test_setup_resets_everything(sim):
    sim.Population(3, sim.IF_curr_alpha())
    sim.run(5.0)
    sim.setup(timestep=0.1)
    assert sim.get_current_time() == 0.0
    assert sim.simulator.state.kernel.network_size == 0


def test_parameters_in_pynn_units(sim):
    p = sim.Population(4, sim.IF_curr_alpha(cm=0.5, i_offset=0.2, tau_m=15.0))
    k = sim.simulator.state.kernel
    assert k.get_node_values(p._ids, "C_m") == [500.0] * 4      # nF -> pF
    assert k.get_node_values(p._ids, "I_e") == [200.0] * 4      # nA -> pA
    assert p.get("cm") == pytest.approx(0.5)
    p[1:3].set(i_offset=np.array([0.1, 0.3]))
    assert_allclose(p.get("i_offset"), [0.2, 0.1, 0.3, 0.2])
    p[0].tau_m = 12.0
    assert_allclose(p.get("tau_m"), [12.0, 15.0, 15.0, 15.0])


def test_initial_values_are_restored_by_reset(sim):
    p = sim.Population(5, sim.IF_curr_exp())
    p.initialize(v=sim.RandomDistribution("uniform", (-70.0, -60.0), rng=sim.NumpyRNG(3)))
    p.record("v")
    sim.run(5.0)
    sim.reset()
    sim.run(5.0)
    segments = p.get_data().segments
    assert len(segments) == 2
    assert_array_equal(segments[0].analogsignals[0].magnitude,
                       segments[1].analogsignals[0].magnitude)


def test_reset_restores_state_and_time(sim):
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[[1.2, 3.8], [1.5, 2.7, 4.8]]))
    p = sim.Population(2, sim.IF_curr_exp(i_offset=0.5))
    sim.Projection(src, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5, delay=0.5))
    p.record(["v", "spikes"])
    for _ in range(3):
        sim.run(30.0)
        sim.reset()
        assert sim.get_current_time() == 0.0
    data = p.get_data()
    assert len(data.segments) == 3
    for seg in data.segments[1:]:
        assert_allclose(seg.analogsignals[0].magnitude, data.segments[0].analogsignals[0].magnitude)
        assert [list(st) for st in seg.spiketrains] == \
            [list(st) for st in data.segments[0].spiketrains]


def test_spike_source_array_times_are_exact(sim):
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[[0.5, 2.3, 7.0], [1.1]]))
    src.record("spikes")
    sim.run(10.0)
    trains = src.get_data().segments[0].spiketrains
    assert_allclose(trains[0].magnitude, [0.5, 2.3, 7.0])
    assert_allclose(trains[1].magnitude, [1.1])
    assert trains[0].annotations["source_index"] == 0
    assert trains[1].annotations["channel_id"] == int(src[1])


def test_poisson_source_rate(sim):
    src = sim.Population(50, sim.SpikeSourcePoisson(rate=50.0))
    src.record("spikes")
    sim.run(1000.0)
    counts = np.array(list(src.get_spike_counts().values()))
    assert 40 < counts.mean() < 60


def test_analog_signal_shape_and_units(sim):
    p = sim.Population(3, sim.IF_curr_alpha(i_offset=1.0))
    p.record("v", sampling_interval=1.0)
    sim.run(10.0)
    sig = p.get_data().segments[0].analogsignals[0]
    assert sig.shape == (11, 3)
    assert str(sig.units.dimensionality) == "mV"
    assert sig[0, 0].magnitude == pytest.approx(-65.0)
    assert_array_equal(sig.array_annotations["channel_index"], [0, 1, 2])


def test_dc_source(sim):
    p = sim.Population(1, sim.IF_curr_exp(tau_refrac=2.0))
    source = sim.DCSource(amplitude=1.0, start=5.0, stop=20.0)
    p.inject(source)
    p.record("v")
    sim.run(30.0)
    v = p.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    assert np.all(v[:51] == -65.0)
    t = np.arange(51, 201) * 0.1
    assert_allclose(v[51:201], -65.0 + 20.0 * (1.0 - np.exp(-(t - 5.0) / 20.0)), rtol=1e-9)


def test_write_data_pickle(sim, tmp_path):
    from neo.io import PickleIO
    p = sim.Population(2, sim.IF_curr_alpha(i_offset=1.0))
    p.record(["spikes", "v"])
    sim.run(50.0)
    filename = str(tmp_path / "out.pkl")
    p.write_data(filename)
    block = PickleIO(filename).read_block()
    assert len(block.segments[0].spiketrains) == 2
    assert block.segments[0].analogsignals[0].name == "v"


def test_reset_replays_stateful_spike_sources(sim):
    """reset() restarts the hidden state of generators (dead-time and gamma phases): the
    sources replay the trains of the first segment."""
    sources = [sim.Population(20, sim.SpikeSourcePoissonRefractory(rate=60.0, tau_refrac=10.0)),
               sim.Population(20, sim.SpikeSourceGamma(alpha=3, beta=150.0))]
    for p in sources:
        p.record("spikes")
    sim.run(300.0)
    sim.reset()
    sim.run(300.0)
    for p in sources:
        first, second = p.get_data().segments
        assert sum(len(st) for st in first.spiketrains) > 20
        for a, b in zip(first.spiketrains, second.spiketrains):
            assert_array_equal(a.magnitude, b.magnitude)
