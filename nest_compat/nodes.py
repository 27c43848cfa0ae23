"""NodeCollection, Create, GetStatus/SetStatus: the PyNEST node API.

A NodeCollection is a sorted set of unique node ids plus the parts NEST prints: runs of
contiguous ids of one model ("primitives"), or, for a collection made by slicing a composite
or by a stepped slice, the pieces of the parent's parts it took (a "sliced composite", printed
with first/last of every piece and the step). All data access goes to the kernel's arrays; the
only Python loops are over keys, parts and kernel blocks, never over nodes (except to build the
per-node Python objects NEST returns for object-valued keys such as ``events``).

Where NEST 3.10 is inconsistent we follow the sensible reading and say so here:

* ``n[0:0]`` raises ``BadParameter`` (start < stop required) like ``n[2:2]``; NEST returns all of n.
* ``n[[-1]]`` selects the last node, as ``n[-1]`` does; NEST raises an OverflowError.
* A sliced composite equals a collection with the same ids; NEST says they differ.
* ``Create(model, True)`` is a TypeError; NEST makes one node.
* An unknown key in ``get`` raises KeyError with a sentence naming the key and the closest
  valid one ("Did you mean 'V_m'?"), not just the key.
* ``set([{...}, {...}])`` checks every node before changing any; NEST changes the nodes before
  the first bad one.
"""
import json
import numbers

import numpy as np

from kernel import get_kernel
from kernel.errors import UnknownNode, did_you_mean

from .errors import NESTErrors, nest_errors
from .info import warn_once

INDEX_TYPES_MESSAGE = "only integers, slices, lists, tuples, and numpy arrays are valid indices"
INDENT = "\n" + " " * 15
INVALID_COLLECTION = ("InvalidNodeCollection: note that ResetKernel invalidates all previously "
                      "created NodeCollections.")
GETSTATUS_DEPRECATED = ("GetStatus() is deprecated and will be removed in a future version of "
                        "NEST. Instead of GetStatus(nrns|conns, args), use nrns|conns.get(args).")
SETSTATUS_DEPRECATED = ("SetStatus() is deprecated and will be removed in a future version of "
                        "NEST. Instead of SetStatus(nrns|conns, args), use nrns|conns.set(args).")


def _kernel():
    return get_kernel()


def _is_int(value):
    """True for Python and numpy integers (bools count, as in Python indexing)."""
    return isinstance(value, (numbers.Integral, np.integer))


