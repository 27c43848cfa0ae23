"""Model functions: GetDefaults, SetDefaults, CopyModel and the model lists.

Defaults are reported as NEST 3.10 reports them: a node model's defaults have ``global_id`` 0
and ``thread``/``vp`` -1, a neuron's ``t_spike`` -1.0, a synapse's ``delay`` is the default
delay on the current time grid (1.0 ms at 0.3 ms resolution is 1.2 ms). NEST's internal
bookkeeping entries (``elementsize``, ``instantiations``, ``capacity``, ``available``,
``type_id``, and a synapse's ``sizeof``) are not reported.
"""
import json

import numpy as np

from kernel import get_kernel
from kernel.errors import (BadParameterValue, ReadOnlyParameter, UnknownModel,
                           did_you_mean)
from kernel.nodes import check_status_entry
from kernel.registry import DEFAULTS_STATUS, NEURON, RECORDER, STIMULATOR, SYNAPSE
from kernel.synapses.plastic import NODE_REFERENCES, check_synapse_defaults, node_reference
from kernel.synapses.static import has_continuous_delay

from .errors import NESTErrors, nest_errors
from .info import warn_once
from .parameters import Parameter

NODE_KINDS = (NEURON, STIMULATOR, RECORDER)
# Entries of a synapse model's defaults that are facts about the model, never settable.
SYNAPSE_FACTS = ("num_connections", "sizeof", "synapse_model", "synapse_modelid")
MODELS_DEPRECATED = ("Models is deprecated and will be removed in a future version of NEST.\n"
                     "Please use nest.node_models or nest.synapse_models instead!")


def node_models():
    """Names of all node models (neurons and devices), sorted.

    Returns
    -------
    list of str
    """
    return get_kernel().models.names(NODE_KINDS)


def synapse_models():
    """Names of all synapse models, sorted.

    Returns
    -------
    list of str
    """
    return get_kernel().models.names((SYNAPSE,))


def model_defaults(name):
    """The full defaults dict of a model, as GetDefaults reports it.

    Parameters
    ----------
    name : str
        A node or synapse model.

    Returns
    -------
    dict
        Sorted by key.

    Raises
    ------
    NESTErrors.UnknownComponent
        ``name`` is not a model.
    """
    k = get_kernel()
    try:
        spec = k.models.spec(name)
    except UnknownModel as error:
        raise NESTErrors.UnknownComponent(
            f"{name} is not a known component.{did_you_mean(name, error.available)}") from None
    out = {key: _plain(v) for key, v in k.models.defaults(name).items()}
    out.update({key: _plain(v) for key, v in spec.extra_status.items() if key not in out})
    if spec.element_type == SYNAPSE:
        from .nodes import NodeCollection
        out["synapse_model"] = spec.name
        out["synapse_modelid"] = spec.model_id
        out["num_connections"] = len(k.tables[name]) if name in k.tables else 0
        for key in NODE_REFERENCES:      # common properties that name a node
            if key == "weight_recorder" or key in spec.common_params:
                node = int(out.get(key, 0) or 0)
                out[key] = NodeCollection([node]) if node else NodeCollection()
        if "delay" in out and not has_continuous_delay(spec):
            out["delay"] = float(k.grid.default_delay_steps(out["delay"]) * k.grid.resolution)
    else:
        out["model"] = spec.name
        out["model_id"] = spec.model_id
        out.update(DEFAULTS_STATUS)
        if spec.element_type == NEURON:
            out["t_spike"] = -1.0
        if spec.recordables:
            out["recordables"] = list(spec.recordables)
        if spec.element_type == RECORDER:
            out["events"] = {"senders": np.zeros(0), "times": np.zeros(0)}
            out["n_events"] = 0
        if spec.receptor_types:
            out["receptor_types"] = dict(spec.receptor_types)
        derived = getattr(spec.block_class, "derived_defaults", None)
        if derived is not None:     # entries that follow from other defaults (n_synapses ...)
            out.update(derived(k.models.defaults(name)))
        hidden = getattr(spec.block_class, "hidden_defaults", None)
        if hidden is not None:      # entries of settings not selected (recording backends)
            out = {key: v for key, v in out.items() if key not in hidden(k.models.defaults(name))}
    return dict(sorted(out.items()))


