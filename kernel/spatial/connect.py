"""Spatial connection rules: masks and distance-dependent probabilities.

One builder serves NEST's spatial Connect (``mask``, ``p`` as a Parameter, ``use_on_source``,
fixed_indegree / fixed_outdegree with masks) and PyNN's distance-dependent connectors.

For each *driver* the candidates are the *pool* nodes whose offset ``pool - driver`` lies in
the mask (periodic images in wrapped layers). The driver is the source for pairwise_bernoulli
and fixed_outdegree, the target for pairwise_bernoulli with ``use_on_source`` and for
fixed_indegree (NEST's conventions, see docs/nest_semantics.md). Candidates come from a
compiled cell-grid search over the mask's bounding box (``_grid.pyx``, which also tests the
common masks exactly), in chunks of drivers, so memory stays bounded; every further test and
draw is vectorized over the candidate pairs.

Random numbers are counter-based: the Bernoulli trial of a pair is the uniform at site
``target_id << 32 | source_id`` of the call's stream, and degree rules draw at
``driver_id << 32 | draw``. A pair's fate depends only on (seed, stream, its two ids), never on
chunking, thread count or which other nodes take part.
"""
import numpy as np

from ..connect.context import DrawContext
from ..connect.parameters import ParameterNode
from ..errors import BadParameterValue, DimensionMismatch, KernelError
from ..random._draws import uniform_doubles_at
from . import _grid
from .layer import NotSpatial, layer_of
from .masks import GridMask, Mask
from .parameters import Geometry

_CHUNK_PAIRS = 4_000_000


class NotEnoughCandidates(KernelError):
    """A driver's mask holds fewer pool nodes than its degree needs (NEST: KernelException)."""

SPATIAL_RULES = ("pairwise_bernoulli", "pairwise_poisson", "fixed_indegree", "fixed_outdegree")


class Side:
    """One side of a spatial connection: ids, their layer and positions (the layer of the
    ids' block, or a given layer with one position per id)."""

    def __init__(self, kernel, ids, what, layer=None):
        self.ids = np.asarray(ids, dtype=np.int64)
        if layer is not None:
            if layer.n != self.ids.shape[0]:
                raise DimensionMismatch(f"{what}: {layer.n} positions for {self.ids.shape[0]} "
                                        "nodes.")
            self.layer, self.local = layer, np.arange(layer.n)
        else:
            try:
                self.layer, self.local = layer_of(kernel, self.ids, what)
            except NotSpatial:
                raise NotSpatial(f"{what.capitalize()} NodeCollection must have spatial "
                                 "information") from None
        self.pos = self.layer.positions[self.local]

    def take(self, subset):
        """The side restricted to the positions ``subset`` of its ids."""
        part = object.__new__(Side)
        part.ids, part.layer, part.local = self.ids[subset], self.layer, self.local[subset]
        part.pos = self.pos[subset]
        return part


def _pair_sites(a_ids, b_ids):
    return (a_ids.astype(np.uint64) << np.uint64(32)) | b_ids.astype(np.uint64)


