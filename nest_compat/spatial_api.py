"""NEST's spatial functions: layers in Create, masks, positions, distances, dumps, queries.

Positions live in the kernel (``kernel.spatial``): ``Create(..., positions=...)`` attaches a
layer to the new block, ``Connect`` with a mask or a spatial ``p`` runs the kernel's spatial
builder. This module only translates NEST's arguments and return types.
"""
import numbers

import numpy as np

from kernel import get_kernel
from kernel import spatial as ks
from kernel.connect import parameters as kp
from kernel.connect.context import DrawContext

from .errors import NESTErrors, nest_errors
from .nodes import NodeCollection
from .parameters import Parameter

__all__ = ["CreateMask", "Displacement", "Distance", "DumpLayerConnections", "DumpLayerNodes",
           "FindCenterElement", "FindNearestElement", "GetPosition", "GetSourceNodes",
           "GetSourcePositions", "GetTargetNodes", "GetTargetPositions", "Mask",
           "SelectNodesByMask"]


# -- layers ----------------------------------------------------------------------------------------
def create_layer(model, n, params, positions, create):
    """Create(model, n, params, positions): nodes of one block with a kernel layer."""
    from . import spatial
    if not isinstance(positions, (spatial.free, spatial.grid)):
        raise TypeError("`positions` must be either a nest.spatial.free or a nest.spatial.grid "
                        "object")
    k = get_kernel()
    if isinstance(positions, spatial.grid):
        if n > 1:
            raise ValueError("Cannot specify number of nodes with grid positions")
        layer = ks.grid_layer(positions.shape, positions.extent, positions.center,
                              positions.edge_wrap)
    else:
        pos = positions.pos
        if len(pos) and all(isinstance(p, Parameter) for p in pos):
            sites = np.arange(k.nodes.size + 1, k.nodes.size + 1 + n)
            pos = np.stack([kp.evaluate_for_nodes(p._node, sites, k.rng_seed, k.next_stream())
                            for p in pos], axis=1)
            if positions.extent is None and n == 1:
                raise NESTErrors.KernelException("If only one node is created, 'extent' must be "
                                                 "specified.")
        layer = ks.free_layer(pos, positions.extent, positions.edge_wrap)
    nc = create(model, layer.n, None)
    ks.attach(k, int(nc._ids[0]), layer)
    if params:
        nc.set(params)
    return nc


def _layer(nodes, what="nodes"):
    """(layer, local indices) of a NodeCollection inside one layer."""
    if not isinstance(nodes, NodeCollection):
        raise TypeError(f"{what} must be a NodeCollection")
    try:
        return ks.layer_of(get_kernel(), nodes._checked_ids(), what)
    except ks.NotSpatial as error:
        raise NESTErrors.LayerExpected(str(error)) from None


def spatial_info(nodes):
    """``NodeCollection.spatial``: the layer's metadata, or None without positions."""
    ids = nodes._checked_ids()
    try:
        layer, local = ks.layer_of(get_kernel(), ids)
    except ks.NotSpatial:
        return None
    info = {"center": layer.center.copy(), "edge_wrap": layer.edge_wrap,
            "extent": layer.extent.copy(), "network_size": int(ids.shape[0])}
    if layer.shape is not None:
        info["shape"] = np.array(layer.shape)
    else:
        info["positions"] = layer.positions[local].copy()
    return info


def _tolist(arr):
    return [[float(v) for v in row] for row in np.asarray(arr)]


@nest_errors
def GetPosition(nodes):
    """Positions of nodes: a list of floats for one node, a list of lists for several."""
    layer, local = _layer(nodes)
    pos = _tolist(layer.positions[local])
    return pos[0] if len(pos) == 1 else pos


def _points(arg):
    arr = np.asarray(arg, dtype=np.float64)
    return arr.reshape(1, -1) if arr.ndim == 1 else arr


