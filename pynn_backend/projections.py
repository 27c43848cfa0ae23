"""Projection of pyNN.neuropil: one kernel synapse table per projection.

Every Projection gets its own copy of its kernel synapse model (``static_synapse`` ->
``static_synapse__pynn3``), so its connections are exactly that model's table: ``len``,
``get`` and ``set`` read and write the table's columns directly, and no label column is
needed (a static synapse stays at the kernel's design size). Parameters common to all
connections of a model (``*_hom`` models) are the copy's defaults, so projections never share
them by accident.

Values cross the boundary in PyNN units and are translated with the synapse type's
translations (weights nA or µS -> pA or nS; negative for inhibitory conductance synapses, as
the kernel -- like NEST -- takes them), all as arrays over connections.
"""
import itertools
import logging

import numpy as np
from pyNN import common, errors
from pyNN.core import IndexBasedExpression
from pyNN.parameters import LazyArray, ParameterSpace
from pyNN.random import RandomDistribution
from pyNN.space import Space
from pyNN.standardmodels import StandardSynapseType
from pyNN.standardmodels.base import excitatory_receptor_types, inhibitory_receptor_types

from kernel.errors import KernelError
from kernel.registry import INT

from . import simulator
from .connectors import Pairs, native_pairs
from .expressions import as_callable
from .random import draw

logger = logging.getLogger("PyNN")
_counter = itertools.count(1)
IGNORED_NATIVE = ("dendritic_delay_fraction", "w_min_always_zero", "tau_minus")
# native values in weight units: scaled (and signed) like the weight, so that a weight bound
# stays comparable with the weight (mV-weight cells, negative inhibitory conductances)
WEIGHT_SCALED = ("weight", "Wmax")


