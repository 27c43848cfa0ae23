"""Model functions: GetDefaults, SetDefaults, CopyModel and the model lists."""
import numpy as np

from kernel import get_kernel
from kernel.errors import UnknownModel
from kernel.registry import NEURON, RECORDER, STIMULATOR, SYNAPSE

from .errors import NESTErrors, nest_errors

NODE_KINDS = (NEURON, STIMULATOR, RECORDER)


def node_models():
    """Names of all node models (neurons and devices), sorted."""
    return get_kernel().models.names(NODE_KINDS)


def synapse_models():
    """Names of all synapse models, sorted."""
    return get_kernel().models.names((SYNAPSE,))


def model_defaults(name):
    """The full defaults dict of a model, as GetDefaults reports it."""
    k = get_kernel()
    try:
        spec = k.models.spec(name)
    except UnknownModel:
        raise NESTErrors.UnknownComponent(f"{name} is not a known component.") from None
    out = {key: _copy(v) for key, v in k.models.defaults(name).items()}
    out.update({key: _copy(v) for key, v in spec.extra_status.items()})
    out["model"] = spec.name
    out["model_id"] = spec.model_id
    if spec.element_type == SYNAPSE:
        out["synapse_model"] = spec.name
        out["synapse_modelid"] = spec.model_id
        out["num_connections"] = len(k.tables[name]) if name in k.tables else 0
        out.pop("model")
        out.pop("model_id")
    else:
        if spec.recordables:
            out["recordables"] = list(spec.recordables)
        if spec.element_type == RECORDER:
            out["events"] = {"senders": np.zeros(0), "times": np.zeros(0)}
            out["n_events"] = 0
        if spec.receptor_types:
            out["receptor_types"] = dict(spec.receptor_types)
    return dict(sorted(out.items()))


def _copy(v):
    if isinstance(v, np.ndarray):
        return v.copy()
    if isinstance(v, (list, dict)):
        return type(v)(v)
    return v


@nest_errors
def GetDefaults(model, keys=None, output=""):
    """Default parameters of ``model``: the whole dict, one value, or a tuple of values."""
    defaults = model_defaults(model)
    if keys is None:
        result = defaults
    elif isinstance(keys, str):
        if keys not in defaults:
            raise KeyError(keys)
        result = defaults[keys]
    else:
        missing = [key for key in keys if key not in defaults]
        if missing:
            raise KeyError(missing[0])
        result = tuple(defaults[key] for key in keys)
    if output == "json":
        import json
        from .nodes import _jsonable
        return json.dumps(_jsonable(result))
    return result


@nest_errors
def SetDefaults(model, params, val=None):
    """Change the defaults of ``model`` (a dict, or a name and a value)."""
    if isinstance(params, str):
        params = {params: val}
    k = get_kernel()
    spec = k.models.spec(model)
    defaults = k.models.defaults(model)
    coerced = _validated_defaults(spec, defaults, params)
    defaults.update(coerced)


def _validated_defaults(spec, defaults, params):
    """Check new defaults the way a node would check them; return the coerced values."""
    from kernel.errors import ReadOnlyParameter, UnknownParameter
    out = {}
    for name, value in params.items():
        param = spec.params.get(name)
        if param is None:
            raise UnknownParameter(name, spec.name, spec.params)
        if param.readonly:
            raise ReadOnlyParameter(name, spec.name)
        coerced = param.coerce(value)
        if isinstance(coerced, np.ndarray) and coerced.ndim == 0:
            coerced = coerced.item()
        out[name] = coerced
    if spec.block_class is not None:
        # let a throw-away block run the model's consistency checks on the new defaults
        trial = spec.block_class(spec, 1, 1, {**defaults, **out}, get_kernel().grid)
        trial.set_values({}, np.array([0]))
    return out


@nest_errors
def CopyModel(existing, new, params=None):
    """Create model ``new`` as a copy of ``existing`` with changed defaults."""
    k = get_kernel()
    if new in k.models:
        raise NESTErrors.NewModelNameExists(
            f"Model {new} is the name of an existing model and cannot be re-used.")
    spec = k.models.spec(existing)
    coerced = _validated_defaults(spec, k.models.defaults(existing), params or {})
    k.models.copy(existing, new, coerced)


def Models(mtype="all", sel=None):
    """Model names (deprecated in NEST; use node_models / synapse_models)."""
    names = {"all": node_models() + synapse_models(), "nodes": node_models(),
             "synapses": synapse_models()}.get(mtype)
    if names is None:
        raise ValueError("mtype must be 'all', 'nodes' or 'synapses'")
    if sel is not None:
        names = [n for n in names if sel in n]
    return tuple(names)


def ConnectionRules():
    """Names of the connection rules."""
    from kernel.connect import RULES
    return tuple(sorted(RULES))
