"""PyNN's connectors, mapped natively onto the kernel's rule engine.

PyNN's own connector classes are used unchanged as specifications (a script may import them
from ``pyNN.connectors`` or from ``pyNN.neuropil``); :func:`connect` recognises them and
builds the connections as index arrays, in compiled rules or vectorized numpy, never with
PyNN's per-cell Python path:

=====================================  =======================================================
AllToAllConnector                      kernel all_to_all
OneToOneConnector                      index arrays
FixedProbabilityConnector              kernel pairwise_bernoulli
FixedNumberPreConnector                kernel fixed_indegree (per distinct degree)
FixedNumberPostConnector               kernel fixed_outdegree (per distinct degree)
FixedTotalNumberConnector              kernel fixed_total_number / sampling without replacement
DistanceDependentProbabilityConnector  kernel spatial builder (kernel.spatial), p(distance)
IndexBasedProbabilityConnector         per-pair probabilities from the index expression
DisplacementDependentProbability...    kernel spatial builder, p(displacement)
SmallWorldConnector                    local (distance < degree) pairs, then rewiring
FromListConnector / FromFileConnector  index arrays with parameter columns
ArrayConnector / CloneConnector        index arrays from a boolean matrix / a projection
CSAConnector                           the connection set (when the csa package imports)
=====================================  =======================================================

Random connectors draw from the kernel's counter-based generator keyed by a seed taken from
the connector's RNG (PyNN gives each connector a seeded NumpyRNG when none is given) and a
fresh kernel stream, so the same script gives the same network. Distance expressions are
parsed by :mod:`.expressions` (no ``eval``).
"""
import numpy as np
from pyNN import connectors as pc
from pyNN import errors
from pyNN.connectors import (AllToAllConnector, ArrayConnector, CloneConnector,  # noqa: F401
                             Connector, CSAConnector, FixedNumberPostConnector,
                             FixedNumberPreConnector, FixedProbabilityConnector,
                             FixedTotalNumberConnector, FromFileConnector, FromListConnector,
                             IndexBasedProbabilityConnector, OneToOneConnector,
                             SmallWorldConnector)
from pyNN.random import NativeRNG, RandomDistribution

from kernel.connect import expand_rule
from kernel.connect.context import DrawContext
from kernel.errors import KernelError
from kernel.random._draws import uniform_doubles_at

from .expressions import DistanceExpression
from .random import draw

PAIRS_PER_CHUNK = 1 << 22


def _default_rng(rng):
    from pyNN.random import AbstractRNG, NumpyRNG
    if rng is None:
        return NumpyRNG(seed=151985012)  # PyNN's default for connectors
    if not isinstance(rng, AbstractRNG):
        raise Exception("rng must be either None, or a subclass of pyNN.random.AbstractRNG")
    return rng


class DistanceDependentProbabilityConnector(pc.DistanceDependentProbabilityConnector):
    """PyNN's DistanceDependentProbabilityConnector, its expression parsed without ``eval``.

    (PyNN's own class ``eval``s ``d_expression`` in its constructor.)
    """

    __doc__ = pc.DistanceDependentProbabilityConnector.__doc__

    def __init__(self, d_expression, allow_self_connections=True, location_selector=None,
                 rng=None, safe=True, callback=None):
        Connector.__init__(self, location_selector, safe, callback)
        if not (isinstance(d_expression, str) or callable(d_expression)):
            raise TypeError("d_expression must be a string or a function of d")
        if not (isinstance(allow_self_connections, bool) or
                allow_self_connections == "NoMutual"):
            raise ValueError("allow_self_connections must be True, False or 'NoMutual'")
        function = DistanceExpression(d_expression) if isinstance(d_expression, str) \
            else d_expression
        if isinstance(d_expression, str):
            with np.errstate(all="ignore"):
                for d in (0.0, 1e12):
                    value = function(np.float64(d))
                    if not np.all(np.asarray(value) >= 0):
                        raise ValueError(f"the probability {d_expression!r} is negative at d={d}")
        self.d_expression = d_expression
        self.allow_self_connections = allow_self_connections
        self.distance_function = function
        self.rng = _default_rng(rng)


