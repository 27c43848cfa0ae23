"""GetConnections, SynapseCollection, Disconnect and synapse variants.

Expected values are what NEST 3.10 gives for the same calls (observed with the real NEST).
"""
import numpy as np
import pytest

import nest


@pytest.fixture
def net():
    a = nest.Create("iaf_psc_alpha", 5)
    nest.Connect(a[3:], a[:2], syn_spec={"weight": 2.0, "delay": 1.5})
    nest.Connect(a[0], a[4], syn_spec={"synapse_model": "static_synapse_lbl",
                                       "synapse_label": 3, "weight": -12345.678})
    return a


def test_printed_table_matches_nest(net):
    assert str(nest.GetConnections()) == (
        " source   target    synapse model     weight   delay \n"
        "-------- -------- ------------------ -------- -------\n"
        "      4        1     static_synapse    2.000   1.500\n"
        "      4        2     static_synapse    2.000   1.500\n"
        "      5        1     static_synapse    2.000   1.500\n"
        "      5        2     static_synapse    2.000   1.500\n"
        "      1        5 static_synapse_lbl -1.235e+04   1.000")


def test_get_forms(net):
    conns = nest.GetConnections()
    assert len(conns) == 5
    assert conns.get("source") == [4, 4, 5, 5, 1]
    assert conns.weight == [2.0, 2.0, 2.0, 2.0, -12345.678]
    one = nest.GetConnections(synapse_label=3)
    assert one.get(["source", "target"]) == {"source": 1, "target": 5}
    full = one.get()
    assert full["synapse_model"] == "static_synapse_lbl" and full["synapse_label"] == 3
    assert set(full) >= {"delay", "port", "receptor", "sizeof", "source", "synapse_id",
                         "synapse_model", "target", "target_thread", "weight"}
    assert conns.get("synapse_label") == [None, None, None, None, 3]
    assert list(conns.sources()) == [4, 4, 5, 5, 1]
    assert list(conns.targets()) == [1, 2, 1, 2, 5]
    assert conns[1:3].get("target") == [2, 1]


def test_pandas_is_indexed_by_source(net):
    pytest.importorskip("pandas")
    frame = nest.GetConnections().get(["source", "target"], output="pandas")
    assert list(frame.index) == [4, 4, 5, 5, 1]
    assert list(frame["target"]) == [1, 2, 1, 2, 5]


def test_filters(net):
    a = net
    assert nest.GetConnections(target=a[0]).get(["source", "target"]) == \
        {"source": [4, 5], "target": [1, 1]}
    assert nest.GetConnections(a[3:], a[0]).get("source") == [4, 5]
    assert len(nest.GetConnections(a[2])) == 0
    assert len(nest.GetConnections(synapse_model="static_synapse")) == 4
    with pytest.raises(nest.NESTErrors.UnknownSynapseType):
        nest.GetConnections(synapse_model="no_such_synapse")


def test_set_values_and_errors(net):
    conns = nest.GetConnections(synapse_model="static_synapse")
    conns.set(weight=[1.0, 2.0, 3.0, 4.0])
    assert conns.weight == [1.0, 2.0, 3.0, 4.0]
    conns.weight = 5.0
    assert conns.weight == [5.0] * 4
    conns.set(delay=2.0)
    assert conns.delay == [2.0] * 4
    assert (nest.min_delay, nest.max_delay) == (1.0, 2.0)  # NEST's extrema only grow
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry, match="receptor"):
        conns.set(receptor=1)
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry, match="foo"):
        conns.set(foo=1.0)
    with pytest.raises(nest.NESTErrors.BadDelay):
        conns.set(delay=0.0)
    with pytest.raises(IndexError):
        conns.set(weight=[1.0, 2.0])
    conns.set([{"weight": float(i)} for i in range(4)])
    assert conns.weight == [0.0, 1.0, 2.0, 3.0]


def test_changed_weights_reach_the_network():
    pre = nest.Create("spike_generator", params={"spike_times": [1.0]})
    post = nest.Create("iaf_psc_delta")
    nest.Connect(pre, post, syn_spec={"weight": 1.0})
    nest.GetConnections().set(weight=3.0)
    nest.Simulate(5.0)
    # the spike arrives at 2.0 ms and has decayed for 3 ms (NEST: -67.77754533795485)
    assert post.V_m == pytest.approx(-70.0 + 3.0 * np.exp(-3.0 / 10.0), abs=1e-9)


