"""Standard synapse types on the kernel's synapse models.

A synapse type knows the kernel model it uses (``kernel_model``) and its translations
(weights nA/µS -> pA/nS). String values (distance expressions such as ``"0.2 + 0.3*d"``) are
parsed by :mod:`pynn_backend.expressions` before PyNN sees them, so PyNN never ``eval``s them.
STDP combinations light up when the kernel has the plastic model with the parameters the
weight and timing dependences name.
"""
import numpy as np
from pyNN.standardmodels import build_translations, synapses

from ..expressions import as_callable
from . import NoEvalTranslation, has_native_parameters, kernel_spec

_WEIGHT_DELAY = (("weight", "weight", 1000.0), ("delay", "delay"))


def _minimum_delay():
    from ..simulator import state
    return state.min_delay


class NeuropilSynapseType(NoEvalTranslation):
    """Shared behaviour: string parameters parsed without eval, min_delay from the kernel."""

    kernel_model = "static_synapse"

    def __init__(self, **parameters):
        super().__init__(**{name: as_callable(value) for name, value in parameters.items()})

    def _get_minimum_delay(self):
        return _minimum_delay()

    @property
    def kernel_defaults(self):
        """Native values to use as the model defaults of a projection's own model copy."""
        return {}


def _simple(base, model, items, extra=None):
    translations = build_translations(*items)
    natives = [e["translated_name"] for e in translations.values()]
    if not has_native_parameters(model, natives):
        return None
    attrs = {"__doc__": base.__doc__, "__module__": __name__, "kernel_model": model,
             "translations": translations}
    attrs.update(extra or {})
    return type(base.__name__, (NeuropilSynapseType, base), attrs)


# -- STDP ------------------------------------------------------------------------------------------
def _alpha_forward(**p):
    a_minus, a_plus = np.asarray(p["A_minus"]), np.asarray(p["A_plus"])
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(a_plus == 0, a_minus, a_minus / np.where(a_plus == 0, 1.0, a_plus))
    return alpha if alpha.ndim else float(alpha)


def _alpha_forward_lazy(**p):
    a_minus, a_plus = p["A_minus"], p["A_plus"]
    if hasattr(a_plus, "base_value"):
        if a_plus.is_homogeneous and not a_plus.operations and np.isscalar(a_plus.base_value):
            return a_minus if a_plus.base_value == 0 else a_minus / a_plus.base_value
        return a_minus / a_plus
    return _alpha_forward(A_minus=a_minus, A_plus=a_plus)


def _a_minus_reverse(**p):
    alpha, lam = np.asarray(p["alpha"]), np.asarray(p["lambda"])
    value = np.where(lam == 0, alpha, alpha * lam)
    return value if value.ndim else float(value)


_WEIGHT_DEPENDENCES = {
    "AdditiveWeightDependence": {"mu_plus": 0.0, "mu_minus": 0.0},
    "MultiplicativeWeightDependence": {"mu_plus": 1.0, "mu_minus": 1.0},
    "AdditivePotentiationMultiplicativeDepression": {"mu_plus": 0.0, "mu_minus": 1.0},
}


def _weight_dependence(name):
    base = getattr(synapses, name)
    items = [("w_max", "Wmax", 1000.0), ("w_min", "w_min_always_zero", 1000.0)]
    if name == "GutigWeightDependence":
        items += [("mu_plus", "mu_plus"), ("mu_minus", "mu_minus")]
    attrs = {"__doc__": base.__doc__, "__module__": __name__,
             "translations": build_translations(*items),
             "possible_models": {"stdp_synapse", "vogels_sprekeler_synapse"},
             "extra_parameters": dict(_WEIGHT_DEPENDENCES.get(name, {})),
             "__init__": _weight_dependence_init(base)}
    return type(name, (NoEvalTranslation, base), attrs)


def _weight_dependence_init(base):
    def __init__(self, w_min=0.0, w_max=1.0, **others):
        if w_min != 0:
            raise ValueError(f"{base.__name__}: a non-zero minimum weight is not supported "
                             "(the kernel's STDP synapses, like NEST's, bound weights below by "
                             "0).")
        base.__init__(self, w_min=w_min, w_max=w_max, **others)
    return __init__


