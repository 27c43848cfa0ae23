"""Population, PopulationView and Assembly of pyNN.neuropil.

A Population is one kernel node block (contiguous node ids), plus a block of generators
when its cells are spike sources whose kernel model sends a separate train to each target
(``poisson_generator``: PyNN wants one train per cell, so each generator drives a
``parrot_neuron`` that is the cell). Cell ids live in an int64 array (``_ids``); PyNN's ID
objects are only made when a script asks for them (``p[i]``, iteration, ``all_cells``), so
nothing in creating, setting, recording or connecting is a Python loop over cells.
"""
import logging
import warnings
from functools import reduce
import operator

import numpy as np
from pyNN import common, errors, space
from pyNN.models import BaseCellType
from pyNN.parameters import ArrayParameter, LazyArray, ParameterSpace, Sequence, simplify
from pyNN.random import RandomDistribution

from kernel.errors import KernelError
from kernel.registry import STIMULATOR

from . import simulator
from .recording import Recorder
from .standardmodels import kernel_spec

logger = logging.getLogger("PyNN")


def _as_kernel_error(error):
    return errors.InvalidParameterValueError(str(error))


class _CellsMixin:
    """What Populations and PopulationViews share: ids, parameters, initial values."""

    # -- ids ---------------------------------------------------------------------------------------
    @property
    def all_cells(self):
        """Object array of PyNN IDs (built on first access)."""
        cells = self.__dict__.get("_all_cells")
        if cells is None:
            cells = self._make_ids(self._ids)
            self.__dict__["_all_cells"] = cells
        return cells

    @property
    def local_cells(self):
        return self.all_cells[self._mask_local]

    def _make_ids(self, ids):
        root = self.grandparent if hasattr(self, "parent") else self
        out = np.empty(len(ids), dtype=object)
        for k, gid in enumerate(ids.tolist()):
            cell = simulator.ID(gid)
            cell.parent = root
            if root._source_ids is not None:
                cell.source = int(root._source_ids[gid - root._ids[0]])
            out[k] = cell
        return out

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            cached = self.__dict__.get("_all_cells")
            if cached is not None:
                return cached[index]
            return self._make_ids(self._ids[[index]])[0]
        if isinstance(index, (slice, list, np.ndarray)):
            return self._get_view(index)
        if isinstance(index, tuple):
            return self._get_view(list(index))
        raise TypeError(f"indices must be integers, slices, lists, arrays or tuples, not "
                        f"{type(index).__name__}")

    def __iter__(self):
        return iter(self.local_cells)

    def all(self):
        return iter(self.all_cells)

    @property
    def local_size(self):
        return int(np.count_nonzero(self._mask_local))

    def is_local(self, id):
        return bool(self._mask_local[self.id_to_index(id)])

    @property
    def _param_ids(self):
        """Ids of the kernel nodes that hold the cells' parameters (generators for parrots)."""
        root = self.grandparent if hasattr(self, "parent") else self
        if root._source_ids is None:
            return self._ids
        return root._source_ids[self._ids - root._ids[0]]

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    # -- parameters -------------------------------------------------------------------------------
    def _native_values(self, name):
        """Values of native parameter ``name`` of the local cells, as an array."""
        k = simulator.state.kernel
        ids = self._param_ids[self._mask_local]
        values = []
        for block, pos, local in k.nodes.group(ids):
            values.append((pos, k.node_value(block, name, local)))
        if len(values) == 1 and isinstance(values[0][1], np.ndarray):
            return values[0][1]
        out = np.empty(len(ids), dtype=object)
        for pos, vals in values:
            for p, v in zip(pos, vals):
                out[p] = v
        return out

    def _get_native_parameters(self, *names):
        """ParameterSpace of native parameters (kernel names and units)."""
        params = {}
        for name in names:
            values = self._native_values(name)
            if name == "spike_times" or (values.dtype == object and len(values) and
                                         isinstance(values[0], np.ndarray)):
                params[name] = np.array([Sequence(np.asarray(v, dtype=float)) for v in values],
                                        dtype=object) if len(values) else values
                params[name] = LazyArray(simplify(params[name]), shape=(self.local_size,),
                                         dtype=Sequence)
            else:
                params[name] = simplify(values)
        return ParameterSpace(params, shape=(self.local_size,))

    def _get_parameters(self, *names):
        celltype = self.celltype
        dotted = [n for n in names if "." in n]
        if dotted:
            from .standardmodels.receptors import receptor_parameters
            plain = [n for n in names if "." not in n]
            space = receptor_parameters(self, dotted)
            if plain:
                space.update(**dict(self._get_parameters(*plain).items()))
            return space
        if hasattr(celltype, "translations"):
            if celltype.computed_parameters_include(names):
                native = celltype.get_native_names()
            else:
                native = celltype.get_native_names(*names)
            return celltype.reverse_translate(self._get_native_parameters(*native))
        return self._get_native_parameters(*names)

    def _set_parameters(self, parameter_space):
        """Set native parameters (a ParameterSpace) of the local cells."""
        parameter_space.pop("UNSUPPORTED", None)
        parameter_space.evaluate(mask=self._mask_local, simplify=True)
        updates = {}
        for name, value in parameter_space.items():
            updates[name] = _kernel_value(name, value, self.local_size)
        _adjust_native(self.celltype, updates)
        ids = self._param_ids[self._mask_local]
        try:
            simulator.state.kernel.set_node_values(ids, updates)
        except KernelError as error:
            raise _as_kernel_error(error) from None

    def _set_initial_value_array(self, variable, initial_values):
        """Set a state variable (PyNN name and units) of the local cells in the kernel."""
        name, scale = _initial_value_target(self.celltype, variable)
        if isinstance(initial_values, LazyArray):
            values = initial_values._partially_evaluate(self._mask_local, simplify=True) \
                if initial_values.shape else initial_values.evaluate(simplify=True)
        else:
            values = initial_values
        if name is None:
            if np.any(np.asarray(values, dtype=float) != _default_initial(self.celltype,
                                                                          variable)):
                logger.warning("Neuropil cannot set an initial value for %s of %s", variable,
                               type(self.celltype).__name__)
            return
        values = np.asarray(values, dtype=float) / scale
        try:
            simulator.state.kernel.set_node_values(self._param_ids[self._mask_local],
                                                   {name: values if values.ndim else
                                                    float(values)})
        except KernelError as error:
            raise _as_kernel_error(error) from None

    # -- recording ------------------------------------------------------------------------------------
    def record(self, variables, to_file=None, sampling_interval=None, locations=None):
        """Record ``variables`` of every cell (see PyNN's Population.record)."""
        if variables is None:
            self.recorder.reset()
        else:
            self.recorder.record(variables, self._ids, sampling_interval, locations)
        if isinstance(to_file, str):
            self.recorder.file = to_file
            simulator.state.write_on_end.append((self, variables, self.recorder.file))

    def get_data(self, variables="all", gather=True, clear=False, locations=None):
        return self.recorder.get(variables, gather, self._record_filter, clear,
                                 locations=locations)

    def write_data(self, io, variables="all", gather=True, clear=False, annotations=None,
                   locations=None):
        self.recorder.write(variables, io, gather, self._record_filter, clear=clear,
                            annotations=annotations, locations=locations)