def _plain(v):
    """A private copy of a default value; numpy scalars become Python numbers."""
    if isinstance(v, np.ndarray):
        return v.copy()
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (list, dict)):
        return type(v)(v)
    return v


@nest_errors
def GetDefaults(model, keys=None, output=""):
    """Default parameters of a model.

    Parameters
    ----------
    model : str
        A node or synapse model.
    keys : str or iterable of str, optional
        One name, several names (list, tuple, set ...), or None for all.
    output : {'', 'json'}, optional
        Return a JSON string instead.

    Returns
    -------
    dict, object or list
        The whole dict, one value, or a list of values (as NEST 3.10 returns them).

    Raises
    ------
    NESTErrors.UnknownComponent
        ``model`` is not a model.
    KeyError
        A key the model does not have.
    """
    defaults = model_defaults(model)
    if keys is None:
        result = defaults
    elif isinstance(keys, str):
        result = _lookup(defaults, keys, model)
    elif hasattr(keys, "__iter__") and not isinstance(keys, (bytes, dict)):
        # any iterable of names, as in NEST (lists, tuples, sets, dict_keys ...)
        result = [_lookup(defaults, key, model) for key in keys]
    else:
        result = _lookup(defaults, keys, model)        # KeyError, as in NEST
    if output == "json":
        from .nodes import _jsonable
        return json.dumps(_jsonable(result))
    return result


def _lookup(defaults, key, model):
    if key not in defaults:
        raise KeyError(f"{key!r} is not a parameter of {model}.{did_you_mean(key, defaults)}")
    return defaults[key]


@nest_errors
def SetDefaults(model, params, val=None):
    """Change the defaults of a model; nodes and connections made later use them.

    Parameters
    ----------
    model : str
    params : dict or str
        New default values, or a parameter name (then ``val`` is its value).
    val : object, optional

    Raises
    ------
    NESTErrors.UnaccessedDictionaryEntry
        An unknown or read-only parameter.
    NESTErrors.BadProperty, NESTErrors.TypeMismatch, NESTErrors.BadDelay
        A bad value (nothing is changed then).
    ValueError
        A sequence for a parameter that holds one value, or a Parameter (a default is one
        explicit value, as in NEST).
    """
    if isinstance(params, str):
        params = {params: val}
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict or a parameter name; got {type(params).__name__}")
    k = get_kernel()
    spec = k.models.spec(model)
    defaults = k.models.defaults(model)
    for key, value in params.items():
        if isinstance(value, Parameter) or _is_sequence(value) and key in defaults and \
                not _is_sequence(defaults[key]):
            raise ValueError("SetDefaults() accepts only explicit, single parameter values "
                             f"(got {value!r} for {key!r} of {model}).")
    k.models.set_defaults(model, _validated_defaults(k, spec, model, params))


def _is_sequence(value):
    return not isinstance(value, (str, bytes, dict)) and hasattr(value, "__iter__") and \
        not (isinstance(value, np.ndarray) and value.ndim == 0)


def _validated_defaults(k, spec, name, params):
    """Check new defaults of ``spec`` the way a node would check them; the coerced values.

    Errors name the model as NEST does: "Setting status of model '<name>': ...".
    """
    context = f"Setting status of model '{name}': "
    params = {**k.accepted(spec, params),
              **{key: params[key] for key in NODE_REFERENCES if key in params}}
    try:
        if spec.block_class is None:
            return _validated_synapse_defaults(k, spec, params)
        trial = spec.block_class(spec, 1, 1, dict(k.models.defaults(spec.name)), k.grid)
        staged = trial.stage_values(params, np.array([0]))
    except BadParameterValue as error:
        raise type(error)(error.name, error.detail, context) from None
    return {key: _scalar(value) if spec.params[key].kind in ("float", "int", "bool") else value
            for key, value in staged.items()}


