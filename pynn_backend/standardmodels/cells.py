"""Standard cell types: PyNN names and units on the kernel's neuron and generator models.

Every entry of :data:`CELL_TYPES` names the PyNN standard class, the kernel model, the
translations and the recordable variables. A class is defined (and exported) only if the
kernel registry has the model with every translated parameter; recordables the kernel model
does not record are left out of ``recordable``.
"""
import logging

import numpy as np
from pyNN.standardmodels import build_translations, cells

from . import NoEvalTranslation, has_native_parameters, kernel_spec

logger = logging.getLogger("PyNN")


# -- computed translations (functions, never strings) ----------------------------------------------
def _g_leak(**p):
    return p["cm"] / p["tau_m"] * 1000.0


def _tau_m(**p):
    return p["C_m"] / p["g_L"]


def _stop(**p):
    return p["start"] + p["duration"]


def _duration(**p):
    return p["stop"] - p["start"]


def _gamma_rate(**p):
    return p["beta"] / p["alpha"]


def _gamma_beta(**p):
    return p["gamma_shape"] * p["rate"]


def _unsupported(name, valid):
    def forward(**p):
        value = p[name]
        base = getattr(value, "base_value", value)
        if np.any(np.asarray(base) != valid):
            raise NotImplementedError(f"The `{name}` parameter is not supported by Neuropil's "
                                      f"model (it must be {valid}).")
        return valid
    return forward


class NeuropilCellType(NoEvalTranslation):
    """What the backend needs to know about a standard cell type besides PyNN's class.

    Attributes
    ----------
    kernel_model : str
        Kernel model name.
    variable_map : dict
        PyNN recordable -> kernel recordable.
    scale_factors : dict
        PyNN recordable -> factor from kernel units to PyNN units.
    receptor_scale : float
        Extra factor on weights (1e-3 for models whose weights are in mV).
    standard_receptor_type : bool
        True if 'excitatory' and 'inhibitory' share receptor port 0 (sign decides).
    """

    variable_map = {}
    scale_factors = {}
    receptor_scale = 1.0
    standard_receptor_type = True
    initial_value_map = None

    def get_receptor_type(self, name):
        return 0

    @property
    def nest_name(self):  # what pyNN.nest scripts sometimes look at
        return {"on_grid": self.kernel_model, "off_grid": self.kernel_model}


_IF_CURR = (("v_rest", "E_L"), ("v_reset", "V_reset"), ("cm", "C_m", 1000.0),
            ("tau_m", "tau_m"), ("tau_refrac", "t_ref"), ("v_thresh", "V_th"),
            ("i_offset", "I_e", 1000.0))
_SYN_TAUS = (("tau_syn_E", "tau_syn_ex"), ("tau_syn_I", "tau_syn_in"))
_IF_COND = (("v_rest", "E_L"), ("v_reset", "V_reset"), ("cm", "C_m", 1000.0),
            ("tau_m", "g_L", _g_leak, _tau_m), ("tau_refrac", "t_ref"),
            ("tau_syn_E", "tau_syn_ex"), ("tau_syn_I", "tau_syn_in"), ("v_thresh", "V_th"),
            ("i_offset", "I_e", 1000.0), ("e_rev_E", "E_ex"), ("e_rev_I", "E_in"))
_CURR_VARS = ({"v": "V_m", "isyn_exc": "I_syn_ex", "isyn_inh": "I_syn_in"},
              {"v": 1.0, "isyn_exc": 0.001, "isyn_inh": 0.001})
_COND_VARS = ({"v": "V_m", "gsyn_exc": "g_ex", "gsyn_inh": "g_in"},
              {"v": 1.0, "gsyn_exc": 0.001, "gsyn_inh": 0.001})
