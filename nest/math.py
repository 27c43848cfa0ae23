"""``nest.math``: see :mod:`nest_compat.math`."""
from nest_compat.math import *  # noqa: F401,F403
from nest_compat.math import __all__  # noqa: F401