def _displacements(from_arg, to_arg):
    """NEST's Displacement: node to node ``from - to``; location to node ``to - location``."""
    if not isinstance(to_arg, NodeCollection):
        raise TypeError("to_arg must be a NodeCollection")
    to_layer, to_local = _layer(to_arg, "to_arg")
    to_pos = to_layer.positions[to_local]
    if isinstance(from_arg, NodeCollection):
        fl, f_local = _layer(from_arg, "from_arg")
        from_pos = fl.positions[f_local]
        sign = -1.0
    else:
        from_pos = _points(from_arg)
        sign = 1.0
    if len(from_pos) != len(to_pos) and 1 not in (len(from_pos), len(to_pos)):
        raise ValueError("to_arg and from_arg must have same size unless one have size 1.")
    if from_pos.shape[1] != to_pos.shape[1]:
        raise NESTErrors.BadProperty("from_arg and to_arg have different dimensions.")
    return to_layer.wrap(sign * (to_pos - from_pos))


@nest_errors
def Displacement(from_arg, to_arg):
    """Displacement vectors between nodes, or from locations to nodes (periodic aware)."""
    return _tolist(_displacements(from_arg, to_arg))


@nest_errors
def Distance(from_arg, to_arg):
    """Distances between nodes, or from locations to nodes (periodic aware)."""
    d = _displacements(from_arg, to_arg)
    return [float(v) for v in np.sqrt(np.einsum("ij,ij->i", d, d))]


@nest_errors
def FindNearestElement(layer, locations, find_all=False):
    """The node(s) of ``layer`` nearest to each location (all ties with ``find_all``)."""
    lay, local = _layer(layer, "layer")
    ids = layer._checked_ids()
    locs = np.asarray(locations, dtype=np.float64)
    single = locs.ndim == 1
    locs = locs.reshape(1, -1) if single else locs
    out = []
    for loc in locs:     # one vectorized pass per location (locations are few)
        d = lay.wrap(lay.positions[local] - loc)
        dist = np.sqrt(np.einsum("ij,ij->i", d, d))
        best = np.flatnonzero(np.abs(dist - dist.min()) <= 1e-12 * max(1.0, dist.min()))
        if find_all:
            out.append(NodeCollection(ids[best]) if single else
                       [NodeCollection([int(i)]) for i in ids[best]])
        else:
            out.append(NodeCollection([int(ids[best[0]])]))
    return out[0] if single else out


@nest_errors
def FindCenterElement(layer):
    """The node nearest to the center of the layer."""
    info = spatial_info(layer)
    if info is None:
        raise NESTErrors.LayerExpected("FindCenterElement needs a spatial NodeCollection.")
    return FindNearestElement(layer, info["center"])


@nest_errors
def DumpLayerNodes(layer, outname):
    """Write 'node_id x y [z]' for every node of ``layer`` to ``outname``."""
    lay, local = _layer(layer, "layer")
    ids = layer._checked_ids()
    table = np.column_stack([ids, lay.positions[local]])
    np.savetxt(outname, table, fmt=["%d"] + ["%g"] * lay.dim)
    return layer


def _connections(sources, targets, synapse_model):
    from .synapses import GetConnections
    conns = GetConnections(source=sources, target=targets, synapse_model=synapse_model)
    if not len(conns):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), conns
    data = conns.get(["source", "target"])
    return (np.atleast_1d(np.asarray(data["source"], dtype=np.int64)),
            np.atleast_1d(np.asarray(data["target"], dtype=np.int64)), conns)


@nest_errors
def DumpLayerConnections(source_layer, target_layer, synapse_model, outname):
    """Write 'source target weight delay dx dy [dz]' for the connections between two layers
    (displacement target - source, periodic in the source layer)."""
    slay, _ = _layer(source_layer, "source_layer")
    _layer(target_layer, "target_layer")
    src, tgt, conns = _connections(source_layer, target_layer, synapse_model)
    k = get_kernel()
    table = np.zeros((0, 4 + slay.dim))
    if src.size:
        data = conns.get(["weight", "delay"])
        disp = slay.wrap(ks.positions_of(k, tgt) - ks.positions_of(k, src))
        table = np.column_stack([src, tgt, np.atleast_1d(data["weight"]),
                                 np.atleast_1d(data["delay"]), disp])[np.lexsort((tgt, src))]
    np.savetxt(outname, table, fmt=["%d", "%d"] + ["%g"] * (2 + slay.dim))


