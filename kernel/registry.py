"""The one registry of models.

Each entry says what a model is called, what kind of element it is, which block class runs
it, and every parameter with its default, unit, type and meaning. The same entries feed
``nest.node_models``, ``GetDefaults``, help texts, the PyNN translations, the model docs and
the parametrized tests.
"""
from dataclasses import dataclass, field, replace
import numpy as np

from .errors import BadParameterType, BadParameterValue, UnknownModel

NEURON = "neuron"
STIMULATOR = "stimulator"
RECORDER = "recorder"
SYNAPSE = "synapse"

FLOAT = "float"
INT = "int"
BOOL = "bool"
STR = "str"
FLOAT_ARRAY = "float_array"
INT_ARRAY = "int_array"
STR_LIST = "str_list"


# Status entries every node reports in NEST 3.10 (one process, one thread).
NODE_STATUS = {"frozen": False, "local": True, "node_uses_wfr": False, "thread": 0,
               "thread_local_id": -1, "vp": 0}
NEURON_STATUS = {**NODE_STATUS, "element_type": NEURON, "Ca": 0.0, "archiver_length": 0,
                 "beta_Ca": 0.001, "post_trace": 0.0, "synaptic_elements": {}, "tau_Ca": 10000.0,
                 "ignore_and_spike": False, "ignore_and_spike_interval": 100.0,
                 "ignore_and_spike_offset": 1.0, "tau_minus": 20.0, "tau_minus_triplet": 110.0}
STIMULATOR_STATUS = {**NODE_STATUS, "element_type": STIMULATOR}
# Status entries NEST reports but never lets users set (setting one is UnaccessedDictionaryEntry).
READONLY_STATUS = frozenset({
    "archiver_length", "element_type", "global_id", "local", "model", "model_id",
    "node_uses_wfr", "post_trace", "t_spike", "thread", "thread_local_id", "vp"})
# What GetDefaults reports instead of a node's values for these entries.
DEFAULTS_STATUS = {"global_id": 0, "thread": -1, "vp": -1}
RECORDER_STATUS = {**NODE_STATUS, "element_type": RECORDER}


@dataclass(frozen=True)
class Param:
    """One parameter or initial state variable of a model.

    Attributes
    ----------
    name : str
        The name users see (NEST's name).
    default : object
        Default value.
    unit : str
        Unit in NEST's convention (ms, mV, pA, pF, nS, Hz), or '' if dimensionless.
    kind : str
        One of FLOAT, INT, BOOL, STR, FLOAT_ARRAY, STR_LIST.
    doc : str
        One line saying what it is.
    readonly : bool
        True for values users may read but not set.
    positive, nonnegative : bool
        Range constraints checked on every set.
    """

    name: str
    default: object
    unit: str = ""
    kind: str = FLOAT
    doc: str = ""
    readonly: bool = False
    positive: bool = False
    nonnegative: bool = False

    def coerce(self, values):
        """Convert user values to this parameter's array type, checking type and range.

        Parameters
        ----------
        values : scalar or array-like
            One value, or one value per node.

        Returns
        -------
        ndarray or str or list
            float64 / int64 / bool arrays for numeric kinds, the value itself otherwise.

        Raises
        ------
        BadParameterType
            A value of the wrong type: a string or None for a number, a float for an int,
            anything but True/False for a bool. Ints are accepted for floats (as in NEST 3.10);
            bools are not numbers here (NEST would store True as 1.0, almost surely a mistake).
        BadParameterValue
            A value outside the parameter's range, or NaN.
        """
        if self.kind in (FLOAT, INT, BOOL):
            arr = self._numeric_array(values)
        elif self.kind == STR:
            if not isinstance(values, str):
                raise BadParameterType(
                    self.name, f"expected a string, got {values!r} ({type(values).__name__}).")
            return values
        else:
            return values
        if self.positive and np.any(arr <= 0):
            raise BadParameterValue(
                self.name, f"must be > 0{self._unit_suffix()} (got {_first_bad(arr, arr <= 0)}).")
        if self.nonnegative and np.any(arr < 0):
            raise BadParameterValue(
                self.name, f"must not be negative (got {_first_bad(arr, arr < 0)}).")
        return arr

    def _unit_suffix(self):
        return f" {self.unit}" if self.unit else ""

    def _numeric_array(self, values):
        """``values`` as a float64 / int64 / bool array of this kind, type-checked."""
        expected = {FLOAT: f"a number (in {self.unit or 'no unit'})", INT: "an integer",
                    BOOL: "True or False"}[self.kind]
        try:
            arr = np.asarray(values)
        except (TypeError, ValueError):
            arr = np.asarray(None, dtype=object)
        _check_int64_range(self.name, arr)
        if self.kind == BOOL:
            ok = arr.dtype == bool
        elif self.kind == INT:
            ok = np.issubdtype(arr.dtype, np.integer)
        else:
            ok = np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
        if not ok:
            raise BadParameterType(self.name, f"expected {expected}, got {values!r}"
                                   f" ({type(values).__name__}).")
        if self.kind == FLOAT:
            arr = arr.astype(np.float64, copy=False)
            if np.any(np.isnan(arr)):
                raise BadParameterValue(self.name, "must not be NaN.")
            return arr
        return arr.astype(np.int64 if self.kind == INT else bool)