class DisplacementDependentProbabilityConnector(pc.DisplacementDependentProbabilityConnector):
    """PyNN's DisplacementDependentProbabilityConnector; a string is parsed without ``eval``."""

    __doc__ = pc.DisplacementDependentProbabilityConnector.__doc__

    def __init__(self, disp_function, allow_self_connections=True, location_selector=None,
                 rng=None, safe=True, callback=None):
        if isinstance(disp_function, str):
            disp_function = DistanceExpression(disp_function)
        super().__init__(disp_function, allow_self_connections=allow_self_connections,
                         rng=rng, callback=callback)
__all__ = ["AllToAllConnector", "ArrayConnector", "CloneConnector", "Connector", "CSAConnector",
           "DisplacementDependentProbabilityConnector", "DistanceDependentProbabilityConnector",
           "FixedNumberPostConnector", "FixedNumberPreConnector", "FixedProbabilityConnector",
           "FixedTotalNumberConnector", "FromFileConnector", "FromListConnector",
           "IndexBasedProbabilityConnector", "OneToOneConnector", "SmallWorldConnector"]


class Pairs:
    """Connections to make: positions into pre and post, plus optional per-connection values.

    ``rule_result`` holds a kernel RuleResult when the pairs came from a rule (it can give
    node ids without materializing positions, e.g. all_to_all). ``local_only``: the pairs
    are this MPI process's share (the connections to its own cells) only; ``conn_index``
    then gives each one's index among the projection's ``total`` connections when known
    (per-connection values in connection order, e.g. drawn from a NumpyRNG, are taken at
    these indices so that they do not depend on the number of processes).
    """

    def __init__(self, pre_pos=None, post_pos=None, columns=None, rule_result=None,
                 local_only=False, conn_index=None, total=None):
        self.rule_result = rule_result
        self._pre, self._post = pre_pos, post_pos
        self.columns = columns or {}
        self.local_only, self.conn_index, self.total = local_only, conn_index, total

    @classmethod
    def of_rule(cls, result, total=None):
        """The pairs of a kernel RuleResult (a share when it built one), with their indices
        in the whole rule's order when they are not in it (``total`` connections)."""
        index = result.conn_index if result.value_keys == "index" else None
        return cls(rule_result=result, local_only=result.share_built, conn_index=index,
                   total=None if index is None else total)

    @property
    def pre_pos(self):
        return self.rule_result.pre_pos if self._pre is None else self._pre

    @property
    def post_pos(self):
        return self.rule_result.post_pos if self._post is None else self._post

    def __len__(self):
        if self._pre is None:
            return self.rule_result.count
        return len(self._pre)


# -- helpers -------------------------------------------------------------------------------------------
def draw_key(projection, rng):
    """(seed, stream) of a connector's draws: a seed from its RNG and a fresh kernel stream."""
    k = projection._simulator.state.kernel
    if rng is None or isinstance(rng, NativeRNG) or not hasattr(rng, "next"):
        seed = k.rng_seed if getattr(rng, "seed", None) is None else int(rng.seed)
    else:
        seed = int(np.asarray(rng.next(1, "uniform_int", {"low": 1, "high": 2 ** 31 - 1}))
                   .reshape(-1)[0])
    return DrawContext(seed, k.next_stream())


def _self_flags(connector):
    allow = getattr(connector, "allow_self_connections", True)
    return allow is True, allow == "NoMutual"


def _no_mutual(projection, pairs):
    """Keep only pre index > post index (PyNN's 'NoMutual' for a population onto itself)."""
    keep = pairs.pre_pos > pairs.post_pos
    return Pairs(pairs.pre_pos[keep], pairs.post_pos[keep], pairs.columns,
                 local_only=pairs.local_only,
                 conn_index=None if pairs.conn_index is None else pairs.conn_index[keep],
                 total=pairs.total)


