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


class KernelAttribute:
    """A kernel attribute of the ``nest`` module (``nest.resolution``), as in PyNEST.

    ``_default`` is the value the attribute had when ``nest`` was imported.
    """

    def __init__(self, name):
        self._name = name
        self._default = _kernel_status.get_attribute(name)
        self.__doc__ = f"Kernel attribute '{name}' (see nest.GetKernelStatus)."

    def __get__(self, instance, owner=None):
        return self if instance is None else _kernel_status.get_attribute(self._name)

    def __set__(self, instance, value):
        if not _kernel_status.is_settable(self._name):
            raise AttributeError(f"`{self._name}` is a read only kernel attribute.")
        _kernel_status.set_attributes({self._name: value})


class NestModule(types.ModuleType):
    """The ``nest`` module: functions plus kernel attributes as properties."""

    def __getattr__(self, name):
        if name == "kernel_status":
            return _kernel_status.GetKernelStatus()
        public = [n for n in self.__dict__ if not n.startswith("_")]
        hint = did_you_mean(name, public + list(_kernel_status.ATTRIBUTES)) \
            if not name.startswith("_") else ""
        raise AttributeError(f"module 'nest' has no attribute '{name}'" + (f".{hint}" if hint else ""))

    def __setattr__(self, name, value):
        # Only kernel attributes (descriptors) can be assigned; functions and constants of the
        # module are not replaceable, as in NEST (submodules are set by the import system).
        if name in _kernel_status.ATTRIBUTES or name.startswith("_") \
                or isinstance(value, types.ModuleType):
            super().__setattr__(name, value)
        else:
            raise AttributeError(
                f"Cannot set attribute '{name}' on module 'nest': it is not a kernel attribute "
                f"(see nest.GetKernelStatus()).{did_you_mean(name, _kernel_status.ATTRIBUTES)}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(_kernel_status.ATTRIBUTES)
                      | {"node_models", "synapse_models", "kernel_status"})


for _name in _kernel_status.ATTRIBUTES:
    setattr(NestModule, _name, KernelAttribute(_name))
sys.modules[__name__].__class__ = NestModule
__all__ = list(nest_compat.__all__)

from . import (logic, math, random, raster_plot, spatial,  # noqa: E402,F401
               spatial_distributions, voltage_trace)
