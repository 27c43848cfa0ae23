"""Kernel attributes: ``nest.resolution``, ``GetKernelStatus``, ``SetKernelStatus``, ``nest.set``.

One table lists every attribute with how to read it and, if it can be changed, how to
write it; the module-level attributes of ``nest`` and the status functions all use it.
NEST 3.10's rules are followed: unknown or read-only names raise ``ValueError``, values of the
wrong type ``TypeMismatch``, and settings that only make sense before nodes, connections or
simulated time exist raise NEST's errors after that point.
"""
import math
import numbers
import warnings

import numpy as np

from kernel import get_kernel
from kernel.connect import RULES
from kernel.errors import did_you_mean
from kernel.io.recording_backends import BACKENDS as RECORDING_BACKENDS, OutputSettings

from .errors import NESTErrors, nest_errors
from .info import BUILD_INFO, get_verbosity_level, set_verbosity_level
from .models import node_models, synapse_models

DOUBLE_MAX = np.finfo(np.float64).max

# Settings NEST has that do not change what Neuropil computes (buffer tuning, waveform
# relaxation, output options); kept, type-checked like NEST does, so scripts can set them.
PASSIVE_SETTINGS = {
    "adaptive_target_buffers": True, "buffer_size_spike_data": 2, "buffer_size_target_data": 2,
    "keep_source_table": True,
    "max_buffer_size_target_data": 16777216, "print_time": False,
    "spike_buffer_grow_extra": 0.5, "spike_buffer_shrink_limit": 0.2,
    "spike_buffer_shrink_spare": 0.1, "update_time_limit": math.inf,
    "use_compressed_spikes": True, "use_wfr": True, "wfr_comm_interval": 1.0,
    "wfr_interpolation_order": 3, "wfr_max_iterations": 15, "wfr_tol": 0.0001,
    "growth_factor_buffer_target_data": 1.5,
    "structural_plasticity_update_interval": 10000.0,
}
# Constant facts about this build (read-only).
CONSTANTS = {
    "growth_factor_buffer_spike_data": 1.5, "modules": [],
    "off_grid_spiking": False, "stimulation_backends": [],
}
# NEST's generator names. Neuropil always draws from counter-based Philox4x32-10 streams
# (results then do not depend on the number of threads or processes); rng_type is accepted
# and reported so NEST scripts run, but it does not change the generator.
RNG_TYPES = ["Philox_32", "Philox_64", "Threefry_32", "Threefry_64", "mt19937", "mt19937_64"]
TYPE_NAMES = {bool: "bool", int: "long", float: "double", str: "std::string"}


class _Passive:
    values = dict(PASSIVE_SETTINGS)
    rng_type = "Philox_32"


def _type_mismatch(name, value, expected):
    return NESTErrors.TypeMismatch(
        f"Expected datatype: Failed to cast '{name}' from {type(value).__name__} {value!r} to "
        f"type {expected}.")


def _checked(name, value, kind):
    """``value`` as ``kind`` (bool, int, float or str), with NEST's TypeMismatch otherwise.

    Ints are accepted for floats; nothing else is converted.
    """
    if kind is bool:
        ok = isinstance(value, (bool, np.bool_))
    elif kind is int:
        ok = isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    else:
        ok = isinstance(value, str)
    if not ok:
        raise _type_mismatch(name, value, TYPE_NAMES[kind])
    return kind(value)


def _set_passive(name):
    kind = type(PASSIVE_SETTINGS[name])

    def setter(k, value):
        _Passive.values[name] = _checked(name, value, kind)

    return setter


def _set_output(name):
    """Setter of data_path / data_prefix: a bad value keeps the old one and warns (NEST logs
    an error and keeps it)."""
    def setter(k, value):
        value = _checked(name, value, str)
        try:
            getattr(OutputSettings, f"set_{name}")(value)
        except ValueError as error:
            warnings.warn(f"{error} {name} stays {getattr(OutputSettings, name)!r} (as in NEST).",
                          UserWarning, stacklevel=4)

    return setter


def _set_dict_miss_is_error(k, value):
    k.dict_miss_is_error = _checked("dict_miss_is_error", value, bool)


def _set_overwrite_files(k, value):
    k.recording.overwrite_files = _checked("overwrite_files", value, bool)


