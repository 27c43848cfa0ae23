"""The postsynaptic spike archive (kernel/archive.py): growth, pruning, K values, tau_minus."""
import numpy as np
import pytest

import nest
from kernel import get_kernel
from kernel.archive import with_archiving_params
from kernel.registry import NEURON, RECORDER, ModelSpec, Param


def test_archiving_params_become_real_parameters():
    spec = ModelSpec("x", NEURON, None, {"a": Param("a", 1.0)},
                     extra_status={"tau_minus": 20.0, "tau_minus_triplet": 110.0, "Ca": 0.0})
    with_archiving_params(spec)
    assert spec.params["tau_minus"].default == 20.0 and spec.params["tau_minus"].positive
    assert spec.params["tau_minus_triplet"].default == 110.0
    assert "tau_minus" not in spec.extra_status and spec.extra_status["Ca"] == 0.0
    rec = ModelSpec("r", RECORDER, None, {}, extra_status={"tau_minus": 1.0})
    assert "tau_minus" not in with_archiving_params(rec).params


def _net(post_times, pre_times, delay=1.0):
    sg_post = nest.Create("spike_generator", params={"spike_times": post_times})
    sg_pre = nest.Create("spike_generator", params={"spike_times": pre_times})
    pre, post = nest.Create("parrot_neuron"), nest.Create("parrot_neuron")
    nest.Connect(sg_post, post)
    nest.Connect(sg_pre, pre)
    nest.Connect(pre, post, syn_spec={"synapse_model": "stdp_synapse", "delay": delay,
                                      "receptor_type": 1})
    return pre, post


def test_history_grows_until_read_then_is_pruned():
    post_times = [float(t) for t in range(2, 102)]          # 100 post spikes at 3 .. 102 ms
    pre, post = _net(post_times, [110.0])
    nest.Simulate(105.0)
    assert post.get("archiver_length") == 100                 # nobody has read them yet
    assert get_kernel().archive.capacity >= 100
    nest.Simulate(10.0)                                       # the pre spike at 111 reads all
    sg = nest.Create("spike_generator", params={"spike_times": [120.0]})
    nest.Connect(sg, post)
    nest.Simulate(10.0)                                       # a post spike at 121 prunes
    # kept: the newest entry more than (max delay 1 + min_delay 1) before 121, and the newer
    assert post.get("archiver_length") == 2
    # the pre spike at 111 ms (d = 1) read K- at 110 ms: 100 spikes one ms apart, tau 20
    k = sum(np.exp(-(110.0 - t) / 20.0) for t in np.arange(3.0, 103.0))
    assert post.get("post_trace") == pytest.approx(k, rel=1e-12)


def test_post_trace_follows_tau_minus_changes_between_runs():
    pre, post = _net([5.0], [20.0, 40.0])
    with nest.RunManager():
        nest.Run(25.0)
        assert post.get("post_trace") == pytest.approx(np.exp(-(20.0 - 6.0) / 20.0), rel=1e-14)
        post.set(tau_minus=5.0)
        nest.Run(25.0)
    # the K value at 40 uses the new tau_minus from the archived entry (K = 1 at 6 ms)
    assert post.get("post_trace") == pytest.approx(np.exp(-(40.0 - 6.0) / 5.0), rel=1e-14)


def test_nodes_without_archiving_connections_have_no_history():
    n = nest.Create("iaf_psc_alpha", params={"I_e": 1000.0})
    nest.Simulate(50.0)
    assert n.get("t_spike") > 0
    assert n.get("archiver_length") == 0 and n.get("post_trace") == 0.0
    assert not get_kernel().archive.active