def _grouped(keys, values, ids):
    """For each id, the sorted values whose key is that id."""
    order = np.lexsort((values, keys))
    keys, values = keys[order], values[order]
    lo = np.searchsorted(keys, ids, side="left")
    hi = np.searchsorted(keys, ids, side="right")
    return [values[a:b] for a, b in zip(lo, hi)]


def _nc(ids):
    return NodeCollection(np.unique(ids)) if len(ids) else NodeCollection([])


@nest_errors
def GetTargetNodes(sources, tgt_layer, syn_model=None):
    """For each source, the NodeCollection of its targets in ``tgt_layer``."""
    _layer(tgt_layer, "tgt_layer")
    src, tgt, _ = _connections(sources, tgt_layer, syn_model)
    return tuple(_nc(t) for t in _grouped(src, tgt, sources._checked_ids()))


@nest_errors
def GetSourceNodes(src_layer, targets, syn_model=None):
    """For each target, the NodeCollection of its sources in ``src_layer``."""
    _layer(src_layer, "src_layer")
    src, tgt, _ = _connections(src_layer, targets, syn_model)
    return tuple(_nc(s) for s in _grouped(tgt, src, targets._checked_ids()))


@nest_errors
def GetTargetPositions(sources, tgt_layer, syn_model=None):
    """For each source, the positions of its targets in ``tgt_layer``."""
    _layer(tgt_layer, "tgt_layer")
    src, tgt, _ = _connections(sources, tgt_layer, syn_model)
    k = get_kernel()
    return [_tolist(ks.positions_of(k, t)) if len(t) else []
            for t in _grouped(src, tgt, sources._checked_ids())]


@nest_errors
def GetSourcePositions(src_layer, targets, syn_model=None):
    """For each target, the positions of its sources in ``src_layer``."""
    _layer(src_layer, "src_layer")
    src, tgt, _ = _connections(src_layer, targets, syn_model)
    k = get_kernel()
    return [_tolist(ks.positions_of(k, s)) if len(s) else []
            for s in _grouped(tgt, src, targets._checked_ids())]


# -- masks ----------------------------------------------------------------------------------------
# mask type -> (dimension, required keys, optional keys with defaults)
_MASKS = {
    "rectangular": (2, ("lower_left", "upper_right"), {"azimuth_angle": 0.0}),
    "box": (3, ("lower_left", "upper_right"), {"azimuth_angle": 0.0, "polar_angle": 0.0}),
    "circular": (2, ("radius",), {"anchor": None}),
    "spherical": (3, ("radius",), {"anchor": None}),
    "doughnut": (2, ("inner_radius", "outer_radius"), {"anchor": None}),
    "elliptical": (2, ("major_axis", "minor_axis"), {"azimuth_angle": 0.0, "anchor": None}),
    "ellipsoidal": (3, ("major_axis", "minor_axis", "polar_axis"),
                    {"azimuth_angle": 0.0, "polar_angle": 0.0, "anchor": None}),
    "grid": (None, ("shape",), {}),
}


def _vec(value, d, key, mtype):
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != (d,):
        raise NESTErrors.BadProperty(f"{mtype} mask: '{key}' must have {d} elements; got "
                                     f"{value!r}.")
    return arr


def _num(value, key, mtype):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise NESTErrors.TypeMismatch(f"{mtype} mask: '{key}' must be a number; got {value!r}.")
    return float(value)


