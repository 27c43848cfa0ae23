"""``nest.spatial``: see :mod:`nest_compat.spatial`.

Spatial parameters come with spatial networks; until then the names exist so that scripts
import, and using one raises NotImplementedError.
"""
from nest_compat.spatial import *  # noqa: F401,F403
from nest_compat.spatial import __all__  # noqa: F401
from nest_compat.spatial import __getattr__  # noqa: F401  (nest.spatial.distance)