def _check_int64_range(name, arr):
    """NEST converts Python ints to C++ long and raises OverflowError outside its range."""
    if arr.dtype == np.uint64:
        big = arr[arr > np.iinfo(np.int64).max]
    elif arr.dtype == object:  # Python ints too large for any NumPy integer type
        big = [v for v in arr.reshape(-1) if isinstance(v, int) and not isinstance(v, bool)
               and not -2 ** 63 <= v < 2 ** 63]
    else:
        return
    if len(big):
        raise OverflowError(f"{name}: integer {int(big[0])} out of range for a 64-bit integer "
                            f"[{-2 ** 63}, {2 ** 63 - 1}].")


def _first_bad(arr, mask):
    return arr.reshape(-1)[np.argmax(mask.reshape(-1))]


@dataclass
class ModelSpec:
    """Everything the kernel and the adapters need to know about one model.

    Attributes
    ----------
    name : str
        Model name.
    element_type : str
        NEURON, STIMULATOR, RECORDER or SYNAPSE.
    block_class : type or None
        The node block class that simulates it (None for synapses).
    params : dict of str to Param
        Parameters and settable initial state, in the order users see them.
    recordables : tuple of str
        Variables a multimeter may record.
    receptor_types : dict of str to int
        Named receptor ports (empty when the model only has port 0).
    extra_status : dict
        Constant entries reported by GetDefaults/GetStatus for compatibility.
    doc : str
        Short description for help().
    model_id : int
        Position in the registry.
    base : str
        Name of the built-in model this one was copied from (itself if built in).
    extra_columns : dict of str to dtype
        Synapses only: per-connection properties besides weight, delay and receptor.
    common_params : tuple of str
        Synapses only: properties shared by all connections of the model (``*_hom_w``
        weights); set with SetDefaults or CopyModel, not per connection.
    plasticity : object or None
        Synapses only: None for static synapses (delivered by ``deliver_spikes``); for
        plastic ones a ``kernel.synapses.plastic.Plasticity`` with the model's delivery loop
        and checks.
    """

    name: str
    element_type: str
    block_class: object
    params: dict
    recordables: tuple = ()
    receptor_types: dict = field(default_factory=dict)
    extra_status: dict = field(default_factory=dict)
    doc: str = ""
    model_id: int = -1
    base: str = ""
    extra_columns: dict = field(default_factory=dict)
    common_params: tuple = ()
    plasticity: object = None

    def defaults(self):
        """A fresh dict of the default values of every parameter."""
        return {name: _copy_value(p.default) for name, p in self.params.items()}


def settable(spec, name):
    """True if users may set ``name`` on ``spec``'s nodes or connections (a parameter that is
    not read-only, or a constant status entry NEST lets users set, such as ``frozen``)."""
    param = spec.params.get(name)
    if param is not None:
        return not param.readonly
    return name in spec.extra_status and name not in READONLY_STATUS


def _copy_value(v):
    return v.copy() if isinstance(v, np.ndarray) else (list(v) if isinstance(v, list) else v)


class ModelRegistry:
    """Built-in models plus those copied with CopyModel, with their current defaults.

    One instance lives in each kernel; ``ResetKernel`` replaces it with a fresh one built from
    the built-in specs, so SetDefaults and CopyModel do not outlive a reset.
    """

    def __init__(self, builtin_specs):
        self._specs = {}
        self._defaults = {}
        for spec in builtin_specs:
            self.add(spec)
        # True once SetDefaults or CopyModel changed anything (NEST then fixes the resolution)
        self.modified = False

    def add(self, spec):
        spec.model_id = len(self._specs)
        if not spec.base:
            spec.base = spec.name
        self._specs[spec.name] = spec
        self._defaults[spec.name] = spec.defaults()

    def names(self, element_types=None):
        """Model names, optionally only those of the given element types, sorted."""
        return sorted(n for n, s in self._specs.items()
                      if element_types is None or s.element_type in element_types)

    def __contains__(self, name):
        return name in self._specs

    def spec(self, name, kinds=None):
        """The spec of ``name``; raise UnknownModel if missing or of the wrong kind."""
        spec = self._specs.get(name) if isinstance(name, str) else None
        if spec is None or (kinds is not None and spec.element_type not in kinds):
            kind = "synapse model" if kinds == (SYNAPSE,) else "model"
            raise UnknownModel(name, self.names(kinds), kind)
        return spec

    def defaults(self, name):
        """The live dict of current defaults of ``name`` (mutated by SetDefaults)."""
        self.spec(name)
        return self._defaults[name]

    def copy(self, old, new, overrides):
        """Register ``new`` as a copy of ``old`` whose defaults are old's plus ``overrides``."""
        spec = self.spec(old)
        if new in self._specs:
            raise BadParameterValue("new", f"a model called '{new}' already exists.")
        if not isinstance(new, str) or not new:
            raise BadParameterValue("new", "the new model name must be a non-empty string.")
        copied = replace(spec, name=new, params=dict(spec.params), base=spec.base)
        self.add(copied)
        self._defaults[new] = {k: _copy_value(v) for k, v in self._defaults[old].items()}
        self._defaults[new].update(overrides)
        self.modified = True
        return copied

    def set_defaults(self, name, values):
        """Change defaults of ``name`` to already validated ``values``."""
        self.defaults(name).update(values)
        self.modified = True

