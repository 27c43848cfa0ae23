"""``import pyNN.neuropil``: the PyNN backend of Neuropil (the pynn_backend package).

The submodules are the same module objects as pynn_backend's (``pyNN.neuropil.simulator is
pynn_backend.simulator``), so there is one simulator state whichever name a script uses.
"""
import sys

import pynn_backend
from pynn_backend import *  # noqa: F401,F403
from pynn_backend import __doc__  # noqa: F401

for _name, _module in list(sys.modules.items()):
    if _name.startswith("pynn_backend."):
        sys.modules["pyNN.neuropil." + _name[len("pynn_backend."):]] = _module
__path__ = pynn_backend.__path__
del _name, _module
