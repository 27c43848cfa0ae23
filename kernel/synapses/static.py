"""static_synapse: a fixed weight and delay."""
from ..registry import INT, SYNAPSE, ModelSpec, Param

SYNAPSE_PARAMS = {
    "delay": Param("delay", 1.0, "ms", doc="Transmission delay", positive=True),
    "receptor_type": Param("receptor_type", 0, kind=INT, doc="Receptor port of the target",
                           nonnegative=True),
    "weight": Param("weight", 1.0, doc="Synaptic weight (pA for current synapses, nS for "
                                       "conductance synapses, mV for delta synapses)"),
}

SPECS = [
    ModelSpec("static_synapse", SYNAPSE, None, dict(SYNAPSE_PARAMS),
              extra_status={"element_type": "synapse", "has_delay": True,
                            "requires_symmetric": False},
              doc="Synapse with a fixed weight and delay."),
]
