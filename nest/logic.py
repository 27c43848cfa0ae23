"""``nest.logic``: see :mod:`nest_compat.logic`."""
from nest_compat.logic import *  # noqa: F401,F403
from nest_compat.logic import __all__  # noqa: F401
