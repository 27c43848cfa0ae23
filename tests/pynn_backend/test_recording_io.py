"""Neo output of pyNN.neuropil: write_data to every format (optional libraries guarded),
spike counts, off-grid spike times, and the segment structure after reset."""
import datetime

import numpy as np
import pytest
import quantities as pq
from numpy.testing import assert_allclose

FORMATS = [(".pkl", None), (".mat", "scipy"), (".nix", "nixio"), (".h5", "nixio"),
           (".nwb", "pynwb")]


def _reader(ext, filename):
    from neo import io
    if ext == ".pkl":
        return io.PickleIO(filename)
    if ext == ".mat":
        return io.NeoMatlabIO(filename)
    if ext in (".nix", ".h5"):
        return io.NixIO(filename, mode="ro")
    return io.NWBIO(filename, mode="r")


@pytest.mark.parametrize("ext, library", FORMATS, ids=[f[0] for f in FORMATS])
def test_write_data_round_trip(sim, tmp_path, ext, library):
    """Two segments (a reset between) written and read back: same spikes and signals."""
    if library is not None:
        try:
            __import__(library)
        except Exception as error:      # missing or broken: the format is unavailable
            pytest.skip(f"{library} does not import: {error}")
    p = sim.Population(2, sim.IF_curr_alpha(i_offset=[1.0, 1.5]), label="cells")
    p.record(["spikes", "v"])
    sim.run(50.0)
    sim.reset()
    sim.run(30.0)
    reference = p.get_data()
    filename = str(tmp_path / f"out{ext}")
    p.write_data(filename)
    reader = _reader(ext, filename)
    block = reader.read_all_blocks()[0] if ext == ".nwb" else reader.read_block()
    if hasattr(reader, "close"):
        reader.close()
    assert len(block.segments) == 2
    for ours, theirs in zip(reference.segments, block.segments):
        assert len(theirs.spiketrains) == 2
        for a, b in zip(ours.spiketrains, theirs.spiketrains):
            assert_allclose(b.rescale(pq.ms).magnitude, a.magnitude, rtol=1e-9)
        assert len(theirs.analogsignals) == 1      # v (NWB renames it 'segment000 v 0')
        assert_allclose(np.asarray(theirs.analogsignals[0].rescale(pq.mV)),
                        ours.analogsignals[0].magnitude, rtol=1e-9)
    if ext == ".nwb":
        assert isinstance(block.annotations["session_start_time"], datetime.datetime)


def test_write_data_with_missing_library_names_it(sim, tmp_path, monkeypatch):
    """A format whose library does not import is refused with the library's name."""
    import kernel.io.neo as neo_io
    monkeypatch.setattr(neo_io, "_importable", lambda module: False)
    p = sim.Population(1, sim.IF_curr_alpha())
    p.record("v")
    sim.run(1.0)
    with pytest.raises(Exception, match="nixio"):
        p.write_data(str(tmp_path / "out.nix"))


def test_get_spike_counts_and_clear(sim):
    src = sim.Population(3, sim.SpikeSourceArray(spike_times=[[1.0, 2.0], [3.0], []]))
    src.record("spikes")
    sim.run(5.0)
    assert src.get_spike_counts() == {int(src[0]): 2, int(src[1]): 1, int(src[2]): 0}
    assert src[1:].get_spike_counts() == {int(src[1]): 1, int(src[2]): 0}
    src.get_data(clear=True)
    assert sum(src.get_spike_counts().values()) == 0
    src.set(spike_times=[[6.0], [7.0, 8.0], [9.0]])
    sim.run(5.0)
    assert list(src.get_spike_counts().values()) == [1, 2, 1]
    trains = src.get_data().segments[0].spiketrains
    assert float(trains[0].t_start) == 5.0
    assert_allclose(trains[1].magnitude, [7.0, 8.0])


def test_off_grid_spike_times_are_kept_exactly(sim):
    """spike_precision='off_grid' (test_issue259 of PyNN's scenarios): SpikeSourceArray
    records its exact spike times, also two in one step, across get_data(clear=True)."""
    sim.setup(timestep=0.05, spike_precision="off_grid")
    p = sim.Population(1, sim.SpikeSourceArray(spike_times=[0.075, 10.025, 10.026, 12.34]))
    post = sim.Population(1, sim.IF_curr_exp())
    sim.Projection(p, post, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.1))
    p.record("spikes")
    post.record("v")
    sim.run(10.0)
    first = p.get_data("spikes", clear=True).segments[0].spiketrains[0]
    sim.run(10.0)
    second = p.get_data("spikes", clear=True).segments[0].spiketrains[0]
    assert first.magnitude.tolist() == [0.075]
    assert second.magnitude.tolist() == [10.025, 10.026, 12.34]
    assert p.get("spike_times").value.tolist() == [0.075, 10.025, 10.026, 12.34]
    # the targets get the spikes at the end of their step (grid-based neurons)
    v = post.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    assert np.any(v > v[0])
    sim.setup(timestep=0.05)
    grid = sim.Population(1, sim.SpikeSourceArray(spike_times=[0.075]))
    grid.record("spikes")
    sim.run(1.0)
    assert grid.get_data().segments[0].spiketrains[0].magnitude.tolist() == [0.1]