def _kernel_mask(mtype, specs):
    if mtype not in _MASKS:
        raise NESTErrors.UnknownMaskType(
            f"Unknown mask type {mtype!r}; known types: {', '.join(_MASKS)}.") \
            if hasattr(NESTErrors, "UnknownMaskType") else NESTErrors.BadProperty(
            f"Unknown mask type {mtype!r}; known types: {', '.join(_MASKS)}.")
    if not isinstance(specs, dict):
        raise NESTErrors.TypeMismatch(f"{mtype} mask: the parameters must be a dict.")
    d, required, optional = _MASKS[mtype]
    unknown = sorted(set(specs) - set(required) - set(optional))
    if unknown:
        raise NESTErrors.UnaccessedDictionaryEntry(
            f"Unaccessed elements in {mtype} mask: {' '.join(unknown)} (takes: "
            f"{', '.join(required + tuple(optional))})")
    for key in required:
        if key not in specs:
            raise NESTErrors.BadProperty(f"{mtype} mask: the key '{key}' is required.")
    opts = {key: specs.get(key, default) for key, default in optional.items()}
    if mtype == "grid":
        return ks.GridMask(specs["shape"])
    center = np.zeros(d) if opts.get("anchor") is None else _vec(opts["anchor"], d, "anchor",
                                                                   mtype)
    if mtype in ("rectangular", "box"):
        return ks.Box(_vec(specs["lower_left"], d, "lower_left", mtype),
                      _vec(specs["upper_right"], d, "upper_right", mtype),
                      _num(opts["azimuth_angle"], "azimuth_angle", mtype),
                      _num(opts.get("polar_angle", 0.0), "polar_angle", mtype))
    if mtype in ("circular", "spherical"):
        return ks.Ball(_num(specs["radius"], "radius", mtype), center)
    if mtype == "doughnut":
        return ks.Doughnut(_num(specs["inner_radius"], "inner_radius", mtype),
                           _num(specs["outer_radius"], "outer_radius", mtype), center)
    return ks.Ellipse(_num(specs["major_axis"], "major_axis", mtype),
                      _num(specs["minor_axis"], "minor_axis", mtype), center,
                      _num(specs["polar_axis"], "polar_axis", mtype) if d == 3 else None,
                      _num(opts["azimuth_angle"], "azimuth_angle", mtype),
                      _num(opts.get("polar_angle", 0.0), "polar_angle", mtype))


def _anchored(mask, anchor):
    if anchor is None:
        return mask
    if isinstance(mask, ks.GridMask):
        return ks.GridMask(mask.shape, anchor)
    return ks.Anchored(mask, np.asarray(anchor, dtype=np.float64))


class Mask:
    """A spatial mask (NEST's ``nest.Mask``): created with :func:`CreateMask`, combined with
    ``|`` (union), ``&`` (intersection) and ``-`` (difference)."""

    def __init__(self, kernel_mask):
        self._mask = kernel_mask

    def _combine(self, op, other):
        if not isinstance(other, Mask):
            raise NotImplementedError("masks combine only with masks")
        if isinstance(self._mask, ks.GridMask) or isinstance(other._mask, ks.GridMask):
            raise NESTErrors.BadProperty("grid masks cannot be combined.")
        try:
            return Mask(ks.Combined(op, self._mask, other._mask))
        except Exception as error:  # kernel errors -> NEST's
            from .errors import translate
            raise translate(error) from None

    def __or__(self, other):
        return self._combine("or", other)

    def __and__(self, other):
        return self._combine("and", other)

    def __sub__(self, other):
        return self._combine("minus", other)

    @nest_errors
    def Inside(self, point):
        """Whether ``point`` lies inside the mask."""
        if isinstance(self._mask, ks.GridMask):
            raise NESTErrors.BadProperty("Inside is not defined for grid masks.")
        return bool(self._mask.inside(np.asarray(point, dtype=np.float64).reshape(1, -1))[0])