def _lookup(ids):
    """Array mapping node id -> position in ``ids`` (-1 elsewhere)."""
    ids = np.asarray(ids, dtype=np.int64)
    out = np.full(int(ids.max()) + 1 if ids.size else 1, -1, dtype=np.int64)
    out[ids] = np.arange(ids.size)
    return out


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator

    @property
    def _static_synapse_class(self):
        from .standardmodels.synapses import StaticSynapse
        return StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector,
                 synapse_type=None, source=None, receptor_type=None, space=Space(), label=None):
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population,
                                   connector, synapse_type, source, receptor_type, space, label)
        k = simulator.state.kernel
        self._pre_ids = np.asarray(self.pre._ids, dtype=np.int64)
        self._post_ids = np.asarray(self.post._ids, dtype=np.int64)
        base = getattr(self.synapse_type, "kernel_model", None) or \
            getattr(self.synapse_type, "nest_name", None)
        if base is None or base not in k.models:
            raise errors.NoModelAvailableError(
                f"{type(self.synapse_type).__name__} has no kernel model in Neuropil")
        self.kernel_model = f"{base}__pynn{next(_counter)}"
        self._spec = k.models.copy(base, self.kernel_model, {})
        self._set_post_parameters()
        pairs = native_pairs(connector, self)
        if pairs is not None:
            self._connect(pairs)
            if connector.callback is not None:
                connector.callback(1.0)
        else:
            connector.connect(self)
        simulator.state.projections.append(self)

    # -- making connections ---------------------------------------------------------------------------
    def _set_post_parameters(self):
        """Synapse parameters that the kernel keeps on the postsynaptic neuron (tau_minus)."""
        if not self.synapse_type.has_parameter("tau_minus"):
            return
        value = self.synapse_type.parameter_space["tau_minus"]
        if not value.is_homogeneous:
            raise ValueError("tau_minus must be the same for every synapse of a projection")
        value.shape = (1,)
        tau = float(np.asarray(value.evaluate(simplify=True)).reshape(-1)[0])
        try:
            simulator.state.kernel.set_node_values(self._post_ids, {"tau_minus": tau})
        except KernelError as error:
            raise errors.InvalidParameterValueError(str(error)) from None

    def _receptor_port_at(self, pairs):
        """Kernel receptor port of the connections ``pairs``: a scalar, or one per connection
        onto an Assembly of cell types with different ports (e.g. monolithic and composed)."""
        pops = getattr(self.post, "populations", None)
        if pops is None:
            return self._celltype_port(self.post.celltype)
        ports = [self._celltype_port(p.celltype) for p in pops]
        if len(set(ports)) == 1:
            return ports[0]
        return np.concatenate([np.full(p.size, port, dtype=np.int64)
                               for p, port in zip(pops, ports)])[pairs.post_pos]

    def _celltype_port(self, celltype):
        if getattr(celltype, "standard_receptor_type", True):
            return 0
        return celltype.get_receptor_type(self.receptor_type)

    def _weight_factor(self):
        """Per-target factor from PyNN weights to kernel weights (array or scalar)."""
        pops = getattr(self.post, "populations", None)
        if pops is None:
            return self._celltype_factor(self.post.celltype)
        return np.concatenate([np.full(p.size, self._celltype_factor(p.celltype))
                               for p in pops])

    def _celltype_factor(self, celltype):
        factor = getattr(celltype, "receptor_scale", 1.0)
        # the kernel (like NEST) takes inhibitory conductances as negative weights on the
        # shared port; receptor-specific ports (multisynapse models) take them as they are
        if self.receptor_type in inhibitory_receptor_types and celltype.conductance_based \
                and getattr(celltype, "standard_receptor_type", True):
            factor = -factor
        return factor

    def _native_values(self, parameter_space, pairs):
        """Native synapse values for the connections ``pairs`` (scalars or arrays)."""
        values = {}
        for name, lazy in parameter_space.items():
            if name in IGNORED_NATIVE:
                continue
            values[name] = evaluate_at(lazy, pairs, self)
        return values

    def _connect(self, pairs):
        """Make the connections ``pairs`` with the synapse type's parameters."""
        synapse = self.synapse_type
        params = synapse.parameter_space
        if pairs.columns:
            params = ParameterSpace(dict(params.items()), schema=synapse.get_schema(),
                                    shape=None)
            for name, column in pairs.columns.items():
                params[name] = LazyArray(np.asarray(column, dtype=float))
        if isinstance(synapse, StandardSynapseType):
            native = synapse.translate(params, copy=False) if not pairs.columns else \
                synapse.translate(params)
            if hasattr(synapse, "extra_parameters"):
                native.update(**getattr(synapse, "extra_parameters", {}))
            for component in (getattr(synapse, "timing_dependence", None),
                              getattr(synapse, "weight_dependence", None)):
                if component is not None:
                    native.update(**getattr(component, "extra_parameters", {}))
        else:
            native = params
        values = self._native_values(native, pairs)
        self._check(values)
        self._store(values, pairs)

    def _check(self, values):
        """PyNN's weight sign rules and the delay range, on the native values."""
        if not getattr(self._connector, "safe", True):
            return
        weight = values.get("weight")
        if weight is None:
            return
        w = np.asarray(weight)
        if w.size and np.any(np.isnan(w)):
            raise errors.ConnectionError("Weights must be numbers (got NaN)")
        conductance = self.post.conductance_based
        positive, negative = bool(np.all(w >= 0)), bool(np.all(w <= 0))
        if w.ndim and not (positive or negative):
            raise errors.ConnectionError("Weights must be either all positive or all negative")
        if conductance or self.receptor_type in excitatory_receptor_types:
            if not positive:
                raise errors.ConnectionError("Weights must be positive for conductance-based "
                                             "and/or excitatory synapses")
        elif conductance is False and self.receptor_type in inhibitory_receptor_types:
            if not negative:
                raise errors.ConnectionError("Weights must be negative for current-based, "
                                             "inhibitory synapses")

    def _store(self, values, pairs):
        k = simulator.state.kernel
        spec = self._spec
        kernel_values, common_values = {}, {}
        for name, value in values.items():
            if name not in spec.params:
                if np.all(np.asarray(value) == 0) or name in ("mu_plus", "mu_minus"):
                    continue  # PyNN-only bookkeeping the kernel model does not have
                raise errors.InvalidParameterValueError(
                    f"{self.kernel_model.split('__')[0]} has no parameter {name!r}")
            if name in WEIGHT_SCALED:
                value = value * self._weight_factor_at(pairs)
            if name in spec.common_params:
                common_values[name] = float(np.asarray(value).reshape(-1)[0])
            else:
                kernel_values[name] = value
        port = self._receptor_port_at(pairs)
        if np.any(port):
            kernel_values["receptor_type"] = port
        if common_values:
            k.models.defaults(self.kernel_model).update(common_values)
        if not len(pairs):
            return
        if pairs.rule_result is not None and pairs.columns == {}:
            sources, targets, _ = pairs.rule_result.connections(
                self._pre_ids.astype(np.int32), self._post_ids.astype(np.int32),
                repeated_targets=True)
        else:
            sources = self._pre_ids[pairs.pre_pos]
            targets = self._post_ids[pairs.post_pos]
        try:
            k.connect(sources, targets, self.kernel_model, kernel_values,
                      legal_for=(self._pre_ids, self._post_ids), local_only=pairs.local_only)
        except KernelError as error:
            raise errors.ConnectionError(str(error)) from None

    def _weight_factor_at(self, pairs):
        factor = self._weight_factor()
        if np.ndim(factor) == 0:
            return factor
        return factor[pairs.post_pos]

    def _convergent_connect(self, presynaptic_indices, postsynaptic_index,
                            location_selector=None, **connection_parameters):
        """PyNN's generic connector path (custom connectors): one target, native values."""
        pre = np.asarray(presynaptic_indices, dtype=np.int64).reshape(-1)
        post = np.full(pre.shape, int(postsynaptic_index), dtype=np.int64)
        values = {name: (np.asarray(v, dtype=float) if np.ndim(v) else v)
                  for name, v in connection_parameters.items() if name not in IGNORED_NATIVE}
        self._check(values)
        self._store(values, Pairs(pre, post))

    # -- geometry ---------------------------------------------------------------------------------------
    def _distances(self, pre_pos, post_pos):
        """Distances (PyNN's Space) between pre cells and post cells, pairwise."""
        from .space import pair_distances
        return pair_distances(self, pre_pos, post_pos)

    # -- reading ----------------------------------------------------------------------------------------
    @property
    def _table(self):
        k = simulator.state.kernel
        k.connections.pack()
        return k.connections.tables.get(self.kernel_model)

    def __len__(self):
        table = simulator.state.kernel.connections.tables.get(self.kernel_model)
        return 0 if table is None else len(table)

    def _positions(self):
        table = self._table
        return np.arange(0 if table is None else table.packed_size, dtype=np.int64)

    def _pair_positions(self, positions=None):
        """(pre index, post index) of the connections at table ``positions``."""
        k = simulator.state.kernel
        positions = self._positions() if positions is None else positions
        if not len(positions):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        sources = k.connections.read(self.kernel_model, positions, "source")
        targets = k.connections.read(self.kernel_model, positions, "target")
        return _lookup(self._pre_ids)[sources], _lookup(self._post_ids)[targets]

    def _read_native(self, names, positions):
        k = simulator.state.kernel
        out = {}
        defaults = k.models.defaults(self.kernel_model)
        for name in names:
            if name in self._spec.common_params or (name not in self._spec.params and
                                                    name in defaults):
                out[name] = np.full(len(positions), float(defaults[name]))
            elif name in WEIGHT_SCALED:
                w = k.connections.read(self.kernel_model, positions, name)
                _, post = self._pair_positions(positions)
                factor = self._weight_factor()
                out[name] = w / (factor if np.ndim(factor) == 0 else factor[post])
            else:
                out[name] = np.asarray(k.connections.read(self.kernel_model, positions, name),
                                       dtype=float)
        return out

    def _attribute_values(self, names, positions):
        """PyNN-unit values of ``names`` (and the address columns) at table ``positions``."""
        synapse = self.synapse_type
        self._table  # packs staged connections
        result = {}
        pre, post = (None, None)
        if "presynaptic_index" in names or "postsynaptic_index" in names:
            pre, post = self._pair_positions(positions)
        wanted = [n for n in names if n not in ("presynaptic_index", "postsynaptic_index")]
        if isinstance(synapse, StandardSynapseType):
            for name in wanted:
                if name not in synapse.translations:
                    raise KeyError(name)
            needed = set()
            for name in wanted:
                entry = synapse.translations[name]
                if entry["type"] == "computed":
                    needed |= {e["translated_name"] for e in synapse.translations.values()}
                else:
                    needed.add(entry["translated_name"])
            needed = [n for n in needed if n not in IGNORED_NATIVE or n == "tau_minus"]
            native = self._read_native([n for n in needed if n != "tau_minus"], positions)
            if "tau_minus" in needed:
                native["tau_minus"] = np.full(len(positions), float(np.asarray(evaluate_at(
                    synapse.parameter_space["tau_minus"], Pairs(np.zeros(1, np.int64),
                                                                np.zeros(1, np.int64)),
                    self)).reshape(-1)[0])) \
                    if synapse.has_parameter("tau_minus") else np.zeros(len(positions))
            result.update(synapse.reverse_translate_arrays(native, wanted))
        else:
            result.update(self._read_native(wanted, positions))
        if pre is not None:
            result["presynaptic_index"] = pre
            result["postsynaptic_index"] = post
        return result

    def _connection_values(self, index, names):
        values = self._attribute_values(names, np.array([index], dtype=np.int64))
        return [float(np.asarray(values[n]).reshape(-1)[0]) if n not in
                ("presynaptic_index", "postsynaptic_index") else int(values[n][0])
                for n in names]

    def _set_connection_value(self, index, name, value):
        self._set_values({name: value}, np.array([index], dtype=np.int64))

    def __getitem__(self, i):
        if isinstance(i, (int, np.integer)):
            if not -len(self) <= i < len(self):
                raise IndexError(f"{i} > {len(self) - 1}")
            return simulator.Connection(self, i % len(self))
        if isinstance(i, slice):
            return [simulator.Connection(self, j) for j in range(*i.indices(len(self)))]
        raise TypeError("connection index must be an integer or a slice")

    @property
    def connections(self):
        return (simulator.Connection(self, i) for i in range(len(self)))

    def get(self, attribute_names, format, gather=True, with_address=True,
            multiple_synapses="sum"):
        """Values of connection attributes as a list of tuples or as (n_pre, n_post) arrays."""
        single = isinstance(attribute_names, str)
        names = [attribute_names] if single else list(attribute_names)
        names = [n[:-1] if n in ("weights", "delays") else n for n in names]
        positions = self._positions()
        if format == "list":
            columns = (["presynaptic_index", "postsynaptic_index"] if with_address else []) + names
            values = self._gathered(self._attribute_values(columns, positions), gather)
            n = len(values[columns[0]]) if columns else 0
            table = np.column_stack([np.asarray(values[c], dtype=float) for c in columns]) \
                if n else np.zeros((0, len(columns)))
            rows = [tuple(row) for row in table.tolist()]
            if not with_address and single:
                return [row[0] for row in rows]
            return rows
        if format == "array":
            if multiple_synapses not in common.Projection.MULTI_SYNAPSE_OPERATIONS:
                raise ValueError("`multiple_synapses` argument must be one of "
                                 f"{list(common.Projection.MULTI_SYNAPSE_OPERATIONS)}")
            values = self._gathered(self._attribute_values(
                ["presynaptic_index", "postsynaptic_index"] + names, positions), gather)
            arrays = [_to_matrix(values["presynaptic_index"], values["postsynaptic_index"],
                                 np.asarray(values[n], dtype=float), self.shape,
                                 multiple_synapses) for n in names]
            return arrays[0] if single else arrays
        raise Exception("format must be 'list' or 'array'")

    @staticmethod
    def _gathered(values, gather):
        """Every MPI process's connection values (each process holds the connections to its
        own cells), ordered by (presynaptic, postsynaptic) index; ``values`` as they are in a
        single process or when not ``gather``. Every process gets them all (PyNN's
        gather='all'; gather=True only promises them on rank 0)."""
        procs = simulator.state.kernel.processes
        if not gather or procs.size == 1:
            return values
        parts = procs.allgather({name: np.asarray(v) for name, v in values.items()})
        merged = {name: np.concatenate([p[name] for p in parts]) for name in values}
        if "presynaptic_index" in merged:
            order = np.lexsort((merged["postsynaptic_index"], merged["presynaptic_index"]))
            merged = {name: v[order] for name, v in merged.items()}
        return merged

    # -- writing --------------------------------------------------------------------------------------
    def set(self, **attributes):
        """Set connection attributes (see PyNN's Projection.set)."""
        self._set_values(attributes, self._positions())

    def _set_values(self, attributes, positions):
        k = simulator.state.kernel
        synapse = self.synapse_type
        self._table  # packs staged connections
        pre, post = self._pair_positions(positions)
        pairs = Pairs(pre, post)
        standard = {}
        for name, value in attributes.items():
            if not synapse.has_parameter(name):
                raise errors.NonExistentParameterError(name, type(synapse).__name__,
                                                       synapse.get_parameter_names())
            value = as_callable(value)
            if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and
                                                     value.ndim == 1):
                value = self._list_to_matrix(np.asarray(value, dtype=float))
            standard[name] = evaluate_at(LazyArray(value), pairs, self)
        if isinstance(synapse, StandardSynapseType):
            computed = [n for n in standard if synapse.translations[n]["type"] == "computed"]
            if computed:
                current = self._attribute_values(
                    [n for n in synapse.translations if n not in standard and
                     synapse.translations[n]["translated_name"] not in IGNORED_NATIVE],
                    positions)
                current.update(standard)
                standard = current
            native = synapse.translate_arrays(standard)
        else:
            native = standard
        updates = {}
        for name, value in native.items():
            if name in IGNORED_NATIVE:
                continue
            if name in WEIGHT_SCALED:
                value = np.asarray(value, dtype=float) * self._weight_factor_at(pairs)
            value = np.broadcast_to(np.asarray(value, dtype=float), (len(positions),))
            if name in self._spec.common_params:
                k.models.defaults(self.kernel_model)[name] = float(value[0])
                continue
            if name not in self._spec.params:
                continue
            updates[name] = value
        if not updates or not len(positions):
            return
        mask = np.logical_and.reduce([~np.isnan(v) for v in updates.values()])
        try:
            k.connections.write(self.kernel_model, positions[mask],
                                {n: v[mask] for n, v in updates.items()})
        except KernelError as error:
            raise errors.InvalidParameterValueError(str(error)) from None

    def _list_to_matrix(self, values):
        """PyNN: a list gives one value per connected (pre, post) pair, in C order."""
        pre, post = self._pair_positions()
        linear = np.unique(pre * self.post.size + post)
        if len(values) != len(linear):
            raise errors.InvalidParameterValueError(
                f"expected {len(linear)} values (one per connected pair), got {len(values)}")
        matrix = np.full(self.shape, np.nan)
        matrix.reshape(-1)[linear] = values
        return matrix

    def _set_initial_value_array(self, variable, value):
        """``initialize``: a synapse parameter, or (as in pyNN.nest) a state variable of the
        kernel's synapse model under its native name (quantal_stp_synapse's ``a``, ``u``)."""
        synapse = self.synapse_type
        if synapse.has_parameter(variable) or variable not in self._spec.params:
            self._set_values({variable: value}, self._positions())
            return
        self._table  # packs staged connections
        positions = self._positions()
        base = value.base_value if isinstance(value, LazyArray) else value
        if isinstance(base, LazyArray):     # a synapse type's parameter (the example's 'n')
            base = base.base_value
        values = evaluate_at(LazyArray(as_callable(base)), Pairs(*self._pair_positions(positions)),
                             self)
        values = np.broadcast_to(np.asarray(values, dtype=float), (len(positions),))
        if self._spec.params[variable].kind == INT:
            values = np.rint(values).astype(np.int64)
        try:
            simulator.state.kernel.connections.write(self.kernel_model, positions,
                                                     {variable: values})
        except KernelError as error:
            raise errors.InvalidParameterValueError(str(error)) from None

    def describe(self, template="projection_default.txt", engine="default"):
        return super().describe(template, engine)