_EIF = (("cm", "C_m", 1000.0), ("tau_refrac", "t_ref"), ("v_spike", "V_peak"),
        ("v_reset", "V_reset"), ("v_rest", "E_L"), ("tau_m", "g_L", _g_leak, _tau_m),
        ("i_offset", "I_e", 1000.0), ("a", "a"), ("b", "b", 1000.0), ("delta_T", "Delta_T"),
        ("tau_w", "tau_w"), ("v_thresh", "V_th"), ("e_rev_E", "E_ex"), ("tau_syn_E", "tau_syn_ex"),
        ("e_rev_I", "E_in"), ("tau_syn_I", "tau_syn_in"))
_EIF_VARS = ({"v": "V_m", "gsyn_exc": "g_ex", "gsyn_inh": "g_in", "w": "w"},
             {"v": 1.0, "gsyn_exc": 0.001, "gsyn_inh": 0.001, "w": 0.001})

# (PyNN class, kernel model, translations, (variable_map, scale_factors), extra attributes)
CELL_TYPES = [
    (cells.IF_curr_alpha, "iaf_psc_alpha", _IF_CURR + _SYN_TAUS, _CURR_VARS, {}),
    (cells.IF_curr_exp, "iaf_psc_exp", _IF_CURR + _SYN_TAUS, _CURR_VARS, {}),
    (cells.IF_curr_delta, "iaf_psc_delta", _IF_CURR, ({"v": "V_m"}, {"v": 1.0}),
     {"receptor_scale": 1e-3}),
    (cells.IF_cond_alpha, "iaf_cond_alpha", _IF_COND, _COND_VARS, {}),
    (cells.IF_cond_exp, "iaf_cond_exp", _IF_COND, _COND_VARS, {}),
    (cells.IF_cond_exp_gsfa_grr, "iaf_cond_exp_sfa_rr",
     _IF_COND + (("tau_sfa", "tau_sfa"), ("e_rev_sfa", "E_sfa"), ("q_sfa", "q_sfa"),
                 ("tau_rr", "tau_rr"), ("e_rev_rr", "E_rr"), ("q_rr", "q_rr")),
     ({"v": "V_m", "gsyn_exc": "g_ex", "gsyn_inh": "g_in", "g_r": "g_rr", "g_s": "g_sfa"},
      {"v": 1.0, "gsyn_exc": 0.001, "gsyn_inh": 0.001, "g_r": 0.001, "g_s": 0.001}), {}),
    (cells.IF_facets_hardware1, "iaf_cond_exp",
     (("v_reset", "V_reset"), ("v_rest", "E_L"), ("v_thresh", "V_th"), ("e_rev_I", "E_in"),
      ("tau_syn_E", "tau_syn_ex"), ("tau_syn_I", "tau_syn_in"), ("g_leak", "g_L")),
     _COND_VARS, {"extra_parameters": {"C_m": 200.0, "t_ref": 1.0, "E_ex": 0.0}}),
    (cells.HH_cond_exp, "hh_cond_exp_traub",
     (("gbar_Na", "g_Na", 1000.0), ("gbar_K", "g_K", 1000.0), ("g_leak", "g_L", 1000.0),
      ("cm", "C_m", 1000.0), ("v_offset", "V_T"), ("e_rev_Na", "E_Na"), ("e_rev_K", "E_K"),
      ("e_rev_leak", "E_L"), ("e_rev_E", "E_ex"), ("e_rev_I", "E_in"),
      ("tau_syn_E", "tau_syn_ex"), ("tau_syn_I", "tau_syn_in"), ("i_offset", "I_e", 1000.0)),
     ({"v": "V_m", "gsyn_exc": "g_ex", "gsyn_inh": "g_in", "m": "Act_m", "n": "Act_n",
       "h": "Inact_h"},
      {"v": 1.0, "gsyn_exc": 0.001, "gsyn_inh": 0.001, "m": 1.0, "n": 1.0, "h": 1.0}), {}),
    (cells.EIF_cond_alpha_isfa_ista, "aeif_cond_alpha", _EIF, _EIF_VARS, {}),
    (cells.EIF_cond_exp_isfa_ista, "aeif_cond_exp", _EIF, _EIF_VARS, {}),
    (cells.Izhikevich, "izhikevich",
     (("a", "a"), ("b", "b"), ("c", "c"), ("d", "d"), ("i_offset", "I_e", 1000.0)),
     ({"v": "V_m", "u": "U_m"}, {"v": 1.0, "u": 1.0}), {"receptor_scale": 1e-3}),
    (cells.GIF_cond_exp, "gif_cond_exp",
     (("v_rest", "E_L"), ("cm", "C_m", 1000.0), ("tau_m", "g_L", _g_leak, _tau_m),
      ("tau_refrac", "t_ref"), ("tau_syn_E", "tau_syn_ex"), ("tau_syn_I", "tau_syn_in"),
      ("e_rev_E", "E_ex"), ("e_rev_I", "E_in"), ("v_reset", "V_reset"),
      ("i_offset", "I_e", 1000.0), ("delta_v", "Delta_V"), ("v_t_star", "V_T_star"),
      ("lambda0", "lambda_0"), ("tau_eta", "tau_stc"), ("tau_gamma", "tau_sfa"),
      ("a_eta", "q_stc", 1000.0), ("a_gamma", "q_sfa")),
     ({"v": "V_m", "gsyn_exc": "g_ex", "gsyn_inh": "g_in", "i_eta": "I_stc", "v_t": "E_sfa"},
      {"v": 1.0, "gsyn_exc": 0.001, "gsyn_inh": 0.001, "i_eta": 0.001, "v_t": 1.0}), {}),
    (cells.SpikeSourcePoisson, "poisson_generator",
     (("rate", "rate"), ("start", "start"), ("duration", "stop", _stop, _duration)),
     ({}, {}), {}),
    (cells.SpikeSourcePoissonRefractory, "ppd_sup_generator",
     (("rate", "rate"), ("tau_refrac", "dead_time"),
      ("start", "start"), ("duration", "stop", _stop, _duration)), ({}, {}), {}),
    (cells.SpikeSourceGamma, "gamma_sup_generator",
     (("alpha", "gamma_shape"), ("beta", "rate", _gamma_rate, _gamma_beta),
      ("start", "start"), ("duration", "stop", _stop, _duration)), ({}, {}), {}),
    (cells.SpikeSourceInhGamma, "inh_gamma_generator",
     (("a", "a"), ("b", "b"), ("tbins", "tbins"), ("start", "start"),
      ("duration", "stop", _stop, _duration)), ({}, {}), {}),
    (cells.SpikeSourceArray, "spike_generator", (("spike_times", "spike_times"),),
     ({}, {}), {}),
]