@nest_errors
def CreateMask(masktype, specs, anchor=None):
    """Create a spatial mask.

    Parameters
    ----------
    masktype : str
        'rectangular', 'circular', 'doughnut', 'elliptical' (2-D), 'box', 'spherical',
        'ellipsoidal' (3-D) or 'grid' (grid layers).
    specs : dict
        The mask's parameters (e.g. ``{'radius': 0.5}``).
    anchor : list of float, optional
        Moves the mask (grid masks: in grid cells).

    Returns
    -------
    Mask
    """
    return Mask(_anchored(_kernel_mask(masktype, specs), anchor))


def mask_from_spec(spec):
    """A kernel mask from Connect's ``mask``: a Mask or ``{type: {...}, 'anchor': [...]}``."""
    if isinstance(spec, Mask):
        return spec._mask
    if not isinstance(spec, dict):
        raise NESTErrors.TypeMismatch("mask must be a nest.Mask or a dict {type: parameters}.")
    types = [key for key in spec if key != "anchor"]
    if len(types) != 1:
        raise NESTErrors.BadProperty(f"Mask definition dictionary must contain one and only one "
                                     f"mask type; got {types}.")
    return _anchored(_kernel_mask(types[0], spec[types[0]]), spec.get("anchor"))


@nest_errors
def SelectNodesByMask(layer, anchor, mask_obj):
    """The nodes of ``layer`` inside ``mask_obj`` placed at ``anchor``."""
    lay, local = _layer(layer, "layer")
    ids = layer._checked_ids()
    m = mask_obj._mask
    d = lay.positions[local] - np.asarray(anchor, dtype=np.float64)
    if isinstance(m, ks.GridMask):
        raise NESTErrors.BadProperty("SelectNodesByMask takes geometric masks.")
    if lay.edge_wrap:
        lo, hi = m.bbox()
        mid = 0.5 * (lo + hi)
        d = lay.wrap(d - mid) + mid
    return NodeCollection(ids[m.inside(d)])


# -- Connect ---------------------------------------------------------------------------------------
SPATIAL_KEYS = ("mask", "use_on_source", "allow_oversized_mask")


def split_conn_spec(conn_spec, pre, post):
    """(conn_spec without spatial keys, spatial options or None) for Connect.

    A conn_spec goes to the spatial builder when it has a mask, use_on_source or
    allow_oversized_mask, a ``p`` with a rule other than the Bernoulli rules (NEST's kernel
    for degree rules), or a Parameter as ``p`` or degree. Masks, kernels for degree rules and
    spatial Parameters need layers on both sides (TypeError otherwise, before the conn_spec is
    checked further, as in NEST); other Parameters also work between nodes without positions.
    """
    if not isinstance(conn_spec, dict):
        return conn_spec, None
    rule = conn_spec.get("rule")
    params = [conn_spec.get(key) for key in ("p", "indegree", "outdegree")]
    any_param = any(isinstance(v, Parameter) for v in params)
    needs_layers = any(key in conn_spec for key in SPATIAL_KEYS) or \
        any(isinstance(v, Parameter) and kp_spatial(v) for v in params) or \
        ("p" in conn_spec and rule not in ("pairwise_bernoulli", "symmetric_pairwise_bernoulli"))
    if not (needs_layers or any_param):
        return conn_spec, None
    if needs_layers:
        for name, nc in (("Presynaptic", pre), ("Postsynaptic", post)):
            if not isinstance(nc, NodeCollection) or spatial_info(nc) is None:
                raise TypeError(f"{name} NodeCollection must have spatial information")
    rest = {key: v for key, v in conn_spec.items() if key not in SPATIAL_KEYS}
    opts = {key: conn_spec[key] for key in SPATIAL_KEYS if key in conn_spec}
    opts["layers"] = needs_layers or _both_spatial(pre, post)
    if "p" in rest and rule != "pairwise_bernoulli":
        opts["p"] = rest.pop("p")
    elif rule == "pairwise_bernoulli":
        opts["p"] = rest.get("p", 1.0)
        rest["p"] = 1.0
    for key in ("indegree", "outdegree"):   # the rule checks a placeholder; the builder
        if isinstance(rest.get(key), Parameter):   # evaluates the Parameter per driver
            opts[key] = rest[key]
            rest[key] = 0
    return rest, opts