class NodeCollection:
    """A sorted collection of unique node ids, as returned by ``nest.Create``.

    Parameters
    ----------
    data : list or array of int, optional
        Node ids, sorted ascending and unique (NEST's rules); empty when omitted.

    Raises
    ------
    NESTErrors.BadProperty
        Ids not sorted ascending, or not unique.
    NESTErrors.UnknownNode
        An id that does not exist.
    TypeError
        ``data`` is a NodeCollection or holds something other than integers.
    """

    def __init__(self, data=None):
        if data is None:
            data = []
        if isinstance(data, NodeCollection) or isinstance(data, (str, bytes)):
            raise TypeError("an integer is required")
        if not hasattr(data, "__len__"):        # a generator of ids, as NEST accepts
            data = list(data)
        ids = np.asarray(data).reshape(-1) if len(data) else np.zeros(0, np.int64)
        if ids.size and (ids.dtype == bool or not np.issubdtype(ids.dtype, np.integer)):
            raise TypeError("an integer is required")
        ids = ids.astype(np.int64)
        if ids.size and np.any(np.diff(ids) < 0):
            raise NESTErrors.BadProperty("Indices must be sorted in ascending order")
        if ids.size and np.any(np.diff(ids) == 0):
            raise NESTErrors.BadProperty("All node IDs in a NodeCollection have to be unique")
        k = _kernel()
        if ids.size:
            try:
                k.nodes.check_ids(ids)
            except UnknownNode as error:
                raise NESTErrors.UnknownNode(str(error)) from None
        names, mods = _model_index(k, ids)
        self._init(ids, _run_starts(ids, mods), mods, names, None, k.generation)

    def _init(self, ids, starts, mods, names, sliced, generation):
        """Set the internal state; ``mods`` is the model index of each id."""
        object.__setattr__(self, "_ids", ids)
        object.__setattr__(self, "_starts", starts)        # position where each part begins
        object.__setattr__(self, "_mods", mods)            # model index (into _names) per id
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_sliced", sliced)        # slice step of a sliced composite
        object.__setattr__(self, "_gen", generation)

    @classmethod
    def _primitive(cls, first, n, model, generation):
        """A contiguous block of ``n`` nodes of one model (what Create returns)."""
        nc = cls.__new__(cls)
        nc._init(np.arange(first, first + n, dtype=np.int64), np.zeros(1, np.int64),
                 np.zeros(n, np.int64), (model,), None, generation)
        return nc

    def _subset(self, positions, sliced=None):
        """The collection of the ids at sorted ``positions``, keeping the models."""
        ids = self._ids[positions]
        mods = self._mods[positions]
        if sliced is None:
            starts = _run_starts(ids, mods)
        else:
            part = np.searchsorted(self._starts, positions, side="right") - 1
            starts = np.flatnonzero(np.diff(part, prepend=-1))
        nc = NodeCollection.__new__(NodeCollection)
        nc._init(ids, starts, mods, self._names, sliced, self._gen)
        return nc

    # -- sequence protocol ---------------------------------------------------------------------
    def __len__(self):
        return int(self._ids.shape[0])

    def __bool__(self):
        return len(self) > 0

    def __iter__(self):
        for i in range(len(self)):
            yield self._subset(np.array([i]))

    def __contains__(self, node_id):
        if not _is_int(node_id):
            raise TypeError("an integer is required")
        pos = np.searchsorted(self._ids, node_id)
        return bool(pos < len(self) and self._ids[pos] == node_id)

    def __eq__(self, other):
        if not isinstance(other, NodeCollection):
            raise NotImplementedError(f"Cannot compare NodeCollection to {type(other).__name__}")
        # the same ids of the same models (collections from before a ResetKernel may differ)
        return len(self) == len(other) and bool(np.all(self._ids == other._ids)) and \
            bool(np.all(np.asarray(self._names, dtype=object)[self._mods] ==
                        np.asarray(other._names, dtype=object)[other._mods]))

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __radd__(self, other):
        # sum(collections) starts from 0
        if isinstance(other, int) and other == 0:
            return self._subset(np.arange(len(self)))
        raise TypeError(f"Cannot add object of type '{type(other).__name__}' to 'NodeCollection'")

    def __add__(self, other):
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self._subset(np.arange(len(self)))
        if not isinstance(other, NodeCollection):
            raise TypeError(f"Cannot add object of type '{type(other).__name__}' to 'NodeCollection'")
        self._require_valid()
        other._require_valid()
        if self._sliced is not None or other._sliced is not None:
            raise NESTErrors.BadProperty(
                "Cannot add NodeCollection to a sliced composite. Make a plain collection "
                "first, e.g. nest.NodeCollection(nodes.tolist()).")
        if not len(other):
            return self._subset(np.arange(len(self)))
        if not len(self):
            return other._subset(np.arange(len(other)))
        if np.intersect1d(self._ids, other._ids).size:
            raise NESTErrors.BadProperty("Cannot join overlapping NodeCollections.")
        if self.spatial is not None or other.spatial is not None:
            raise NESTErrors.BadProperty("Can only join NodeCollections without spatial "
                                         "information (layers cannot be joined).")
        names = tuple(sorted(set(self._names) | set(other._names)))
        remap = [np.array([names.index(m) for m in nc._names], dtype=np.int64)
                 for nc in (self, other)]
        ids = np.concatenate([self._ids, other._ids])
        mods = np.concatenate([remap[0][self._mods], remap[1][other._mods]])
        order = np.argsort(ids, kind="stable")
        ids, mods = ids[order], mods[order]
        nc = NodeCollection.__new__(NodeCollection)
        nc._init(ids, _run_starts(ids, mods), mods, names, None, self._gen)
        return nc

    def __getitem__(self, key):
        self._require_valid()
        n = len(self)
        if _is_int(key):
            if not -n <= key < n:
                raise IndexError(f"index value outside of the NodeCollection: index {int(key)} "
                                 f"for a collection of {n} nodes")
            return self._subset(np.array([int(key) % n]))
        if isinstance(key, slice):
            return self._slice(key)
        if isinstance(key, (list, tuple, np.ndarray)):
            return self._subset(self._positions(key))
        raise IndexError(f"{INDEX_TYPES_MESSAGE}; got {type(key).__name__}")

    def _positions(self, key):
        """Sorted positions selected by a list / array of indices or a bool mask."""
        n = len(self)
        if isinstance(key, np.ndarray) and key.ndim != 1:
            raise TypeError(f"NumPy indices must be one-dimensional; got shape {key.shape}")
        arr = np.asarray(key)
        if arr.size == 0:
            return np.zeros(0, np.int64)
        if arr.dtype == bool:
            if arr.shape[0] != n:
                raise IndexError(f"Bool index array must be the same length as NodeCollection "
                                 f"({n}); got {arr.shape[0]}")
            return np.flatnonzero(arr)
        mixed = isinstance(key, (list, tuple)) and any(isinstance(v, (bool, np.bool_)) for v in key)
        if mixed or not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(f"Indices must be integers or bools; got {key!r}")
        if arr.min() < -n or arr.max() >= n:
            bad = int(arr[(arr < -n) | (arr >= n)][0])
            raise IndexError(f"index value outside of the NodeCollection: index {bad} for a "
                             f"collection of {n} nodes")
        positions = arr.astype(np.int64) % n
        if np.any(np.diff(positions) < 0):
            raise NESTErrors.BadProperty(f"Indices must be sorted in ascending order; got {key!r}")
        if np.any(np.diff(positions) == 0):
            raise ValueError(f"All node IDs in a NodeCollection have to be unique; index "
                             f"{int(positions[np.flatnonzero(np.diff(positions) == 0)[0]])} "
                             "appears twice")
        return positions

    def _slice(self, key):
        n = len(self)
        step = 1 if key.step is None else _slice_bound(key.step, "step")
        if step < 1:
            raise IndexError(f"slicing step for NodeCollection must be strictly positive; got {step}")
        start = 0 if key.start is None else _slice_bound(key.start, "start")
        stop = n if key.stop is None else _slice_bound(key.stop, "stop")
        start = start + n if start < 0 else start
        stop = stop + n if stop < 0 else stop
        if not 0 <= start < n:
            raise IndexError(f"slice start value outside of the NodeCollection: {key.start} for "
                             f"a collection of {n} nodes")
        if not 0 <= stop <= n:
            raise IndexError(f"slice stop value outside of the NodeCollection: {key.stop} for "
                             f"a collection of {n} nodes")
        if start >= stop:
            raise NESTErrors.BadParameter(
                f"start < stop required: got slice [{key.start}:{key.stop}] of {n} nodes.")
        if self._sliced is not None:
            raise NESTErrors.BadProperty(
                "Cannot slice a sliced composite NodeCollection. Index it with a list instead, "
                "or make a plain collection first, e.g. nest.NodeCollection(nodes.tolist()).")
        positions = np.arange(start, stop, step)
        part_first = np.searchsorted(self._starts, start, side="right")
        part_last = np.searchsorted(self._starts, positions[-1], side="right")
        if step == 1 and part_first == part_last:
            return self._subset(positions)
        return self._subset(positions, sliced=step)

    # -- ids -----------------------------------------------------------------------------------
    def tolist(self):
        """The node ids.

        Returns
        -------
        list of int
        """
        return self._ids.tolist()

    def index(self, node_id):
        """Position of a node id in the collection.

        Parameters
        ----------
        node_id : int

        Returns
        -------
        int

        Raises
        ------
        ValueError
            ``node_id`` is not in the collection.
        """
        pos = int(np.searchsorted(self._ids, node_id))
        if pos >= len(self) or self._ids[pos] != node_id:
            raise ValueError(f"{node_id} is not in NodeCollection")
        return pos

    @property
    def global_id(self):
        """The node ids (an int for one node, a tuple for several), as ``get('global_id')``."""
        return self.get("global_id")

    def _parts(self):
        """[(first, last, size, model)] of every part, in order."""
        bounds = np.append(self._starts, len(self))
        return [(int(self._ids[s]), int(self._ids[e - 1]), int(e - s),
                 self._names[self._mods[s]]) for s, e in zip(bounds[:-1], bounds[1:])]

    def __repr__(self):
        if not len(self):
            return "NodeCollection(<empty>)"
        parts = self._parts()
        if self._sliced is None:
            texts = [f"model={m}, size={size}, first={first}" + (f", last={last}" if size > 1 else "")
                     for first, last, size, m in parts]
            if len(texts) == 1:
                return f"NodeCollection(metadata=None, {texts[0]})"
            return "NodeCollection(metadata=None," + INDENT + (";" + INDENT).join(texts) + ")"
        step = self._sliced
        texts = []
        for i, (first, last, size, m) in enumerate(parts):
            text = f"model={m}, size={size}, first={first}, last={last}"
            if size > 1 and step > 1:
                text += f", step={step}"
            if i < len(parts) - 1 and (size == 1 or step > 1):
                text += ";"
            texts.append(text)
        return "NodeCollection(metadata=None," + INDENT + INDENT.join(texts) + ")"

    __str__ = __repr__

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._ids, dtype=dtype)

    def _is_stale(self):
        """True for a non-empty collection made before the last ResetKernel (empty ones stay
        valid, as in NEST, so a module-level ``NodeCollection()`` can be used after a reset)."""
        return len(self) > 0 and self._gen != _kernel().generation

    def _require_valid(self, what=INVALID_COLLECTION):
        """Raise NEST's InvalidNodeCollection KernelException for a stale collection."""
        if self._is_stale():
            raise NESTErrors.KernelException(what)

    def _checked_ids(self):
        """The ids, after making sure they still refer to this kernel's nodes."""
        if self._is_stale():
            raise NESTErrors.UnknownNode(
                "This NodeCollection was created before the last ResetKernel(); "
                "its nodes no longer exist. Create them again.")
        return self._ids

    # -- get / set -----------------------------------------------------------------------------
    @nest_errors
    def get(self, *params, **kwargs):
        """Parameters and state of the nodes.

        Parameters
        ----------
        *params : str or list of str, optional
            No argument: every key. One name: its value (a tuple for several nodes). A list:
            a dict. Two names: the second is looked up in the value of the first
            (e.g. ``get("events", "times")``).
        output : {'', 'pandas', 'json'}, optional
            Return a pandas DataFrame (indexed by node id) or a JSON string instead.

        Returns
        -------
        object
            A value, a tuple of values (one per node), a dict, a DataFrame or a str.
        """
        output = kwargs.pop("output", "")
        if kwargs:
            raise TypeError(f"get() got unexpected keyword arguments {sorted(kwargs)}")
        if output not in ("", "pandas", "json"):
            raise ValueError(f"output must be '', 'pandas' or 'json'; got {output!r}")
        if not len(self):
            raise ValueError("Cannot get parameter of empty NodeCollection")
        if len(params) > 2:
            raise TypeError(f"get() takes at most two positional arguments; got {len(params)}")
        if len(params) == 2:
            return self._get_nested(*params, output=output)
        if not params:
            keys, single = None, False
        elif isinstance(params[0], str):
            keys, single = [params[0]], True
        elif _names(params[0]) is not None:
            # any iterable of names, as in NEST (dict_keys, sets, tuples ...)
            keys, single = _names(params[0]), False
        else:
            raise TypeError(f"get() takes a parameter name or a list of names; got {params[0]!r}")
        table = _status_table(self._checked_ids(), keys)
        if output == "pandas":
            return _to_pandas(table, self._ids)
        if len(self) == 1:
            result = {k: v[0] for k, v in table.items()}
        else:
            result = {k: tuple(v) for k, v in table.items()}
        if single:
            result = result[keys[0]]
        if output == "json":
            return json.dumps(_jsonable(result))
        return result

    def _get_nested(self, outer, inner, output):
        """get(outer, inner): ``inner`` (a name or a list of names) looked up in the value of
        ``outer`` of each node, e.g. ``get("events", "times")``."""
        values = self.get(outer)
        values = [values] if len(self) == 1 else list(values)
        names = [inner] if isinstance(inner, str) else _names(inner)
        if names is None:
            raise TypeError(f"get({outer!r}, inner): inner must be a name or a list of names; "
                            f"got {inner!r}")
        table = {name: [_sub(v, outer, name) for v in values] for name in names}
        if output == "pandas":
            return _to_pandas(table, self._ids)
        if isinstance(inner, str):
            result = table[inner][0] if len(self) == 1 else table[inner]
        else:
            result = {name: column[0] if len(self) == 1 else column
                      for name, column in table.items()}
        return json.dumps(_jsonable(result)) if output == "json" else result

    @nest_errors
    def set(self, params=None, **kwargs):
        """Set parameters of the nodes.

        Parameters
        ----------
        params : dict or list of dict, optional
            Values for all nodes (a scalar, or one entry per node), or one dict per node.
        **kwargs
            The same as a dict.

        Raises
        ------
        TypeError
            Both ``params`` and keyword arguments were given.
        NESTErrors.UnaccessedDictionaryEntry
            An unknown or read-only key.
        NESTErrors.BadProperty, NESTErrors.TypeMismatch
            A value of the wrong type or out of range (nothing is changed then).
        """
        if params is not None and kwargs:
            raise TypeError("must either provide params or kwargs, but not both.")
        if params is None:
            params = kwargs
        if not len(self):
            return
        ids = self._checked_ids()
        k = _kernel()
        if isinstance(params, (list, tuple)):
            if len(params) != len(self):
                raise NESTErrors.BadParameter(
                    f"List of dictionaries must be the same size as the NodeCollection "
                    f"({len(self)}), {len(params)} given.")
            if not all(isinstance(d, dict) for d in params):
                raise TypeError("params must be a dict or a list of dicts")
            params = [_drawn(d, ids[i:i + 1], single=True) for i, d in enumerate(params)]
            _set_per_node_dicts(k, ids, params)
            return
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict or a list of dicts; got {type(params).__name__}")
        params = _drawn(params, ids)
        _check_lengths(k, ids, params)
        k.set_node_values(ids, params)

    @property
    def spatial(self):
        """The layer's metadata (center, extent, edge_wrap, shape or positions,
        network_size), or None for nodes without positions."""
        from .spatial_api import spatial_info
        return spatial_info(self)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self.set({name: value})


