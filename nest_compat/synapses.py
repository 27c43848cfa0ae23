"""SynapseCollection, GetConnections, Disconnect and CollocatedSynapses.

A SynapseCollection names connections by (synapse model, source id, rank among that source's
connections of the model). Ranks do not change when connections are added later, so a
collection stays valid until connections of its model are deleted; after that it raises a
clear error instead of pointing at the wrong connections. All values are read from and
written to the kernel's connection tables.
"""
import json
import numbers
import zlib

import numpy as np

from kernel import get_kernel
from kernel.errors import KernelStateError

from .errors import NESTErrors, nest_errors
from .nodes import NodeCollection, _jsonable


class CollocatedSynapses:
    """Several synapse specifications applied to the same (source, target) pairs.

    Parameters
    ----------
    *dicts : dict
        One syn_spec dict per synapse to make for every pair the rule chooses.
    """

    def __init__(self, *dicts):
        if not dicts or not all(isinstance(d, dict) for d in dicts):
            raise NESTErrors.BadProperty("CollocatedSynapses takes one or more syn_spec dicts.")
        self.syn_specs = list(dicts)

    def __len__(self):
        return len(self.syn_specs)


class _Segment:
    """Connections of one model in a collection."""

    __slots__ = ("model", "sources", "ranks", "deletions")

    def __init__(self, model, sources, ranks, deletions):
        self.model, self.sources, self.ranks, self.deletions = model, sources, ranks, deletions

    def positions(self):
        table = get_kernel().connections.tables[self.model]
        if table.deletions != self.deletions:
            raise KernelStateError(
                f"connections of {self.model} were deleted after this SynapseCollection was "
                "made; call GetConnections again.")
        get_kernel().connections.pack()
        return table.indptr[self.sources] + self.ranks

    def take(self, index):
        return _Segment(self.model, self.sources[index], self.ranks[index], self.deletions)


