"""static_synapse and its variants: a fixed weight and delay.

Variants as in NEST: ``_lbl`` adds an integer ``synapse_label`` per connection, ``_hpc``
is NEST's compact-storage variant (the same here: every table is compact), ``_hom_w``
shares one weight among all connections of the model (set with SetDefaults or CopyModel).
"""
from dataclasses import replace

import numpy as np

from ..registry import INT, SYNAPSE, ModelSpec, Param

SYNAPSE_PARAMS = {
    "delay": Param("delay", 1.0, "ms", doc="Transmission delay"),
    "receptor_type": Param("receptor_type", 0, kind=INT, doc="Receptor port of the target",
                           nonnegative=True),
    "weight": Param("weight", 1.0, doc="Synaptic weight (pA for current synapses, nS for "
                                       "conductance synapses, mV for delta synapses)"),
}
LABEL = Param("synapse_label", -1, kind=INT, doc="User-defined label of the connection")
SYNAPSE_STATUS = {"element_type": "synapse", "has_delay": True, "requires_symmetric": False}


def variants(spec):
    """The spec plus its _lbl and _hpc variants (NEST registers all three)."""
    lbl = replace(spec, name=spec.name + "_lbl", params={**spec.params, "synapse_label": LABEL},
                  extra_columns={**spec.extra_columns, "synapse_label": np.int32})
    hpc = replace(spec, name=spec.name + "_hpc")
    return [spec, hpc, lbl]


STATIC = ModelSpec("static_synapse", SYNAPSE, None, dict(SYNAPSE_PARAMS),
                   extra_status=SYNAPSE_STATUS, doc="Synapse with a fixed weight and delay.")
STATIC_HOM_W = ModelSpec("static_synapse_hom_w", SYNAPSE, None, dict(SYNAPSE_PARAMS),
                         extra_status=SYNAPSE_STATUS, common_params=("weight",),
                         doc="Static synapse whose weight is shared by all its connections.")

SPECS = variants(STATIC) + variants(STATIC_HOM_W)