def _to_matrix(pre, post, values, shape, how):
    """(n_pre, n_post) array of values, NaN where no connection; multapses combined."""
    out = np.full(shape, np.nan)
    if not len(values):
        return out
    linear = pre * shape[1] + post
    flat = out.reshape(-1)
    if how == "last":
        flat[linear] = values
    elif how == "first":
        flat[linear[::-1]] = values[::-1]
    elif how == "sum":
        sums = np.bincount(linear, weights=values, minlength=flat.size)
        counts = np.bincount(linear, minlength=flat.size)
        flat[counts > 0] = sums[counts > 0]
    elif how == "min":
        np.fmin.at(flat, linear, values)
    else:
        np.fmax.at(flat, linear, values)
    return out


def evaluate_at(lazy, pairs, projection):
    """A LazyArray of synapse values, evaluated for the connections ``pairs`` only.

    Scalars stay scalars; arrays of shape (n_pre, n_post) are indexed; RandomDistributions
    draw one value per connection (from their own RNG, or the kernel's for NativeRNG);
    functions of distance get the distances of the pairs; IndexBasedExpressions get the index
    arrays; queued operations are then applied.
    """
    if not isinstance(lazy, LazyArray):
        lazy = LazyArray(lazy)
    base = lazy.base_value
    n = len(pairs)
    if lazy.is_homogeneous and not callable(base):
        x = base.value if hasattr(base, "value") and not np.isscalar(base) else base
    elif isinstance(base, RandomDistribution) and pairs.conn_index is not None:
        # the values of the whole projection's draw, at this process's connections
        x = draw(base, pairs.total)[pairs.conn_index]
    elif isinstance(base, RandomDistribution):
        x = draw(base, n)
    elif isinstance(base, IndexBasedExpression):
        from copy import copy
        expression = copy(base)
        expression.projection = projection
        x = np.asarray(expression(pairs.pre_pos, pairs.post_pos), dtype=float)
    elif callable(base):
        x = np.asarray(base(projection._distances(pairs.pre_pos, pairs.post_pos)), dtype=float)
    else:
        arr = np.asarray(base)
        if arr.ndim == 2:
            x = arr[pairs.pre_pos, pairs.post_pos]
        elif arr.ndim == 1 and pairs.conn_index is not None and arr.shape[0] == pairs.total:
            x = arr[pairs.conn_index]
        elif arr.ndim == 1 and arr.shape[0] == n:
            x = arr
        else:
            x = np.broadcast_to(arr, (n,))
    for f, arg in lazy.operations:
        if arg is None:
            x = f(x)
        elif isinstance(arg, LazyArray) or hasattr(arg, "base_value"):
            x = f(x, evaluate_at(arg, pairs, projection))
        else:
            x = f(x, arg)
    if np.ndim(x) == 0:
        return x.item() if isinstance(x, np.generic) else x
    x = np.asarray(x, dtype=float)
    if x.shape != (n,) or not x.flags.writeable or not x.flags.c_contiguous:
        x = np.array(np.broadcast_to(x, (n,)), dtype=float)  # the kernel may keep the array
    return x
