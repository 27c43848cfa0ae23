"""Connection rules.

A rule is a function of (sources, targets, rule parameters, switches, random key) that returns
the connections as two index arrays into ``sources`` and ``targets`` (positions, not ids), in
the order in which NEST makes them where that order is observable (it decides how syn_spec
arrays map onto connections; see :func:`array_shape` and :func:`value_index`). Rules are
registered by name in RULES.

Everything is validated here, in Python, with NEST's rules for which switches each rule
accepts; the loops are in ``_rules.pyx`` (nogil, typed memoryviews).

Random rules draw from the counter-based generator keyed by ``(rng.seed, rng.stream)`` and a
*site*: the target's node id for fixed_indegree, pairwise_bernoulli,
symmetric_pairwise_bernoulli, pairwise_poisson and fixed_total_number (whose N is first split
over the targets by a multinomial drawn alike by every process); the source's node id for
fixed_outdegree. Guarantee: with the same
(seed, stream), the connections a target receives under a per-target rule depend only on that
target's id, the source ids and the parameters -- so connecting ``post[:50]`` and
``post[50:]`` in two expansions with the same (seed, stream) gives exactly the connections of
one expansion over ``post`` (likewise for sources under fixed_outdegree), and any split of the
targets over threads or processes gives the same network. fixed_total_number is a property of
the whole call: its connections depend on (seed, stream, pre, post, N) as a whole.

Under MPI a process builds only the connections to its own targets (``targets_subset``):
per-target rules draw only those rows; fixed_outdegree draws every source's row but keeps
the draws landing on local targets; fixed_total_number draws the multinomial split (O(number
of targets)) everywhere, then only local targets' sources.
"""
import dataclasses
import numbers
from dataclasses import dataclass

import numpy as np

from ..errors import (BadParameterType, BadParameterValue, DimensionMismatch, MissingParameter,
                      UnknownParameter, Unsupported)
from ..delivery.store import RepeatedIds
from ..pages import on_ordinary_pages
from . import _rules
from .context import DrawContext, occurrence

SWITCHES = ("allow_autapses", "allow_multapses", "make_symmetric")


@dataclass(frozen=True)
class ConnectionRule:
    """A named rule.

    Attributes
    ----------
    name : str
    build : callable
        ``build(call)`` with a :class:`RuleCall`; returns (pre_pos, post_pos) or a RuleResult.
    params : tuple of str
        The rule's parameters (all required).
    doc : str
    random : bool
        Whether the rule draws random numbers.
    """

    name: str
    build: object
    params: tuple = ()
    doc: str = ""
    random: bool = False


