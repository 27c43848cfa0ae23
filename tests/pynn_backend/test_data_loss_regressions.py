"""PyNN 0.13 loses recorded data in three ways; pyNN.neuropil must not (issue 5)."""
import numpy as np
from numpy.testing import assert_array_equal


def _network(sim):
    p = sim.Population(4, sim.IF_curr_alpha(i_offset=1.0))
    p.record(["spikes", "v"])
    return p


def test_get_data_v_after_reset_keeps_spikes_of_earlier_segments(sim):
    """PyNN 0.13: get_data('v') after a reset empties the spike trains of earlier segments."""
    p = _network(sim)
    sim.run(50.0)
    sim.reset()
    sim.run(50.0)
    p.get_data("v")
    data = p.get_data()
    assert len(data.segments) == 2
    for seg in data.segments:
        assert len(seg.spiketrains) == 4
        assert sum(len(st) for st in seg.spiketrains) > 0


def test_population_view_get_data_filters_earlier_segments(sim):
    """PyNN 0.13: PopulationView.get_data ignores the view for segments before a reset."""
    p = _network(sim)
    view = p[1:3]
    sim.run(20.0)
    sim.reset()
    sim.run(20.0)
    data = view.get_data()
    for seg in data.segments:
        assert len(seg.spiketrains) == 2
        assert [st.annotations["source_index"] for st in seg.spiketrains] == [1, 2]
        assert seg.analogsignals[0].shape[1] == 2
        assert_array_equal(seg.analogsignals[0].array_annotations["channel_index"], [1, 2])


def test_get_data_after_clear(sim):
    """PyNN 0.13: get_data after clear raises KeyError."""
    p = _network(sim)
    sim.run(20.0)
    first = p.get_data(clear=True)
    assert first.segments[0].analogsignals[0].shape[0] == 201
    again = p.get_data()
    assert len(again.segments) == 1
    sim.run(10.0)
    later = p.get_data()
    sig = later.segments[0].analogsignals[0]
    assert sig.shape[0] == 101
    assert float(sig.t_start) == 20.0
    np.testing.assert_allclose(sig.magnitude[0], first.segments[0].analogsignals[0].magnitude[-1])
