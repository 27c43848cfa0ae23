"""``nest.spatial``: see :mod:`nest_compat.spatial`."""
from nest_compat.spatial import *  # noqa: F401,F403
from nest_compat.spatial import __all__  # noqa: F401
from nest_compat.spatial import __getattr__  # noqa: F401  (nest.spatial.distance)