def check_dimensions(param, pre_ids, post_ids, name):
    """ValueError when a spatial Parameter reads a dimension the layers do not have."""
    if not ks.is_spatial(param._node):
        return
    need = ks.parameters.max_dimension(param._node)
    k = get_kernel()
    try:
        dim = ks.positions_of(k, np.asarray(pre_ids)[:1]).shape[1]
    except ks.NotSpatial:
        raise TypeError("Presynaptic NodeCollection must have spatial information") from None
    if need >= dim:
        raise ValueError(f"syn_spec '{name}': {param._node.describe()} needs dimension "
                         f"{need + 1}, but the layer is {dim}-dimensional.")


def kp_spatial(param):
    return ks.is_spatial(param._node)


def _both_spatial(pre, post):
    return all(isinstance(nc, NodeCollection) and spatial_info(nc) is not None
               for nc in (pre, post))


def spatial_expand(k, rule, pre, post, pre_ids, post_ids, switches, params, opts, rng,
                   share=None):
    """The RuleResult of a spatial Connect: the connections to the targets ``share``
    (positions into post_ids, an MPI process's) or to all (None); Parameter values of the
    connections are keyed by their identity (source, target, occurrence)."""
    from kernel.connect import RuleResult
    if rule not in ks.SPATIAL_RULES:
        raise ValueError("When using kernel or mask, the only possible connection rules are "
                         "'pairwise_bernoulli', 'pairwise_poisson', 'fixed_indegree', or "
                         "'fixed_outdegree'")
    for key in ("use_on_source", "allow_oversized_mask"):
        if key in opts and not isinstance(opts[key], (bool, np.bool_)):
            raise NESTErrors.TypeMismatch(f"{key} must be True or False.")
    if switches["make_symmetric"]:
        raise NESTErrors.NotImplemented("make_symmetric is not supported with spatial "
                                        "connections.")
    mask = mask_from_spec(opts["mask"]) if "mask" in opts else None
    p = opts.get("p")
    if isinstance(p, Parameter):
        check_dimensions(p, pre_ids, post_ids, "p")
    if rule == "pairwise_poisson":
        if "p" in opts:
            raise NESTErrors.UnaccessedDictionaryEntry(
                "Unaccessed elements in conn_spec, in function Connect:  p (pairwise_poisson "
                "takes pairwise_avg_num_conns)")
        p = params["pairwise_avg_num_conns"]
    if isinstance(p, Parameter):
        p = p._node
    elif p is not None:
        if isinstance(p, bool) or not isinstance(p, numbers.Real):
            raise NESTErrors.TypeMismatch(f"p must be a number or a Parameter; got {p!r}.")
        if rule == "pairwise_poisson" and not 0.0 <= float(p) < float("inf"):
            raise NESTErrors.BadProperty(f"Connection parameter 0 <= pairwise_avg_num_conns "
                                         f"required; got {p!r}.")
        if rule == "pairwise_bernoulli" and not 0.0 <= float(p) <= 1.0:
            raise NESTErrors.BadProperty(f"Connection probability 0 <= p <= 1 required; got "
                                         f"{p!r}.")
    degree = opts.get("indegree", opts.get("outdegree",
                                            params.get("indegree", params.get("outdegree"))))
    if isinstance(degree, Parameter):   # one degree per driver, rounded (NEST)
        drivers = post_ids if rule == "fixed_indegree" else pre_ids
        degree = np.rint(kp.evaluate_for_nodes(degree._node, drivers, k.rng_seed,
                                               k.next_stream())).astype(np.int64)
        if np.any(degree < 0):
            raise NESTErrors.BadProperty("the degree Parameter gave negative values.")
    elif degree is not None and (isinstance(degree, bool) or
                                 not isinstance(degree, numbers.Integral) or degree < 0):
        raise NESTErrors.BadProperty(f"the degree must be a non-negative integer; got {degree!r}.")
    layers = None
    if not opts["layers"]:   # nodes without positions: a non-spatial Parameter needs none
        layers = tuple(ks.Layer(np.zeros((len(ids), 2)), np.ones(2), np.zeros(2))
                       for ids in (pre_ids, post_ids))
    pre_pos, post_pos = ks.spatial_connect(
        k, rule, pre_ids, post_ids, mask=mask, p=p,
        use_on_source=bool(opts.get("use_on_source", False)),
        allow_autapses=switches["allow_autapses"], allow_multapses=switches["allow_multapses"],
        degree=degree, rng=rng,
        allow_oversized=bool(opts.get("allow_oversized_mask", False)), layers=layers,
        targets_subset=share)
    if share is not None:
        return RuleResult.share(pre_pos, post_pos, value_keys="identity")
    result = RuleResult(pre_pos, post_pos)
    result.value_keys = "identity"
    return result


