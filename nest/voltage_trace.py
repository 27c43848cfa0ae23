"""``nest.voltage_trace``: plot membrane potentials recorded by a voltmeter or multimeter."""
from nest_compat.plotting import voltage_trace_from_device as from_device  # noqa: F401

__all__ = ["from_device"]
