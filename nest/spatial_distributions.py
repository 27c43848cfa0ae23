"""``nest.spatial_distributions``: see :mod:`nest_compat.spatial_distributions`.

Spatial parameters come with spatial networks; until then the functions exist so that scripts
import, and calling one raises NotImplementedError.
"""
from nest_compat.spatial_distributions import *  # noqa: F401,F403
from nest_compat.spatial_distributions import __all__  # noqa: F401
