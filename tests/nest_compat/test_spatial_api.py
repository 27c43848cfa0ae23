"""The nest facade's spatial API: NEST 3.10's conventions (docs/nest_semantics.md section 9)."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

import nest
from nest import NESTErrors


def test_free_layer_box_rounds_the_bounding_box_up():
    layer = nest.Create("iaf_psc_alpha", positions=nest.spatial.free(
        [[0.1, 0.2], [0.5, -0.3], [1.0, 2.0]]))
    info = layer.spatial
    assert_allclose(info["extent"], [1.0, 3.0])
    assert_allclose(info["center"], [0.55, 0.85])
    assert_allclose(layer[1:].spatial["positions"], [[0.5, -0.3], [1.0, 2.0]])
    with pytest.raises(NESTErrors.BadProperty, match="extent"):
        nest.Create("iaf_psc_alpha", positions=nest.spatial.free([[0.0, 0.0]]))


def test_grid_order_and_errors():
    layer = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(shape=[2, 2, 2]))
    assert nest.GetPosition(layer[:3]) == [[-0.25, 0.25, -0.25], [-0.25, 0.25, 0.25],
                                           [-0.25, -0.25, -0.25]]
    assert "positions" not in layer.spatial and list(layer.spatial["shape"]) == [2, 2, 2]
    with pytest.raises(ValueError, match="number of nodes"):
        nest.Create("iaf_psc_alpha", 3, positions=nest.spatial.grid(shape=[2, 2]))
    with pytest.raises(NESTErrors.BadProperty):
        nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(shape=[1]))
    assert nest.Create("iaf_psc_alpha", 2).spatial is None


def test_displacement_signs_and_periodic_wrap():
    layer = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(
        shape=[5, 4], extent=[2.0, 2.0], center=[1.0, 0.5], edge_wrap=True))
    assert_allclose(nest.Displacement(layer[:1], layer[-1:]), [[0.4, -0.5]])   # from - to
    assert nest.GetPosition(layer[0]) == pytest.approx([0.2, 1.25])
    assert_allclose(nest.Displacement([[0.0, 0.0]], layer[:1]), [[0.2, -0.75]])  # node - point
    with pytest.raises(ValueError):
        nest.Distance(layer[1:3], layer[2:7])


def test_dumps(tmp_path):
    layer = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(shape=[2, 1],
                                                                     edge_wrap=True))
    nest.Connect(layer, layer, {"rule": "pairwise_bernoulli", "p": 1.0})
    nest.DumpLayerNodes(layer, tmp_path / "n.txt")
    nest.DumpLayerConnections(layer, layer, "static_synapse", tmp_path / "c.txt")
    assert (tmp_path / "n.txt").read_text().splitlines() == ["1 -0.25 0", "2 0.25 0"]
    assert (tmp_path / "c.txt").read_text().splitlines() == [
        "1 1 1 1 0 0", "1 2 1 1 -0.5 0", "2 1 1 1 -0.5 0", "2 2 1 1 0 0"]


def test_masks_edges_anchor_and_algebra():
    rect = nest.CreateMask("rectangular", {"lower_left": [0, 0], "upper_right": [1, 1]})
    assert rect.Inside([0, 0]) and rect.Inside([1, 1]) and not rect.Inside([-1e-12, 0])
    moved = nest.CreateMask("rectangular", {"lower_left": [0, 0], "upper_right": [1, 1]},
                            anchor=[0.5, 0.5])
    assert moved.Inside([1.2, 1.2]) and not moved.Inside([0.0, 0.0])
    ring = nest.CreateMask("doughnut", {"inner_radius": 0.5, "outer_radius": 1.0})
    assert not ring.Inside([0.5, 0.0]) and ring.Inside([1.0, 0.0])
    assert (rect - moved).Inside([0.2, 0.2]) and not (rect & moved).Inside([0.2, 0.2])
    with pytest.raises(NESTErrors.UnaccessedDictionaryEntry):
        nest.CreateMask("circular", {"radius": 1.0, "foo": 1})
    with pytest.raises(NESTErrors.BadProperty):
        nest.CreateMask("circular", {"radius": 0.0})


def test_spatial_connect_errors():
    plain = nest.Create("iaf_psc_alpha", 3)
    layer = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(shape=[5, 5]))
    with pytest.raises(TypeError, match="spatial information"):
        nest.Connect(plain, plain, {"rule": "pairwise_bernoulli", "p": 1.0,
                                    "mask": {"circular": {"radius": 1.0}}})
    with pytest.raises(ValueError, match="only possible connection rules"):
        nest.Connect(layer, layer, {"rule": "all_to_all", "mask": {"circular": {"radius": 1.0}}})
    with pytest.raises(NESTErrors.KernelException, match="Not enough sources"):
        nest.Connect(layer, layer, {"rule": "fixed_indegree", "indegree": 9,
                                    "allow_multapses": False,
                                    "mask": {"rectangular": {"lower_left": [-0.21, -0.21],
                                                             "upper_right": [0.21, 0.21]}}})
    with pytest.raises(ValueError, match="dimension"):
        nest.Connect(layer, layer, syn_spec={"weight": nest.spatial.distance.z})
    wrapped = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(shape=[3, 3],
                                                                       edge_wrap=True))
    with pytest.raises(NESTErrors.BadProperty, match="Mask size"):
        nest.Connect(wrapped, wrapped, {"rule": "pairwise_bernoulli",
                                        "mask": {"circular": {"radius": 0.6}}})


def test_parameters_of_positions_and_distances():
    layer = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(shape=[3, 1],
                                                                     extent=[3.0, 1.0]))
    assert nest.spatial.pos.x.apply(layer) == (-1.0, 0.0, 1.0)
    assert nest.spatial.distance.x.apply(layer[0], [[2.0, 0.5], [-2.0, 0.3]]) == (3.0, 1.0)
    nest.Connect(layer, layer, {"rule": "pairwise_bernoulli", "p": 1.0},
                 {"weight": nest.spatial.distance.x + 10 * nest.spatial.source_pos.x
                  + 100 * nest.spatial.target_pos.x})
    conns = nest.GetConnections()
    w = dict(zip(zip(conns.source, conns.target), conns.weight))
    assert w[(1, 2)] == pytest.approx(1.0 - 10.0) and w[(3, 1)] == pytest.approx(2 + 10 - 100)
    assert conns.distance == pytest.approx([0, 1, 2, 1, 0, 1, 2, 1, 0])
    layer.V_m = -70.0 + nest.spatial.pos.x
    assert_allclose(layer.V_m, [-71.0, -70.0, -69.0])


def test_find_and_select():
    layer = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(shape=[3, 3],
                                                                     extent=[3.0, 3.0]))
    assert nest.FindCenterElement(layer) == layer[4:5]
    assert len(nest.FindNearestElement(layer, (0.5, 0.5), find_all=True)) == 4
    mask = nest.CreateMask("circular", {"radius": 1.0})
    assert nest.SelectNodesByMask(layer, [0.0, 0.0], mask).tolist() == [2, 4, 5, 6, 8]
    assert np.asarray(nest.GetTargetNodes(layer[:1], layer)[0]).size == 0
