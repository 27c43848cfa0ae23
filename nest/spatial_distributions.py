"""``nest.spatial_distributions``: see :mod:`nest_compat.spatial_distributions`."""
from nest_compat.spatial_distributions import *  # noqa: F401,F403
from nest_compat.spatial_distributions import __all__  # noqa: F401
