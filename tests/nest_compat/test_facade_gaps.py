"""Facade functions the NEST examples and tests need beyond the model library.

nest.message, nest.Rank / NumProcesses, nest.memory_size, name iterables in get() and
GetDefaults(), dict_miss_is_error, multimeters connected twice, raster plots from ascii files.
Facts observed with NEST 3.10 (see docs/nest_semantics.md §9).
"""
import numpy as np
import pytest

import nest
from kernel.io.recording_backends import RecordingIOError, read_ascii


def test_message_respects_verbosity_and_streams(capsys):
    nest.verbosity = nest.VerbosityLevel.INFO
    nest.message("to stdout")
    nest.message("to stderr", nest.VerbosityLevel.WARNING)
    nest.verbosity = nest.VerbosityLevel.WARNING
    nest.message("hidden")
    out, err = capsys.readouterr()
    assert out.startswith("[INFO] [") and out.rstrip().endswith("] to stdout")
    assert err.startswith("[WARNING] [") and err.rstrip().endswith("] to stderr")
    assert "hidden" not in out + err
    nest.verbosity = nest.VerbosityLevel.INFO
    with pytest.raises(nest.NESTErrors.TypeMismatch, match="severity"):
        nest.message("x", "WARNING")


def test_rank_and_processes_of_one_process():
    assert (nest.Rank(), nest.NumProcesses()) == (0, 1)
    assert nest.Rank() == nest.GetKernelStatus("mpi_rank")


def test_memory_size_is_this_process_in_kb():
    before = nest.memory_size
    assert isinstance(before, int) and before > 1000
    with pytest.raises(ValueError, match="memory_size"):
        nest.set(memory_size=1)


def test_get_and_get_defaults_take_any_iterable_of_names():
    n = nest.Create("step_current_generator")
    params = {"amplitude_times": [1.0, 2.0], "amplitude_values": [3.0, 4.0]}
    n.set(params)
    got = n.get(params.keys())
    assert {k: list(v) for k, v in got.items()} == params
    assert list(n.get({"amplitude_times"})) == ["amplitude_times"]
    assert nest.GetDefaults("iaf_psc_alpha", {"C_m"}) == [250.0]
    assert nest.GetDefaults("iaf_psc_alpha", ("C_m", "V_m")) == [250.0, -70.0]
    with pytest.raises(KeyError, match="42"):
        nest.GetDefaults("iaf_psc_alpha", 42)


def test_dict_miss_is_error_off_ignores_unknown_keys():
    nest.set(dict_miss_is_error=False)
    n = nest.Create("iaf_psc_alpha", params={"unknown": 1.0})
    n.set({"foo": 1.0, "V_m": -60.0})
    n.set(global_id=3)                       # read-only: ignored too
    assert (n.V_m, n.global_id) == (-60.0, 1)
    nest.SetDefaults("iaf_psc_alpha", {"baz": 1.0, "C_m": 200.0})
    assert nest.GetDefaults("iaf_psc_alpha", "C_m") == 200.0
    nest.Connect(n, n, syn_spec={"foo": 1.0, "weight": 2.0})
    conns = nest.GetConnections()
    conns.set({"bar": 5.0, "weight": 3.0})
    assert conns.weight == 3.0
    nest.ResetKernel()
    assert nest.dict_miss_is_error is True
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry, match="unknown"):
        nest.Create("iaf_psc_alpha", params={"unknown": 1.0})


@pytest.mark.parametrize("meter", ["multimeter", "voltmeter"])
def test_a_meter_is_connected_once_to_a_node(meter):
    n = nest.Create("iaf_psc_alpha", 2)
    m = nest.Create(meter, params={"record_from": ["V_m"]})
    nest.Connect(m, n[0])
    with pytest.raises(nest.NESTErrors.IllegalConnection, match="only be connected once"):
        nest.Connect(m, n)
    with pytest.raises(nest.NESTErrors.IllegalConnection, match="only be connected once"):
        nest.Connect([m.global_id] * 2, [n[1].global_id] * 2, "one_to_one")
    nest.Connect(m, n[1])                    # the failed calls left nothing behind
    assert len(nest.GetConnections(m)) == 2


def test_receptor_of_the_wrong_event_type_is_incompatible():
    n = nest.Create("iaf_psc_exp_multisynapse", params={"tau_syn": [0.1, 0.2]})
    with pytest.raises(nest.NESTErrors.IncompatibleReceptorType,
                       match="Receptor type 5 in iaf_psc_exp_multisynapse does not accept Spike"):
        nest.Connect(n, n, syn_spec={"receptor_type": 5})
    assert nest.GetDefaults("static_synapse", "receptor_type") == 0
    with pytest.raises(nest.NESTErrors.UnknownReceptorType):
        nest.Connect(n, nest.Create("iaf_psc_alpha"), syn_spec={"receptor_type": 1})