class RuleResult:
    """The connections of a rule, as positions into the pre and post ids.

    It unpacks like ``(pre_pos, post_pos)``. ``symmetric`` is True when every connection
    pre[i] -> post[j] must also be made in the reverse direction post[j] -> pre[i], with the
    same synapse parameters (one_to_one with make_symmetric, symmetric_pairwise_bernoulli);
    :meth:`connections` gives both directions. A result made with :meth:`every_pair` holds
    no arrays until they are needed: its connections are all pairs, sources varying slowest.
    A result made with :meth:`degree_rows` keeps the drawn positions as int32 rows and makes
    the int64 position arrays only when they are asked for (Connect needs only the ids).
    :meth:`connections` turns such rows into ids in place when the ids are ascending (as a
    NodeCollection's are): a Connect of 15.6 M connections then touches 60 MB less fresh
    memory, and positions are found again from the ids by binary search.
    """

    def __init__(self, pre_pos, post_pos, symmetric=False, conn_index=None):
        self._pre_pos, self._post_pos = pre_pos, post_pos
        self.symmetric = bool(symmetric)
        self._every_pair = None
        self._rows = None
        self._row_ids = None          # the ids the rows hold once converted (see connections)
        self._conn_index = conn_index
        self.share_built = False      # True: only the connections to targets_subset
        # how per-connection random values are keyed: "index" (the connection's index in
        # the whole call, conn_index) or "identity" (its source, target and occurrence, for
        # rules whose indices only the whole expansion knows; see draw_sites)
        self.value_keys = "index"
        self._draw_index = False      # False: as conn_index (see draw_index)

    @property
    def conn_index(self):
        """Index of each connection among all of the call's connections (its syn_spec array
        element and Parameter value key) when only a share of them was built (see
        expand_rule's targets_subset) or they are not in that order (fixed_total_number);
        None when they are all here, in order. Computed when first asked for."""
        if callable(self._conn_index):
            self._conn_index = self._conn_index()
        return self._conn_index

    @property
    def draw_index(self):
        """The counter sites of the connections' Parameter values when ``value_keys`` is
        "index": conn_index, unless a rule keys them by another index of the whole call
        (fixed_total_number: the target-major one, which needs no permutation); None means
        0, 1, 2, ... in the result's order."""
        if self._draw_index is False:
            return self.conn_index
        if callable(self._draw_index):
            self._draw_index = self._draw_index()
        return self._draw_index

    @classmethod
    def share(cls, pre_pos, post_pos, conn_index=None, value_keys="index"):
        """The connections to a process's targets only (``share_built``)."""
        result = cls(pre_pos, post_pos, conn_index=conn_index)
        result.share_built = True
        result.value_keys = value_keys
        return result

    @classmethod
    def every_pair(cls, n_pre, n_post):
        """All n_pre x n_post pairs, in source-major order (packs into CSR without sorting)."""
        result = cls(None, None)
        result._every_pair = (n_pre, n_post)
        return result

    @classmethod
    def degree_rows(cls, chosen, row_pos, rows_are_targets, conn_index=None):
        """The rows of a fixed-degree rule: row ``row_pos[r]`` connects to the positions
        ``chosen[r]`` (int32, shape (len(row_pos), k)), in that order; the rows are targets
        (fixed_indegree) or sources (fixed_outdegree)."""
        result = cls(None, None, conn_index=conn_index)
        result._rows = (chosen, row_pos, rows_are_targets)
        return result

    @property
    def count(self):
        """Number of connections (one direction), without making the position arrays."""
        if self._pre_pos is None and self._rows is not None:
            return int(self._rows[0].size)
        if self._pre_pos is None and self._every_pair is not None:
            return self._every_pair[0] * self._every_pair[1]
        return len(self._pre_pos)

    def _positions_from_rows(self):
        chosen, row_pos, rows_are_targets = self._rows
        rows = np.repeat(row_pos.astype(np.int64), chosen.shape[1])
        cols = chosen.reshape(-1).astype(np.int64) if self._row_ids is None else \
            np.searchsorted(self._row_ids, chosen.reshape(-1))
        self._pre_pos, self._post_pos = (cols, rows) if rows_are_targets else (rows, cols)

    @property
    def pre_pos(self):
        if self._pre_pos is None and self._rows is not None:
            self._positions_from_rows()
        elif self._pre_pos is None:
            n_pre, n_post = self._every_pair
            self._pre_pos = np.repeat(np.arange(n_pre, dtype=np.int64), n_post)
        return self._pre_pos

    @property
    def post_pos(self):
        if self._post_pos is None and self._rows is not None:
            self._positions_from_rows()
        elif self._post_pos is None:
            n_pre, n_post = self._every_pair
            self._post_pos = np.tile(np.arange(n_post, dtype=np.int64), n_pre)
        return self._post_pos

    def __iter__(self):
        return iter((self.pre_pos, self.post_pos))

    def __len__(self):
        return 2

    def __getitem__(self, index):
        return (self.pre_pos, self.post_pos)[index]

    @on_ordinary_pages
    def connections(self, pre_ids, post_ids, repeated_targets=False):
        """(source ids, target ids, index) of every connection to make.

        ``index[c]`` is the position of connection c's values in the per-connection values of
        (pre_pos, post_pos): ``arange(n)`` twice for symmetric results (the reversed
        connections follow the forward ones and share their values), None otherwise (the
        values apply as they are). With ``repeated_targets`` the targets of fixed_indegree
        rows come as RepeatedIds (each row's target once, for Connect to stage as it is).
        """
        pre_ids = np.asarray(pre_ids)
        post_ids = np.asarray(post_ids)
        if self._every_pair is not None:
            sources, targets = _rules.every_pair_ids(np.ascontiguousarray(pre_ids, np.int32),
                                                     np.ascontiguousarray(post_ids, np.int32))
            return sources, targets, None
        if self._rows is not None and self._pre_pos is None:
            # straight from the int32 rows: no int64 position arrays (16 B a connection)
            chosen, row_pos, rows_are_targets = self._rows
            row_ids, col_ids = (post_ids, pre_ids) if rows_are_targets else (pre_ids, post_ids)
            rows = RepeatedIds(row_ids[row_pos], chosen.shape[1]) \
                if repeated_targets and rows_are_targets and chosen.shape[1] > 0 else \
                np.repeat(row_ids[row_pos], chosen.shape[1])
            cols = self._row_id_values(col_ids)
            return (cols, rows, None) if rows_are_targets else (rows, cols, None)
        sources = pre_ids[self.pre_pos]
        targets = post_ids[self.post_pos]
        if self.symmetric:
            index = np.arange(sources.shape[0], dtype=np.int64)
            return (np.concatenate([sources, targets]), np.concatenate([targets, sources]),
                    np.concatenate([index, index]))
        return sources, targets, None

    def _row_id_values(self, col_ids):
        """The ids ``col_ids[chosen]`` of the rows' positions, flattened.

        Ascending int32 ids are written over the rows (kept in ``_row_ids`` to find the
        positions again); the array returned is then the rows' own memory, so a second call
        gets a copy.
        """
        chosen = self._rows[0]
        if self._row_ids is not None:
            return chosen.reshape(-1).copy()
        if col_ids.dtype != np.int32:
            return col_ids[chosen.reshape(-1)]
        col_ids = np.ascontiguousarray(col_ids)
        if col_ids.shape[0] < 2 or np.all(col_ids[1:] > col_ids[:-1]):
            _rules.gather_ids(col_ids, chosen, out=chosen)
            self._row_ids = col_ids
            return chosen.reshape(-1)
        return _rules.gather_ids(col_ids, chosen)


