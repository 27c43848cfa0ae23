"""NodeCollection, Create, GetStatus/SetStatus: the PyNEST node API.

A NodeCollection is a sorted set of node ids plus the "primitive" parts NEST prints (runs of
one model, with a step when it came from a stepped slice). All data access goes to the
kernel's arrays.
"""
import json
import numbers

import numpy as np

from kernel import get_kernel
from kernel.errors import UnknownNode

from .errors import NESTErrors, nest_errors

INDEX_TYPES_MESSAGE = "only integers, slices, lists, tuples, and numpy arrays are valid indices"


def _kernel():
    return get_kernel()


class NodeCollection:
    """A sorted collection of unique node ids, as returned by ``nest.Create``.

    Parameters
    ----------
    data : list or array of int, optional
        Node ids, sorted ascending and unique (NEST's rules); empty when omitted.
    """

    def __init__(self, data=None):
        if data is None:
            data = []
        if isinstance(data, NodeCollection):
            raise TypeError("an integer is required")
        ids = np.asarray(data, dtype=np.int64).reshape(-1) if len(data) else np.zeros(0, np.int64)
        if ids.size and np.any(np.diff(ids) < 0):
            raise NESTErrors.BadProperty("Indices must be sorted in ascending order")
        if ids.size and np.any(np.diff(ids) == 0):
            raise NESTErrors.BadProperty("All node IDs in a NodeCollection have to be unique")
        if ids.size:
            try:
                _kernel().nodes.check_ids(ids)
            except UnknownNode as error:
                raise NESTErrors.UnknownNode(str(error)) from None
        self._ids = ids
        self._parts = None

    @classmethod
    def _from_ids(cls, ids, parts=None):
        nc = cls.__new__(cls)
        nc._ids = np.asarray(ids, dtype=np.int64)
        nc._parts = parts
        return nc

    # -- sequence protocol ---------------------------------------------------------------------
    def __len__(self):
        return int(self._ids.shape[0])

    def __bool__(self):
        return len(self) > 0

    def __iter__(self):
        for node_id in self._ids:
            yield NodeCollection._from_ids(self._ids[self._ids == node_id])

    def __contains__(self, node_id):
        if not isinstance(node_id, numbers.Integral):
            raise TypeError("an integer is required")
        pos = np.searchsorted(self._ids, node_id)
        return bool(pos < len(self) and self._ids[pos] == node_id)

    def __eq__(self, other):
        if not isinstance(other, NodeCollection):
            raise NotImplementedError(f"Cannot compare NodeCollection to {type(other).__name__}")
        return len(self) == len(other) and bool(np.all(self._ids == other._ids))

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __add__(self, other):
        if not isinstance(other, NodeCollection):
            raise TypeError(f"Cannot add object of type '{type(other).__name__}' to 'NodeCollection'")
        if np.intersect1d(self._ids, other._ids).size:
            raise NESTErrors.BadProperty("Cannot join overlapping NodeCollections.")
        parts = sorted(self.parts() + other.parts())
        return NodeCollection._from_ids(np.union1d(self._ids, other._ids), _merge_parts(parts))

    def __getitem__(self, key):
        n = len(self)
        if isinstance(key, (numbers.Integral, np.integer)) and not isinstance(key, bool):
            if not -n <= key < n:
                raise IndexError("index value outside of the NodeCollection")
            return NodeCollection._from_ids(self._ids[[int(key)]])
        if isinstance(key, slice):
            return self._slice(key)
        if isinstance(key, (list, tuple, np.ndarray)):
            arr = np.asarray(key)
            if arr.dtype == bool:
                if arr.shape[0] != n:
                    raise IndexError("Bool index array must be the same length as NodeCollection")
                return NodeCollection._from_ids(self._ids[arr])
            if arr.size and not np.issubdtype(arr.dtype, np.integer):
                raise IndexError(INDEX_TYPES_MESSAGE)
            arr = arr.astype(np.int64)
            if arr.size and (arr.min() < -n or arr.max() >= n):
                raise IndexError("index value outside of the NodeCollection")
            ids = self._ids[arr]
            if np.any(np.diff(ids) < 0):
                raise NESTErrors.BadProperty("Indices must be sorted in ascending order")
            if np.any(np.diff(ids) == 0):
                raise ValueError("All node IDs in a NodeCollection have to be unique")
            return NodeCollection._from_ids(ids)
        raise IndexError(INDEX_TYPES_MESSAGE)

    def _slice(self, key):
        n = len(self)
        step = 1 if key.step is None else key.step
        if step < 1:
            raise IndexError("slicing step for NodeCollection must be strictly positive")
        start = 0 if key.start is None else (key.start + n if key.start < 0 else key.start)
        stop = n if key.stop is None else (key.stop + n if key.stop < 0 else key.stop)
        if stop > n:
            raise IndexError("slice stop value outside of the NodeCollection")
        if start >= stop:
            raise NESTErrors.BadParameter("start < stop required.")
        positions = np.arange(start, stop, step)
        ids = self._ids[positions]
        if step == 1:
            return NodeCollection._from_ids(ids)
        parts = []
        for first, last, pstep, model in self.parts():
            inside = ids[(ids >= first) & (ids <= last)]
            if inside.size:
                parts.append((int(inside[0]), int(inside[-1]),
                              int(inside[1] - inside[0]) if inside.size > 1 else 1, model))
        return NodeCollection._from_ids(ids, parts)

    # -- ids -----------------------------------------------------------------------------------
    def tolist(self):
        """The node ids as a list of int."""
        return [int(i) for i in self._ids]

    def index(self, node_id):
        """Position of ``node_id`` in the collection."""
        pos = int(np.searchsorted(self._ids, node_id))
        if pos >= len(self) or self._ids[pos] != node_id:
            raise ValueError(f"{node_id} is not in NodeCollection")
        return pos

    @property
    def global_id(self):
        return self.get("global_id")

    def parts(self):
        """NEST's primitives: (first, last, step, model) runs."""
        if self._parts is None:
            self._parts = _runs(self._ids)
        return list(self._parts)

    def __repr__(self):
        if not len(self):
            return "NodeCollection(<empty>)"
        texts = []
        for first, last, step, model in self.parts():
            size = (last - first) // step + 1
            text = f"model={model}, size={size}, first={first}"
            if size > 1:
                text += f", last={last}"
            if step > 1:
                text += f", step={step}"
            texts.append(text)
        if len(texts) == 1:
            return f"NodeCollection(metadata=None, {texts[0]})"
        return "NodeCollection(metadata=None,\n               " + \
            ";\n               ".join(texts) + ")"

    __str__ = __repr__

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
            Return a pandas DataFrame or a JSON string instead.
        """
        output = kwargs.pop("output", "")
        if kwargs:
            raise TypeError(f"get() got unexpected keyword arguments {sorted(kwargs)}")
        if output not in ("", "pandas", "json"):
            raise ValueError("output must be '', 'pandas' or 'json'")
        if not len(self):
            raise ValueError("Cannot get parameter of empty NodeCollection")
        if len(params) > 2:
            raise TypeError("get() takes at most two positional parameters")
        if len(params) == 2:
            outer = self.get(params[0])
            if len(self) == 1:
                return _sub(outer, params[1])
            return tuple(_sub(v, params[1]) for v in outer)
        if not params:
            keys, single = None, False
        elif isinstance(params[0], str):
            keys, single = [params[0]], True
        elif isinstance(params[0], (list, tuple)) and all(isinstance(k, str) for k in params[0]):
            keys, single = list(params[0]), False
        else:
            raise TypeError("get() takes a parameter name or a list of names")
        table = _status_table(self._ids, keys)
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

    @nest_errors
    def set(self, params=None, **kwargs):
        """Set parameters of the nodes.

        Parameters
        ----------
        params : dict or list of dict, optional
            Values for all nodes (a scalar or one entry per node), or one dict per node.
        **kwargs
            The same as a dict.
        """
        if params is not None and kwargs:
            raise TypeError("must either provide params or kwargs, but not both.")
        if params is None:
            params = kwargs
        if not len(self):
            return
        k = _kernel()
        if isinstance(params, (list, tuple)):
            if len(params) != len(self):
                raise NESTErrors.BadParameter(
                    f"List of dictionaries must be the same size as the NodeCollection "
                    f"({len(self)}), {len(params)} given.")
            for node_id, d in zip(self._ids, params):
                _set(k, np.array([node_id]), d)
            return
        if not isinstance(params, dict):
            raise TypeError("params must be a dict or a list of dicts")
        _set(k, self._ids, params)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self.set({name: value})

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._ids, dtype=dtype)


def _set(k, ids, params):
    for name, value in params.items():
        if isinstance(value, (list, tuple, np.ndarray)) and len(ids) > 1 and \
                np.ndim(value) >= 1 and len(value) != len(ids) and _is_scalar_param(k, ids, name):
            raise IndexError("list index out of range")
    k.set_node_values(ids, params)


def _is_scalar_param(k, ids, name):
    block = k.nodes.block_of(int(ids[0]))
    param = block.spec.params.get(name)
    return param is not None and param.kind in ("float", "int", "bool")


def _sub(value, key):
    if isinstance(value, dict):
        return value[key]
    raise TypeError(f"'{type(value).__name__}' object is not iterable")


def _status_table(ids, keys):
    """{key: list of values, one per id}; None where a node lacks a key another has."""
    k = _kernel()
    groups = list(k.nodes.group(ids))
    all_keys = sorted(set().union(*(k.status_keys(b) for b, _, _ in groups)))
    if keys is None:
        keys = all_keys
    for key in keys:
        if key not in all_keys:
            raise KeyError(key)
    table = {key: [None] * len(ids) for key in keys}
    for block, pos, local in groups:
        block_keys = set(k.status_keys(block))
        for key in keys:
            if key not in block_keys:
                continue
            values = k.node_value(block, key, local)
            column = table[key]
            for p, v in zip(pos, values):
                column[p] = _python_scalar(v)
    return table


def _python_scalar(v):
    if isinstance(v, np.generic):
        return v.item()
    return v


def _to_pandas(table, ids):
    import pandas
    return pandas.DataFrame(table, index=pandas.Index(ids, name=None))


def _jsonable(value):
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


def _runs(ids):
    """Contiguous runs of one model: [(first, last, 1, model)]."""
    if not ids.size:
        return []
    models = _kernel().model_of(ids)
    breaks = np.flatnonzero((np.diff(ids) != 1) | (models[1:] != models[:-1])) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks - 1, [ids.size - 1]])
    return [(int(ids[s]), int(ids[e]), 1, models[s]) for s, e in zip(starts, ends)]


def _merge_parts(parts):
    merged = []
    for part in parts:
        if merged:
            first, last, step, model = merged[-1]
            if step == 1 and part[2] == 1 and part[3] == model and part[0] == last + 1:
                merged[-1] = (first, part[1], 1, model)
                continue
        merged.append(part)
    return merged


# -- module-level functions ------------------------------------------------------------------
@nest_errors
def Create(model, n=1, params=None, positions=None):
    """Create ``n`` nodes of ``model``.

    Parameters
    ----------
    model : str
        Model name (see ``nest.node_models``).
    n : int, optional
        Number of nodes.
    params : dict or list of dict, optional
        Parameters for all nodes (scalars or one value per node) or one dict per node.
    positions : optional
        Spatial positions (not supported yet; must be None).

    Returns
    -------
    NodeCollection
    """
    if positions is not None:
        raise NotImplementedError("spatially structured nodes (positions=...) are not supported yet")
    if isinstance(n, float) and n == int(n):
        n = int(n)
    if isinstance(n, (numbers.Integral, np.integer)) and not isinstance(n, bool) and n < 1:
        raise (NESTErrors.BadParameterValue if n == 0 else NESTErrors.BadProperty)(
            f"Create: the number of nodes must be positive; got n={n}.")
    if isinstance(params, (list, tuple)) and len(params) != n:
        raise TypeError("list of params must have one dictionary per node")
    k = _kernel()
    # validate everything before creating, so a bad parameter leaves no half-made nodes
    k.models.spec(model)
    if isinstance(params, dict):
        for name, value in params.items():
            if isinstance(value, (list, tuple, np.ndarray)) and np.ndim(value) == 1 and \
                    len(value) != n and k.models.spec(model).params.get(name) is not None and \
                    k.models.spec(model).params[name].kind in ("float", "int", "bool"):
                raise IndexError("list index out of range")
    first = k.create(model, n)
    nc = NodeCollection._from_ids(np.arange(first, first + n, dtype=np.int64))
    if params:
        try:
            nc.set(params)
        except BaseException:
            k.discard_last_block()
            raise
    return nc


@nest_errors
def GetStatus(nodes, keys=None, output=""):
    """Status dicts (or values of ``keys``) of ``nodes``, as a tuple with one entry per node."""
    if not isinstance(nodes, NodeCollection):
        from .connections import SynapseCollection
        if isinstance(nodes, SynapseCollection):
            return nodes._get_status(keys, output)
        raise TypeError("GetStatus expects a NodeCollection or a SynapseCollection")
    if not len(nodes):
        return ()
    if keys is None:
        table = _status_table(nodes._ids, None)
        result = tuple({k: v[i] for k, v in table.items()} for i in range(len(nodes)))
    elif isinstance(keys, str):
        result = tuple(_status_table(nodes._ids, [keys])[keys])
    elif isinstance(keys, (list, tuple)):
        table = _status_table(nodes._ids, list(keys))
        result = tuple(tuple(table[k][i] for k in keys) for i in range(len(nodes)))
    else:
        raise TypeError("keys must be a string or a list of strings")
    if output == "json":
        return json.dumps(_jsonable(result))
    return result


@nest_errors
def SetStatus(nodes, params, val=None):
    """Set parameters of ``nodes``: a dict, a list of dicts, or a name and a value."""
    if not isinstance(nodes, NodeCollection):
        from .connections import SynapseCollection
        if isinstance(nodes, SynapseCollection):
            return nodes.set(params if val is None else {params: val})
        raise TypeError("SetStatus expects a NodeCollection or a SynapseCollection")
    if isinstance(params, str):
        params = {params: val}
    nodes.set(params)