def _validated_synapse_defaults(k, spec, params):
    out = {}
    for key, value in params.items():
        param = spec.params.get(key)
        if param is None:
            if key in SYNAPSE_FACTS:
                raise ReadOnlyParameter(key, spec.name)
            if key in NODE_REFERENCES:
                out[key] = node_reference(k, spec, key, _node_ids(key, value))
                continue
            check_status_entry(spec, key, value)
            continue
        if param.readonly:
            raise ReadOnlyParameter(key, spec.name)
        value = _scalar(param.coerce(value))
        if key == "delay" and has_continuous_delay(spec):
            steps, offset = k.grid.continuous_delay(value)
            value = float(k.grid.to_ms(steps) - offset)
        elif key == "delay":
            # stored on the grid, rounded to nearest as NEST does (1.04 ms -> 1.0 ms)
            value = float(int(k.grid.delay_steps(value)) * k.grid.resolution)
        out[key] = value
    check_synapse_defaults(k, spec, out)
    return out


def _node_ids(key, value):
    """Node ids of a NodeCollection given for ``key`` (weight_recorder, volume_transmitter)."""
    from .nodes import NodeCollection
    if not isinstance(value, NodeCollection):
        raise NESTErrors.BadProperty(f"{key} must be a NodeCollection; got {value!r}.")
    return value._checked_ids()


def _scalar(value):
    """Size-1 numeric arrays become Python numbers; other values stay as they are."""
    if isinstance(value, np.ndarray) and value.dtype != object and value.size == 1 and \
            value.ndim <= 1 and value.dtype.kind in "biuf":
        return value.reshape(-1)[0].item()
    return value


@nest_errors
def CopyModel(existing, new, params=None):
    """Create model ``new`` as a copy of ``existing`` with changed defaults.

    Parameters
    ----------
    existing : str
        A node or synapse model.
    new : str
        The new model's name (not yet used).
    params : dict, optional
        Defaults that differ from those of ``existing``.

    Raises
    ------
    NESTErrors.UnknownModelName
        ``existing`` is not a model.
    NESTErrors.NewModelNameExists
        ``new`` is taken.
    """
    k = get_kernel()
    if not isinstance(new, str) or not new:
        raise TypeError(f"CopyModel: the new model name must be a non-empty string; got {new!r}")
    spec = k.models.spec(existing)
    if new in k.models:
        raise NESTErrors.NewModelNameExists(
            f"Model {new} is the name of an existing model and cannot be re-used.")
    if params is not None and not isinstance(params, dict):
        raise TypeError(f"params must be a dict; got {type(params).__name__}")
    coerced = _validated_defaults(k, spec, new, params or {})
    k.models.copy(existing, new, coerced)


def Models(mtype="all", sel=None):
    """Model names (deprecated in NEST 3.10; use ``nest.node_models`` / ``nest.synapse_models``).

    Parameters
    ----------
    mtype : {'all', 'nodes', 'synapses'}, optional
    sel : str, optional
        Only names containing this string.

    Returns
    -------
    tuple of str
        Sorted names.
    """
    warn_once(MODELS_DEPRECATED)
    if mtype not in ("all", "nodes", "synapses"):
        raise ValueError(f"mtype has to be one of 'all', 'nodes', or 'synapses'; got {mtype!r}")
    names = {"all": node_models() + synapse_models(), "nodes": node_models(),
             "synapses": synapse_models()}[mtype]
    if sel is not None:
        names = [n for n in names if sel in n]
    return tuple(sorted(names))


def ConnectionRules():
    """Names of the connection rules.

    Returns
    -------
    tuple of str
    """
    from kernel.connect import RULES
    return tuple(sorted(RULES))
