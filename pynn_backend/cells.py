"""Native cell types: any kernel neuron or generator model, with its own names and units."""
import numpy as np
from pyNN.models import BaseCellType
from pyNN.parameters import Sequence

from kernel import get_kernel
from kernel.registry import FLOAT, FLOAT_ARRAY, INT, STIMULATOR

UNITS = {"mV": "mV", "pA": "pA", "nS": "nS", "ms": "ms", "pF": "pF", "Hz": "Hz"}


class NativeCellType(BaseCellType):
    """A kernel model used directly (NEST names and units)."""

    kernel_model = None
    standard_receptor_type = True

    def get_receptor_type(self, name):
        spec = get_kernel().models.spec(self.kernel_model)
        return spec.receptor_types.get(name, 0)


def native_cell_type(model_name):
    """A NativeCellType subclass for kernel model ``model_name``."""
    spec = get_kernel().models.spec(model_name)
    defaults = get_kernel().models.defaults(model_name)
    parameters, initial = {}, {}
    for name, param in spec.params.items():
        if param.readonly or param.kind not in (FLOAT, INT, FLOAT_ARRAY):
            continue
        value = defaults[name]
        value = Sequence(np.asarray(value, dtype=float)) if param.kind == FLOAT_ARRAY else value
        if name in spec.recordables:
            initial[name] = value
        else:
            parameters[name] = value
    recordable = list(spec.recordables) + ["spikes"]
    units = {var: UNITS.get(spec.params[var].unit, "dimensionless") if var in spec.params
             else "dimensionless" for var in spec.recordables}
    units["spikes"] = "ms"
    receptor_types = list(spec.receptor_types) or ["excitatory", "inhibitory"]
    stimulator = spec.element_type == STIMULATOR
    return type(model_name, (NativeCellType,), {
        "kernel_model": model_name, "default_parameters": parameters,
        "default_initial_values": initial, "receptor_types": receptor_types,
        "injectable": "V_m" in spec.recordables, "recordable": recordable, "units": units,
        "standard_receptor_type": not spec.receptor_types,
        "conductance_based": any(v.startswith("g") for v in spec.recordables),
        "always_local": stimulator, "variable_map": {}, "scale_factors": {}})