def _kernel_value(name, value, n):
    """An evaluated native value as the kernel takes it (scalar, array or list of arrays)."""
    if isinstance(value, Sequence) or isinstance(value, ArrayParameter):
        return np.asarray(value.value, dtype=float)
    if (isinstance(value, np.ndarray) and value.dtype == object) or \
            (isinstance(value, (list, tuple)) and value and
             isinstance(value[0], (ArrayParameter, list, tuple, np.ndarray))):
        per_node = [np.asarray(v.value if isinstance(v, ArrayParameter) else v, dtype=float)
                    for v in value]
        return per_node if len(per_node) == n else per_node[0]
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


def _adjust_native(celltype, updates):
    """Kernel-side conventions: spike times positive, and on the grid unless the simulation
    keeps off-grid spike times (``spike_precision='off_grid'``: the generators are precise)."""
    times = updates.get("spike_times")
    if times is None:
        return
    grid = simulator.state.kernel.grid
    exact = simulator.state.spike_precision == "off_grid"
    per_node = isinstance(times, list)
    arrays = times if per_node else [times]
    fixed = []
    for t in arrays:
        t = np.asarray(t, dtype=float).reshape(-1)
        if t.size and np.any(np.diff(t) < 0):
            raise errors.InvalidParameterValueError(
                "Spike times given to SpikeSourceArray must be in increasing order")
        if exact:
            fixed.append(t[t > 0])
            continue
        steps = np.ceil(np.round(t * grid.tics_per_ms) / grid.tics_per_step - 1e-9)
        steps = steps[steps >= 1]
        fixed.append(grid.to_ms(steps.astype(np.int64)))
    updates["spike_times"] = fixed if per_node else fixed[0]


