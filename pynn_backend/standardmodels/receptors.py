"""Composed cell types: PointNeuron(neuron component, receptor=post-synaptic response, ...).

A PointNeuron runs on a kernel *multisynapse* model: the neuron component and every receptor
component name the models they fit (``possible_models``), and the kernel model is the one
they all share. Receptors are numbered from 1 in the sorted order of their names; their
parameters become the model's per-port arrays (``tau_syn``, ``E_rev`` ...), their recordables
the per-port variables (``AMPA.gsyn`` -> ``g_1``).
"""
from collections import defaultdict

import numpy as np
from pyNN import errors
from pyNN.parameters import ArrayParameter, LazyArray, ParameterSpace
from pyNN.standardmodels import build_translations, cells, receptors

from kernel import get_kernel

from . import NoEvalTranslation
from .cells import _EIF, _IF_CURR

_SYNAPTIC = {"tau_syn_E", "tau_syn_I", "e_rev_E", "e_rev_I"}


def _component(base, items, models, variables, scale_factors):
    attrs = {"__doc__": base.__doc__, "__module__": __name__,
             "translations": build_translations(*items), "possible_models": set(models),
             "variable_map": variables, "scale_factors": scale_factors}
    if not hasattr(base, "recordable"):  # receptors: their per-port variables
        attrs["recordable"] = list(variables)
    return type(base.__name__, (NoEvalTranslation, base), attrs)


LIF = _component(cells.LIF, _IF_CURR, ["iaf_psc_exp_multisynapse", "iaf_psc_alpha_multisynapse"],
                 {"v": "V_m"}, {"v": 1.0})
AdExp = _component(cells.AdExp, [i for i in _EIF if i[0] not in _SYNAPTIC],
                   ["aeif_cond_alpha_multisynapse", "aeif_cond_beta_multisynapse"],
                   {"v": "V_m", "w": "w"}, {"v": 1.0, "w": 0.001})
CurrExpPostSynapticResponse = _component(
    receptors.CurrExpPostSynapticResponse, (("locations", "locations"), ("tau_syn", "tau_syn")),
    ["iaf_psc_exp_multisynapse"], {"isyn": "I_syn"}, {"isyn": 0.001})
CondAlphaPostSynapticResponse = _component(
    receptors.CondAlphaPostSynapticResponse,
    (("locations", "locations"), ("e_syn", "E_rev"), ("tau_syn", "tau_syn")),
    ["aeif_cond_alpha_multisynapse"], {"gsyn": "g"}, {"gsyn": 0.001})
CondBetaPostSynapticResponse = _component(
    receptors.CondBetaPostSynapticResponse,
    (("locations", "locations"), ("e_syn", "E_rev"), ("tau_rise", "tau_rise"),
     ("tau_decay", "tau_decay")),
    ["aeif_cond_beta_multisynapse"], {"gsyn": "g"}, {"gsyn": 0.001})
CondExpPostSynapticResponse = _component(
    receptors.CondExpPostSynapticResponse,
    (("locations", "locations"), ("e_syn", "E_rev"), ("tau_syn", "tau_syn")),
    ["gif_cond_exp_multisynapse"], {"gsyn": "g"}, {"gsyn": 0.001})
AlphaPSR, BetaPSR, ExpPSR = (CondAlphaPostSynapticResponse, CondBetaPostSynapticResponse,
                             CondExpPostSynapticResponse)


class PointNeuron(cells.PointNeuron):
    """A neuron component with named post-synaptic receptors (see PyNN's PointNeuron)."""

    __doc__ = cells.PointNeuron.__doc__
    standard_receptor_type = False
    receptor_scale = 1.0

    def get_receptor_type(self, name):
        return self.receptor_types.index(name) + 1

    @property
    def kernel_model(self):
        models = set(self.neuron.possible_models)
        for psr in self.post_synaptic_receptors.values():
            models &= psr.possible_models
        models &= set(get_kernel().models.names())
        if not models:
            raise errors.NoModelAvailableError(
                "No Neuropil model combines these components "
                f"({type(self.neuron).__name__} with "
                f"{sorted({type(p).__name__ for p in self.post_synaptic_receptors.values()})})")
        return sorted(models)[0]

    @property
    def translations(self):
        return self.neuron.translations

    @property
    def variable_map(self):
        out = dict(self.neuron.variable_map)
        for name, psr in self.post_synaptic_receptors.items():
            for variable, native in psr.variable_map.items():
                out[f"{name}.{variable}"] = f"{native}_{self.get_receptor_type(name)}"
        return out

    @property
    def native_parameters(self):
        params = self.neuron.native_parameters
        arrays = defaultdict(list)
        for name in self.receptor_types:
            psr = self.post_synaptic_receptors[name]
            for native, value in psr.native_parameters.items():
                if native == "locations":
                    continue
                if not value.is_homogeneous:
                    raise NotImplementedError("receptor parameters must be the same for all "
                                              "cells of a population")
                value.shape = (1,)
                arrays[native].append(float(np.asarray(value.evaluate(simplify=True))
                                            .reshape(-1)[0]))
        params.update(**{name: LazyArray(ArrayParameter(values), dtype=ArrayParameter)
                         for name, values in arrays.items()})
        return params

    def translate(self, parameters, copy=True):
        return self.neuron.translate(parameters, copy)

    def reverse_translate(self, native_parameters):
        return self.neuron.reverse_translate(native_parameters)

    def get_native_names(self, *names):
        return self.neuron.get_native_names(*[n for n in names if "." not in n])

    def receptor_parameter(self, dotted):
        """(kernel array parameter, receptor index, receptor component) of 'AMPA.tau_syn'."""
        receptor, name = dotted.split(".")
        psr = self.post_synaptic_receptors[receptor]
        return (psr.translations[name]["translated_name"], self.receptor_types.index(receptor),
                psr)


def receptor_parameters(population, names):
    """ParameterSpace of dotted receptor parameters ('GABAA.e_syn') of a population's cells."""
    celltype = population.celltype
    out = {}
    for dotted in names:
        native, index, psr = celltype.receptor_parameter(dotted)
        per_cell = population._native_values(native)
        values = np.array([np.asarray(v, dtype=float)[index] for v in per_cell])
        standard = psr.reverse_translate(ParameterSpace({native: values}, shape=values.shape))
        out[dotted] = standard[dotted.split(".")[1]]
    return ParameterSpace(out, shape=(population.local_size,))


__all__ = ["AdExp", "AlphaPSR", "BetaPSR", "CondAlphaPostSynapticResponse",
           "CondBetaPostSynapticResponse", "CondExpPostSynapticResponse",
           "CurrExpPostSynapticResponse", "ExpPSR", "LIF", "PointNeuron"]