class SynapseCollection:
    """A collection of connections, as returned by ``nest.GetConnections``."""

    def __init__(self, segments=None):
        self._segments = [s for s in (segments or []) if len(s.sources)]
        self._generation = get_kernel().generation

    def _live_segments(self):
        """The segments, or none once ResetKernel has removed the connections (NEST then
        treats the collection as empty)."""
        return self._segments if self._generation == get_kernel().generation else []

    @classmethod
    def _from_found(cls, found):
        conns = get_kernel().connections
        segments = []
        for model, positions in found:
            table = conns.tables[model]
            sources = np.searchsorted(table.indptr, positions, side="right") - 1
            segments.append(_Segment(model, sources, positions - table.indptr[sources],
                                     table.deletions))
        return cls(segments)

    # -- sequence protocol -----------------------------------------------------------------------
    def __len__(self):
        return sum(len(s.sources) for s in self._live_segments())

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, key):
        n = len(self)
        if isinstance(key, (numbers.Integral, np.integer)) and not isinstance(key, bool):
            if not -n <= key < n:
                raise IndexError("list index out of range")
            index = np.array([key % n])
        elif isinstance(key, slice):
            index = np.arange(n)[key]
        else:
            raise TypeError(f"SynapseCollection indices must be integers or slices, not "
                            f"{type(key).__name__}")
        segments, offset = [], 0
        for seg in self._live_segments():
            size = len(seg.sources)
            local = index[(index >= offset) & (index < offset + size)] - offset
            if local.size:
                segments.append(seg.take(local))
            offset += size
        return SynapseCollection(segments)

    def __eq__(self, other):
        if not isinstance(other, SynapseCollection):
            return NotImplemented
        mine, theirs = self._keys(), other._keys()
        return len(mine) == len(theirs) and all(np.array_equal(a, b) for a, b in zip(mine, theirs))

    __hash__ = None

    def _keys(self):
        return [x for seg in self._live_segments()
                for x in (np.asarray([seg.model]), seg.sources, seg.ranks)]

    def __str__(self):
        return _table_text(self)

    def __repr__(self):
        return f"SynapseCollection({len(self)} connections)" if len(self) else \
            "SynapseCollection(<empty>)"

    # -- get / set -------------------------------------------------------------------------------
    def _columns(self, keys):
        conns = get_kernel().connections
        out = {key: [] for key in keys}
        for seg in self._live_segments():
            positions = seg.positions()
            model_keys = set(conns.keys(seg.model))
            for key in keys:
                if key in model_keys:
                    out[key].append(list(conns.read(seg.model, positions, key)))
                else:
                    out[key].append([None] * len(positions))
        return {key: [_plain(v) for part in parts for v in part] for key, parts in out.items()}

    def _all_keys(self):
        conns = get_kernel().connections
        return sorted(set().union(*(conns.keys(seg.model) for seg in self._live_segments())))

    @nest_errors
    def get(self, keys=None, output=""):
        """Connection properties: all, one key, or a list of keys.

        For one connection values are scalars, for several they are lists. ``output`` may be
        'pandas' (a DataFrame indexed by source id) or 'json'.
        """
        if output not in ("", "pandas", "json"):
            raise ValueError("output must be '', 'pandas' or 'json'")
        if not len(self):
            return {} if keys is None or not isinstance(keys, str) else ()
        all_keys = self._all_keys()
        single = isinstance(keys, str)
        names = all_keys if keys is None else ([keys] if single else list(keys))
        for name in names:
            if name not in all_keys:
                raise KeyError(name)
        table = self._columns(names)
        if output == "pandas":
            import pandas
            return pandas.DataFrame(table, index=self._columns(["source"])["source"])
        result = {k: (v[0] if len(self) == 1 else v) for k, v in table.items()}
        if single:
            result = result[keys]
        if output == "json":
            return json.dumps(_jsonable(result))
        return result

    @nest_errors
    def set(self, params=None, **kwargs):
        """Set connection properties: a dict or keywords (scalars, lists, Parameters), or a
        list of dicts with one dict per connection."""
        if params is not None and kwargs:
            raise TypeError("must either provide params or kwargs, but not both.")
        params = kwargs if params is None else params
        n = len(self)
        if get_kernel().processes.size > 1 and (
                isinstance(params, (list, tuple)) or
                any(isinstance(v, (list, tuple, np.ndarray)) for v in params.values())):
            # as NEST 3.10: which connection a list entry belongs to differs between ranks
            raise NotImplementedError(
                "Setting connection parameters with lists or arrays is not supported with "
                "several MPI processes (each holds only its own connections); give one value "
                "for all, or a nest.Parameter.")
        if isinstance(params, (list, tuple)):
            if len(params) != n:
                raise NESTErrors.BadParameter(
                    f"List of dictionaries must be the same size as the SynapseCollection ({n}), "
                    f"{len(params)} given.")
            for i, d in enumerate(params):
                self[i].set(d)
            return
        conns = get_kernel().connections
        ends = None
        if any(hasattr(v, "evaluate") for v in params.values()):
            cols = self._columns(["source", "target"])
            # the synapse model is part of a connection's identity (see _connection_values)
            models = np.repeat([zlib.crc32(seg.model.encode()) for seg in self._live_segments()],
                               [len(seg.sources) for seg in self._live_segments()])
            ends = (np.asarray(cols["source"]), np.asarray(cols["target"]), models)
        values = {name: _connection_values(value, n, ends) for name, value in params.items()}
        offset = 0
        for seg in self._live_segments():
            size = len(seg.sources)
            part = {name: (v[offset:offset + size] if np.ndim(v) else v) for name, v in values.items()}
            conns.write(seg.model, seg.positions(), part)
            offset += size

    @property
    def distance(self):
        """Distance between source and target of each connection (spatial nodes only)."""
        from .spatial_api import connection_distances
        return connection_distances(self)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self.set({name: value})

    def _get_status(self, keys, output):
        if keys is None:
            result = tuple(c.get() for c in self)
        elif isinstance(keys, str):
            result = tuple(self.get(keys)) if len(self) > 1 else (self.get(keys),)
        else:
            result = tuple(tuple(c.get(k) for k in keys) for c in self)
        return json.dumps(_jsonable(result)) if output == "json" else result

    def sources(self):
        """Iterator over the source ids."""
        values = self.get("source") if len(self) else []
        return iter(values if isinstance(values, list) else [values])

    def targets(self):
        """Iterator over the target ids."""
        values = self.get("target") if len(self) else []
        return iter(values if isinstance(values, list) else [values])

    def disconnect(self):
        """Delete these connections."""
        Disconnect(self)


def _plain(v):
    return v.item() if isinstance(v, np.generic) else v


def _connection_values(value, n, ends=None):
    """A value for n connections: scalar, one per connection, or a Parameter.

    A Parameter draws once per connection from a fresh stream, keyed by the connection's
    identity (``ends``: its source, target and synapse model code; the occurrence among the
    same ones), so that each MPI process draws exactly what a single process would for the
    connections it holds.
    """
    from kernel.connect.context import evaluate_by_identity

    from .parameters import Parameter
    if isinstance(value, Parameter):
        k = get_kernel()
        sources, targets, models = ends
        return evaluate_by_identity(value, k.rng_seed, k.next_stream(), sources, targets,
                                    models)
    if isinstance(value, (list, tuple, np.ndarray)):
        if len(value) != n:
            raise IndexError("list index out of range")
        return np.asarray(value)
    return value