# -- helpers -------------------------------------------------------------------------------------
def _slice_bound(value, what):
    if _is_int(value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"slice {what} must be an integer; got {value!r}")


def _model_index(k, ids):
    """(model names, index into them for each id) of existing node ids."""
    if not ids.size:
        return (), np.zeros(0, np.int64)
    names, mods = np.unique(k.model_of(ids), return_inverse=True)
    return tuple(str(m) for m in names), mods.astype(np.int64).reshape(-1)


def _run_starts(ids, mods):
    """Positions where a new run of contiguous ids of one model begins."""
    if not ids.size:
        return np.zeros(0, np.int64)
    return np.flatnonzero((np.diff(ids, prepend=ids[0] - 2) != 1) |
                          (np.diff(mods, prepend=-1) != 0))


def _sub(value, outer, inner):
    """``value[inner]`` for get(outer, inner); a clear TypeError when value is not a dict."""
    if isinstance(value, dict):
        return value[inner]
    raise TypeError(f"'{type(value).__name__}' object is not iterable: get({outer!r}, {inner!r}) "
                    f"looks up {inner!r} in the value of {outer!r}, which is not a dict "
                    f"(to get several keys, pass a list: get([{outer!r}, {inner!r}]))")


def _flat_sequence(value):
    """True for a list, tuple or array of scalars (not nested, not ragged)."""
    if not isinstance(value, (list, tuple, np.ndarray)):
        return False
    try:
        return np.ndim(value) == 1
    except ValueError:          # ragged nested lists
        return False