def _set_resolution(k, value):
    value = _checked("resolution", value, float)
    if k.nodes.size:
        raise NESTErrors.KernelException(
            "Nodes have already been created: time representation cannot be changed. Set the "
            "resolution before creating nodes (or call ResetKernel first).")
    if k.clock:
        raise NESTErrors.KernelException(
            "Network has been simulated: time representation cannot be changed. Set the "
            "resolution before simulating (or call ResetKernel first).")
    if k.models.modified:
        raise NESTErrors.KernelException(
            "Model defaults were modified: time representation cannot be changed. Set the "
            "resolution before SetDefaults and CopyModel (or call ResetKernel first).")
    tics = value * k.grid.tics_per_ms
    if tics < 1 - 1e-9:
        raise NESTErrors.KernelException(
            f"Resolution must be greater than or equal to one tic ({k.grid.ms_per_tic} ms); got "
            f"resolution={value}. Value unchanged.")
    if abs(tics - round(tics)) > 1e-9 * max(1.0, tics):
        raise NESTErrors.KernelException(
            f"Resolution must be a multiple of the tic length ({k.grid.ms_per_tic} ms); got "
            f"resolution={value}. Value unchanged.")
    k.set_resolution(value)


def _set_tics_per_ms(k, value, resolution):
    value = _checked("tics_per_ms", value, int)
    if resolution is None:
        raise NESTErrors.KernelException(
            "Change of tics_per_ms requires simultaneous specification of resolution, e.g. "
            "nest.set(tics_per_ms=10000, resolution=0.01).")
    if k.nodes.size or k.clock or k.models.modified:
        raise NESTErrors.KernelException(
            "Nodes have already been created, the network has been simulated or model defaults "
            "were modified: time representation (tics_per_ms) cannot be changed.")
    if value < 1:
        raise NESTErrors.BadProperty(f"tics_per_ms must be positive; got {value}.")
    resolution = _checked("resolution", resolution, float)
    if round(resolution * value) < 1:
        raise NESTErrors.KernelException(
            f"Resolution must be greater than or equal to one tic ({1.0 / value} ms); got "
            f"resolution={resolution}. Value unchanged.")
    k.set_tics_per_ms(float(value), resolution)


def _set_threads(name):
    def setter(k, value):
        value = _checked(name, value, int)
        if value < 1:
            raise NESTErrors.BadProperty(f"{name} must be a positive integer; got {value}.")
        if name == "total_num_virtual_procs":
            if value % k.processes.size:
                raise NESTErrors.BadProperty(
                    f"total_num_virtual_procs ({value}) must be a multiple of the number of MPI "
                    f"processes ({k.processes.size}).")
            value //= k.processes.size
        if value == k.local_num_threads:
            return      # NEST accepts the current value even when nodes exist
        if k.nodes.size:
            raise NESTErrors.KernelException(
                f"Number of threads unchanged. Error conditions: Nodes exist. ({name} can only "
                "be set before any node is created.)")
        k.local_num_threads = value

    return setter


def _set_seed(k, value):
    value = _checked("rng_seed", value, int)
    if not 1 <= value <= 2 ** 32 - 1:
        raise NESTErrors.BadProperty(f"RNG seed must be in (0, 2^32-1): rng_seed must be an "
                                     f"integer from 1 to 4294967295; got {value}.")
    k.set_rng_seed(value)


def _set_rng_type(k, value):
    value = _checked("rng_type", value, str)
    if value not in RNG_TYPES:
        raise NESTErrors.BadProperty(
            f"'{value}' is not a known RNG type (rng_type); available: {', '.join(RNG_TYPES)}.")
    _Passive.rng_type = value


def _set_biological_time(k, value):
    value = _checked("biological_time", value, float)
    if value != 0.0:
        raise NESTErrors.BadProperty(
            f"The simulation time can only be set to 0.0; got biological_time={value}.")
    k.clock = 0


