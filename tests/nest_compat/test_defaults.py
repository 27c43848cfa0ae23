"""Model defaults, model lists and kernel status against the real NEST 3.10.

Reference data: tests/data/nest_defaults.json (``GetDefaults`` of 12 models),
nest_model_lists.json and nest_kernel_status.json (every ``GetKernelStatus()`` key after
``ResetKernel``, with what setting it to its own value does).
"""
import math

import numpy as np
import pytest

import nest
from refdata import load_reference

NEST_DEFAULTS = load_reference("nest_defaults.json")["defaults"]
NEST_LISTS = load_reference("nest_model_lists.json")
NEST_KERNEL = load_reference("nest_kernel_status.json")["kernel_status"]

# NEST's bookkeeping of its own memory pools and type system; nothing a model does depends on
# them and Neuropil has no equivalent.
NEST_ONLY_DEFAULTS = {
    "elementsize": "bytes per node object in NEST's memory pool",
    "instantiations": "NEST's per-thread count of created nodes",
    "capacity": "NEST's per-thread pool capacity",
    "available": "NEST's per-thread free pool slots",
    "type_id": "name of NEST's C++ model class",
    "sizeof": "bytes of NEST's C++ connection object (Neuropil's storage differs by design)",
}
# Present in both, but the value is a registry position, which differs between simulators.
POSITIONS = {"model_id", "synapse_modelid"}

# Kernel status keys NEST has and Neuropil does not, and why.
MISSING_KERNEL_KEYS = {
    "eprop_learning_window": "e-prop plasticity is not implemented",
    "eprop_reset_neurons_on_update": "e-prop plasticity is not implemented",
    "eprop_update_interval": "e-prop plasticity is not implemented",
    "growth_curves": "structural plasticity is not implemented",
    "structural_plasticity_synapses": "structural plasticity is not implemented",
    "local_spike_counter": "the update loop does not count spikes per rank yet",
    "max_num_syn_models": "NEST's limit on synapse models; Neuropil has none",
    "max_update_time": "NEST's update-phase timer; not instrumented",
    "min_update_time": "NEST's update-phase timer; not instrumented",
    "time_communicate_prepare": "NEST's phase timer; not instrumented",
    "time_communicate_prepare_cpu": "NEST's phase timer; not instrumented",
    "time_construction_connect": "NEST's phase timer; not instrumented",
    "time_construction_connect_cpu": "NEST's phase timer; not instrumented",
    "time_construction_create": "NEST's phase timer; not instrumented",
    "time_construction_create_cpu": "NEST's phase timer; not instrumented",
    "time_simulate": "NEST's phase timer; not instrumented",
    "time_simulate_cpu": "NEST's phase timer; not instrumented",
    "recv_buffer_size_secondary_events": "NEST's MPI buffer for secondary events",
    "send_buffer_size_secondary_events": "NEST's MPI buffer for secondary events",
    "to_do": "NEST's count of steps left in a run",
}
# Kernel status keys whose default differs from NEST's on purpose (the type must still match).
DIFFERENT_KERNEL_DEFAULTS = {
    "build_info": "describes this build, not NEST's",
    "connection_rules": "the rules Neuropil has (a subset, checked below)",
    "node_models": "the models Neuropil has (a subset, checked below)",
    "synapse_models": "the models Neuropil has (a subset, checked below)",
    "recording_backends": "only 'memory' so far (a subset, checked below)",
    "rng_type": "counter-based Philox streams, so results do not depend on threads/processes",
    "rng_types": "counter-based Philox streams only",
    "verbosity": "the reference was recorded with verbosity ERROR; ours is NEST's import default",
    "memory_size": "the virtual memory of this process in kB (machine-dependent, not stored)",
}
SUBSET_KERNEL_KEYS = ("connection_rules", "node_models", "synapse_models", "recording_backends",
                      "rng_types")


def plain(value):
    """The JSON form used by the reference data."""
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (nest.NodeCollection, nest.VerbosityLevel)):
        return repr(value)
    return value


def assert_same(ours, theirs, path):
    if isinstance(theirs, float) and isinstance(ours, float):
        assert math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-12), f"{path}: {ours} != {theirs}"
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict) and sorted(ours) == sorted(theirs), f"{path}: {ours} != {theirs}"
        for key in theirs:
            assert_same(ours[key], theirs[key], f"{path}[{key!r}]")
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), f"{path}: {ours} != {theirs}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{path}[{i}]")
    else:
        assert type(ours) is type(theirs) and ours == theirs, f"{path}: {ours!r} != {theirs!r}"


# -- model defaults ------------------------------------------------------------------------------
@pytest.mark.parametrize("model", sorted(NEST_DEFAULTS))
def test_defaults_match_nest(model):
    assert model in nest.node_models + nest.synapse_models, f"{model} is not implemented"
    ours = nest.GetDefaults(model)
    theirs = NEST_DEFAULTS[model]["values"]
    types = NEST_DEFAULTS[model]["types"]
    expected_keys = set(theirs) - set(NEST_ONLY_DEFAULTS)
    assert set(ours) == expected_keys, (f"missing {sorted(expected_keys - set(ours))}, "
                                        f"extra {sorted(set(ours) - expected_keys)}")
    for key in sorted(expected_keys):
        assert type(ours[key]).__name__ == types[key], \
            f"{key}: type {type(ours[key]).__name__}, NEST {types[key]}"
        if key not in POSITIONS:
            assert_same(plain(ours[key]), theirs[key], key)