def _spiking_net(record_to):
    nest.overwrite_files = True
    n = nest.Create("iaf_psc_alpha", 3, params={"I_e": [380.0, 400.0, 420.0]})
    sr = nest.Create("spike_recorder", params={"record_to": record_to, "label": "gaps"})
    nest.Connect(n, sr)
    nest.Simulate(200.0)
    return sr


def test_raster_plot_from_ascii_files_equals_memory(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nest.raster_plot
    monkeypatch.chdir(tmp_path)
    memory = _spiking_net("memory").events
    nest.ResetKernel()
    sr = _spiking_net("ascii")
    ax = nest.raster_plot.from_device(sr)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), memory["times"], atol=5e-4)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), memory["senders"])
    plt.close("all")
    ax = nest.raster_plot.from_file(sr.filenames)
    assert len(ax.lines[0].get_xdata()) == len(memory["times"])
    plt.close("all")
    sr.record_to = "screen"
    with pytest.raises(ValueError, match="record_to"):
        nest.raster_plot.from_device(sr)


def test_read_ascii_concatenates_and_checks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sr = _spiking_net("ascii")
    name = sr.filenames[0]
    one = read_ascii(name)
    assert set(one) == {"sender", "time_ms"} and one["sender"].dtype == np.int64
    two = read_ascii([name, name])
    np.testing.assert_array_equal(two["time_ms"], np.concatenate([one["time_ms"]] * 2))
    bad = tmp_path / "bad.dat"
    bad.write_text("1 2\n")
    with pytest.raises(RecordingIOError, match="not an ascii recording file"):
        read_ascii(str(bad))
    with pytest.raises(RecordingIOError, match="could not be read"):
        read_ascii(str(tmp_path / "missing.dat"))


def test_collections_from_before_reset_kernel():
    a, b = nest.Create("iaf_psc_alpha", 10), nest.Create("iaf_psc_alpha", 2)
    nest.ResetKernel()
    for joined_or_sliced in (lambda: a + b, lambda: a[8:9]):
        with pytest.raises(nest.NESTErrors.KernelException, match="^InvalidNodeCollection"):
            joined_or_sliced()
    with pytest.raises(nest.NESTErrors.UnknownNode):
        a.get("V_m")


def test_error_messages_name_what_nest_names():
    with pytest.raises(nest.NESTErrors.UnknownModelName, match="not a known model name"):
        nest.Create("iaf_psc_alfa")
    with pytest.raises(nest.NESTErrors.UnknownNode, match="Node with id 99 does not exist"):
        nest.NodeCollection([99])
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry, match="^Unaccessed elements"):
        nest.SetDefaults("iaf_psc_alpha", {"nonexistent": 1.0})
    with pytest.raises(AttributeError, match="read only kernel attribute"):
        nest.network_size = 3
    n = nest.Create("iaf_psc_alpha")
    vt = nest.Create("volume_transmitter")
    nest.SetDefaults("stdp_dopamine_synapse", {"volume_transmitter": vt})
    nest.Connect(n, n, syn_spec={"synapse_model": "stdp_dopamine_synapse"})
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry, match="common property"):
        nest.GetConnections().set(tau_c=1.0)


def test_a_multimeter_recording_nothing_has_no_events():
    mm = nest.Create("multimeter", params={"record_from": []})
    nest.Connect(mm, nest.Create("iaf_psc_alpha"))
    nest.Simulate(10.0)
    assert len(mm.events["times"]) == 0 and len(mm.events["senders"]) == 0


def test_integer_synapse_properties_from_parameters():
    n = nest.Create("iaf_psc_exp_multisynapse", 20, {"tau_syn": [0.1, 0.2, 0.3]})
    nest.Connect(n, n, syn_spec={"receptor_type": 1 + nest.random.uniform_int(3)})
    receptors = np.array(nest.GetConnections().receptor)
    assert set(receptors.tolist()) == {1, 2, 3}


@pytest.mark.parametrize("bad", [[1.0, 2.0, 3.0], nest.random.uniform(0.0, 1.0)])
def test_set_defaults_takes_single_values(bad):
    with pytest.raises(ValueError, match="single parameter values"):
        nest.SetDefaults("iaf_psc_alpha", {"tau_syn_ex": bad})
    with pytest.raises(ValueError, match="single parameter values"):
        nest.SetDefaults("iaf_psc_alpha", "tau_syn_ex", bad)
    nest.SetDefaults("spike_generator", {"spike_times": [1.0, 2.0]})   # a list by nature
    assert list(nest.GetDefaults("spike_generator", "spike_times")) == [1.0, 2.0]
