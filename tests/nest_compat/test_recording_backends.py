"""Recording backends (memory, ascii, screen) against NEST 3.10 (tests/data/ref_devices.json).

The ascii files must be identical, byte for byte, to NEST's: names, header lines, columns,
precision, precise-spike offsets, and when they are (re)written. Screen output must print the
same lines. Errors and kernel attributes (data_path, data_prefix, overwrite_files) behave as
in NEST.
"""
import json
import os
import pathlib
import sys

import numpy as np
import pytest

import nest
from kernel.io.recording_backends import OutputSettings

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import devices_refdata as ref  # noqa: E402

DATA = json.loads((pathlib.Path(__file__).resolve().parents[1] / "data" /
                   "ref_devices.json").read_text())
FACTS = DATA["backend_facts"]
IMPLEMENTATION_KEYS = {"available", "capacity", "instantiations", "elementsize", "type_id"}


@pytest.fixture(autouse=True)
def output_settings():
    """data_path and data_prefix outlive ResetKernel (as in NEST): restore them."""
    yield
    OutputSettings.data_path = ""
    OutputSettings.data_prefix = ""
    nest.ResetKernel()


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    return ref.ascii_session(nest, str(tmp_path_factory.mktemp("ascii")))


def test_ascii_files_identical(session):
    theirs = DATA["ascii"]
    assert sorted(session["files"]) == sorted(theirs["files"])
    for name, content in theirs["files"].items():
        assert session["files"][name] == content, name
    # complete after the first Simulate already (closed at cleanup), rewritten by the second
    for name, content in theirs["files_after_first"].items():
        assert session["files_after_first"][name] == content, name


def test_ascii_names_counts_and_keys(session):
    theirs = DATA["ascii"]
    assert session["filenames"] == theirs["filenames"]
    assert session["n_events"] == theirs["n_events"]
    for backend, keys in theirs["status_keys"].items():
        assert session["status_keys"][backend] == keys, backend


def test_screen_lines(session):
    assert session["screen"] == DATA["ascii"]["screen"]


def test_recording_backends_attribute():
    nest.ResetKernel()
    assert list(nest.recording_backends) == FACTS["recording_backends"]
    assert {"data_path": nest.data_path, "data_prefix": nest.data_prefix,
            "overwrite_files": nest.overwrite_files} == FACTS["kernel_defaults"]


@pytest.mark.parametrize("index", [k for k in FACTS if k.startswith("create_spike_recorder_")])
def test_backend_parameters(index):
    fact = FACTS[index]
    nest.ResetKernel()
    if fact["error"] is None:
        rec = nest.Create("spike_recorder", params=fact["params"])
        assert ref.plain(rec.get(sorted(fact["params"]))) == fact["value"]
        return
    with pytest.raises(nest.NESTError) as info:
        nest.Create("spike_recorder", params=fact["params"])
    assert type(info.value).__name__ == fact["error"]["class"]
    if fact["error"]["class"] == "BadProperty":
        assert "Unknown recording backend 'foo'" in str(info.value)


def test_defaults_per_backend():
    nest.ResetKernel()
    keys = sorted(set(nest.GetDefaults("spike_recorder")) | IMPLEMENTATION_KEYS)
    assert keys == sorted(set(FACTS["defaults_memory"]) | IMPLEMENTATION_KEYS)
    nest.SetDefaults("spike_recorder", {"record_to": "ascii", "file_extension": "nest"})
    d = nest.GetDefaults("spike_recorder")
    theirs = FACTS["defaults_ascii"]
    assert sorted(set(d) | IMPLEMENTATION_KEYS) == sorted(set(theirs["keys"]) | IMPLEMENTATION_KEYS)
    assert d["file_extension"] == theirs["file_extension"]
    assert d["precision"] == theirs["precision"]
    assert list(d["filenames"]) == theirs["filenames"]
    rec = nest.Create("spike_recorder")
    assert rec.get("record_to") == "ascii" and rec.get("file_extension") == "nest"
    assert nest.GetDefaults("multimeter", "record_to") == "memory"
    nest.ResetKernel()
    assert nest.GetDefaults("spike_recorder", "record_to") == "memory"


def test_time_in_steps_and_switching_backends(tmp_path):
    nest.ResetKernel()
    nest.overwrite_files = True
    nest.data_path = str(tmp_path)
    mm = nest.Create("multimeter", params={"record_from": ["V_m"]})
    nest.Connect(mm, nest.Create("iaf_psc_alpha"))
    nest.Simulate(3.0)
    with pytest.raises(nest.NESTErrors.BadProperty, match="cannot be set after Simulate"):
        mm.set(time_in_steps=True)
    mm.set(record_to="ascii")
    nest.Simulate(3.0)
    assert mm.get("n_events") == FACTS["n_events_after_switch_to_ascii"]
    assert open(mm.get("filenames")[0]).read() == FACTS["file_after_switch"]
    mm.set(record_to="memory")
    assert ref.plain(dict(mm.get("events"))) == FACTS["events_after_switch_back"]
    nest.Simulate(3.0)
    assert ref.plain(dict(mm.get("events"))) == FACTS["events_after_switch_back_and_simulate"]