# One changeable default per model, for the SetDefaults / ResetKernel round trip.
CHANGES = {
    "iaf_psc_alpha": ("I_e", 3.0), "iaf_psc_exp": ("tau_syn_ex", 3.0),
    "iaf_psc_delta": ("refractory_input", True), "parrot_neuron": ("frozen", False),
    "dc_generator": ("amplitude", 3.0), "poisson_generator": ("rate", 3.0),
    "spike_generator": ("spike_times", [3.0]), "spike_recorder": ("label", "x"),
    "multimeter": ("record_from", ["V_m"]), "voltmeter": ("interval", 3.0),
    "static_synapse": ("weight", 3.0), "static_synapse_hom_w": ("weight", 3.0),
}


@pytest.mark.parametrize("model", sorted(NEST_DEFAULTS))
def test_set_defaults_then_reset(model):
    before = plain(nest.GetDefaults(model))
    key, value = CHANGES[model]
    nest.SetDefaults(model, {key: value})
    assert plain(nest.GetDefaults(model, key)) == plain(value)
    nest.ResetKernel()
    assert plain(nest.GetDefaults(model)) == before


def test_model_lists_are_subsets_of_nest():
    assert isinstance(nest.node_models, list) and isinstance(nest.synapse_models, list)
    assert set(nest.node_models) <= set(NEST_LISTS["node_models"])
    assert set(nest.synapse_models) <= set(NEST_LISTS["synapse_models"])
    assert set(nest.connection_rules) <= set(NEST_LISTS["connection_rules"])
    assert nest.node_models == sorted(nest.node_models)
    assert nest.synapse_models == sorted(nest.synapse_models)
    assert not set(nest.node_models) & set(nest.synapse_models)


@pytest.mark.parametrize("model", sorted(NEST_LISTS["recordables"]))
def test_recordables(model):
    assert nest.GetDefaults(model, "recordables") == NEST_LISTS["recordables"][model]


def test_copied_models_join_the_lists_until_reset():
    nest.CopyModel("iaf_psc_alpha", "my_neuron", {"I_e": 5.0})
    nest.CopyModel("static_synapse", "my_synapse", {"weight": 2.0})
    assert "my_neuron" in nest.node_models and "my_neuron" not in nest.synapse_models
    assert "my_synapse" in nest.synapse_models and "my_synapse" not in nest.node_models
    assert nest.GetDefaults("my_neuron", ["I_e", "model"]) == [5.0, "my_neuron"]
    assert nest.GetDefaults("my_synapse")["synapse_model"] == "my_synapse"
    nest.ResetKernel()
    assert "my_neuron" not in nest.node_models and "my_synapse" not in nest.synapse_models


# -- kernel status -------------------------------------------------------------------------------
def test_kernel_status_keys():
    ours = set(nest.GetKernelStatus())
    theirs = set(NEST_KERNEL)
    assert ours <= theirs, f"keys NEST does not have: {sorted(ours - theirs)}"
    assert theirs - ours == set(MISSING_KERNEL_KEYS), (
        f"unlisted missing keys: {sorted(theirs - ours - set(MISSING_KERNEL_KEYS))}; "
        f"listed but present: {sorted(set(MISSING_KERNEL_KEYS) & ours)}")


@pytest.mark.parametrize("key", sorted(set(NEST_KERNEL) - set(MISSING_KERNEL_KEYS)))
def test_kernel_status_default(key):
    value = nest.GetKernelStatus(key)
    assert type(value).__name__ == NEST_KERNEL[key]["type"], key
    assert nest.GetKernelStatus([key]) == (value,) or key in ("build_info", "node_models",
                                                               "synapse_models")
    if key in SUBSET_KERNEL_KEYS:
        assert set(value) <= set(NEST_KERNEL[key]["default"])
    elif key not in DIFFERENT_KERNEL_DEFAULTS:
        assert_same(plain(value), NEST_KERNEL[key]["default"], key)


@pytest.mark.parametrize("key", sorted(set(NEST_KERNEL) - set(MISSING_KERNEL_KEYS)))
def test_setting_kernel_status_to_its_own_value(key):
    """What NEST does with SetKernelStatus({key: current value}): ok, or the same error class."""
    expected = NEST_KERNEL[key]["set_same_value"]
    value = nest.GetKernelStatus(key)
    if expected == "ok":
        nest.SetKernelStatus({key: value})
        assert plain(nest.GetKernelStatus(key)) == plain(value)
        return
    with pytest.raises(Exception) as info:
        nest.SetKernelStatus({key: value})
    assert type(info.value).__qualname__ == expected["exc_qualname"]
    assert type(info.value).__module__ == expected["exc_module"]
    assert key in str(info.value)


def test_kernel_attributes_are_module_attributes():
    for key in nest.GetKernelStatus():
        if key not in ("build_info", "node_models", "synapse_models"):
            assert plain(getattr(nest, key)) == plain(nest.GetKernelStatus(key)), key
    with pytest.raises(AttributeError, match="resolutio"):
        nest.resolutio  # noqa: B018 - the attribute access is the test
    with pytest.raises(AttributeError, match="Cannot set attribute 'foo'"):
        nest.foo = 1


def test_reset_kernel_restores_kernel_defaults():
    nest.set(resolution=0.25, rng_seed=7, print_time=True, min_delay=0.5, max_delay=2.0)
    nest.Create("iaf_psc_alpha")
    nest.Simulate(1.0)
    nest.ResetKernel()
    for key in ("resolution", "rng_seed", "print_time", "min_delay", "max_delay",
                "network_size", "biological_time", "tics_per_step"):
        assert_same(plain(nest.GetKernelStatus(key)), NEST_KERNEL[key]["default"], key)
