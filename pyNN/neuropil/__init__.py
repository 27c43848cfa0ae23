"""``import pyNN.neuropil``: the PyNN backend of Neuropil (see the pynn_backend package)."""
from pynn_backend import *  # noqa: F401,F403
