"""Reference data of NEST 3.10's spatial module: connection sets of deterministic spatial
Connect calls (masks, anchors, edge_wrap, use_on_source, grid masks, 3-D, distance-valued p),
grid positions, displacements and errors. Writes ref_spatial.json next to this file.

    /work/.venv-nest/bin/python tests/data/generate_reference_spatial.py
"""
import datetime
import json
import pathlib
import warnings

import numpy as np

import nest

warnings.simplefilter("ignore")
nest.set_verbosity("M_ERROR")
OUT = pathlib.Path(__file__).with_name("ref_spatial.json")

rng = np.random.default_rng(1)
P2 = rng.uniform(-0.5, 0.5, (30, 2)).round(6).tolist()
P3 = rng.uniform(-0.5, 0.5, (40, 3)).round(6).tolist()
MASKS = {
    "rect": {"rectangular": {"lower_left": [-0.1, -0.2], "upper_right": [0.3, 0.1]}},
    "rect_anchor": {"rectangular": {"lower_left": [-0.1, -0.2], "upper_right": [0.3, 0.1]},
                    "anchor": [0.2, -0.1]},
    "circ": {"circular": {"radius": 0.3}},
    "circ_anchor": {"circular": {"radius": 0.25}, "anchor": [0.1, 0.2]},
    "dough": {"doughnut": {"inner_radius": 0.1, "outer_radius": 0.35}},
    "ell": {"elliptical": {"major_axis": 0.6, "minor_axis": 0.2, "azimuth_angle": 30.0}},
    "rect_rot": {"rectangular": {"lower_left": [-0.1, -0.2], "upper_right": [0.3, 0.1],
                                 "azimuth_angle": 40.0}},
}
MASKS_3D = {
    "box": {"box": {"lower_left": [-0.2, -0.1, -0.3], "upper_right": [0.1, 0.3, 0.2]}},
    "sphere": {"spherical": {"radius": 0.3}},
    "ellipsoid": {"ellipsoidal": {"major_axis": 0.6, "minor_axis": 0.3, "polar_axis": 0.2,
                                  "azimuth_angle": 20.0, "polar_angle": 30.0}},
    "box_anchor": {"box": {"lower_left": [-0.2, -0.1, -0.3], "upper_right": [0.1, 0.3, 0.2]},
                   "anchor": [0.1, 0.0, -0.1]},
}


def cases():
    """(name, layers spec, conn_spec spec) of every case; specs are plain data."""
    out = []
    for wrap in (False, True):
        for mname in MASKS:
            for uos in (False, True):
                for kind, layer in (("grid", {"grid": {"shape": [7, 5], "extent": [1.0, 1.0]}}),
                                    ("free", {"free": P2, "extent": [1.1, 1.1]})):
                    out.append((f"{kind} wrap={wrap} {mname} uos={uos}", layer, wrap,
                                {"rule": "pairwise_bernoulli", "p": 1.0, "mask": mname,
                                 "use_on_source": uos}))
        for anchor in ([0, 0], [1, 2], [-1, 1]):
            for uos in (False, True):
                out.append((f"gridmask wrap={wrap} anchor={anchor} uos={uos}",
                            {"grid": {"shape": [6, 5], "extent": [1.0, 1.0]}}, wrap,
                            {"rule": "pairwise_bernoulli", "p": 1.0, "use_on_source": uos,
                             "mask": {"grid": {"shape": [3, 2]}, "anchor": anchor}}))
        for mname in MASKS_3D:
            out.append((f"3d wrap={wrap} {mname}", {"free": P3, "extent": [1.1] * 3}, wrap,
                        {"rule": "pairwise_bernoulli", "p": 1.0, "mask": mname}))
        out.append((f"3dgrid wrap={wrap}", {"grid": {"shape": [3, 4, 2], "extent": [1.0] * 3}},
                    wrap, {"rule": "pairwise_bernoulli", "p": 1.0, "mask": "sphere"}))
        out.append((f"p distance wrap={wrap}", {"free": P2, "extent": [1.1, 1.1]}, wrap,
                    {"rule": "pairwise_bernoulli", "p": "distance<0.3", "mask": "circ"}))
        out.append((f"p positions wrap={wrap}", {"free": P2, "extent": [1.1, 1.1]}, wrap,
                    {"rule": "pairwise_bernoulli", "p": "source_x<target_y"}))
    return out


def make_p(spec):
    if spec == "distance<0.3":
        return 1.0 * (nest.spatial.distance < 0.3)
    if spec == "source_x<target_y":
        return 1.0 * (nest.spatial.source_pos.x < nest.spatial.target_pos.y)
    return spec


def layer_positions(spec, wrap):
    if "grid" in spec:
        return nest.spatial.grid(**spec["grid"], edge_wrap=wrap)
    return nest.spatial.free(spec["free"], extent=spec["extent"], edge_wrap=wrap)


def run_case(layer, wrap, conn):
    """Connection set (0-based positions, source layer first) or the exception's class."""
    nest.ResetKernel()
    a = nest.Create("iaf_psc_alpha", positions=layer_positions(layer, wrap))
    b = nest.Create("iaf_psc_alpha", positions=layer_positions(layer, wrap))
    spec = dict(conn)
    mask = spec.get("mask")
    if isinstance(mask, str):
        spec["mask"] = {**MASKS, **MASKS_3D}[mask]
    spec["p"] = make_p(spec["p"])
    try:
        nest.Connect(a, b, spec)
    except Exception as error:   # noqa: BLE001 - the class is the datum
        return type(error).__name__
    c = nest.GetConnections()
    first_a, first_b = a[0].global_id, b[0].global_id
    src = np.atleast_1d(c.source) - first_a if len(c) else []
    tgt = np.atleast_1d(c.target) - first_b if len(c) else []
    return sorted([int(s), int(t)] for s, t in zip(src, tgt))


def grid_positions():
    out = {}
    for shape, extent, center in (([7, 5], [1.0, 1.0], [0.1, 0.1]), ([5, 4], [1.0, 1.0], None),
                                  ([3, 4, 2], [1.0, 1.0, 1.0], [0.1, 0.1, 0.1])):
        nest.ResetKernel()
        layer = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(
            shape=shape, extent=extent, center=center))
        out[repr((shape, extent, center))] = np.array(nest.GetPosition(layer)).tolist()
    return out


def main():
    results = [{"name": name, "layer": layer, "edge_wrap": wrap,
                "conn_spec": conn, "connections": run_case(layer, wrap, conn)}
               for name, layer, wrap, conn in cases()]
    data = {"generated_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "nest_version": nest.__version__, "masks": MASKS, "masks_3d": MASKS_3D,
            "cases": results, "grid_positions": grid_positions()}
    OUT.write_text(json.dumps(data, separators=(",", ":")))
    print(f"wrote {OUT} ({len(results)} cases)")


if __name__ == "__main__":
    main()
