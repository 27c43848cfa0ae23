"""Kernel attributes: ``nest.resolution``, ``GetKernelStatus``, ``SetKernelStatus``, ``nest.set``.

One table lists every attribute with how to read it and, if it can be changed, how to
write it; the module-level attributes of ``nest`` and the status functions all use it.
"""
import numbers

import numpy as np

from kernel import get_kernel
from kernel.connect import RULES

from .errors import NESTErrors, nest_errors
from .info import BUILD_INFO, get_verbosity_level, set_verbosity_level
from .models import node_models, synapse_models

DOUBLE_MAX = np.finfo(np.float64).max

# Settings NEST has that do not change what Neuropil computes; kept so scripts can set them.
PASSIVE_SETTINGS = {
    "adaptive_target_buffers": True, "buffer_size_spike_data": 2, "buffer_size_target_data": 2,
    "data_path": "", "data_prefix": "", "dict_miss_is_error": True, "keep_source_table": True,
    "max_buffer_size_target_data": 16777216, "overwrite_files": False, "print_time": False,
    "spike_buffer_grow_extra": 0.5, "spike_buffer_shrink_limit": 0.2,
    "spike_buffer_shrink_spare": 0.1, "update_time_limit": np.inf,
    "use_compressed_spikes": True, "use_wfr": True, "wfr_comm_interval": 1.0,
    "wfr_interpolation_order": 3, "wfr_max_iterations": 15, "wfr_tol": 0.0001,
    "growth_factor_buffer_spike_data": 1.5, "growth_factor_buffer_target_data": 1.5,
    "structural_plasticity_update_interval": 10000.0,
}
RNG_TYPES = ["Philox_32"]


class _Passive:
    values = dict(PASSIVE_SETTINGS)
    rng_type = "Philox_32"


def _set_resolution(k, value):
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise NESTErrors.TypeMismatch(f"resolution must be a number of ms; got {value!r}.")
    if k.nodes.size:
        raise NESTErrors.KernelException(
            "Nodes have already been created: time representation cannot be changed.")
    if k.clock:
        raise NESTErrors.KernelException(
            "Network has been simulated: time representation cannot be changed.")
    if value * k.grid.tics_per_ms < 1 - 1e-9:
        raise NESTErrors.KernelException(
            f"Resolution must be greater than or equal to one tic ({k.grid.ms_per_tic} ms). "
            "Value unchanged.")
    k.set_resolution(float(value))


def _set_threads(k, value):
    if not isinstance(value, numbers.Integral) or value < 1:
        raise NESTErrors.BadProperty(f"local_num_threads must be a positive integer; got {value!r}.")
    if k.nodes.size:
        raise NESTErrors.KernelException("Number of threads unchanged. Error conditions: Nodes exist.")
    k.local_num_threads = int(value)