def _check_lengths(k, ids, params):
    """NEST's IndexError for a list of per-node values of the wrong length."""
    for name, value in params.items():
        if _flat_sequence(value) and \
                len(ids) > 1 and len(value) != len(ids) and _is_scalar_param(k, ids, name):
            raise IndexError(f"list index out of range: {name} has {len(value)} values for "
                             f"{len(ids)} nodes (give one value for all or one per node)")


def _is_scalar_param(k, ids, name):
    """True if ``name`` is a one-number-per-node parameter of the nodes' models."""
    for block, _, _ in k.nodes.group(ids):
        param = block.spec.params.get(name)
        if param is not None:
            return param.kind in ("float", "int", "bool")
    return False


def _drawn(params, ids, single=False):
    """Replace Parameter values by one drawn value per node (a fresh stream per key)."""
    from .parameters import Parameter, values_for_nodes
    return {name: (values_for_nodes(v, ids)[0] if single else values_for_nodes(v, ids))
            if isinstance(v, Parameter) else v for name, v in params.items()}


def _set_per_node_dicts(k, ids, dicts):
    """set([{...}, {...}]): one dict per node, checked for all nodes before any is changed."""
    k.set_node_values(ids, list(dicts))


def _names(obj):
    """``obj`` as a list of names if it is an iterable of strings (not a string), else None."""
    if isinstance(obj, (str, bytes, dict)) or not hasattr(obj, "__iter__"):
        return None
    names = list(obj)
    return names if all(isinstance(k, str) for k in names) else None


