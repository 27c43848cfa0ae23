"""static_synapse and its variants: a fixed weight and delay; cont_delay_synapse.

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
# cont_delay_synapse keeps, besides whole delay steps, how much earlier than the last step the
# event is due (ms). Delays given to Connect are rounded to steps as for every synapse; delays
# set on connections or as the model's default keep their off-grid part. Neuropil's neurons
# are on the grid, so an event arrives after the whole (rounded up) steps, as in NEST.
DELAY_OFFSET = "_delay_offset"


def has_continuous_delay(spec):
    """True for synapse models whose delays need not be a whole number of steps."""
    return DELAY_OFFSET in spec.extra_columns


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

CONT_DELAY = ModelSpec("cont_delay_synapse", SYNAPSE, None, dict(SYNAPSE_PARAMS),
                       extra_status=SYNAPSE_STATUS, extra_columns={DELAY_OFFSET: np.float64},
                       doc="Static synapse whose delay may lie between grid points.")

SPECS = variants(STATIC) + variants(STATIC_HOM_W) + variants(CONT_DELAY)
