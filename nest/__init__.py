"""``import nest``: Neuropil's facade of the PyNEST 3.10 API (see nest_compat).

Kernel attributes are module attributes, as in NEST: ``nest.resolution = 0.1`` sets the
resolution and ``nest.network_size`` reads the network size.
"""
import sys
import types

import nest_compat
from kernel.errors import did_you_mean
from nest_compat import *  # noqa: F401,F403
from nest_compat import __version__  # noqa: F401
from nest_compat import kernel_status as _kernel_status
from nest_compat import models as _models


class NestModule(types.ModuleType):
    """The ``nest`` module: functions plus kernel attributes as properties."""

    def __getattr__(self, name):
        if name == "node_models":
            return _models.node_models()
        if name == "synapse_models":
            return _models.synapse_models()
        if name == "kernel_status":
            return _kernel_status.GetKernelStatus()
        if name in _kernel_status.ATTRIBUTES:
            return _kernel_status.get_attribute(name)
        public = [n for n in self.__dict__ if not n.startswith("_")]
        hint = did_you_mean(name, public + list(_kernel_status.ATTRIBUTES)) \
            if not name.startswith("_") else ""
        raise AttributeError(f"module 'nest' has no attribute '{name}'" + (f".{hint}" if hint else ""))

    def __setattr__(self, name, value):
        if name in _kernel_status.ATTRIBUTES and name not in _kernel_status.settable_names():
            # NEST: nest.<read-only attribute> = x is an AttributeError (nest.set: ValueError)
            raise AttributeError(f"`{name}` is a read only kernel attribute.")
        if name in _kernel_status.ATTRIBUTES:
            _kernel_status.set_attributes({name: value})
        elif name.startswith("_") or name in self.__dict__ or isinstance(value, types.ModuleType):
            super().__setattr__(name, value)
        else:
            raise AttributeError(
                f"Cannot set attribute '{name}' on module 'nest': it is not a kernel attribute "
                f"(see nest.GetKernelStatus()).{did_you_mean(name, _kernel_status.ATTRIBUTES)}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(_kernel_status.ATTRIBUTES)
                      | {"node_models", "synapse_models", "kernel_status"})


sys.modules[__name__].__class__ = NestModule
__all__ = list(nest_compat.__all__)

from . import (logic, math, random, raster_plot, spatial,  # noqa: E402,F401
               spatial_distributions, voltage_trace)