class _Candidates:
    """Yields (driver positions, pool positions) index pairs in chunks of drivers."""

    def __init__(self, drivers, pool, mask, driver_is_target, allow_oversized=False):
        self.drivers, self.pool, self.mask = drivers, pool, mask
        self.allow_oversized = allow_oversized
        self.driver_is_target = driver_is_target
        self.exact = False      # whether the candidates already passed the exact mask test
        if isinstance(mask, Mask) and mask.dim != pool.layer.dim:
            raise BadParameterValue("mask", f"Mask is incompatible with layer (the mask is "
                                            f"{mask.dim}-D, the layer {pool.layer.dim}-D).")
        if isinstance(mask, GridMask):
            if pool.layer.shape is None:
                raise BadParameterValue("mask", "Grid masks can only be used with grid layers "
                                                "(the pool layer has free positions).")
            if mask.dim != len(pool.layer.shape) or mask.dim != 2:
                raise BadParameterValue("mask", "Mask is incompatible with layer (grid masks "
                                                "take 2-D grid layers).")
            if pool.layer.edge_wrap and not allow_oversized and \
                    np.any(mask.shape > np.asarray(pool.layer.shape)):
                raise BadParameterValue("mask", "Mask size must not exceed layer size; set "
                                                "allow_oversized_mask to override.")

    def chunks(self):
        n_d, n_p = self.drivers.ids.shape[0], self.pool.ids.shape[0]
        if self.mask is None or self._oversized():
            step = max(1, _CHUNK_PAIRS // max(n_p, 1))
            for lo in range(0, n_d, step):
                di = np.arange(lo, min(n_d, lo + step))
                yield np.repeat(di, n_p), np.tile(np.arange(n_p), di.shape[0])
            return
        if isinstance(self.mask, GridMask):
            yield from self._grid_chunks()
            return
        yield from self._cell_chunks()

    def _oversized(self):
        """Whether a geometric mask is wider than the wrapped pool layer (then allowed only
        with allow_oversized_mask, and every pair is a candidate)."""
        layer = self.pool.layer
        if not isinstance(self.mask, Mask) or not layer.edge_wrap:
            return False
        lo, hi = self.mask.bbox()
        if np.any(hi - lo > layer.extent * (1 + 1e-12)):
            if not self.allow_oversized:
                raise BadParameterValue("mask", "Mask size must not exceed layer size; set "
                                                "allow_oversized_mask to override.")
            return True
        return False

    def _cell_chunks(self):
        """Pairs from the compiled cell search (``_grid``), in chunks of drivers."""
        pool, layer, mask = self.pool, self.pool.layer, self.mask
        lo, hi = (np.asarray(b, dtype=np.float64) for b in mask.bbox())
        width = np.maximum(hi - lo, 1e-12)
        n_pool = pool.ids.shape[0]
        if layer.edge_wrap:
            origin, span = layer.lower_left, layer.extent
        else:
            origin = pool.pos.min(axis=0) if n_pool else np.zeros(layer.dim)
            span = (pool.pos.max(axis=0) - origin if n_pool else np.zeros(layer.dim)) + width
        # cells a quarter of the mask's box wide: the cells visited hug the mask
        nc = np.maximum(1, np.floor(4 * span / width)).astype(np.int64)
        while np.prod(nc) > 2 * n_pool + 64:       # not many more cells than nodes
            nc = np.maximum(1, nc // 2)
        cw = span / nc
        rel = pool.pos - origin
        if layer.edge_wrap:
            rel = np.mod(rel, layer.extent)
        cell_k = np.minimum(np.maximum(np.floor(rel / cw).astype(np.int64), 0), nc - 1)
        cell = np.zeros(n_pool, dtype=np.int64)
        for k in range(layer.dim):
            cell = cell * nc[k] + cell_k[:, k]
        members = np.argsort(cell, kind="stable").astype(np.int64)
        cell_start = np.searchsorted(cell[members], np.arange(np.prod(nc) + 1)).astype(np.int64)
        kind, mp = mask.compiled()
        self.exact = kind != _grid.KIND_BBOX
        args = (np.ascontiguousarray(self.drivers.pos), np.ascontiguousarray(pool.pos[members]),
                cell_start, members, layer.edge_wrap, list(nc), list(origin), list(cw),
                list(layer.extent), list(lo), list(hi), kind, mp)
        counts = _grid.bound_pairs(*args)
        bounds = np.concatenate([[0], np.cumsum(counts)])
        start, n_d = 0, counts.shape[0]
        while start < n_d:
            stop = int(np.searchsorted(bounds, bounds[start] + _CHUNK_PAIRS, side="right")) - 1
            stop = min(n_d, max(stop, start + 1))
            yield _grid.fill_pairs(*args, start, stop, int(bounds[stop] - bounds[start]))
            start = stop

    def _grid_chunks(self):
        pool, layer, mask = self.pool, self.pool.layer, self.mask
        shape = np.asarray(layer.shape)
        step_sz = layer.extent / shape
        # the driver's cell in the pool's grid (rows count from the top)
        rel = self.drivers.pos - layer.lower_left
        if layer.dim >= 2:
            rel[:, 1] = layer.extent[1] - rel[:, 1]
        cell = np.floor(rel / step_sz + 1e-9).astype(np.int64)
        offsets = np.stack(np.meshgrid(*[np.arange(s) for s in mask.shape],
                                       indexing="ij"), axis=-1).reshape(-1, mask.dim)
        offsets = offsets - mask.anchor
        idx = cell[:, None, :] + offsets[None, :, :]
        if layer.edge_wrap:
            idx = np.mod(idx, shape)
            ok = np.ones(idx.shape[:2], dtype=bool)
        else:
            ok = np.all((idx >= 0) & (idx < shape), axis=2)
        flat = idx[..., 0] * shape[1] + idx[..., 1]     # grid masks are 2-D
        d_idx = np.repeat(np.arange(idx.shape[0]), idx.shape[1]).reshape(ok.shape)[ok]
        flat = flat[ok]
        # pool nodes by local index (the pool may be a part of its layer)
        lookup = np.full(layer.n, -1, dtype=np.int64)
        lookup[pool.local] = np.arange(pool.ids.shape[0])
        p_idx = lookup[flat]
        keep = p_idx >= 0
        d_idx, p_idx = d_idx[keep], p_idx[keep]
        order = np.lexsort((p_idx, d_idx))
        pair = np.stack([d_idx[order], p_idx[order]])
        if pair.shape[1] > 1:   # wrapped small layers can meet a cell twice
            dup = np.zeros(pair.shape[1], bool)
            dup[1:] = np.all(pair[:, 1:] == pair[:, :-1], axis=0)
            pair = pair[:, ~dup]
        yield pair[0], pair[1]

    def filter(self, d_idx, p_idx, offsets=None):
        """Keep the candidate pairs whose offset pool - driver is inside the mask (unless the
        compiled search tested them already); returns d_idx, p_idx and the offsets (or None)."""
        if isinstance(self.mask, Mask) and not self.exact:
            ppos, dpos = self.pool.pos[p_idx], self.drivers.pos[d_idx]
            layer = self.pool.layer
            if layer.edge_wrap:
                lo, hi = self.mask.bbox()
                mid = 0.5 * (lo + hi)
                shift = layer.extent * np.floor((ppos - dpos - mid) / layer.extent + 0.5)
                keep = self.mask.inside(ppos - (dpos + shift))
            else:
                keep = self.mask.inside(ppos - dpos)
            return d_idx[keep], p_idx[keep], None
        return d_idx, p_idx, offsets

    def displacements(self, offsets, src_layer):
        """``target - source`` as the geometry needs it, from the search's offsets, when they
        are that already (no wrap, or a wrap in the same box with the mask centred), else None."""
        if offsets is None:
            return None
        pool = self.pool.layer
        if pool.edge_wrap or src_layer.edge_wrap:
            lo, hi = self.mask.bbox()
            if not (pool.edge_wrap and src_layer.edge_wrap and
                    np.array_equal(pool.extent, src_layer.extent) and
                    np.all(np.asarray(lo) == -np.asarray(hi))):
                return None
        return offsets if not self.driver_is_target else np.negative(offsets, out=offsets)


class _PairGeometry(Geometry):
    """The geometry of candidate pairs, with positions gathered only when asked for."""

    def __init__(self, src, tgt, s_i, t_i, displacement):
        super().__init__(None, None, src.layer, displacement)
        self._sides = (src, tgt, s_i, t_i)

    @property
    def source_pos(self):
        src, _, s_i, _ = self._sides
        return src.pos[s_i]

    @source_pos.setter
    def source_pos(self, value):
        pass

    @property
    def target_pos(self):
        _, tgt, _, t_i = self._sides
        return tgt.pos[t_i]

    @target_pos.setter
    def target_pos(self, value):
        pass

    def subset(self, idx):
        src, tgt, s_i, t_i = self._sides
        return _PairGeometry(src, tgt, s_i[idx], t_i[idx],
                             None if self._disp is None else self._disp[idx])


def _probabilities(p, n, sources, targets, geom, seed, stream):
    if isinstance(p, ParameterNode):
        ctx = DrawContext(seed, stream, sources, targets, _pair_sites(targets, sources),
                          geometry=geom)
        return p.evaluate(ctx)
    return np.full(n, float(p))


def spatial_connect(kernel, rule, pre_ids, post_ids, mask=None, p=None, use_on_source=False,
                    allow_autapses=True, allow_multapses=True, degree=None, rng=None,
                    allow_oversized=False, layers=None, targets_subset=None):
    """Connections of a spatial rule, as (pre_pos, post_pos) positions into the id arrays.

    Parameters
    ----------
    kernel : Kernel
    rule : str
        'pairwise_bernoulli', 'pairwise_poisson' (``p``: the mean number of connections per
        pair), 'fixed_indegree' or 'fixed_outdegree'.
    pre_ids, post_ids : ndarray of int
        Sources and targets; each side must lie in one layer.
    mask : Mask, GridMask or None
        Region of allowed displacements ``target - source``; every pair when None.
    p : float or ParameterNode, optional
        Connection probability (pairwise_bernoulli) or relative weight of each candidate
        (degree rules); 1 when None.
    use_on_source : bool
        pairwise_bernoulli: the mask is centred on the target and selects sources (by default
        it is centred on the source and selects targets). Probabilities do not change.
    allow_autapses, allow_multapses : bool
    degree : int or ndarray of int
        indegree / outdegree of the degree rules (one per driver, or one for all).
    rng : DrawContext
        ``seed`` and ``stream`` of the call.
    allow_oversized : bool
        Allow a mask wider than a periodic pool layer.
    layers : (Layer, Layer), optional
        Positions of the sources and targets (one per id) instead of their blocks' layers
        (PyNN: positions and Space belong to populations and projections).
    targets_subset : ndarray of int, optional
        Sorted positions into post_ids (an MPI process's targets): only the connections to
        these are returned. The pairwise rules and fixed_indegree search and draw only for
        these targets (a pair's draw depends on its ids alone, a target's on its id); an
        error on any process is then raised on every process (a collective call).
        fixed_outdegree draws every source's connections (a source chooses among all
        targets), then keeps these.

    Returns
    -------
    (ndarray, ndarray)
        int64 positions into pre_ids and post_ids, grouped by driver.
    """
    if rule not in SPATIAL_RULES:
        raise BadParameterValue("rule", "When using kernel or mask, the only possible connection "
                                        f"rules are {', '.join(SPATIAL_RULES)}; got {rule!r}.")
    args = (kernel, rule, pre_ids, post_ids, mask, p, use_on_source, allow_autapses,
            allow_multapses, degree, rng, allow_oversized, layers, targets_subset)
    if targets_subset is None:
        return _connect(*args)
    # a process's errors (a target short of candidates, bad p values) depend on its targets
    failure = result = None
    try:
        result = _connect(*args)
    except KernelError as error:
        failure = error
    kernel.processes.agree(failure)
    return result


def _connect(kernel, rule, pre_ids, post_ids, mask, p, use_on_source, allow_autapses,
             allow_multapses, degree, rng, allow_oversized, layers, targets_subset):
    src = Side(kernel, pre_ids, "presynaptic", None if layers is None else layers[0])
    tgt = Side(kernel, post_ids, "postsynaptic", None if layers is None else layers[1])
    subset = None if targets_subset is None else np.asarray(targets_subset, dtype=np.int64)
    if subset is not None and rule != "fixed_outdegree":
        tgt = tgt.take(subset)
        if rule == "fixed_indegree" and np.ndim(degree):
            degree = np.asarray(degree)[subset]
    if src.layer.dim != tgt.layer.dim:
        raise BadParameterValue("layers", "Target layer must have same number of dimensions "
                                          "as source layer.")
    seed = int(rng.seed) & 0xFFFFFFFFFFFFFFFF
    stream = int(rng.stream)
    # NEST's drivers: the mask is centred on the driver and selects pool nodes
    driver_is_target = rule == "fixed_indegree" or (rule.startswith("pairwise")
                                                    and use_on_source)
    drivers, pool = (tgt, src) if driver_is_target else (src, tgt)
    cand = _Candidates(drivers, pool, mask, driver_is_target, allow_oversized)
    pieces = []
    for chunk in cand.chunks():
        d_idx, p_idx, offsets = cand.filter(*chunk)
        disp = cand.displacements(offsets, src.layer)
        s_i, t_i = (p_idx, d_idx) if driver_is_target else (d_idx, p_idx)
        s_ids, t_ids = src.ids[s_i], tgt.ids[t_i]
        if not allow_autapses:
            keep = s_ids != t_ids
            s_i, t_i, s_ids, t_ids = s_i[keep], t_i[keep], s_ids[keep], t_ids[keep]
            disp = None if disp is None else disp[keep]
        geom = _PairGeometry(src, tgt, s_i, t_i, disp)
        prob = _probabilities(1.0 if p is None else p, s_i.shape[0], s_ids, t_ids, geom, seed,
                              (stream * 7 + 1) & 0xFFFFFFFF)
        if rule == "pairwise_bernoulli":
            u = uniform_doubles_at(seed, (stream * 7 + 2) & 0xFFFFFFFF, _pair_sites(t_ids, s_ids))
            keep = u < prob
            pieces.append((s_i[keep], t_i[keep]))
        elif rule == "pairwise_poisson":
            u = uniform_doubles_at(seed, (stream * 7 + 2) & 0xFFFFFFFF, _pair_sites(t_ids, s_ids))
            if np.any(prob < 0) or not np.all(np.isfinite(prob)):
                raise BadParameterValue("pairwise_avg_num_conns", "must be finite and >= 0.")
            from scipy.stats import poisson     # slow to import: only when needed
            n = poisson.ppf(u, prob).astype(np.int64)
            pieces.append((np.repeat(s_i, n), np.repeat(t_i, n)))
        else:
            pieces.append((s_i, t_i, prob))
    if rule.startswith("pairwise"):
        pre_pos = np.concatenate([q[0] for q in pieces]) if pieces else np.zeros(0, np.int64)
        post_pos = np.concatenate([q[1] for q in pieces]) if pieces else np.zeros(0, np.int64)
        return (pre_pos, post_pos) if subset is None else (pre_pos, subset[post_pos])
    pre_pos, post_pos = _degree_draws(rule, pieces, src, tgt, degree, allow_multapses, seed,
                                      stream)
    if subset is None:
        return pre_pos, post_pos
    if rule == "fixed_indegree":
        return pre_pos, subset[post_pos]
    mine = np.zeros(post_ids.shape[0], dtype=bool)
    mine[subset] = True
    keep = mine[post_pos]
    return pre_pos[keep], post_pos[keep]


def _degree_draws(rule, pieces, src, tgt, k, allow_multapses, seed, stream):
    """k draws per driver from its candidates, weighted by their probability values."""
    s_i = np.concatenate([q[0] for q in pieces]) if pieces else np.zeros(0, np.int64)
    t_i = np.concatenate([q[1] for q in pieces]) if pieces else np.zeros(0, np.int64)
    w = np.concatenate([q[2] for q in pieces]) if pieces else np.zeros(0)
    indeg = rule == "fixed_indegree"
    drv, other, drivers = (t_i, s_i, tgt) if indeg else (s_i, t_i, src)
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise BadParameterValue("p", "the connection weights (p) of a degree rule must be "
                                     "finite and non-negative.")
    keep = w > 0
    drv, other, w = drv[keep], other[keep], w[keep]
    order = np.lexsort((other, drv))
    drv, other, w = drv[order], other[order], w[order]
    n_drv = drivers.ids.shape[0]
    counts = np.bincount(drv, minlength=n_drv)
    kk = np.broadcast_to(np.asarray(k, dtype=np.int64), (n_drv,))
    what = "sources" if indeg else "targets"
    short = counts < (kk if not allow_multapses else np.minimum(kk, 1))
    if np.any(short):
        j = int(np.flatnonzero(short)[0])
        raise NotEnoughCandidates(
            f"Global {'target' if indeg else 'source'} ID {int(drivers.ids[j])}: Not enough "
            f"{what} found inside mask ({int(counts[j])} for "
            f"{'indegree' if indeg else 'outdegree'} {int(kk[j])}"
            + (" without multapses)." if not allow_multapses else ")."))
    starts = np.concatenate([[0], np.cumsum(counts)])
    ustream = (stream * 7 + 3) & 0xFFFFFFFF
    if allow_multapses:
        cum = np.cumsum(w)
        base = np.concatenate([[0.0], cum])[starts[:-1]]
        total = np.concatenate([[0.0], cum])[starts[1:]] - base
        rows = np.repeat(np.arange(n_drv), kk)
        first = np.concatenate([[0], np.cumsum(kk)])[:-1]
        draw = (np.arange(rows.shape[0]) - first[rows]).astype(np.uint64)
        u = uniform_doubles_at(seed, ustream, _pair_sites(drivers.ids[rows], draw))
        pick = np.searchsorted(cum, base[rows] + u * total[rows], side="right")
        pick = np.minimum(np.maximum(pick, starts[rows]), starts[rows + 1] - 1)
    else:
        # weighted sampling without replacement: the k largest keys log(u) / w per driver
        pool_ids = src.ids if indeg else tgt.ids
        u = uniform_doubles_at(seed, ustream, _pair_sites(drivers.ids[drv], pool_ids[other]))
        key = np.log(u) / w
        order = np.lexsort((-key, drv))
        rank = np.arange(order.shape[0]) - starts[drv[order]]
        pick = order[rank < kk[drv[order]]]
        rows = drv[pick]
    chosen = other[pick]
    return (chosen, rows) if indeg else (rows, chosen)