class STDPMechanism(NoEvalTranslation, synapses.STDPMechanism):
    """STDP: a timing dependence and a weight dependence on the kernel's plastic model."""

    __doc__ = synapses.STDPMechanism.__doc__
    base_translations = build_translations(*_WEIGHT_DELAY, ("dendritic_delay_fraction",
                                                            "dendritic_delay_fraction"))

    def __init__(self, timing_dependence=None, weight_dependence=None, voltage_dependence=None,
                 dendritic_delay_fraction=1.0, weight=0.0, delay=None):
        if dendritic_delay_fraction != 1:
            raise ValueError("Neuropil (like NEST) treats all delays as dendritic for STDP: "
                             "dendritic_delay_fraction must be 1.")
        super().__init__(timing_dependence, weight_dependence, voltage_dependence,
                         dendritic_delay_fraction, as_callable(weight), as_callable(delay))

    def _build_translations(self):
        # a copy: PyNN's version updates the class-level dict shared by every mechanism
        self.translations = dict(self.base_translations)
        for component in (self.timing_dependence, self.weight_dependence,
                          self.voltage_dependence):
            if component:
                self.translations.update(component.translations)

    def _get_minimum_delay(self):
        return _minimum_delay()

    @property
    def kernel_model(self):
        models = self.possible_models
        return sorted(models)[0]

    @property
    def native_parameters(self):
        params = super().native_parameters
        for name in ("dendritic_delay_fraction",):
            params.pop(name, None)
        return params


def _timing(name, items, models):
    base = getattr(synapses, name)
    attrs = {"__doc__": base.__doc__, "__module__": __name__,
             "translations": build_translations(*items), "possible_models": set(models)}
    return type(name, (NoEvalTranslation, base), attrs)


def available_synapse_types():
    """Name -> class of every standard synapse type (and STDP part) the kernel has now."""
    out = {}
    simple = [
        (synapses.StaticSynapse, "static_synapse", _WEIGHT_DELAY),
        (synapses.TsodyksMarkramSynapse, "tsodyks_synapse",
         _WEIGHT_DELAY + (("U", "U"), ("tau_rec", "tau_rec"), ("tau_facil", "tau_fac"))),
        (synapses.SimpleStochasticSynapse, "bernoulli_synapse",
         _WEIGHT_DELAY + (("p", "p_transmit"),)),
        (synapses.StochasticTsodyksMarkramSynapse, "stochastic_stp_synapse",
         _WEIGHT_DELAY + (("U", "U"), ("tau_rec", "tau_rec"), ("tau_facil", "tau_fac"))),
        (synapses.MultiQuantalSynapse, "quantal_stp_synapse",
         _WEIGHT_DELAY + (("U", "U"), ("n", "n"), ("tau_rec", "tau_rec"),
                          ("tau_facil", "tau_fac"))),
    ]
    for base, model, items in simple:
        cls = _simple(base, model, items)
        if cls is not None:
            out[base.__name__] = cls
    stdp = kernel_spec("stdp_synapse")
    if stdp is not None and has_native_parameters("stdp_synapse", ["tau_plus", "lambda",
                                                                   "alpha", "Wmax"]):
        out["STDPMechanism"] = STDPMechanism
        out["SpikePairRule"] = _timing(
            "SpikePairRule", (("tau_plus", "tau_plus"), ("tau_minus", "tau_minus"),
                              ("A_plus", "lambda"),
                              ("A_minus", "alpha", _alpha_forward_lazy, _a_minus_reverse)),
            ["stdp_synapse"])
        for name in ("AdditiveWeightDependence", "MultiplicativeWeightDependence",
                     "AdditivePotentiationMultiplicativeDepression", "GutigWeightDependence"):
            out[name] = _weight_dependence(name)
    if has_native_parameters("vogels_sprekeler_synapse", ["tau", "eta", "alpha", "Wmax"]):
        out["Vogels2011Rule"] = _timing(
            "Vogels2011Rule", (("tau", "tau"), ("eta", "eta"), ("rho", "alpha", _rho_alpha,
                                                                 _alpha_rho)),
            ["vogels_sprekeler_synapse"])
    return out


def _rho_alpha(**p):
    # alpha = 2 * rho * tau / 1000 (rho in Hz, tau in ms)
    return 2.0 * p["rho"] * p["tau"] * 0.001


def _alpha_rho(**p):
    return p["alpha"] / (2.0 * p["tau"] * 0.001)


_CLASSES = available_synapse_types()
globals().update(_CLASSES)
__all__ = sorted(_CLASSES)