def _initial_value_target(celltype, variable):
    """(kernel state name, scale factor) of a PyNN state variable, or (None, 1)."""
    variable_map = getattr(celltype, "variable_map", None)
    kernel_model = getattr(celltype, "kernel_model", None)
    if variable_map is None or kernel_model is None:
        return (variable, 1.0) if kernel_model is None else (None, 1.0)
    name = variable_map.get(variable)
    spec = kernel_spec(kernel_model)
    if name is None or spec is None or name not in spec.params or spec.params[name].readonly:
        return None, 1.0
    return name, celltype.scale_factors.get(variable, 1.0)


def _default_initial(celltype, variable):
    return celltype.default_initial_values.get(variable, 0.0)


class Assembly(common.Assembly):
    __doc__ = common.Assembly.__doc__
    _simulator = simulator

    @property
    def _ids(self):
        return np.concatenate([p._ids for p in self.populations]) if self.populations else \
            np.zeros(0, np.int64)

    @property
    def all_cells(self):
        return np.concatenate([p.all_cells for p in self.populations])

    @property
    def local_cells(self):
        return np.concatenate([p.local_cells for p in self.populations])

    @property
    def _mask_local(self):
        return np.concatenate([p._mask_local for p in self.populations])

    @property
    def first_id(self):
        return int(self._ids.min())

    @property
    def last_id(self):
        return int(self._ids.max())

    @property
    def _is_sorted(self):
        ids = self._ids
        return bool(np.all(ids[1:] > ids[:-1]))

    def id_to_index(self, id):
        ids = self._ids
        order = np.argsort(ids, kind="stable")
        wanted = np.asarray(id, dtype=np.int64)
        pos = np.searchsorted(ids[order], wanted)
        pos = np.minimum(pos, len(ids) - 1)
        if np.any(ids[order][pos] != wanted):
            raise IndexError(f"ID {id} not present in the Assembly")
        result = order[pos]
        return int(result) if np.ndim(result) == 0 else result

    @property
    def positions(self):
        return np.hstack([p.positions for p in self.populations])

    def describe(self, template="assembly_default.txt", engine="default"):
        return super().describe(template, engine)