@dataclass
class RuleCall:
    """One expansion: validated inputs of a rule's build function."""

    rule: str
    pre_ids: np.ndarray
    post_ids: np.ndarray
    allow_autapses: bool
    allow_multapses: bool
    make_symmetric: bool
    params: dict
    rng: object
    targets_subset: object = None
    sources_subset: object = None

    @property
    def n_pre(self):
        return int(self.pre_ids.shape[0])

    @property
    def n_post(self):
        return int(self.post_ids.shape[0])

    @property
    def key(self):
        """(seed, stream) of the random draws, as the compiled loops take them."""
        rng = self.rng
        if rng is None:  # a caller that did not give a stream: take the kernel's next one
            from .. import get_kernel
            k = get_kernel()
            rng = self.rng = DrawContext(k.rng_seed, k.next_stream())
        return int(rng.seed) & 0xFFFFFFFFFFFFFFFF, int(rng.stream) & 0xFFFFFFFF


# -- parameter checks ---------------------------------------------------------------------------
def _is_parameter_object(value):
    return hasattr(value, "evaluate") or hasattr(value, "_node")


def _switch(name, value):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise BadParameterType(name, f"must be True or False; got {value!r} ({type(value).__name__}).")


def _integer(rule, name, value):
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if _is_parameter_object(value):
        raise Unsupported(name, f"{rule} takes '{name}' as an integer; a Parameter is not "
                                "supported.")
    raise BadParameterType(name, f"{rule} needs '{name}' as an integer; got {value!r} "
                                 f"({type(value).__name__}).")


def _real(rule, name, value):
    if isinstance(value, (numbers.Real, np.bool_, np.integer, np.floating)):
        return float(value)
    if _is_parameter_object(value):
        raise Unsupported(name, f"{rule} takes '{name}' as a number; a Parameter (random, "
                                "spatial or expression) is not supported yet.")
    raise BadParameterType(name, f"{rule} needs '{name}' as a number; got {value!r} "
                                 f"({type(value).__name__}).")


def _no_symmetric(call):
    if call.make_symmetric:
        raise Unsupported("make_symmetric", "This connection rule does not support symmetric "
                                            f"connections ({call.rule}; only one_to_one and "
                                            "symmetric_pairwise_bernoulli do).")


# -- helpers ------------------------------------------------------------------------------------
def _exclusions(pool_ids, row_ids, allow_autapses):
    """Positions in ``pool_ids`` holding each row's own id: ``order[lo[r]:hi[r]]`` (ascending).

    Nothing is excluded when autapses are allowed.
    """
    n_rows = row_ids.shape[0]
    if allow_autapses or pool_ids.shape[0] == 0 or n_rows == 0:
        zeros = np.zeros(n_rows, dtype=np.int64)
        return np.zeros(0, dtype=np.int64), zeros, zeros
    order = np.argsort(pool_ids, kind="stable").astype(np.int64)
    sorted_ids = pool_ids[order]
    lo = np.searchsorted(sorted_ids, row_ids, side="left").astype(np.int64)
    hi = np.searchsorted(sorted_ids, row_ids, side="right").astype(np.int64)
    return order, lo, hi


