"""Connect: conn_spec and syn_spec in NEST's forms, mapped onto the kernel's rule engine."""
import numbers

import numpy as np

from kernel import get_kernel
from kernel.connect import RULES, array_shape, expand_rule, require_params, value_index
from kernel.connect.context import DrawContext, evaluate_by_identity
from kernel.registry import SYNAPSE

from .errors import NESTErrors, nest_errors
from .nodes import NodeCollection

CONN_SWITCHES = ("allow_autapses", "allow_multapses", "make_symmetric")
SYN_COMMON = ("synapse_model", "weight", "delay", "receptor_type")


def _ids(nodes, what):
    if isinstance(nodes, NodeCollection):
        nodes._require_valid("InvalidNodeCollection: sources and targets must be valid "
                             "NodeCollections (ResetKernel invalidates the ones made before it).")
        return nodes._checked_ids()
    if isinstance(nodes, (list, tuple, np.ndarray)):
        arr = np.asarray(nodes)
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(f"{what} must be a NodeCollection or an array of node ids")
        return arr.astype(np.int64).reshape(-1)
    raise TypeError(f"{what} must be a NodeCollection or an array of node ids; "
                    f"got {type(nodes).__name__}")


def parse_conn_spec(conn_spec):
    """(rule name, switches dict, rule parameters dict) from NEST's conn_spec forms.

    The switches are passed on as given (the kernel checks their type); a dict without
    "rule" raises KeyError('rule') and a rule without its parameter BadProperty naming it
    (NEST: ``IndexError: map::at``), before unknown keys are reported, as in NEST.
    """
    if conn_spec is None:
        conn_spec = {"rule": "all_to_all"}
    elif isinstance(conn_spec, str):
        conn_spec = {"rule": conn_spec}
    elif not isinstance(conn_spec, dict):
        raise TypeError("conn_spec must be a rule name or a dict")
    if "rule" not in conn_spec:
        raise KeyError("rule")
    rule = conn_spec["rule"]
    if not isinstance(rule, str) or rule not in RULES:
        raise NESTErrors.BadProperty(
            f"Unknown connectivity rule: {rule}. Known rules: {', '.join(sorted(RULES))}.")
    params = {k: v for k, v in conn_spec.items() if k in RULES[rule].params}
    require_params(rule, params)
    allowed = set(RULES[rule].params) | set(CONN_SWITCHES) | {"rule"}
    unknown = sorted(set(conn_spec) - allowed)
    if unknown:
        raise NESTErrors.UnaccessedDictionaryEntry(
            f"Unaccessed elements in conn_spec, in function Connect:  {' '.join(unknown)}"
            f" (rule {rule} takes: {', '.join(sorted(allowed - {'rule'}))})")
    switches = {"allow_autapses": conn_spec.get("allow_autapses", True),
                "allow_multapses": conn_spec.get("allow_multapses", True),
                "make_symmetric": conn_spec.get("make_symmetric", False)}
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
    if unknown and not k.dict_miss_is_error:
        syn_spec = {key: v for key, v in syn_spec.items() if key not in unknown}
    elif unknown:
        raise NESTErrors.UnaccessedDictionaryEntry(
            f"Unaccessed elements in syn_spec, in function Connect:  {' '.join(unknown)}"
            f" ({model} takes: {', '.join(sorted(spec.params))})")
    return model, {key: v for key, v in syn_spec.items() if key != "synapse_model"}


_ARRAY_RULES_1D = ("one_to_one", "fixed_total_number")
_ARRAY_RULES_2D = ("all_to_all", "fixed_indegree", "fixed_outdegree")
_SHAPE_WORDS = {"all_to_all": "(n_target x n_sources)", "fixed_indegree": "(n_target x indegree)",
                "fixed_outdegree": "(n_sources x outdegree)"}