def _pair_determined(value):
    """Whether a synapse value (a LazyArray) is a function of the (pre, post) pair alone:
    a scalar, an (n_pre, n_post) array, a function of distance or an index expression, and
    not drawn in connection order (RandomDistribution) or given in it (1-D array)."""
    base = getattr(value, "base_value", value)
    if isinstance(base, RandomDistribution) or (not callable(base) and np.ndim(base) == 1):
        return False
    return all(arg is None or not hasattr(arg, "base_value") or _pair_determined(arg)
               for _, arg in getattr(value, "operations", ()))


def _share(projection, indexed):
    """Positions of the post cells whose connections this MPI process builds (None: all).

    ``indexed``: the connector can tell each connection's index among the projection's;
    without, only synapse values determined by the pair allow building a share.
    """
    k = projection._simulator.state.kernel
    share = k.targets_share(projection._pre_ids, projection._post_ids)
    if share is None or indexed:
        return share
    params = projection.synapse_type.parameter_space
    return share if all(_pair_determined(v) for _, v in params.items()) else None


def _rule(projection, rule, allow_autapses=True, allow_multapses=True, rng=None, share=None,
          **params):
    pre_ids, post_ids = projection._pre_ids, projection._post_ids
    try:
        return expand_rule(rule, pre_ids, post_ids, allow_autapses=allow_autapses,
                           allow_multapses=allow_multapses, rng=rng, targets_subset=share,
                           **params)
    except KernelError as error:
        raise errors.ConnectionError(str(error)) from None


def _degrees(n, count, what):
    """The degree of each of ``count`` rows: an int, or drawn from a RandomDistribution."""
    if isinstance(n, RandomDistribution):
        values = np.rint(draw(n, count)).astype(np.int64)
        if np.any(values < 0):
            raise errors.ConnectionError(f"the distribution of {what} produced negative numbers")
        return values
    return np.full(count, int(n), dtype=np.int64)


def _fixed_number(projection, connector, rows_are_post):
    """FixedNumberPre (rows = post cells) and FixedNumberPost (rows = pre cells)."""
    pre_ids, post_ids = projection._pre_ids, projection._post_ids
    rows, pool = (post_ids, pre_ids) if rows_are_post else (pre_ids, post_ids)
    allow_self, no_mutual = _self_flags(connector)
    degrees = _degrees(connector.n, len(rows), "n")
    rule, param = ("fixed_indegree", "indegree") if rows_are_post else \
        ("fixed_outdegree", "outdegree")
    key = draw_key(projection, connector.rng)
    # the pool a row may draw from (without its own cell when self-connections are excluded)
    own = np.isin(rows, pool) if not allow_self else np.zeros(len(rows), bool)
    pool_size = len(pool) - own.astype(np.int64)
    pre_parts, post_parts = [], []
    # one draw of the kernel rule for every row: an MPI process can build its share
    single = len(rows) and not no_mutual and np.all(degrees == degrees[0]) and \
        (connector.with_replacement or bool(np.all(degrees[0] < np.maximum(pool_size, 1))))
    share = _share(projection, True) if single else None
    for k in np.unique(degrees):
        if k == 0:
            continue
        sel = np.flatnonzero(degrees == k)
        if connector.with_replacement:
            full, rest = np.zeros(len(sel), np.int64), np.full(len(sel), k)
        else:
            full, rest = k // np.maximum(pool_size[sel], 1), k % np.maximum(pool_size[sel], 1)
        # whole copies of the pool first (PyNN: every cell once before any twice)
        for copies in np.unique(full):
            if copies == 0:
                continue
            these = sel[full == copies]
            for _ in range(int(copies)):
                sub = _subset_pairs(projection, rows_are_post, these, "all_to_all",
                                    allow_self, key)
                pre_parts.append(sub[0])
                post_parts.append(sub[1])
        for r in np.unique(rest):
            if r == 0:
                continue
            these = sel[rest == r]
            sub = _subset_pairs(projection, rows_are_post, these, rule, allow_self, key,
                                allow_multapses=bool(connector.with_replacement), share=share,
                                **{param: int(r)})
            if not pre_parts and len(these) == len(rows) and not no_mutual:
                # one draw for every row (the common case): the kernel's result as it is
                return Pairs.of_rule(sub, int(r) * len(rows))
            pre_parts.append(sub[0])
            post_parts.append(sub[1])
    pairs = Pairs(np.concatenate(pre_parts) if pre_parts else np.zeros(0, np.int64),
                  np.concatenate(post_parts) if post_parts else np.zeros(0, np.int64))
    return _no_mutual(projection, pairs) if no_mutual else pairs