def _define(base, model, translation_items, variables, extra):
    translations = build_translations(*translation_items)
    natives = [entry["translated_name"] for entry in translations.values()]
    natives += list(extra.get("extra_parameters", {}))
    if not has_native_parameters(model, natives):
        return None
    spec = kernel_spec(model)
    variable_map, scale_factors = variables
    recordable = [name for name in base.recordable
                  if name == "spikes" or variable_map.get(name) in spec.recordables]
    attrs = {
        "__doc__": base.__doc__,
        "__module__": __name__,
        "kernel_model": model,
        "translations": translations,
        "variable_map": {k: v for k, v in variable_map.items() if v in spec.recordables},
        "scale_factors": dict(scale_factors),
        "recordable": recordable,
    }
    attrs.update(extra)
    return type(base.__name__, (NeuropilCellType, base), attrs)


def available_cell_types():
    """Name -> class of every standard cell type the kernel can run now."""
    out = {}
    for base, model, items, variables, extra in CELL_TYPES:
        cls = _define(base, model, items, variables, extra)
        if cls is not None:
            out[base.__name__] = cls
        else:
            logger.debug("%s not available: kernel model %s missing or incomplete",
                         base.__name__, model)
    return out


_CLASSES = available_cell_types()
globals().update(_CLASSES)
__all__ = sorted(_CLASSES)