def _memory_size(k):
    """Virtual memory of this process in kB, as NEST reports it (0 where /proc is missing)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _delay_ms(k, steps):
    return float(k.grid.to_ms(steps))


ATTRIBUTES = {
    "biological_time": (lambda k: k.biological_time, _set_biological_time),
    "build_info": (lambda k: dict(BUILD_INFO), None),
    "connection_rules": (lambda k: sorted(RULES), None),
    "local_num_threads": (lambda k: k.local_num_threads, _set_threads("local_num_threads")),
    "max_delay": (lambda k: _delay_ms(k, k.delay_extrema()[1]), None),
    "min_delay": (lambda k: _delay_ms(k, k.delay_extrema()[0]), None),
    "memory_size": (_memory_size, None),
    "ms_per_tic": (lambda k: k.grid.ms_per_tic, None),
    "network_size": (lambda k: k.network_size, None),
    "node_models": (lambda k: node_models(), None),
    "num_connections": (lambda k: k.num_connections(), None),
    "prepared": (lambda k: k.prepared, None),
    "recording_backends": (lambda k: list(RECORDING_BACKENDS), None),
    "data_path": (lambda k: OutputSettings.data_path, _set_output("data_path")),
    "dict_miss_is_error": (lambda k: k.dict_miss_is_error, _set_dict_miss_is_error),
    "data_prefix": (lambda k: OutputSettings.data_prefix, _set_output("data_prefix")),
    "overwrite_files": (lambda k: k.recording.overwrite_files, _set_overwrite_files),
    "resolution": (lambda k: k.grid.resolution, _set_resolution),
    "rng_seed": (lambda k: k.rng_seed, _set_seed),
    "rng_type": (lambda k: _Passive.rng_type, _set_rng_type),
    "rng_types": (lambda k: list(RNG_TYPES), None),
    "synapse_models": (lambda k: synapse_models(), None),
    # NEST's time limit is 2**60 tics, as a whole number of steps
    "T_max": (lambda k: float(k.grid.to_ms(2 ** 60 // k.grid.tics_per_step)), None),
    "T_min": (lambda k: -float(k.grid.to_ms(2 ** 60 // k.grid.tics_per_step)), None),
    "tics_per_ms": (lambda k: k.grid.tics_per_ms, None),
    "tics_per_step": (lambda k: k.grid.tics_per_step, None),
    "mpi_rank": (lambda k: k.processes.rank, None),
    "num_processes": (lambda k: k.processes.size, None),
    "total_num_virtual_procs": (lambda k: k.local_num_threads * k.processes.size,
                                _set_threads("total_num_virtual_procs")),
    "verbosity": (lambda k: get_verbosity_level(), lambda k, v: set_verbosity_level(v)),
}
for _name, _value in CONSTANTS.items():
    ATTRIBUTES[_name] = (lambda k, v=_value: list(v) if isinstance(v, list) else v, None)
# NEST logs when it resizes its spike buffers; Neuropil's buffers never need resizing
ATTRIBUTES["spike_buffer_resize_log"] = (
    lambda k: {key: np.zeros(0) for key in ("global_max_spikes_sent", "new_buffer_size", "times")},
    None)
for _name in PASSIVE_SETTINGS:
    ATTRIBUTES[_name] = (lambda k, n=_name: _Passive.values[n], _set_passive(_name))
# set together with other names, in set_attributes
SPECIAL_SETTERS = ("min_delay", "max_delay", "tics_per_ms")


def is_attribute(name):
    """True if ``name`` is a kernel attribute (``nest.<name>``)."""
    return name in ATTRIBUTES


def get_attribute(name):
    """The current value of kernel attribute ``name``."""
    return ATTRIBUTES[name][0](get_kernel())


def is_settable(name):
    """True if kernel attribute ``name`` can be set."""
    return ATTRIBUTES[name][1] is not None or name in SPECIAL_SETTERS


def settable_names():
    """Names of the kernel attributes users may set, sorted."""
    return sorted(n for n, (_, setter) in ATTRIBUTES.items()
                  if setter is not None or n in SPECIAL_SETTERS)


@nest_errors
def set_attributes(params):
    """Set kernel attributes from a dict (min_delay and max_delay only together).

    Parameters
    ----------
    params : dict
        Attribute names and their new values.

    Raises
    ------
    ValueError
        An unknown or read-only attribute (nothing is changed then).
    NESTErrors.TypeMismatch, NESTErrors.BadProperty, NESTErrors.KernelException, NESTErrors.BadDelay
        As NEST raises them for bad values or a kernel state that forbids the change.
    """
    k = get_kernel()
    for name in params:
        if name not in ATTRIBUTES:
            settable = settable_names()
            raise ValueError(f"`{name}` is not a valid kernel parameter.{did_you_mean(name, settable)}"
                             " valid parameters are: " + ", ".join(f"'{n}'" for n in settable))
        if ATTRIBUTES[name][1] is None and name not in SPECIAL_SETTERS:
            raise ValueError(f"`{name}` is a readonly kernel parameter")
    if "tics_per_ms" in params:
        _set_tics_per_ms(k, params["tics_per_ms"], params.get("resolution"))
    if ("min_delay" in params) != ("max_delay" in params):
        given = "min_delay" if "min_delay" in params else "max_delay"
        raise NESTErrors.BadProperty(
            f"Both min_delay and max_delay have to be specified (only {given} was given), e.g. "
            "nest.set(min_delay=0.5, max_delay=2.0).")
    # the time base first: min_delay and max_delay are converted to steps of the new resolution
    if "resolution" in params and "tics_per_ms" not in params:
        ATTRIBUTES["resolution"][1](k, params["resolution"])
    if "min_delay" in params:
        _set_delay_extrema(k, params["min_delay"], params["max_delay"])
    for name, value in params.items():
        if name in SPECIAL_SETTERS or name == "resolution":
            continue
        ATTRIBUTES[name][1](k, value)


def _set_delay_extrema(k, min_delay, max_delay):
    """NEST's rules: min_delay rounds down to the grid, max_delay up; before any Connect."""
    min_delay = _checked("min_delay", min_delay, float)
    max_delay = _checked("max_delay", max_delay, float)
    if k.num_connections():
        raise NESTErrors.BadProperty(
            "Connections already exist. Please call ResetKernel first (min_delay and max_delay "
            "can only be set before Connect).")
    if k.clock:
        return      # NEST ignores the change once time has passed
    steps_per_tic = 1.0 / k.grid.tics_per_step
    lo = int(math.floor(round(min_delay * k.grid.tics_per_ms) * steps_per_tic))
    hi = int(math.ceil(round(max_delay * k.grid.tics_per_ms) * steps_per_tic))
    if lo > hi:
        raise NESTErrors.BadDelay(
            f"Delay value {min_delay:g} is invalid: min_delay must be smaller than or equal to "
            f"max_delay (got min_delay={min_delay} ms, max_delay={max_delay} ms).")
    if lo < 1:
        raise NESTErrors.BadDelay(
            f"Delay value {_delay_ms(k, lo):g} is invalid: min_delay must be greater than or "
            f"equal to resolution (min_delay={min_delay} ms rounds down to {lo} steps of "
            f"{k.grid.resolution} ms).")
    k.connections.set_delay_extrema(lo, hi)