class PopulationView(_CellsMixin, common.PopulationView):
    __doc__ = common.PopulationView.__doc__
    _simulator = simulator
    _assembly_class = Assembly

    def __init__(self, parent, selector, label=None):
        self.parent = parent
        n_parent = parent.size
        if isinstance(selector, slice):
            self.mask = selector
            indices = np.arange(n_parent)[selector]
        else:
            mask = np.asarray(selector)
            if mask.dtype == bool:
                if len(mask) != n_parent:
                    raise Exception("Boolean masks should have the size of Parent Population")
                mask = np.flatnonzero(mask)
            else:
                mask = mask.astype(np.int64)
                mask = np.where(mask < 0, mask + n_parent, mask)
                if len(np.unique(mask)) != len(mask):
                    logger.warning("PopulationView can contain each ID only once, duplicates "
                                   "are removed")
                mask = np.unique(mask)
            if mask.size and (mask.min() < 0 or mask.max() >= n_parent):
                raise IndexError(f"index out of range for a population of {n_parent} cells")
            self.mask = mask
            indices = mask
        self._indices = indices
        self.celltype = parent.celltype
        self._ids = parent._ids[indices]
        self._is_sorted = True
        self.size = len(self._ids)
        self.label = label or f"view of '{parent.label}' with size {self.size}"
        self._mask_local = parent._mask_local[indices]
        if self.size:
            self.first_id, self.last_id = int(self._ids[0]), int(self._ids[-1])
        else:
            self.first_id = self.last_id = None
        self.annotations = {}
        self.recorder = parent.recorder
        self._record_filter = self._ids

    def id_to_index(self, id):
        wanted = np.asarray(id, dtype=np.int64)
        pos = np.searchsorted(self._ids, wanted)
        ok = (pos < self.size) & (self._ids[np.minimum(pos, self.size - 1)] == wanted)
        if not np.all(ok):
            raise IndexError(f"ID {id} not present in the View")
        return int(pos) if np.ndim(pos) == 0 else pos

    def index_in_grandparent(self, indices):
        in_parent = self._indices[indices]
        if hasattr(self.parent, "parent"):
            return self.parent.index_in_grandparent(in_parent)
        return in_parent

    def index_from_parent_index(self, indices):
        return np.searchsorted(self._indices, indices)

    @property
    def positions(self):
        return self.parent.positions[:, self._indices]

    def __ne__(self, other):
        if isinstance(other, (PopulationView, Population)):
            parent = other.parent if isinstance(other, PopulationView) else other
            return self.parent != parent or not np.array_equal(self._ids, other._ids)
        return True

    def __eq__(self, other):
        return not self.__ne__(other)

    __hash__ = object.__hash__

    def initialize(self, **initial_values):
        """Set initial values of the view's cells (also stored in the parent's initial values)."""
        root, positions = self.grandparent, self.index_in_grandparent(np.arange(self.size))
        for variable, value in initial_values.items():
            values = LazyArray(value, shape=(self.size,), dtype=float).evaluate()
            values = np.broadcast_to(np.asarray(values, dtype=float), (self.size,))
            self._set_initial_value_array(variable, values)
            current = root.initial_values.get(variable)
            full = np.broadcast_to(np.asarray(current.evaluate(simplify=False), dtype=float)
                                   if current is not None else
                                   np.full(root.size, np.nan), (root.size,)).copy()
            full[positions] = values
            root.initial_values[variable] = LazyArray(simplify(full), shape=(root.size,))