def test_disconnect(net):
    a = net
    nest.Disconnect(a[3], a[0])
    assert nest.num_connections == 4
    with pytest.raises(nest.NESTErrors.InexistentConnection):
        nest.Disconnect(a[3], a[0])
    stale = nest.GetConnections(synapse_model="static_synapse")
    nest.GetConnections(a[4]).disconnect()
    assert nest.num_connections == 2
    with pytest.raises(nest.NESTError, match="GetConnections again"):
        stale.weight
    nest.Disconnect(nest.GetConnections())
    assert nest.num_connections == 0


def test_disconnect_all_to_all():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, a)
    nest.Disconnect(a[:2], a[1:], "all_to_all")
    pairs = set(zip(nest.GetConnections().sources(), nest.GetConnections().targets()))
    assert pairs == {(1, 1), (2, 1), (3, 1), (3, 2), (3, 3)}


def test_collections_survive_later_connects():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a[0], a[1], syn_spec={"weight": 1.0})
    first = nest.GetConnections()
    nest.Connect(a, a, syn_spec={"weight": 9.0})
    assert first.get(["source", "target", "weight"]) == {"source": 1, "target": 2, "weight": 1.0}


def test_return_synapsecollection():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, a, "one_to_one", {"weight": 1.0})
    new = nest.Connect(a[:2], a[2], syn_spec={"weight": 3.0}, return_synapsecollection=True)
    assert new.get(["source", "target", "weight"]) == \
        {"source": [1, 2], "target": [3, 3], "weight": [3.0, 3.0]}


def test_hom_w_weight_is_shared():
    a = nest.Create("iaf_psc_alpha", 2)
    with pytest.raises(nest.NESTErrors.NotImplemented, match="weight"):
        nest.Connect(a, a, syn_spec={"synapse_model": "static_synapse_hom_w", "weight": 5.0})
    nest.CopyModel("static_synapse_hom_w", "hom", {"weight": 4.0})
    nest.Connect(a, a, syn_spec="hom")
    assert nest.GetConnections().weight == [4.0] * 4
    with pytest.raises(nest.NESTError):
        nest.GetConnections().set(weight=1.0)


def test_collocated_synapses():
    a = nest.Create("iaf_psc_alpha", 3)
    spec = nest.CollocatedSynapses({"weight": 4.0, "delay": 1.5},
                                   {"synapse_model": "static_synapse_lbl", "synapse_label": 7})
    assert len(spec) == 2
    nest.Connect(a, a, "one_to_one", spec)
    assert nest.num_connections == 6
    assert nest.GetConnections(synapse_label=7).get("source") == [1, 2, 3]
    assert nest.GetConnections(synapse_model="static_synapse").weight == [4.0] * 3


def test_memory_per_synapse():
    from kernel import get_kernel
    a = nest.Create("iaf_psc_alpha", 200)
    nest.Connect(a, a, syn_spec={"weight": np.random.default_rng(0).random((200, 200)),
                                 "delay": 1.0})
    get_kernel().connections.pack()
    table = get_kernel().tables["static_synapse"]
    assert table.nbytes() / len(table) == 12  # target + weight, one delay stored once


def test_set_with_a_parameter_draws_one_value_per_connection():
    a = nest.Create("iaf_psc_alpha", 10)
    nest.Connect(a, a)
    conns = nest.GetConnections()
    conns.set(weight=nest.random.uniform(1.0, 2.0))
    weights = np.array(conns.weight)
    assert weights.min() >= 1.0 and weights.max() < 2.0
    assert len(np.unique(weights)) == 100
    conns.delay = nest.random.uniform(1.0, 3.0)
    delays = np.array(conns.delay)
    steps = delays / nest.resolution
    assert np.allclose(steps, np.round(steps)) and delays.min() >= 1.0 and delays.max() <= 3.0


def test_collection_is_empty_after_reset_kernel():
    a = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a, a, "one_to_one")
    conns = nest.GetConnections()
    nest.ResetKernel()
    assert len(conns) == 0 and conns.get() == {} and conns.get("weight") == ()
    assert str(conns) == "The synapse collection does not contain any connections."


def test_argument_checks():
    a = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a, a)
    conns = nest.GetConnections()
    with pytest.raises(TypeError):
        nest.GetConnections([1, 2])
    with pytest.raises(TypeError):
        nest.Disconnect([1])
    with pytest.raises(ValueError):
        nest.Disconnect(conns, conn_spec="one_to_one")
    with pytest.raises(ValueError):
        nest.Disconnect(conns, syn_spec="static_synapse")
    with pytest.raises(TypeError):
        nest.Disconnect(a, a, conns)