@nest_errors
def GetKernelStatus(keys=None):
    """Kernel attributes.

    Parameters
    ----------
    keys : str or list of str, optional
        One name, several names, or None for all.

    Returns
    -------
    dict, object or tuple
        All attributes as a dict, one value, or a tuple of values.

    Raises
    ------
    KeyError
        An unknown name.
    """
    if keys is None:
        return {name: get_attribute(name) for name in sorted(ATTRIBUTES)}
    if isinstance(keys, str):
        if keys not in ATTRIBUTES:
            raise KeyError(f"{keys!r} is not a kernel attribute.{did_you_mean(keys, ATTRIBUTES)}")
        return get_attribute(keys)
    return tuple(GetKernelStatus(key) for key in keys)


def SetKernelStatus(params):
    """Set kernel attributes.

    Parameters
    ----------
    params : dict
        Attribute names and values, e.g. ``{"resolution": 0.1, "rng_seed": 12}``.
    """
    set_attributes(params)


def set(**kwargs):
    """Set kernel attributes: ``nest.set(resolution=0.1, rng_seed=12)``.

    Parameters
    ----------
    **kwargs
        Attribute names and values.
    """
    set_attributes(kwargs)


def get(*args):
    """Kernel attributes: all (no argument), one value, or a tuple for several names.

    Parameters
    ----------
    *args : str or list of str
        Names, e.g. ``nest.get("resolution", "rng_seed")``.
    """
    if not args:
        return GetKernelStatus()
    if len(args) == 1:
        return GetKernelStatus(args[0])
    return GetKernelStatus(list(args))


def reset_settings():
    """Back to NEST's defaults (on ResetKernel); verbosity is kept, as in NEST."""
    _Passive.values = dict(PASSIVE_SETTINGS)
    _Passive.rng_type = RNG_TYPES[0]