class Population(_CellsMixin, common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def __init__(self, size, cellclass, cellparams=None, structure=None, initial_values={},
                 label=None):
        if not isinstance(size, (int, np.integer)):
            if not isinstance(size, tuple) or not all(isinstance(e, int) for e in size):
                raise ValueError("`size` must be an integer or a tuple of ints.")
            if structure is not None:
                raise ValueError("If you specify `size` as a tuple you may not specify structure.")
            structure = {1: lambda: space.Line(),
                         2: lambda: space.Grid2D(size[0] / float(size[1])),
                         3: lambda: space.Grid3D(size[0] / float(size[1]),
                                                 size[0] / float(size[2]))}[len(size)]()
            size = int(reduce(operator.mul, size))
        self.size = int(size)
        self.label = label or "population%d" % common.Population._nPop
        self._structure = structure or space.Line()
        self._positions = None
        self._is_sorted = True
        if isinstance(cellclass, BaseCellType):
            self.celltype = cellclass
            assert cellparams is None
        elif isinstance(cellclass, type) and issubclass(cellclass, BaseCellType):
            warnings.warn("Passing celltype class and parameters separately is deprecated.",
                          DeprecationWarning)
            self.celltype = cellclass(**(cellparams or {}))
        else:
            raise TypeError(f"cellclass must be an instance or subclass of BaseCellType, not "
                            f"a {type(cellclass)}")
        self.annotations = {}
        self.recorder = self._recorder_class(self)
        self._create_cells()
        self.first_id = int(self._ids[0])
        self.last_id = int(self._ids[-1])
        self.initial_values = {}
        values = dict(self.celltype.default_initial_values)
        values.update(initial_values)
        self.initialize(**values)
        simulator.state.populations.append(self)
        common.Population._nPop += 1

    def _create_cells(self):
        k = simulator.state.kernel
        celltype = self.celltype
        model = getattr(celltype, "kernel_model", None) or getattr(celltype, "nest_model", None)
        if model is None:
            raise errors.InvalidModelError(f"{type(celltype).__name__} has no Neuropil model")
        if getattr(celltype, "translations", None) is not None:
            celltype.parameter_space.shape = (self.size,)
            native = celltype.native_parameters
            native.update(**getattr(celltype, "extra_parameters", {}))
        else:
            native = celltype.parameter_space
        native.shape = (self.size,)
        try:
            first = k.create(model, self.size)
        except KernelError as error:
            raise errors.InvalidModelError(str(error)) from None
        ids = np.arange(first, first + self.size, dtype=np.int64)
        block = k.nodes.block_of(first)
        self._source_ids = None
        self._parrots_wired = True
        if block.spec.element_type == STIMULATOR and block.sends == "spike":
            # the generator drives a parrot, which is the cell: one train per cell, and
            # plastic synapses (which take no spikes from devices) can start at the cell
            parrot = k.create("parrot_neuron", self.size)
            self._source_ids = ids
            if model == "spike_generator" and simulator.state.spike_precision == "off_grid":
                k.set_node_values(ids, {"precise_times": True})
            ids = np.arange(parrot, parrot + self.size, dtype=np.int64)
            self._parrots_wired = False
        self._ids = ids
        self._mask_local = np.ones(self.size, dtype=bool)
        try:
            self._set_parameters(native)
        except Exception:
            raise

    def _finish_wiring(self):
        """Connect generators to their parrots (once, with the min_delay of the network)."""
        if self._parrots_wired:
            return
        k = simulator.state.kernel
        delay = simulator.state.min_delay
        k.set_node_values(self._source_ids, {"origin": -delay})
        k.connect(self._source_ids, self._ids, "static_synapse", {"delay": delay})
        self._parrots_wired = True

    def _apply_initial_values(self):
        for variable, value in self.initial_values.items():
            self._set_initial_value_array(variable, value)

    def initialize(self, **initial_values):
        """Set initial values of state variables (evaluated once, so reset restores them)."""
        for variable, value in initial_values.items():
            lazy = LazyArray(value, shape=(self.size,), dtype=float)
            if isinstance(lazy.base_value, RandomDistribution) or callable(lazy.base_value):
                lazy = LazyArray(simplify(np.asarray(lazy.evaluate(), dtype=float)),
                                 shape=(self.size,), dtype=float)
            self._set_initial_value_array(variable, lazy)
            self.initial_values[variable] = lazy

    def id_to_index(self, id):
        if not np.iterable(id):
            if not self.first_id <= id <= self.last_id:
                raise ValueError(f"id should be in the range [{self.first_id},{self.last_id}], "
                                 f"actually {id}")
            return int(id - self.first_id)
        ids = np.asarray(id.all_cells if isinstance(id, PopulationView) else id,
                         dtype=np.int64)
        if ids.size and (ids.min() < self.first_id or ids.max() > self.last_id):
            raise ValueError(f"ids should be in the range [{self.first_id},{self.last_id}]")
        return (ids - self.first_id).astype(int)

    def id_to_local_index(self, id):
        return self.id_to_index(id)

    @property
    def grandparent(self):
        return self

    def describe(self, template="population_default.txt", engine="default"):
        from pyNN import descriptions
        context = {
            "label": self.label, "celltype": self.celltype.describe(template=None),
            "structure": None, "size": self.size, "size_local": self.local_size,
            "first_id": self.first_id, "last_id": self.last_id,
        }
        context.update(self.annotations)
        if self.local_size:
            context.update({"local_first_id": self.first_id, "cell_parameters": {}})
        if self.structure:
            context["structure"] = self.structure.describe(template=None)
        return descriptions.render(engine, template, context)

    def __repr__(self):
        return f"Population({self.size}, {self.celltype!r}, structure={self.structure!r}, " \
               f"label={self.label!r})"