def _occurrence(ids):
    """For each entry, how many earlier entries hold the same id (0 for unique ids)."""
    occ = occurrence(ids)
    if occ.size and occ.max() > _rules.MAX_OCCURRENCE:
        raise BadParameterValue("node ids", f"an id appears more than {_rules.MAX_OCCURRENCE} "
                                            "times in one Connect call.")
    return occ


def _first_short(n_valid, need, ids, what, degree_name, k, other):
    """Raise for the first row whose valid pool is smaller than ``need``."""
    short = np.flatnonzero(n_valid < need)
    if short.size:
        j = int(short[0])
        raise BadParameterValue(
            degree_name,
            f"{what} {int(ids[j])} is also one of the {other} and allow_autapses is False, so "
            f"it has only {int(n_valid[j])} possible {other}; {degree_name} {k} "
            + ("needs at least one." if need == 1 else "cannot be reached without multapses."))


# -- rules --------------------------------------------------------------------------------------
def all_to_all(call):
    """Every source to every target; targets vary slowest (NEST's order)."""
    _no_symmetric(call)
    order, lo, hi = _exclusions(call.pre_ids, call.post_ids, call.allow_autapses)
    subset = call.targets_subset
    if order.size == 0 and subset is not None:
        # the pairs to the subset's targets, with their index among all pairs (source-major)
        n_pre, n_post = call.n_pre, call.n_post
        pre = np.repeat(np.arange(n_pre, dtype=np.int64), subset.shape[0])
        post = np.tile(subset, n_pre)
        result = RuleResult(pre, post, conn_index=lambda: pre * n_post + post)
        result.share_built = True
        return result
    if order.size == 0:
        return RuleResult.every_pair(call.n_pre, call.n_post)
    if subset is None:
        return _rules.all_pairs(call.n_pre, order, lo, hi)
    # target-major without the autapses: a row starts after the valid pairs of those before
    valid = call.n_pre - (hi - lo)
    pre, rows = _rules.all_pairs(call.n_pre, order, lo[subset], hi[subset])
    return RuleResult.share(pre, subset[rows],
                            conn_index=lambda: _whole_call_index(valid, subset, rows))


def one_to_one(call):
    """The i-th source to the i-th target; make_symmetric adds the reversed connections."""
    if call.n_pre != call.n_post:
        raise DimensionMismatch(
            f"Source and Target population must be of the same size (one_to_one got "
            f"{call.n_pre} sources and {call.n_post} targets).")
    made = None if call.allow_autapses else call.pre_ids != call.post_ids
    subset = call.targets_subset
    if call.make_symmetric and subset is not None:
        # pair i is made in both directions, each kept by its target's process: the pairs
        # with a local end (the connection store drops the other direction)
        subset = None if call.sources_subset is None else \
            np.union1d(subset, call.sources_subset)
        pos = np.arange(call.n_pre, dtype=np.int64) if subset is None else subset
        pos = pos if made is None else pos[made[pos]]
        return RuleResult(pos, pos.copy(), symmetric=True)
    if subset is None:
        pos = np.arange(call.n_pre, dtype=np.int64)
        pos = pos if made is None else pos[made]
        return RuleResult(pos, pos.copy(), symmetric=call.make_symmetric)
    pos = subset if made is None else subset[made[subset]]
    index = pos if made is None else np.cumsum(made)[pos] - 1
    return RuleResult.share(pos, pos.copy(), conn_index=index)


def _degree(call, name, k):
    if k < 0:
        raise BadParameterValue(name, f"{name.capitalize()} cannot be less than zero; got {k}.")


def fixed_indegree(call):
    """``indegree`` sources for each target; rows of targets (post order), draw order within."""
    k = _integer(call.rule, "indegree", call.params["indegree"])
    _degree(call, "indegree", k)
    if not call.allow_multapses and k > call.n_pre:
        raise BadParameterValue("indegree", f"Indegree cannot be larger than population size "
                                            f"(indegree {k} > {call.n_pre} sources and "
                                            "allow_multapses is False).")
    _no_symmetric(call)
    return _fixed_degree(call, k, rows=call.post_ids, pool=call.pre_ids, name="indegree",
                         what="target", other="sources", tag=_rules.TAG_INDEGREE,
                         rows_are_targets=True)