def _status_table(ids, keys):
    """{key: list of values, one per id}; None where a node lacks a key another has."""
    k = _kernel()
    groups = list(k.nodes.group(ids))
    remote = list(k.nodes.group(ids, held=False)) if k.processes.size > 1 else []
    block_keys = [set(k.status_keys(block)) for block, _, _ in groups + remote]
    all_keys = sorted(set().union(*block_keys))
    if keys is None:
        keys = all_keys
    for key in keys:
        if key not in all_keys:
            models = sorted({block.spec.name for block, _, _ in groups + remote})
            raise KeyError(f"{key!r} is not a parameter or status key of "
                           f"{', '.join(models)}.{did_you_mean(key, all_keys)}")
    table = {}
    for key in keys:
        if len(groups) == 1 and not remote:
            block, _, local = groups[0]
            table[key] = _as_list(k.node_value(block, key, local), len(ids))
            continue
        column = np.full(len(ids), None, dtype=object)
        for (block, pos, local), present in zip(groups, block_keys):
            if key in present:
                column[pos] = _as_objects(k.node_value(block, key, local))
        for block, pos, _ in remote:
            column[pos] = _as_objects(_proxy_values(k, block, key, ids[pos]))
        table[key] = column.tolist()
    return table


# What NEST reports of a neuron that lives on another MPI process (a proxy node).
PROXY_KEYS = ("element_type", "frozen", "global_id", "local", "node_uses_wfr", "vp")


