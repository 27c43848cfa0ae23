"""Connect: conn_spec and syn_spec in NEST's forms, mapped onto the kernel's rule engine."""
import numbers

import numpy as np

from kernel import get_kernel
from kernel.connect import RULES, expand_rule
from kernel.connect.context import DrawContext
from kernel.registry import SYNAPSE

from .errors import NESTErrors, nest_errors
from .nodes import NodeCollection

CONN_SWITCHES = ("allow_autapses", "allow_multapses", "make_symmetric")
SYN_COMMON = ("synapse_model", "weight", "delay", "receptor_type")


def _ids(nodes, what):
    if isinstance(nodes, NodeCollection):
        return nodes._ids
    if isinstance(nodes, (list, tuple, np.ndarray)):
        arr = np.asarray(nodes)
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(f"{what} must be a NodeCollection or an array of node ids")
        return arr.astype(np.int64).reshape(-1)
    raise TypeError(f"{what} must be a NodeCollection or an array of node ids; "
                    f"got {type(nodes).__name__}")


def parse_conn_spec(conn_spec):
    """(rule name, switches dict, rule parameters dict) from NEST's conn_spec forms."""
    if conn_spec is None:
        conn_spec = {"rule": "all_to_all"}
    elif isinstance(conn_spec, str):
        conn_spec = {"rule": conn_spec}
    elif not isinstance(conn_spec, dict):
        raise TypeError("conn_spec must be a rule name or a dict")
    rule = conn_spec.get("rule", "all_to_all")
    if rule not in RULES:
        raise NESTErrors.BadProperty(
            f"Unknown connectivity rule: {rule}. Known rules: {', '.join(sorted(RULES))}.")
    allowed = set(RULES[rule].params) | set(CONN_SWITCHES) | {"rule"}
    unknown = sorted(set(conn_spec) - allowed)
    if unknown:
        raise NESTErrors.UnaccessedDictionaryEntry(
            f"Unaccessed elements in conn_spec, in function Connect:  {' '.join(unknown)}"
            f" (rule {rule} takes: {', '.join(sorted(allowed - {'rule'}))})")
    switches = {"allow_autapses": bool(conn_spec.get("allow_autapses", True)),
                "allow_multapses": bool(conn_spec.get("allow_multapses", True))}
    params = {k: v for k, v in conn_spec.items() if k in RULES[rule].params}
    return rule, switches, params


def parse_syn_spec(syn_spec):
    """(synapse model, {parameter: value}) from NEST's syn_spec forms."""
    k = get_kernel()
    if syn_spec is None:
        syn_spec = {}
    elif isinstance(syn_spec, str):
        syn_spec = {"synapse_model": syn_spec}
    elif not isinstance(syn_spec, dict):
        raise TypeError("syn_spec must be a synapse model name or a dict")
    model = syn_spec.get("synapse_model", "static_synapse")
    if model not in k.models or k.models.spec(model).element_type != SYNAPSE:
        raise NESTErrors.UnknownSynapseType(
            f"Synapse with name {model} does not exist. Known synapse models are listed in "
            "nest.synapse_models.")
    spec = k.models.spec(model)
    common = sorted(set(syn_spec) & set(spec.common_params))
    if common:
        raise NESTErrors.NotImplemented(
            f'Synapse parameter "{common[0]}" can only be set via SetDefaults() or CopyModel() '
            f"for {model}.")
    unknown = sorted(set(syn_spec) - set(spec.params) - {"synapse_model"})
    if unknown:
        raise NESTErrors.UnaccessedDictionaryEntry(
            f"Unaccessed elements in syn_spec, in function Connect:  {' '.join(unknown)}"
            f" ({model} takes: {', '.join(sorted(spec.params))})")
    return model, {key: v for key, v in syn_spec.items() if key != "synapse_model"}