def _subset_pairs(projection, rows_are_post, rows, rule, allow_self, key, share=None, **kw):
    """Pairs of ``rule`` between the whole pool and the rows ``rows`` (positions, ascending):
    (pre_pos, post_pos), or the kernel's RuleResult itself when ``rows`` are all rows (then
    only the connections to the post cells ``share`` when given)."""
    pre_ids, post_ids = projection._pre_ids, projection._post_ids
    every = len(rows) == (len(post_ids) if rows_are_post else len(pre_ids))
    share = share if every else None
    if rows_are_post:
        res = expand_rule(rule, pre_ids, post_ids if every else post_ids[rows],
                          allow_autapses=allow_self, rng=key, targets_subset=share, **kw)
        return res if every else (res.pre_pos, rows[res.post_pos])
    res = expand_rule(rule, pre_ids if every else pre_ids[rows], post_ids,
                      allow_autapses=allow_self, rng=key, targets_subset=share, **kw)
    return res if every else (rows[res.pre_pos], res.post_pos)


def _valid_pair_sample(projection, n, key, allow_self):
    """``n`` distinct (pre, post) position pairs, uniformly, without replacement."""
    pre_ids, post_ids = projection._pre_ids, projection._post_ids
    n_pre, n_post = len(pre_ids), len(post_ids)
    total = n_pre * n_post
    invalid = np.zeros(0, np.int64)
    if not allow_self:
        order = np.argsort(post_ids)
        pos = np.searchsorted(post_ids[order], pre_ids)
        pos = np.minimum(pos, n_post - 1)
        hit = post_ids[order][pos] == pre_ids
        invalid = np.sort(np.flatnonzero(hit) * n_post + order[pos[hit]])
    valid = total - len(invalid)
    if n > valid:
        raise errors.ConnectionError(f"cannot make {n} distinct connections: only {valid} "
                                     "(pre, post) pairs are possible")
    gen = np.random.Generator(np.random.PCG64([key.seed, key.stream]))
    v = gen.choice(valid, size=n, replace=False)
    adjusted = invalid - np.arange(len(invalid))
    linear = v + np.searchsorted(adjusted, v, side="right")
    return linear // n_post, linear % n_post