def _proxy_values(k, block, key, ids):
    """Values of ``key`` for neurons of ``block`` held by other processes: their proxies'
    entries (their state is not on this process), None for anything else."""
    n = len(ids)
    if key == "model":
        return ["proxynode"] * n
    if key == "global_id":
        return np.asarray(ids, dtype=np.int64)
    if key in ("local", "vp"):
        return k.placement(block, key, ids)
    if key in PROXY_KEYS and key in block.spec.extra_status:
        return [block.spec.extra_status[key]] * n
    return [None] * n


def _as_list(values, n):
    """Per-node values as a list of Python objects."""
    if isinstance(values, np.ndarray):
        return values.tolist()
    return list(values)


def _as_objects(values):
    """Per-node values as a 1-D object array (nested lists and arrays stay whole)."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        return values
    return np.fromiter(values, dtype=object, count=len(values))


def _to_pandas(table, ids):
    import pandas
    return pandas.DataFrame(table, index=pandas.Index(ids.tolist(), name=None))


def _jsonable(value):
    """A structure ``json.dumps`` can write (arrays -> lists, numpy scalars -> Python)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, NodeCollection):
        return value.tolist()
    return value


# -- module-level functions ------------------------------------------------------------------
@nest_errors
def Create(model, n=1, params=None, positions=None):
    """Create ``n`` nodes of ``model``.

    Parameters
    ----------
    model : str
        Model name (see ``nest.node_models``).
    n : int, optional
        Number of nodes (an integral float such as 2.0 is accepted, as in NEST).
    params : dict or list of dict, optional
        Parameters for all nodes (scalars or one value per node) or one dict per node.
    positions : nest.spatial.grid or nest.spatial.free, optional
        Positions of the nodes (a spatial layer); with grid positions ``n`` must be 1.

    Returns
    -------
    NodeCollection

    Raises
    ------
    NESTErrors.UnknownModelName
        ``model`` is not a node model.
    NESTErrors.BadParameterValue, NESTErrors.BadProperty
        ``n`` is 0, or negative.
    TypeError, IndexError
        ``params`` does not fit ``n`` (as in NEST).
    """
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    if not _is_int(n) or isinstance(n, bool):
        raise TypeError(f"Create: the number of nodes n must be an integer; got {n!r}")
    if n < 1:
        raise (NESTErrors.BadParameterValue if n == 0 else NESTErrors.BadProperty)(
            f"Create: the number of nodes must be positive; got n={n}.")
    if params is not None and not isinstance(params, (dict, list, tuple)):
        raise TypeError(f"params must be a dict or a list of dicts; got {type(params).__name__}")
    if isinstance(params, (list, tuple)) and len(params) != n:
        raise TypeError(f"list of params must have one dictionary per node: {len(params)} "
                        f"dictionaries given for n={n} nodes")
    if positions is not None:
        from .spatial_api import create_layer
        return create_layer(model, int(n), params, positions, Create)
    k = _kernel()
    if isinstance(params, dict):
        spec = k.models.spec(model)
        for name, value in params.items():
            param = spec.params.get(name)
            if param is not None and param.kind in ("float", "int", "bool") and \
                    _flat_sequence(value) and len(value) != n:
                raise IndexError(f"list index out of range: {name} has {len(value)} values for "
                                 f"n={n} nodes (give one value for all or one per node)")
    first = k.create(model, int(n))
    nc = NodeCollection._primitive(first, int(n), k.models.spec(model).name, k.generation)
    if params:
        try:
            nc.set(params)
        except BaseException:
            k.discard_last_block()
            raise
    return nc