def _inferred_params(rule, n_pre, n_post, n_conn):
    """The degree / N of a fixed_* rule from its connection count (every row is full)."""
    if rule == "fixed_indegree":
        return {"indegree": n_conn // n_post if n_post else 0}
    if rule == "fixed_outdegree":
        return {"outdegree": n_conn // n_pre if n_pre else 0}
    if rule == "fixed_total_number":
        return {"N": n_conn}
    return {}


def _connection_values(name, value, rule, n_pre, n_post, result, params=None):
    """Per-connection values of a syn_spec entry given as a scalar or an array.

    Arrays must have the rule's shape (``kernel.connect.array_shape``): a 1-D array is only
    allowed for one_to_one and fixed_total_number, a 2-D one only for all_to_all,
    fixed_indegree and fixed_outdegree (NEST raises TypeError otherwise, and ValueError for
    a wrong size). ``params`` are the rule's parameters (inferred from the connection count
    when not given).
    """
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value
    arr = np.asarray(value)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise NESTErrors.BadProperty(f"syn_spec '{name}' must be a number or an array of numbers; "
                                     f"got {value!r}.")
    if arr.ndim == 0:
        return arr.item()
    if arr.ndim == 1 and rule not in _ARRAY_RULES_1D:
        raise TypeError(f"'{name}' has the wrong type. One-dimensional parameter arrays can only "
                        "be used in conjunction with rule 'one_to_one' or 'fixed_total_number'"
                        f" (rule {rule}).")
    if arr.ndim == 2 and rule not in _ARRAY_RULES_2D:
        raise TypeError(f"'{name}' has the wrong type. Two-dimensional parameter arrays can only "
                        "be used in conjunction with rules 'all_to_all', 'fixed_indegree' or "
                        f"'fixed_outdegree' (rule {rule}).")
    if arr.ndim > 2:
        raise TypeError(f"'{name}' must be a scalar or an array of one or two dimensions; got "
                        f"{arr.ndim} dimensions.")
    if params is None:
        params = _inferred_params(rule, n_pre, n_post, len(result.pre_pos))
    shape = array_shape(rule, n_pre, n_post, params)
    if arr.shape != shape:
        words = f" {_SHAPE_WORDS[rule]}" if rule in _SHAPE_WORDS else ""
        raise ValueError(f"'{name}' has to be an array of dimension "
                         f"{'x'.join(str(d) for d in shape)}{words}, a scalar or a dictionary; "
                         f"got shape {'x'.join(str(d) for d in arr.shape)}.")
    return arr.reshape(-1)[value_index(rule, n_pre, n_post, result.pre_pos, result.post_pos,
                                       result.conn_index)]


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
    from .parameters import Parameter
    from .synapses import CollocatedSynapses, SynapseCollection
    pre_ids, post_ids = _ids(pre, "pre"), _ids(post, "post")
    if not len(pre_ids) or not len(post_ids):
        raise NESTErrors.IllegalConnection(
            f"{'Presynaptic' if not len(pre_ids) else 'Postsynaptic'} nodes cannot be an empty "
            "NodeCollection.")
    from .spatial_api import check_dimensions, spatial_expand, split_conn_spec
    conn_spec, spatial = split_conn_spec(conn_spec, pre, post)
    rule, switches, params = parse_conn_spec(conn_spec)
    specs = syn_spec.syn_specs if isinstance(syn_spec, CollocatedSynapses) else [syn_spec]
    parsed = [parse_syn_spec(spec) for spec in specs]
    k = get_kernel()
    k.nodes.check_ids(pre_ids)
    k.nodes.check_ids(post_ids)
    if rule != "one_to_one":
        _require_sorted_unique(pre, pre_ids, "pre")
        _require_sorted_unique(post, post_ids, "post")
    has_parameters = any(isinstance(v, Parameter) for _, sp in parsed for v in sp.values())
    rng = DrawContext(k.rng_seed, k.next_stream())
    # an MPI process builds the connections to its own targets (None: all of them)
    share = k.targets_share(pre_ids, post_ids)
    if spatial is not None:
        result = spatial_expand(k, rule, pre, post, pre_ids, post_ids, switches, params, spatial,
                                rng, share)
    else:
        result = expand_rule(rule, pre_ids, post_ids, rng=rng, targets_subset=share,
                             sources_subset=k.targets_share(post_ids, pre_ids) if
                             share is not None and switches["make_symmetric"] is True else None,
                             **switches, **params)
    if result.symmetric and has_parameters:
        raise NESTErrors.NotImplemented(
            "Symmetric connections require parameters that can be reset: give make_symmetric "
            "connections scalar or array synapse parameters, not nest.Parameter objects.")
    # without Parameters nothing reads the targets before Connect stages them: a
    # fixed_indegree call hands them over as each row's target once (RepeatedIds)
    sources, targets, index = result.connections(pre_ids.astype(np.int32),
                                                 post_ids.astype(np.int32),
                                                 repeated_targets=not has_parameters)
    before = _connection_counts(k, parsed) if return_synapsecollection else None
    for model, syn_params in parsed:
        values = {}
        for name, value in syn_params.items():
            if isinstance(value, Parameter):
                check_dimensions(value, pre_ids, post_ids, name)
                # each Parameter-valued key draws from a stream of its own, for the
                # connections built here only, keyed alike on every process
                if result.value_keys == "identity":
                    drawn = evaluate_by_identity(value, k.rng_seed, k.next_stream(), sources,
                                                 targets)
                else:
                    sites = None if result.draw_index is None else \
                        result.draw_index.astype(np.uint64, copy=False)
                    drawn = value.evaluate(DrawContext(k.rng_seed, k.next_stream(), sources,
                                                       targets, sites, count=len(sources)))
                param = k.models.spec(model).params.get(name)
                # NEST casts a Parameter's doubles to integers (receptor_type) by truncation
                values[name] = drawn.astype(np.int64) if param is not None and \
                    param.kind == "int" else drawn
                continue
            value = _connection_values(name, value, rule, len(pre_ids), len(post_ids),
                                       result, params=params)
            values[name] = value[index] if np.ndim(value) and result.symmetric else value
        k.connect(sources, targets, model, values, legal_for=(pre_ids, post_ids),
                  local_only=result.share_built)
    if return_synapsecollection:
        return SynapseCollection._from_found(_new_connections(k, before, np.unique(sources)))
    return None


def _require_sorted_unique(nodes, ids, what):
    """Id arrays stand for NodeCollections, which NEST requires sorted and unique."""
    if isinstance(nodes, NodeCollection):
        return
    if np.unique(ids).size != ids.size:
        raise ValueError(f"{what}: node ids must be unique (only one_to_one accepts repeated "
                         "ids).")
    if np.any(np.diff(ids) < 0):
        raise NESTErrors.BadProperty(f"{what}: node ids must be sorted in ascending order "
                                     "(only one_to_one accepts arbitrary id arrays).")


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