def _probability_pairs(projection, connector, probability):
    """Bernoulli draws with a probability per (pre, post) pair, chunked over post cells.

    ``probability(pre_pos, post_pos)`` gets flat position arrays and returns probabilities.
    Each pair draws one uniform at the counter site (post id * n_pre + pre position).
    """
    pre_ids, post_ids = projection._pre_ids, projection._post_ids
    n_pre, n_post = len(pre_ids), len(post_ids)
    allow_self, no_mutual = _self_flags(connector)
    key = draw_key(projection, getattr(connector, "rng", None))
    chunk = max(1, PAIRS_PER_CHUNK // max(n_pre, 1))
    pre_parts, post_parts = [], []
    pre_range = np.arange(n_pre, dtype=np.int64)
    share = _share(projection, False)       # a pair's draw depends on the pair alone
    post_range = np.arange(n_post, dtype=np.int64) if share is None else share
    for start in range(0, len(post_range), chunk):
        cols = post_range[start:start + chunk]
        pre_pos = np.tile(pre_range, len(cols))
        post_pos = np.repeat(cols, n_pre)
        p = np.broadcast_to(np.asarray(probability(pre_pos, post_pos), dtype=float),
                            pre_pos.shape)
        sites = (post_ids[post_pos].astype(np.uint64) * np.uint64(max(n_pre, 1)) +
                 pre_pos.astype(np.uint64))
        u = uniform_doubles_at(key.seed & 0xFFFFFFFFFFFFFFFF, key.stream & 0xFFFFFFFF, sites)
        keep = u < p
        if not allow_self:
            keep &= pre_ids[pre_pos] != post_ids[post_pos]
        if no_mutual:
            keep &= pre_pos > post_pos
        pre_parts.append(pre_pos[keep])
        post_parts.append(post_pos[keep])
        if connector.callback is not None:
            connector.callback(min(1.0, (start + len(cols)) / max(len(post_range), 1)))
    return Pairs(np.concatenate(pre_parts) if pre_parts else np.zeros(0, np.int64),
                 np.concatenate(post_parts) if post_parts else np.zeros(0, np.int64),
                 local_only=share is not None)


def _distance_function(connector):
    if isinstance(connector.d_expression, str):
        return DistanceExpression(connector.d_expression)
    return connector.d_expression


def _index_expression(connector, projection):
    expression = connector.index_expression
    from copy import copy
    expression = copy(expression)
    expression.projection = projection
    return expression


# -- connectors ----------------------------------------------------------------------------------------
def _all_to_all(projection, connector):
    allow_self, no_mutual = _self_flags(connector)
    pre_ids, post_ids = projection._pre_ids, projection._post_ids
    result = _rule(projection, "all_to_all", allow_autapses=allow_self,
                   share=_share(projection, True))
    total = len(pre_ids) * len(post_ids) - (0 if allow_self else
                                            int(np.isin(pre_ids, post_ids).sum()))
    pairs = Pairs.of_rule(result, total)
    return _no_mutual(projection, pairs) if no_mutual else pairs


def _one_to_one(projection, connector):
    n = min(len(projection._pre_ids), len(projection._post_ids))
    share = _share(projection, True)
    if share is not None:
        pos = share[share < n]
        return Pairs(pos, pos.copy(), local_only=True, conn_index=pos, total=n)
    pos = np.arange(n, dtype=np.int64)
    return Pairs(pos, pos.copy())


def _fixed_probability(projection, connector):
    allow_self, no_mutual = _self_flags(connector)
    p = connector.p_connect
    if p > 1:
        raise errors.ConnectionError(f"p_connect must be a probability; got {p}")
    result = _rule(projection, "pairwise_bernoulli", allow_autapses=allow_self,
                   rng=draw_key(projection, connector.rng), p=float(p),
                   share=_share(projection, False))
    pairs = Pairs.of_rule(result)
    return _no_mutual(projection, pairs) if no_mutual else pairs


def _fixed_total_number(projection, connector):
    allow_self, no_mutual = _self_flags(connector)
    n = connector.n
    if isinstance(n, RandomDistribution):
        n = int(np.rint(draw(n, 1)[0]))
    key = draw_key(projection, connector.rng)
    if connector.with_replacement:
        result = _rule(projection, "fixed_total_number", allow_autapses=allow_self, rng=key,
                       N=int(n), share=_share(projection, True))
        pairs = Pairs.of_rule(result, int(n))
    else:       # a global sample (numpy's choice without replacement), cut by native_pairs
        pairs = Pairs(*_valid_pair_sample(projection, int(n), key, allow_self))
    return _no_mutual(projection, pairs) if no_mutual else pairs


def _spatial_pairs(projection, connector, function, of):
    """Bernoulli draws with p = function(distance or displacement), by the kernel's spatial
    builder over the projection's layers (``space.projection_layers``)."""
    from kernel import spatial as ks
    from .space import projection_layers
    allow_self, no_mutual = _self_flags(connector)
    share = _share(projection, False)
    pre_pos, post_pos = ks.spatial_connect(
        projection._simulator.state.kernel, "pairwise_bernoulli", projection._pre_ids,
        projection._post_ids,
        p=ks.PairFunction(function, of), allow_autapses=allow_self,
        rng=draw_key(projection, getattr(connector, "rng", None)),
        layers=projection_layers(projection, use_space=of == "distance"), targets_subset=share)
    if connector.callback is not None:
        connector.callback(1.0)
    pairs = Pairs(pre_pos, post_pos, local_only=share is not None)
    return _no_mutual(projection, pairs) if no_mutual else pairs


def _distance_dependent(projection, connector):
    return _spatial_pairs(projection, connector, _distance_function(connector), "distance")


def _index_based(projection, connector):
    expression = connector.index_expression
    if isinstance(expression, pc.DisplacementDependentProbabilityConnector.DisplacementExpression):
        function = expression._disp_function
        if isinstance(function, str):
            function = DistanceExpression(function)
        return _spatial_pairs(projection, connector, function, "displacement")
    return _probability_pairs(projection, connector, _index_expression(connector, projection))


def _small_world(projection, connector):
    """Pairs closer than ``degree``, each rewired to a random target with prob. ``rewiring``."""
    degree = float(connector.d_expression.split("<")[1])
    local = _probability_pairs(projection, connector,
                               lambda i, j: (projection._distances(i, j) < degree))
    pre_pos, post_pos = local.pre_pos, local.post_pos
    key = draw_key(projection, connector.rng)
    gen = np.random.Generator(np.random.PCG64([key.seed, key.stream]))
    n_post = len(projection._post_ids)
    if connector.n_connections is not None:
        order = np.lexsort((gen.random(len(pre_pos)), pre_pos))
        pre_pos, post_pos = pre_pos[order], post_pos[order]
        first = np.searchsorted(pre_pos, pre_pos, side="left")
        keep = np.arange(len(pre_pos)) - first < int(connector.n_connections)
        pre_pos, post_pos = pre_pos[keep], post_pos[keep]
    rewire = gen.random(len(pre_pos)) < connector.rewiring
    new_targets = gen.integers(0, n_post, size=int(rewire.sum()))
    post_pos = post_pos.copy()
    post_pos[rewire] = new_targets
    allow_self, _ = _self_flags(connector)
    if not allow_self:
        same = projection._pre_ids[pre_pos] == projection._post_ids[post_pos]
        redo = same & rewire
        while redo.any() and n_post > 1:
            post_pos[redo] = gen.integers(0, n_post, size=int(redo.sum()))
            redo = redo & (projection._pre_ids[pre_pos] == projection._post_ids[post_pos])
        keep = projection._pre_ids[pre_pos] != projection._post_ids[post_pos]
        pre_pos, post_pos = pre_pos[keep], post_pos[keep]
    return Pairs(pre_pos, post_pos)


def _local_pairs(projection, pairs, share):
    """The pairs (and their columns) to the post cells ``share``, with their indices."""
    mine = np.zeros(len(projection._post_ids), dtype=bool)
    mine[share] = True
    keep = np.flatnonzero(mine[pairs.post_pos])
    return Pairs(pairs.pre_pos[keep], pairs.post_pos[keep],
                 {name: col[keep] for name, col in pairs.columns.items()}, local_only=True,
                 conn_index=keep, total=len(pairs))


def _from_list(projection, connector, conn_list=None, column_names=None):
    conn_list = np.asarray(connector.conn_list if conn_list is None else conn_list, dtype=float)
    names = tuple(connector.column_names if column_names is None else column_names)
    allowed = projection.synapse_type.get_parameter_names()
    for name in names:
        if name not in allowed:
            raise ValueError(f"{name} is not a valid parameter for "
                             f"{type(projection.synapse_type).__name__}")
    if conn_list.size == 0:
        return Pairs(np.zeros(0, np.int64), np.zeros(0, np.int64))
    conn_list = conn_list.reshape(len(conn_list), -1)
    pre_pos = conn_list[:, 0].astype(np.int64)
    post_pos = conn_list[:, 1].astype(np.int64)
    if np.any(pre_pos >= len(projection._pre_ids)) or np.any(pre_pos < 0):
        raise errors.ConnectionError("source index out of range")
    if np.any(post_pos >= len(projection._post_ids)) or np.any(post_pos < 0):
        raise errors.ConnectionError("target index out of range")
    columns = {name: conn_list[:, 2 + c] for c, name in enumerate(names)}
    return Pairs(pre_pos, post_pos, columns)


def _from_file(projection, connector):
    file = connector.file
    if connector.distributed:
        file.rename(f"{file.name}.{projection._simulator.state.mpi_rank}")
    names = list(file.get_metadata().get("columns", ("weight", "delay")))
    names = [n for n in names if n not in ("i", "j")]
    data = file.read()
    return _from_list(projection, connector, data, names)


def _array(projection, connector):
    matrix = np.asarray(connector.array, dtype=bool)
    if matrix.shape != (len(projection._pre_ids), len(projection._post_ids)):
        raise errors.ConnectionError(f"the array has shape {matrix.shape}, the projection "
                                     f"{(len(projection._pre_ids), len(projection._post_ids))}")
    pre_pos, post_pos = np.nonzero(matrix)
    return Pairs(pre_pos.astype(np.int64), post_pos.astype(np.int64))


def _clone(projection, connector):
    ref = connector.reference_projection
    if projection.pre != ref.pre or projection.post != ref.post:
        raise errors.ConnectionError(
            f"Pre and post populations must match between reference ({ref.pre} and {ref.post}) "
            f"and clone projections ({projection.pre} and {projection.post}) for CloneConnector")
    pre_pos, post_pos = ref._pair_positions()
    linear = np.unique(pre_pos * len(ref._post_ids) + post_pos)
    return Pairs(linear // len(ref._post_ids), linear % len(ref._post_ids))


def _csa(projection, connector):
    import csa
    cset = csa.cross((0, len(projection._pre_ids) - 1), (0, len(projection._post_ids) - 1)) * \
        connector.cset
    items = np.array(list(cset), dtype=float)
    if items.size == 0:
        return Pairs(np.zeros(0, np.int64), np.zeros(0, np.int64))
    columns = {}
    if csa.arity(connector.cset) == 2:
        columns = {"weight": items[:, 2], "delay": items[:, 3]}
    return Pairs(items[:, 0].astype(np.int64), items[:, 1].astype(np.int64), columns)


# order matters: subclasses before their bases
NATIVE = [
    (pc.DisplacementDependentProbabilityConnector, _index_based),
    (pc.IndexBasedProbabilityConnector, _index_based),
    (pc.DistanceDependentProbabilityConnector, _distance_dependent),
    (pc.FromFileConnector, _from_file),
    (pc.FromListConnector, _from_list),
    (pc.FixedTotalNumberConnector, _fixed_total_number),
    (pc.FixedNumberPreConnector, lambda prj, c: _fixed_number(prj, c, rows_are_post=True)),
    (pc.FixedNumberPostConnector, lambda prj, c: _fixed_number(prj, c, rows_are_post=False)),
    (pc.FixedProbabilityConnector, _fixed_probability),
    (pc.AllToAllConnector, _all_to_all),
    (pc.OneToOneConnector, _one_to_one),
    (pc.SmallWorldConnector, _small_world),
    (pc.ArrayConnector, _array),
    (pc.CloneConnector, _clone),
    (pc.CSAConnector, _csa),
]


def native_pairs(connector, projection):
    """The connections of ``connector`` as Pairs, or None if it is not a known PyNN connector.

    Under MPI they are this process's share: connectors that cannot build only it build the
    whole projection's pairs, which are cut to the share here, before any synapse value is
    made (each pair keeps its index in the whole projection).
    """
    for cls, build in NATIVE:
        if type(connector) is cls or (isinstance(connector, cls) and
                                      type(connector).connect is cls.connect):
            pairs = build(projection, connector)
            share = None if pairs.local_only else _share(projection, True)
            return pairs if share is None else _local_pairs(projection, pairs, share)
    return None