@nest_errors
def GetStatus(nodes, keys=None, output=""):
    """Status of nodes (deprecated in NEST 3.10; use ``nodes.get()``).

    Parameters
    ----------
    nodes : NodeCollection or SynapseCollection
    keys : str or list of str, optional
        One key, several keys, or None for every key.
    output : {'', 'json'}, optional

    Returns
    -------
    tuple
        One entry per node: a dict (no keys), a value (one key) or a tuple of values.
    """
    warn_once(GETSTATUS_DEPRECATED, stacklevel=4)      # past the nest_errors wrapper
    if not isinstance(nodes, NodeCollection):
        if hasattr(nodes, "_get_status"):
            return nodes._get_status(keys, output)
        raise TypeError(f"GetStatus expects a NodeCollection or a SynapseCollection; got "
                        f"{type(nodes).__name__}")
    if not len(nodes):
        return ()
    ids = nodes._checked_ids()
    if keys is None:
        table = _status_table(ids, None)
        result = tuple({k: v[i] for k, v in table.items()} for i in range(len(nodes)))
    elif isinstance(keys, str):
        result = tuple(_status_table(ids, [keys])[keys])
    elif isinstance(keys, (list, tuple)):
        table = _status_table(ids, list(keys))
        result = tuple(zip(*(table[k] for k in keys)))
    else:
        raise TypeError(f"keys must be a string or a list of strings; got {keys!r}")
    if output == "json":
        return json.dumps(_jsonable(result))
    return result


@nest_errors
def SetStatus(nodes, params, val=None):
    """Set parameters of nodes (deprecated in NEST 3.10; use ``nodes.set()``).

    Parameters
    ----------
    nodes : NodeCollection or SynapseCollection
    params : dict, list of dict, or str
        Values for all nodes, one dict per node, or a parameter name (then ``val`` is its value).
    val : object, optional
        The value when ``params`` is a name.
    """
    warn_once(SETSTATUS_DEPRECATED, stacklevel=4)
    if isinstance(params, str):
        params = {params: val}
    if not isinstance(nodes, NodeCollection):
        if hasattr(nodes, "_get_status"):
            return nodes.set(params)
        raise TypeError(f"SetStatus expects a NodeCollection or a SynapseCollection; got "
                        f"{type(nodes).__name__}")
    nodes.set(params)


def PrintNodes():
    """Print the node id ranges and model names of all nodes in the network."""
    k = _kernel()
    runs = []
    for block in k.nodes.blocks:
        name = block.spec.name
        if runs and runs[-1][2] == name and runs[-1][1] + 1 == block.first:
            runs[-1][1] = block.last
        else:
            runs.append([block.first, block.last, name])
    w = len(str(k.nodes.size))
    for first, last, name in runs:
        span = f"{first:>{w}} .. {last:>{w}}" if last > first else f"{first:>{w}}" + " " * (w + 4)
        print(f"{span} {name}")