def _connection_values(name, value, rule, n_pre, n_post, pre_pos, post_pos):
    """Per-connection values of a syn_spec entry given as a scalar or an array."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value
    arr = np.asarray(value)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise NESTErrors.BadProperty(f"syn_spec '{name}' must be a number or an array of numbers; "
                                     f"got {value!r}.")
    if arr.ndim == 0:
        return arr.item()
    if rule == "all_to_all":
        if arr.shape != (n_post, n_pre):
            raise NESTErrors.BadProperty(
                f"syn_spec '{name}' for all_to_all must be a 2-D array of shape "
                f"(len(post), len(pre)) = ({n_post}, {n_pre}); got shape {arr.shape}.")
        return arr[post_pos, pre_pos]
    if arr.ndim != 1 or arr.shape[0] != len(pre_pos):
        raise NESTErrors.BadProperty(
            f"syn_spec '{name}' for {rule} must be a 1-D array with one value per connection "
            f"({len(pre_pos)}); got shape {arr.shape}.")
    return arr


@nest_errors
def Connect(pre, post, conn_spec=None, syn_spec=None, return_synapsecollection=False):
    """Connect ``pre`` to ``post`` by a rule (default all_to_all) with synapses of ``syn_spec``.

    Parameters
    ----------
    pre, post : NodeCollection or array of node ids
    conn_spec : str or dict, optional
        Rule name or ``{"rule": ..., rule parameters, "allow_autapses": ..., ...}``.
    syn_spec : str, dict or CollocatedSynapses, optional
        Synapse model name or ``{"synapse_model": ..., "weight": ..., "delay": ..., ...}``;
        values are scalars, arrays in the shapes NEST documents for each rule, or Parameters.
    return_synapsecollection : bool, optional
        Return the new connections as a SynapseCollection.
    """
    from .synapses import CollocatedSynapses, SynapseCollection
    pre_ids, post_ids = _ids(pre, "pre"), _ids(post, "post")
    rule, switches, params = parse_conn_spec(conn_spec)
    specs = syn_spec.syn_specs if isinstance(syn_spec, CollocatedSynapses) else [syn_spec]
    parsed = [parse_syn_spec(spec) for spec in specs]
    k = get_kernel()
    k.nodes.check_ids(pre_ids)
    k.nodes.check_ids(post_ids)
    stream = k.next_stream()
    pre_pos, post_pos = expand_rule(rule, pre_ids, post_ids, rng=DrawContext(k.rng_seed, stream),
                                    **switches, **params)
    sources, targets = pre_ids[pre_pos], post_ids[post_pos]
    before = _connection_counts(k, parsed) if return_synapsecollection else None
    for index, (model, syn_params) in enumerate(parsed):
        ctx = DrawContext(k.rng_seed, stream * 64 + index + 1, sources, targets,
                          np.arange(len(sources), dtype=np.uint64))
        values = {name: _connection_values(name, _evaluated(value, ctx), rule, len(pre_ids),
                                           len(post_ids), pre_pos, post_pos)
                  for name, value in syn_params.items()}
        k.connect(sources, targets, model, values)
    if return_synapsecollection:
        return SynapseCollection._from_found(_new_connections(k, before, np.unique(sources)))
    return None


def _evaluated(value, ctx):
    """Values of a Parameter for every connection; other values unchanged."""
    evaluate = getattr(value, "evaluate", None)
    return evaluate(ctx) if callable(evaluate) else value


def _connection_counts(k, parsed):
    k.connections.pack()
    return {model: np.diff(k.connections.table(model).indptr) for model, _ in parsed}


def _new_connections(k, before, sources):
    """[(model, positions)] of the connections made since ``before`` was taken."""
    from kernel.connections import _ranges
    k.connections.pack()
    found = []
    for model, counts in before.items():
        indptr = k.connections.tables[model].indptr
        old = np.zeros(indptr.shape[0] - 1, dtype=np.int64)
        old[:len(counts)] = counts[:len(old)]
        positions = _ranges(indptr[sources] + old[sources], indptr[sources + 1])
        if positions.size:
            found.append((model, positions))
    return found
