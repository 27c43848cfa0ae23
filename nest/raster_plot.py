"""``nest.raster_plot``: plot spikes recorded by a spike_recorder (from memory or ascii files)."""
from nest_compat.plotting import raster_plot_from_device as from_device  # noqa: F401
from nest_compat.plotting import raster_plot_from_file as from_file  # noqa: F401

__all__ = ["from_device", "from_file"]
