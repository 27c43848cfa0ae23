"""The built-in model list: every module that defines models contributes its SPECS here."""
from .devices import generators, recorders
from .neurons import iaf_psc, parrot
from .synapses import static


def builtin_specs():
    """Fresh ModelSpec objects of every built-in model, in registry order."""
    from copy import copy
    modules = (iaf_psc, parrot, generators, recorders, static)
    return [copy(spec) for module in modules for spec in module.SPECS]