def connection_distances(conns):
    """``SynapseCollection.distance``: source-target distance of each connection (NaN where
    a node has no position), periodic in the source's layer."""
    if not len(conns):
        return ()
    data = conns.get(["source", "target"])
    src = np.atleast_1d(np.asarray(data["source"], dtype=np.int64))
    tgt = np.atleast_1d(np.asarray(data["target"], dtype=np.int64))
    k = get_kernel()
    dist = np.full(src.shape[0], np.nan)
    for block, pos, local in k.nodes.group(src):
        layer = getattr(block, "layer", None)
        if layer is None:
            continue
        tblocks = k.nodes.block_index(tgt[pos])
        spatial_t = np.array([getattr(k.nodes.blocks[b], "layer", None) is not None
                              and k.nodes.blocks[b].layer.dim == layer.dim for b in tblocks])
        if not spatial_t.any():
            continue
        pick = pos[spatial_t]
        d = layer.wrap(ks.positions_of(k, tgt[pick]) - layer.positions[local[spatial_t]])
        dist[pick] = np.sqrt(np.einsum("ij,ij->i", d, d))
    out = [float(v) for v in dist]
    return out[0] if len(out) == 1 else out


def apply_parameter(param, spatial_nc, positions=None):
    """``Parameter.apply``: values at the nodes of ``spatial_nc`` or from one node to points."""
    k = get_kernel()
    lay, local = _layer(spatial_nc, "spatial_nc")
    ids = spatial_nc._checked_ids()
    if positions is None:
        geom = ks.Geometry(None, lay.positions[local])
        ctx = DrawContext(k.rng_seed, k.next_stream(), None, ids, ids.astype(np.uint64),
                          geometry=geom)
        return tuple(float(v) for v in param._node.evaluate(ctx))
    if len(ids) != 1:
        raise ValueError("The NodeCollection must contain a single node ID only")
    if not isinstance(positions, (list, tuple, np.ndarray)) or not len(positions) or \
            not all(isinstance(p, (list, tuple, np.ndarray)) for p in positions):
        raise TypeError("Positions must be a list of lists of floats")
    if len({len(p) for p in positions}) != 1:
        raise ValueError("All positions must have the same number of dimensions")
    tpos = np.asarray(positions, dtype=np.float64)
    if tpos.shape[1] != lay.dim:
        raise NESTErrors.BadProperty(f"the positions must be {lay.dim}-dimensional like the "
                                     "layer.")
    spos = np.repeat(lay.positions[local], tpos.shape[0], axis=0)
    geom = ks.Geometry(spos, tpos, lay)
    n = tpos.shape[0]
    ctx = DrawContext(k.rng_seed, k.next_stream(), np.repeat(ids, n), None,
                      np.arange(n, dtype=np.uint64), geometry=geom)
    return tuple(float(v) for v in param._node.evaluate(ctx))