def test_existing_file_and_overwrite(tmp_path):
    """The file exists: IOError at Simulate, the kernel stays prepared until Cleanup."""
    nest.ResetKernel()
    nest.data_path = str(tmp_path)
    mm = nest.Create("multimeter", params={"record_to": "ascii", "record_from": ["V_m"]})
    nest.Connect(mm, nest.Create("iaf_psc_alpha"))
    open(mm.get("filenames")[0], "w").write("old")
    assert FACTS["simulate_existing_file"]["error"]["class"] == "IOError"
    with pytest.raises(nest.NESTErrors.IOError, match="already exists"):
        nest.Simulate(5.0)
    assert FACTS["simulate_again"]["error"]["class"] == "KernelException"
    with pytest.raises(nest.NESTErrors.KernelException):
        nest.Simulate(5.0)
    nest.Cleanup()
    nest.overwrite_files = True
    nest.Simulate(5.0)
    assert open(mm.get("filenames")[0]).read() == FACTS["file_after_overwrite"]
    # each Simulate opens the file afresh
    nest.overwrite_files = False
    with pytest.raises(nest.NESTErrors.IOError):
        nest.Simulate(5.0)
    nest.Cleanup()


def test_data_path_prefix_and_label(tmp_path):
    (tmp_path / "sub").mkdir()
    nest.ResetKernel()
    nest.data_path = str(tmp_path / "sub")
    nest.data_prefix = "pre_"
    sr = nest.Create("spike_recorder", params={"record_to": "ascii", "label": "L"})
    assert os.path.relpath(sr.get("filenames")[0], tmp_path) == FACTS["filename_prefix_label"]
    with pytest.warns(UserWarning, match="does not exist"):
        nest.data_path = str(tmp_path / "missing")
    assert os.path.relpath(nest.data_path, tmp_path) == FACTS["data_path_after_missing"]
    with pytest.warns(UserWarning, match="path elements"):
        nest.data_prefix = "a/b"
    assert nest.data_prefix == FACTS["data_prefix_after_slash"]
    with pytest.warns(UserWarning, match="does not exist"):
        nest.data_path = ""          # NEST cannot go back to ''
    nest.overwrite_files = True
    nest.ResetKernel()
    after = {"data_path": os.path.relpath(nest.data_path, tmp_path),
             "data_prefix": nest.data_prefix, "overwrite_files": nest.overwrite_files}
    assert after == FACTS["after_reset"]
    sr = nest.Create("spike_recorder", params={"record_to": "ascii"})
    sr.set(label="yy")
    assert os.path.basename(sr.get("filenames")[0]) == "pre_yy-1-0.dat"


def test_cleanup_without_prepare():
    nest.ResetKernel()
    assert FACTS["cleanup_without_prepare"]["error"]["class"] == "KernelException"
    with pytest.raises(nest.NESTErrors.KernelException):
        nest.Cleanup()


def test_memory_backend_offsets_of_precise_spikes():
    nest.ResetKernel()
    sg = nest.Create("spike_generator", params={"spike_times": [1.05, 2.0, 3.0001],
                                                "precise_times": True})
    sr = nest.Create("spike_recorder", params={"time_in_steps": True})
    sr_ms = nest.Create("spike_recorder")
    nest.Connect(sg, sr)
    nest.Connect(sg, sr_ms)
    nest.Simulate(5.0)
    e = sr.get("events")
    assert e["times"].tolist() == [11, 20, 31]
    np.testing.assert_allclose(e["offsets"], [0.05, 0.0, 0.0999], atol=1e-12)
    assert sr_ms.get("events")["times"].tolist() == [1.05, 2.0, 3.0001]


def test_screen_backend_prints_when_recorded(capsys):
    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha", params={"I_e": 1000.0})
    mm = nest.Create("multimeter", params={"record_to": "screen", "interval": 1.0,
                                           "record_from": ["V_m"]})
    sr = nest.Create("spike_recorder", params={"record_to": "screen", "time_in_steps": True,
                                               "precision": 1})
    nest.Connect(mm, n)
    nest.Connect(n, sr)
    nest.Simulate(6.0)
    lines = capsys.readouterr().out.splitlines()
    assert "1\t48\t0.0" in lines
    assert "1\t1.000\t-66.193" in lines
    assert mm.get("n_events") == 5 and sr.get("n_events") == 1
    with pytest.raises(KeyError):
        mm.get("events")