def fixed_outdegree(call):
    """``outdegree`` targets for each source; rows of sources (pre order), draw order within."""
    k = _integer(call.rule, "outdegree", call.params["outdegree"])
    _degree(call, "outdegree", k)
    if not call.allow_multapses and k > call.n_post:
        raise BadParameterValue("outdegree", f"Outdegree cannot be larger than population size "
                                             f"(outdegree {k} > {call.n_post} targets and "
                                             "allow_multapses is False).")
    _no_symmetric(call)
    return _fixed_degree(call, k, rows=call.pre_ids, pool=call.post_ids, name="outdegree",
                         what="source", other="targets", tag=_rules.TAG_OUTDEGREE,
                         rows_are_targets=False)


def _fixed_degree(call, k, rows, pool, name, what, other, tag, rows_are_targets):
    n_rows, n_pool = rows.shape[0], pool.shape[0]
    order, lo, hi = _exclusions(pool, rows, call.allow_autapses)
    if k > 0 and n_rows:
        n_valid = n_pool - (hi - lo)
        if n_pool == 0:
            raise BadParameterValue(name, f"{name} {k} needs {other}, but there are none.")
        _first_short(n_valid, 1 if call.allow_multapses else k, rows, what, name, k, other)
    seed, stream = call.key
    occurrence = _occurrence(rows)
    subset = call.targets_subset
    if subset is not None and not rows_are_targets:
        # every source's row is drawn, only the draws landing on the share's targets kept
        keep = np.zeros(n_pool, dtype=np.uint8)
        keep[subset] = 1
        index, cols = _rules.fixed_degree_kept(n_pool, k, rows, occurrence, order, lo, hi,
                                               call.allow_multapses, seed, stream, tag, keep)
        return RuleResult.share(index // k if k else index, cols, conn_index=index)
    if subset is not None:      # checked for all rows above, so every process raises alike
        rows, occurrence, lo, hi = rows[subset], occurrence[subset], lo[subset], hi[subset]
    chosen = _rules.fixed_degree(n_pool, k, rows, occurrence, order, lo, hi,
                                 call.allow_multapses, seed, stream, tag)
    if subset is not None:
        def conn_index():
            return (np.repeat(subset * k, k) +
                    np.tile(np.arange(k, dtype=np.int64), subset.shape[0]))
        result = RuleResult.degree_rows(chosen, subset, True, conn_index=conn_index)
        result.share_built = True
        return result
    return RuleResult.degree_rows(chosen, np.arange(rows.shape[0], dtype=np.int64),
                                  rows_are_targets)


def fixed_total_number(call):
    """``N`` connections, each uniform over the valid (source, target) pairs, in draw order."""
    n = _integer(call.rule, "N", call.params["N"])
    if n < 0:
        raise BadParameterValue("N", f"Total number of connections cannot be negative; got {n}.")
    if not call.allow_multapses:
        if n > call.n_pre * call.n_post:
            raise BadParameterValue(
                "N", f"Total number of connections cannot exceed product of source and target "
                     f"population sizes ({n} > {call.n_pre} x {call.n_post}).")
        raise Unsupported("allow_multapses", "Connect doesn't support the suppression of "
                                             "multapses in the FixedTotalNumber connector.")
    _no_symmetric(call)
    order, lo, hi = _exclusions(call.pre_ids, call.post_ids, call.allow_autapses)
    if n > 0:
        valid = call.n_pre * call.n_post - int((hi - lo).sum())
        if valid <= 0:
            raise BadParameterValue(
                "N", f"there is no (source, target) pair to draw {n} connections from "
                     f"({call.n_pre} sources, {call.n_post} targets"
                     + (", all of them autapses, which are not allowed)." if call.n_pre *
                        call.n_post else ")."))
    seed, stream = call.key
    # N split over the targets by their number of valid sources (the same on every process),
    # then each target's sources drawn from its own site: target-major order
    counts = _rules.multinomial(n, (call.n_pre - (hi - lo)).astype(np.int64), seed, stream,
                                _rules.TAG_TOTAL)
    rows, occurrence, subset = call.post_ids, _occurrence(call.post_ids), call.targets_subset
    if subset is None:
        row, pre = _rules.counted_rows(counts, rows, occurrence, call.n_pre, order, lo, hi,
                                       seed, stream, _rules.TAG_TOTAL)
        # made target by target; their places in the draw order (targets at random, as NEST
        # makes them: syn_spec array elements and Parameter values) computed when needed
        result = RuleResult(pre, row, conn_index=lambda: _rules.shuffled_index(
            np.arange(n, dtype=np.int64), n, seed, stream))
        result._draw_index = None       # values keyed by the target-major index
        return result
    mine = counts[subset]
    row, pre = _rules.counted_rows(mine, rows[subset], occurrence[subset], call.n_pre, order,
                                   lo[subset], hi[subset], seed, stream, _rules.TAG_TOTAL)
    result = RuleResult.share(pre, subset[row], conn_index=lambda: _rules.shuffled_index(
        result.draw_index, n, seed, stream))
    result._draw_index = lambda: _whole_call_index(counts, subset, row)
    return result


def _whole_call_index(counts, subset, rows):
    """Index of each connection of a share in the whole call's target-major order.

    ``counts[t]``: connections of target t in the whole call; the share holds those of the
    targets ``subset``, in that order, and ``rows`` gives each connection's position in
    ``subset``."""
    first = np.concatenate([[0], np.cumsum(counts)])[subset]
    local_first = np.concatenate([[0], np.cumsum(counts[subset])])[:-1]
    return first[rows] + np.arange(rows.shape[0], dtype=np.int64) - local_first[rows]


def _probability(call, closed):
    p = _real(call.rule, "p", call.params["p"])
    ok = 0.0 <= p <= 1.0 if closed else 0.0 <= p < 1.0
    if not ok:  # also NaN
        raise BadParameterValue("p", f"Connection probability 0 <= p {'<=' if closed else '<'} 1 "
                                     f"required; got {p!r}.")
    return p


def _per_target_rows(call, kernel, value, tag, *keep):
    """The rows of a per-target rule (all targets', or the share's). A connection's index in
    the whole call is known only to the whole expansion, so Parameter values are keyed by
    ``target id << 32 | j``, its place j in its target's row (the same wherever the row is
    built; Connect's targets are unique)."""
    order, lo, hi = _exclusions(call.pre_ids, call.post_ids, call.allow_autapses)
    seed, stream = call.key
    post, occurrence, subset = call.post_ids, _occurrence(call.post_ids), call.targets_subset
    if subset is not None:
        post, occurrence, lo, hi = post[subset], occurrence[subset], lo[subset], hi[subset]
    rows, cols = kernel(call.n_pre, value, post, occurrence, order, lo, hi, seed, stream, tag,
                        *keep)
    if subset is None:
        result = RuleResult(cols, rows)
    else:
        result = RuleResult.share(cols, subset[rows])
    result._draw_index = lambda: _rules.row_sites(post, rows)
    return result


def pairwise_bernoulli(call):
    """Each (source, target) pair with probability p; targets in post order, sources ascending."""
    p = _probability(call, closed=True)
    _no_symmetric(call)
    return _per_target_rows(call, _rules.bernoulli_rows, p, _rules.TAG_BERNOULLI)


def symmetric_pairwise_bernoulli(call):
    """Each pair (s, t), s != t, with probability p, made in both directions."""
    p = _probability(call, closed=False)
    if not call.allow_multapses:
        raise BadParameterValue("allow_multapses", "Multapses must be enabled "
                                                   "(symmetric_pairwise_bernoulli).")
    if call.allow_autapses:
        raise BadParameterValue("allow_autapses", "Autapses must be disabled "
                                                  "(symmetric_pairwise_bernoulli).")
    if not call.make_symmetric:
        raise BadParameterValue("make_symmetric", "Symmetric connections must be enabled "
                                                  "(symmetric_pairwise_bernoulli).")
    keep = ()
    if call.targets_subset is not None and call.sources_subset is not None:
        # every target's row is drawn (a pair is made in both directions, and the reversed
        # connection is kept by the source's process); only pairs with a local end are kept
        keep_rows = np.zeros(call.n_post, dtype=np.uint8)
        keep_rows[call.targets_subset] = 1
        keep_cols = np.zeros(call.n_pre, dtype=np.uint8)
        keep_cols[call.sources_subset] = 1
        keep = (keep_rows, keep_cols)
    whole = dataclasses.replace(call, targets_subset=None)
    pre_pos, post_pos = _per_target_rows(whole, _rules.bernoulli_rows, p, _rules.TAG_SYMMETRIC,
                                         *keep)
    return RuleResult(pre_pos, post_pos, symmetric=True)


def pairwise_poisson(call):
    """A Poisson(pairwise_avg_num_conns) number of connections for each (source, target) pair."""
    name = "pairwise_avg_num_conns"
    mu = _real(call.rule, name, call.params[name])
    if not mu >= 0.0:  # also NaN
        raise BadParameterValue(name, f"Connection parameter 0 ≤ pairwise_avg_num_conns "
                                      f"required; got {mu!r}.")
    if mu == float("inf"):
        raise BadParameterValue(name, "must be finite; got inf.")
    if not call.allow_multapses:
        raise BadParameterValue("allow_multapses", "Multapses must be allowed for this "
                                                   "connection rule (pairwise_poisson).")
    _no_symmetric(call)
    return _per_target_rows(call, _rules.poisson_rows, mu, _rules.TAG_POISSON)


RULES = {
    "all_to_all": ConnectionRule("all_to_all", all_to_all, (),
                                 "Connect every source to every target."),
    "one_to_one": ConnectionRule("one_to_one", one_to_one, (),
                                 "Connect the i-th source to the i-th target."),
    "fixed_indegree": ConnectionRule(
        "fixed_indegree", fixed_indegree, ("indegree",),
        "Each target gets `indegree` connections from randomly chosen sources.", True),
    "fixed_outdegree": ConnectionRule(
        "fixed_outdegree", fixed_outdegree, ("outdegree",),
        "Each source makes `outdegree` connections to randomly chosen targets.", True),
    "fixed_total_number": ConnectionRule(
        "fixed_total_number", fixed_total_number, ("N",),
        "`N` connections between randomly chosen (source, target) pairs.", True),
    "pairwise_bernoulli": ConnectionRule(
        "pairwise_bernoulli", pairwise_bernoulli, ("p",),
        "Each (source, target) pair is connected with probability `p`.", True),
    "symmetric_pairwise_bernoulli": ConnectionRule(
        "symmetric_pairwise_bernoulli", symmetric_pairwise_bernoulli, ("p",),
        "Each (source, target) pair is connected with probability `p`, in both directions "
        "(needs allow_autapses=False and make_symmetric=True).", True),
    "pairwise_poisson": ConnectionRule(
        "pairwise_poisson", pairwise_poisson, ("pairwise_avg_num_conns",),
        "Each (source, target) pair gets a Poisson(`pairwise_avg_num_conns`) number of "
        "connections.", True),
}


# rules that build the connections of a subset of the targets only (not one_to_one with
# make_symmetric); symmetric_pairwise_bernoulli keeps the pairs with an end in either subset
SUBSET_RULES = ("all_to_all", "one_to_one", "fixed_indegree", "fixed_outdegree",
                "fixed_total_number", "pairwise_bernoulli", "pairwise_poisson")


def rule_spec(rule):
    """The ConnectionRule named ``rule`` (BadParameterValue if unknown)."""
    spec = RULES.get(rule) if isinstance(rule, str) else None
    if spec is None:
        raise BadParameterValue("rule", f"unknown connection rule {rule!r}; known rules: "
                                        f"{', '.join(sorted(RULES))}.")
    return spec


def require_params(rule, params):
    """Check that ``params`` holds every parameter of ``rule`` (MissingParameter otherwise)."""
    spec = rule_spec(rule)
    for name in spec.params:
        if name not in params:
            raise MissingParameter(name, f"connection rule '{rule}'")


@on_ordinary_pages
def expand_rule(rule, pre_ids, post_ids, allow_autapses=True, allow_multapses=True,
                make_symmetric=False, rng=None, targets_subset=None, sources_subset=None,
                **params):
    """Apply ``rule`` to id arrays; return (pre_pos, post_pos) position arrays.

    Parameters
    ----------
    rule : str
        A name in RULES.
    pre_ids, post_ids : ndarray of int
        Source and target node ids.
    allow_autapses, allow_multapses, make_symmetric : bool
        NEST's switches (make_symmetric only for one_to_one and, where it is required,
        symmetric_pairwise_bernoulli).
    rng : DrawContext-like, optional
        ``.seed`` and ``.stream`` of the random draws; the kernel's rng_seed and next stream
        when not given.
    targets_subset : ndarray of int, optional
        Sorted positions into post_ids: build only the connections to these targets (an MPI
        process's share), exactly as they are in the whole expansion. Honoured by the rules
        in :data:`SUBSET_RULES` (not by one_to_one with make_symmetric; the result's
        ``share_built`` tells). Errors are checked for all targets. A share's
        ``conn_index`` gives each connection's index among all of the call's (rules whose
        ``value_keys`` is "index").
    sources_subset : ndarray of int, optional
        Sorted positions into pre_ids of the process's own nodes: the symmetric rules
        (symmetric_pairwise_bernoulli, one_to_one with make_symmetric), given both subsets,
        build only the pairs with an end in one of them (a pair is made in both directions,
        each kept by its target's process); the result is not ``share_built`` and the
        connection store drops the other processes' directions.
    **params
        The rule's parameters (``indegree``, ``outdegree``, ``N``, ``p``,
        ``pairwise_avg_num_conns``).

    Returns
    -------
    RuleResult
        Unpacks as (pre_pos, post_pos), int64 positions into pre_ids and post_ids, ordered so
        that syn_spec arrays of :func:`array_shape` map onto connections through
        :func:`value_index`. ``.share_built`` says whether only the connections to
        ``targets_subset`` were built. ``.symmetric`` says whether each connection is also
        made in the reverse direction (see :meth:`RuleResult.connections`).
    """
    spec = rule_spec(rule)
    switches = {"allow_autapses": _switch("allow_autapses", allow_autapses),
                "allow_multapses": _switch("allow_multapses", allow_multapses),
                "make_symmetric": _switch("make_symmetric", make_symmetric)}
    require_params(rule, params)
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        raise UnknownParameter(unknown[0], f"connection rule '{rule}'", spec.params + SWITCHES)
    targets_subset, sources_subset = (
        None if sub is None else np.ascontiguousarray(sub, dtype=np.int64).reshape(-1)
        for sub in (targets_subset, sources_subset))
    call = RuleCall(rule, np.ascontiguousarray(pre_ids, dtype=np.int64).reshape(-1),
                    np.ascontiguousarray(post_ids, dtype=np.int64).reshape(-1),
                    params=params, rng=rng, targets_subset=targets_subset,
                    sources_subset=sources_subset, **switches)
    result = spec.build(call)
    if not isinstance(result, RuleResult):
        result = RuleResult(*result)
    return result


def array_shape(rule, n_pre, n_post, params):
    """The shape a syn_spec array must have for ``rule``, or None if arrays are not allowed.

    all_to_all (len(post), len(pre)); one_to_one (n,); fixed_indegree (len(post), indegree);
    fixed_outdegree (len(pre), outdegree); fixed_total_number (N,). The connections take the
    array's elements in C order, see :func:`value_index`.
    """
    if rule == "all_to_all":
        return (int(n_post), int(n_pre))
    if rule == "one_to_one":
        return (int(n_pre),)
    if rule == "fixed_indegree":
        return (int(n_post), int(params["indegree"]))
    if rule == "fixed_outdegree":
        return (int(n_pre), int(params["outdegree"]))
    if rule == "fixed_total_number":
        return (int(params["N"]),)
    rule_spec(rule)
    return None


def value_index(rule, n_pre, n_post, pre_pos, post_pos, conn_index=None):
    """For each connection of ``expand_rule``, its element of the flattened syn_spec array.

    all_to_all: ``post_pos * len(pre) + pre_pos`` (autapses left out keep their slots);
    one_to_one: ``pre_pos``; the fixed_* rules: the connection's index (they make every
    connection of the array, in its C order), ``conn_index`` when only a share was built.
    """
    pre_pos = np.asarray(pre_pos, dtype=np.int64)
    if rule == "all_to_all":
        return np.asarray(post_pos, dtype=np.int64) * int(n_pre) + pre_pos
    if rule == "one_to_one":
        return pre_pos.copy()
    if rule in ("fixed_indegree", "fixed_outdegree", "fixed_total_number"):
        return np.arange(pre_pos.shape[0], dtype=np.int64) if conn_index is None else \
            np.asarray(conn_index, dtype=np.int64)
    rule_spec(rule)
    raise BadParameterValue("rule", f"{rule} does not take syn_spec arrays.")
