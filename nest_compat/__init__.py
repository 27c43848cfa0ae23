"""Neuropil's facade of the PyNEST 3.10 high-level API.

``import nest`` gives this API (the ``nest`` package re-exports it). Every function maps NEST's
arguments onto the kernel and raises NEST's exception classes for NEST's mistakes.
"""
__version__ = "3.10.0"

from .connections import Connect  # noqa: E402
from .errors import NESTError, NESTErrors  # noqa: E402
from .info import (BUILD_INFO, VerbosityLevel, get_verbosity, help,  # noqa: E402
                   set_verbosity, to_json)
from .kernel_status import (GetKernelStatus, SetKernelStatus, get,  # noqa: E402
                            set)
from .models import (ConnectionRules, CopyModel, GetDefaults, Models,  # noqa: E402
                     SetDefaults)
from .nodes import Create, GetStatus, NodeCollection, SetStatus  # noqa: E402
from .parallel import (GetLocalNodeCollection, GetLocalVPs, GetNodes,  # noqa: E402
                       NumProcesses, Rank, SyncProcesses)
from .parameters import CreateParameter, Parameter  # noqa: E402
from .simulation import (Cleanup, Prepare, ResetKernel, Run, RunManager,  # noqa: E402
                         Simulate)
from .synapses import (CollocatedSynapses, Disconnect, GetConnections,  # noqa: E402
                       SynapseCollection)

build_info = BUILD_INFO

__all__ = [
    "Cleanup", "CollocatedSynapses", "Connect", "CreateParameter", "Parameter", "Disconnect", "GetConnections",
    "SynapseCollection", "ConnectionRules", "CopyModel", "Create", "GetDefaults",
    "GetKernelStatus", "GetStatus", "Models", "NESTError", "NESTErrors", "NodeCollection",
    "Prepare", "ResetKernel", "Run", "RunManager", "SetDefaults", "SetKernelStatus",
    "SetStatus", "Simulate", "VerbosityLevel", "build_info", "get", "get_verbosity", "help",
    "set", "set_verbosity", "to_json", "Rank", "NumProcesses", "SyncProcesses", "GetLocalVPs",
    "GetLocalNodeCollection", "GetNodes",
]
