"""Neuropil's facade of the PyNEST 3.10 high-level API.

``import nest`` gives this API (the ``nest`` package re-exports it). Every function maps NEST's
arguments onto the kernel and raises NEST's exception classes for NEST's mistakes.
"""
__version__ = "3.10.0"

from types import ModuleType as _ModuleType  # noqa: E402

from .connections import Connect  # noqa: E402
from .errors import NESTError, NESTErrors  # noqa: E402
from .info import (BUILD_INFO as _BUILD_INFO, VerbosityLevel, get_verbosity, help,  # noqa: E402
                   message, set_verbosity, to_json)
from .kernel_status import (GetKernelStatus, SetKernelStatus, get,  # noqa: E402
                            set)
from .models import (ConnectionRules, CopyModel, GetDefaults, Models,  # noqa: E402
                     SetDefaults)
from .nodes import Create, GetStatus, NodeCollection, PrintNodes, SetStatus  # noqa: E402
from .parallel import (GetLocalNodeCollection, GetLocalVPs, GetNodes,  # noqa: E402
                       NumProcesses, Rank, SyncProcesses)
from .parameters import CreateParameter, Parameter  # noqa: E402
from .spatial_api import (CreateMask, Displacement, Distance,  # noqa: E402
                          DumpLayerConnections, DumpLayerNodes, FindCenterElement,
                          FindNearestElement, GetPosition, GetSourceNodes, GetSourcePositions,
                          GetTargetNodes, GetTargetPositions, Mask, SelectNodesByMask)
from .spatial_plot import (PlotLayer, PlotProbabilityParameter, PlotSources,  # noqa: E402
                           PlotTargets)
from .simulation import (Cleanup, Prepare, ResetKernel, Run, RunManager,  # noqa: E402
                         Simulate)
from .synapses import (CollocatedSynapses, Disconnect, GetConnections,  # noqa: E402
                       SynapseCollection)

build_info = _BUILD_INFO

# every public name imported above (functions, classes, build_info), none of the submodules
__all__ = sorted(_name for _name, _value in globals().items()
                 if not _name.startswith("_") and not (isinstance(_value, _ModuleType) and
                                                       _value.__name__.startswith(__name__ + ".")))
