"""``nest.random``: see :mod:`nest_compat.random`."""
from nest_compat.random import *  # noqa: F401,F403
from nest_compat.random import __all__  # noqa: F401
