"""pyNN.neuropil: a PyNN 0.13 backend on Neuropil's kernel (``import pyNN.neuropil as sim``).

It drives the same kernel as ``import nest``, so ``nest.GetConnections()`` sees a network
built with PyNN. Standard cell, synapse and electrode types appear when the kernel has their
models (see :mod:`pynn_backend.standardmodels`); connectors are mapped natively onto the
kernel's rule engine (see :mod:`pynn_backend.connectors`).
"""
from pyNN import errors, random, space  # noqa: F401
from pyNN.network import Network  # noqa: F401
from pyNN.random import GSLRNG, NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.recording import *  # noqa: F401,F403
from pyNN.space import Space  # noqa: F401
from pyNN.standardmodels import StandardCellType

from .cells import NativeCellType, native_cell_type  # noqa: F401
from .connectors import *  # noqa: F401,F403
from .connectors import (AllToAllConnector, ArrayConnector, CloneConnector,  # noqa: F401
                         CSAConnector, DisplacementDependentProbabilityConnector,
                         DistanceDependentProbabilityConnector, FixedNumberPostConnector,
                         FixedNumberPreConnector, FixedProbabilityConnector,
                         FixedTotalNumberConnector, FromFileConnector, FromListConnector,
                         IndexBasedProbabilityConnector, OneToOneConnector,
                         SmallWorldConnector)
from .control import (end, get_current_time, get_max_delay, get_min_delay,  # noqa: F401
                      get_time_step, initialize, num_processes, rank, reset, run, run_for,
                      run_until, setup)
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .procedural_api import connect, create, record, record_gsyn, record_v, set  # noqa: F401
from .projections import Projection  # noqa: F401
from .random import NativeRNG  # noqa: F401
from .standardmodels.cells import *  # noqa: F401,F403
from .standardmodels.electrodes import *  # noqa: F401,F403
from .standardmodels.receptors import *  # noqa: F401,F403
from .standardmodels.synapses import *  # noqa: F401,F403


def list_standard_models():
    """Names of the standard cell types this backend can run (with the current kernel)."""
    return sorted(name for name, obj in globals().items()
                  if isinstance(obj, type) and issubclass(obj, StandardCellType)
                  and obj is not StandardCellType and hasattr(obj, "kernel_model"))