def _table_text(sc):
    """NEST's printed table of connections."""
    if not len(sc):
        return "The synapse collection does not contain any connections."
    data = sc.get(["source", "target", "synapse_model", "weight", "delay"])
    if len(sc) == 1:
        data = {k: [v] for k, v in data.items()}
    width = max([15] + [len(m) for m in data["synapse_model"]])
    lines = [f"{'source':^8} {'target':^8} {'synapse model':^{width}} {'weight':^8} {'delay':^7}",
             f"{'-' * 8} {'-' * 8} {'-' * width} {'-' * 8} {'-' * 7}"]
    for s, t, m, w, d in zip(data["source"], data["target"], data["synapse_model"],
                             data["weight"], data["delay"]):
        weight = f"{w:.3f}" if abs(w) < 1e4 else f"{w:.3e}"
        lines.append(f"{s:>7} {t:>8} {m:>{width}} {weight:>8} {d:>7.3f}")
    return "\n".join(lines)


def _ids_or_none(nodes, what):
    if nodes is None:
        return None
    if not isinstance(nodes, NodeCollection):
        raise TypeError(f"GetConnections: {what} must be a NodeCollection; got "
                        f"{type(nodes).__name__}.")
    return nodes._checked_ids()


@nest_errors
def GetConnections(source=None, target=None, synapse_model=None, synapse_label=None):
    """Connections matching all given filters, as a SynapseCollection.

    Parameters
    ----------
    source, target : NodeCollection, optional
    synapse_model : str, optional
    synapse_label : int, optional
    """
    k = get_kernel()
    if synapse_model is not None:
        k.models.spec(synapse_model, ("synapse",))
    found = k.connections.find(_ids_or_none(source, "source"), _ids_or_none(target, "target"),
                               synapse_model, synapse_label)
    return SynapseCollection._from_found(found)


@nest_errors
def Disconnect(*args, conn_spec=None, syn_spec=None):
    """Delete connections: ``Disconnect(synapse_collection)`` or ``Disconnect(pre, post,
    conn_spec="one_to_one" or "all_to_all", syn_spec=model or {"synapse_model": model})``."""
    k = get_kernel()
    if len(args) == 1:
        if not isinstance(args[0], SynapseCollection):
            raise TypeError("Disconnect takes a SynapseCollection, or pre and post "
                            f"NodeCollections; got {type(args[0]).__name__}.")
        if conn_spec is not None or syn_spec is not None:
            raise ValueError("Disconnect(SynapseCollection) takes no conn_spec or syn_spec: the "
                             "collection names the connections.")
        for seg in args[0]._live_segments():
            k.connections.delete(seg.model, seg.positions())
        return
    if len(args) < 2 or len(args) > 4:
        raise TypeError("Disconnect takes a SynapseCollection or pre and post NodeCollections "
                        "(and optionally conn_spec and syn_spec)")
    if not all(isinstance(a, NodeCollection) for a in args[:2]) or \
            any(isinstance(a, SynapseCollection) for a in args[2:]):
        raise TypeError("Disconnect(pre, post, ...) takes NodeCollections for pre and post")
    pre, post = args[0]._checked_ids(), args[1]._checked_ids()
    if len(args) > 2:
        conn_spec = args[2]
    if len(args) > 3:
        syn_spec = args[3]
    conn_spec = "one_to_one" if conn_spec is None else conn_spec
    syn_spec = "static_synapse" if syn_spec is None else syn_spec
    rule = conn_spec if isinstance(conn_spec, str) else conn_spec.get("rule", "one_to_one")
    model = syn_spec if isinstance(syn_spec, str) else syn_spec.get("synapse_model", "static_synapse")
    if rule == "one_to_one":
        if len(pre) != len(post):
            raise NESTErrors.DimensionMismatch("Source and Target population must be of the same size.")
        sources, targets = pre, post
    elif rule == "all_to_all":
        sources, targets = np.tile(pre, len(post)), np.repeat(post, len(pre))
    else:
        raise NESTErrors.BadProperty(f"Disconnect supports the rules one_to_one and all_to_all, "
                                     f"not {rule}.")
    k.models.spec(model, ("synapse",))
    here = k.connections.stored_here(sources, targets)     # MPI: each rank checks its own
    if here is not None:
        sources, targets = sources[here], targets[here]
    positions, found = k.connections.first_matches(model, sources, targets)
    error = None
    if not found.all():
        s, t = sources[~found][0], targets[~found][0]
        error = NESTErrors.InexistentConnection(
            f"Deletion of connection is not possible because it does not exist: {s} -> {t} "
            f"({model}).")
    k.processes.agree(error)        # every rank raises if one does
    if positions.size:
        k.connections.delete(model, np.unique(positions))