def _set_seed(k, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise NESTErrors.TypeMismatch(f"rng_seed must be an integer; got {value!r}.")
    if not 1 <= value <= 2 ** 32 - 1:
        raise NESTErrors.BadProperty(f"rng_seed must be in [1, 2^32-1]; got {value}.")
    k.set_rng_seed(int(value))


def _set_rng_type(k, value):
    if value not in RNG_TYPES:
        raise NESTErrors.BadProperty(
            f"'{value}' is not a known RNG type; available: {', '.join(RNG_TYPES)} "
            "(Neuropil draws all random numbers from counter-based Philox streams).")
    _Passive.rng_type = value


def _set_biological_time(k, value):
    if value != 0.0:
        raise NESTErrors.BadProperty("The simulation time can only be set to 0.0.")
    k.clock = 0


def _delay_ms(k, steps):
    return float(k.grid.to_ms(steps))


ATTRIBUTES = {
    "biological_time": (lambda k: k.biological_time, _set_biological_time),
    "build_info": (lambda k: dict(BUILD_INFO), None),
    "connection_rules": (lambda k: sorted(RULES), None),
    "local_num_threads": (lambda k: k.local_num_threads, _set_threads),
    "max_delay": (lambda k: _delay_ms(k, k.delay_extrema()[1]), None),
    "min_delay": (lambda k: _delay_ms(k, k.delay_extrema()[0]), None),
    "ms_per_tic": (lambda k: k.grid.ms_per_tic, None),
    "mpi_rank": (lambda k: 0, None),
    "network_size": (lambda k: k.network_size, None),
    "node_models": (lambda k: node_models(), None),
    "num_connections": (lambda k: k.num_connections(), None),
    "num_processes": (lambda k: 1, None),
    "prepared": (lambda k: k.prepared, None),
    "recording_backends": (lambda k: ["memory"], None),
    "resolution": (lambda k: k.grid.resolution, _set_resolution),
    "rng_seed": (lambda k: k.rng_seed, _set_seed),
    "rng_type": (lambda k: _Passive.rng_type, _set_rng_type),
    "rng_types": (lambda k: list(RNG_TYPES), None),
    "synapse_models": (lambda k: synapse_models(), None),
    "T_max": (lambda k: float(k.grid.to_ms(2 ** 62 // k.grid.tics_per_step)), None),
    "T_min": (lambda k: -float(k.grid.to_ms(2 ** 62 // k.grid.tics_per_step)), None),
    "tics_per_ms": (lambda k: k.grid.tics_per_ms, None),
    "tics_per_step": (lambda k: k.grid.tics_per_step, None),
    "total_num_virtual_procs": (lambda k: k.local_num_threads, _set_threads),
    "verbosity": (lambda k: get_verbosity_level(), lambda k, v: set_verbosity_level(v)),
}
for _name in PASSIVE_SETTINGS:
    ATTRIBUTES[_name] = (lambda k, n=_name: _Passive.values[n],
                         lambda k, v, n=_name: _Passive.values.__setitem__(n, v))


def is_attribute(name):
    return name in ATTRIBUTES or name in ("min_delay", "max_delay")


def get_attribute(name):
    return ATTRIBUTES[name][0](get_kernel())


@nest_errors
def set_attributes(params):
    """Set kernel attributes from a dict (min_delay and max_delay only together)."""
    k = get_kernel()
    for name in params:
        if name not in ATTRIBUTES:
            raise ValueError(f"`{name}` is not a valid kernel parameter, valid parameters are: "
                             + ", ".join(f"'{n}'" for n in sorted(ATTRIBUTES)))
        if ATTRIBUTES[name][1] is None and name not in ("min_delay", "max_delay"):
            raise ValueError(f"`{name}` is a readonly kernel parameter")
    if "tics_per_ms" in params:
        if k.nodes.size:
            raise NESTErrors.KernelException(
                "Nodes have already been created: time representation cannot be changed.")
        k.set_tics_per_ms(float(params["tics_per_ms"]), params.get("resolution"))
    if ("min_delay" in params) != ("max_delay" in params):
        raise NESTErrors.BadProperty("Both min_delay and max_delay have to be specified")
    if "min_delay" in params:
        _set_delay_extrema(k, params["min_delay"], params["max_delay"])
    for name, value in params.items():
        if name in ("min_delay", "max_delay", "tics_per_ms"):
            continue
        ATTRIBUTES[name][1](k, value)


def _set_delay_extrema(k, min_delay, max_delay):
    if k.num_connections():
        raise NESTErrors.BadProperty("Connections already exist. Please call ResetKernel first")
    lo = int(np.floor(min_delay / k.grid.resolution + 0.5))
    hi = int(np.floor(max_delay / k.grid.resolution + 0.5))
    if lo < 1:
        raise NESTErrors.BadDelay(
            f"Delay value {min_delay} is invalid: min_delay must be greater than or equal to "
            "resolution.")
    if lo > hi:
        raise NESTErrors.BadDelay(
            f"Delay value {min_delay} is invalid: min_delay must be smaller than or equal to "
            "max_delay.")
    k.connections.set_delay_extrema(lo, hi)


@nest_errors
def GetKernelStatus(keys=None):
    """Kernel attributes: all as a dict, one value, or a tuple of values."""
    if keys is None:
        return {name: get_attribute(name) for name in sorted(ATTRIBUTES)}
    if isinstance(keys, str):
        if keys not in ATTRIBUTES:
            raise KeyError(keys)
        return get_attribute(keys)
    return tuple(GetKernelStatus(key) for key in keys)


def SetKernelStatus(params):
    """Set kernel attributes from a dict."""
    set_attributes(params)


def set(**kwargs):
    """Set kernel attributes: ``nest.set(resolution=0.1, rng_seed=12)``."""
    set_attributes(kwargs)


def get(*args):
    """Kernel attributes: all (no argument), one value, or a dict for several names."""
    if not args:
        return GetKernelStatus()
    if len(args) == 1:
        return GetKernelStatus(args[0])
    return {name: GetKernelStatus(name) for name in args}



def reset_settings():
    """Back to NEST's defaults (on ResetKernel); verbosity is kept, as in NEST."""
    _Passive.values = dict(PASSIVE_SETTINGS)
    _Passive.rng_type = RNG_TYPES[0]
