"""izhikevich: the simple spiking model of Izhikevich (2003), as NEST 3.10 integrates it.

dv/dt = 0.04 v^2 + 5 v + 140 - u + I_e + I,  du/dt = a (b v - u); when v >= V_th, v is set
to c and u is incremented by d. Spikes make v jump by their weight (mV, either sign, receptor
0); currents (dc_generator ...) enter I. There is no refractory period and NEST checks none of
the parameters. ``consistent_integration`` (default True) selects NEST's forward-Euler step;
False gives the numerics of the original publication (see ``_izhikevich.pyx``).
"""
import numpy as np

from ..registry import BOOL, NEURON, NEURON_STATUS, ModelSpec, Param
from ._izhikevich import IzhikevichCore
from .spiking_block import SpikingBlock

STATE = ("V_m", "U_m")


class Izhikevich(SpikingBlock):
    """Izhikevich neurons (structure of arrays, one compiled loop run by the slice engine)."""

    n_channels = 2
    spike_receptors = {0: 0}
    current_receptors = {0: 1}
    state_names = STATE

    def init_state(self, defaults):
        c = self.core = IzhikevichCore()
        c.V_m = np.full(self.n, float(defaults["V_m"]))
        c.U_m = np.full(self.n, float(defaults["U_m"]))
        c.I = np.zeros(self.n)

    def get_state(self, name, idx):
        return np.asarray(getattr(self.core, name))[idx].copy()

    def set_state(self, name, idx, values):
        np.asarray(getattr(self.core, name))[idx] = values

    def calibrate(self, grid):
        v, c = self.values, self.core
        c.h = grid.resolution
        for name in ("a", "b", "c", "d", "I_e", "V_th", "V_min"):
            setattr(c, name, v[name])
        c.consistent = v["consistent_integration"].astype(np.uint8)


SPECS = [
    ModelSpec(
        "izhikevich", NEURON, Izhikevich,
        dict(sorted({p.name: p for p in [
            Param("a", 0.02, doc="Time scale of the recovery variable u"),
            Param("b", 0.2, doc="Sensitivity of u to the membrane potential"),
            Param("c", -65.0, "mV", doc="After-spike reset value of V_m"),
            Param("d", 8.0, "mV", doc="After-spike increment of U_m"),
            Param("I_e", 0.0, "pA", doc="Constant input current"),
            Param("V_th", 30.0, "mV", doc="Spike threshold"),
            Param("V_min", -np.finfo(np.float64).max, "mV", doc="Lower bound of V_m"),
            Param("V_m", -65.0, "mV", doc="Membrane potential (state)"),
            Param("U_m", -13.0, "mV", doc="Membrane recovery variable (state)"),
            Param("consistent_integration", True, kind=BOOL,
                  doc="True: forward Euler; False: the numerics of Izhikevich (2003)"),
        ]}.items())),
        recordables=("U_m", "V_m"),
        extra_status=NEURON_STATUS,
        doc="Izhikevich (2003) simple spiking neuron (NEST's fixed-step integration).",
    ),
]
