"""The built-in model list: every module that defines models contributes its SPECS here."""
from .devices import current_generators, generators, ppd_sup, recorders, spike_sources
from .neurons import iaf_psc, parrot
from .neurons import hh, iaf_cond, izhikevich, multisynapse
from .neurons import aeif
from .synapses import static
from .devices import volume_transmitter, weight_recorder
from .synapses import facetshw, stdp, stp
from .archive import with_archiving_params


def builtin_specs():
    """Fresh ModelSpec objects of every built-in model, in registry order."""
    from copy import copy
    modules = (iaf_psc, parrot, multisynapse, izhikevich, iaf_cond, hh, aeif, generators, current_generators,
               spike_sources, ppd_sup, recorders, static)
    modules += (volume_transmitter, weight_recorder, stdp, stp, facetshw)
    # tau_minus / tau_minus_triplet become real per-node parameters of neurons (archive.py)
    return [with_archiving_params(copy(spec)) for module in modules for spec in module.SPECS]
