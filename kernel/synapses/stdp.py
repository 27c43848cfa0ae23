"""Spike-timing-dependent synapses: stdp_synapse, stdp_synapse_hom, stdp_pl_synapse_hom,
stdp_triplet_synapse, vogels_sprekeler_synapse and stdp_dopamine_synapse (with their _hpc and
_lbl variants).

All follow NEST's event-driven formulation: the weight changes when a presynaptic spike is
delivered, from the connection's presynaptic trace ``Kplus`` and the postsynaptic spike
archive (kernel/archive.py). Parameter names, defaults, which parameters are common to all
connections of a model (``_hom`` models, the dopamine synapse) and the consistency checks are
NEST 3.10's.
"""
import numpy as np

from ..errors import BadParameterValue
from ..registry import INT, SYNAPSE, ModelSpec, Param
from ._plastic import (deliver_dopamine, deliver_stdp, deliver_stdp_pl, deliver_triplet,
                       deliver_vogels, trigger_dopamine)
from .plastic import Plasticity, common, param_view, same_sign, time_args, writable
from .static import SYNAPSE_PARAMS, SYNAPSE_STATUS, variants

T_LAST = {"_t_last": (np.float64, 0.0)}


def _params(*extra):
    return dict(sorted({**SYNAPSE_PARAMS, **{p.name: p for p in extra}}.items()))


def _columns(spec_params, common_params, hidden):
    """Per-connection columns: every non-common parameter besides weight/delay/receptor."""
    cols = {name: (np.int32 if p.kind == INT else np.float64) for name, p in spec_params.items()
            if name not in SYNAPSE_PARAMS and name not in common_params}
    cols.update({name: dtype for name, (dtype, _) in hidden.items()})
    return cols


def _base_args(kernel, table, senders, stamps, mults):
    return (kernel.ring, senders, stamps, mults, table.indptr, table.view("target"),
            table.view("delay"), table.view("receptor"), kernel.target_kind, kernel.neg_shift)


# -- stdp_synapse / stdp_synapse_hom -------------------------------------------------------------
STDP_WEIGHT_PARAMS = ("tau_plus", "lambda", "alpha", "mu_plus", "mu_minus", "Wmax")


class Stdp(Plasticity):
    """Multiplicative or additive STDP with weight dependence exponents mu_plus / mu_minus:
    facilitation w/Wmax += lambda (1 - w/Wmax)^mu_plus K+ e^(-dt/tau_plus) (capped at Wmax),
    depression w/Wmax -= alpha lambda (w/Wmax)^mu_minus K- (floored at 0)."""

    archiving = True
    state = ("weight", "Kplus")
    hidden = T_LAST

    def __init__(self, sign_check):
        self.checked = ("weight", "Wmax") if sign_check else ()

    def check(self, values):
        if "weight" in values and "Wmax" in values:
            same_sign(values["weight"], values["Wmax"])

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        deliver_stdp(*_base_args(kernel, table, senders, stamps, mults),
                     writable(table, "weight"), writable(table, "Kplus"),
                     writable(table, "_t_last"),
                     *(param_view(kernel, table, spec, name) for name in STDP_WEIGHT_PARAMS),
                     kernel.archive.core, sink, *time_args(kernel.grid))


def _stdp_params(kplus_checked):
    return _params(
        Param("Kplus", 0.0, doc="Presynaptic trace", nonnegative=kplus_checked),
        Param("Wmax", 100.0, doc="Maximal weight (its sign is the weight's sign)"),
        Param("alpha", 1.0, doc="Asymmetry: ratio of depression to facilitation"),
        Param("lambda", 0.01, doc="Step size (learning rate)"),
        Param("mu_minus", 1.0, doc="Weight dependence exponent of depression"),
        Param("mu_plus", 1.0, doc="Weight dependence exponent of facilitation"),
        Param("tau_plus", 20.0, "ms", doc="Time constant of the presynaptic trace"),
    )


STDP_PARAMS = _stdp_params(True)
STDP = ModelSpec("stdp_synapse", SYNAPSE, None, STDP_PARAMS, extra_status=SYNAPSE_STATUS,
                 extra_columns=_columns(STDP_PARAMS, (), T_LAST), plasticity=Stdp(True),
                 doc="Pair-based STDP with power-law weight dependence (Guetig et al. 2003).")
STDP_HOM_PARAMS = _stdp_params(False)
STDP_HOM = ModelSpec("stdp_synapse_hom", SYNAPSE, None, STDP_HOM_PARAMS,
                     extra_status=SYNAPSE_STATUS, common_params=STDP_WEIGHT_PARAMS,
                     extra_columns=_columns(STDP_HOM_PARAMS, STDP_WEIGHT_PARAMS, T_LAST),
                     plasticity=Stdp(False),
                     doc="stdp_synapse whose STDP parameters are common to all its connections.")


# -- stdp_pl_synapse_hom ------------------------------------------------------------------------
class StdpPowerLaw(Plasticity):
    """Power-law STDP (Morrison et al. 2007): facilitation w += lambda w^mu K+ e^(-dt/tau_plus),
    depression w -= alpha lambda w K- (floored at 0)."""

    archiving = True
    state = ("weight", "Kplus")
    hidden = T_LAST

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        deliver_stdp_pl(*_base_args(kernel, table, senders, stamps, mults),
                        writable(table, "weight"), writable(table, "Kplus"),
                        writable(table, "_t_last"), common(kernel, spec, "tau_plus"),
                        common(kernel, spec, "lambda"), common(kernel, spec, "alpha"),
                        common(kernel, spec, "mu"), kernel.archive.core, sink,
                        *time_args(kernel.grid))


PL_COMMON = ("alpha", "lambda", "mu", "tau_plus")
PL_PARAMS = _params(
    Param("Kplus", 0.0, doc="Presynaptic trace"),
    Param("alpha", 1.0, doc="Asymmetry: ratio of depression to facilitation"),
    Param("lambda", 0.1, doc="Step size (learning rate)"),
    Param("mu", 0.4, doc="Exponent of the weight dependence of facilitation"),
    Param("tau_plus", 20.0, "ms", doc="Time constant of the presynaptic trace", positive=True),
)
STDP_PL = ModelSpec("stdp_pl_synapse_hom", SYNAPSE, None, PL_PARAMS, extra_status=SYNAPSE_STATUS,
                    common_params=PL_COMMON, extra_columns=_columns(PL_PARAMS, PL_COMMON, T_LAST),
                    plasticity=StdpPowerLaw(),
                    doc="STDP with power-law facilitation (Morrison et al. 2007), common "
                        "parameters.")


# -- vogels_sprekeler_synapse -------------------------------------------------------------------
class VogelsSprekeler(Plasticity):
    """Symmetric inhibitory STDP (Vogels et al. 2011): every pre and post spike facilitates
    |w| by eta times the other side's trace; every presynaptic spike also depresses |w| by
    alpha eta. |w| stays in [0, |Wmax|], the sign is Wmax's."""

    archiving = True
    state = ("weight", "Kplus")
    hidden = T_LAST
    checked = ("weight", "Wmax")

    def check(self, values):
        if "weight" in values and "Wmax" in values:
            same_sign(values["weight"], values["Wmax"])

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        deliver_vogels(*_base_args(kernel, table, senders, stamps, mults),
                       writable(table, "weight"), writable(table, "Kplus"),
                       writable(table, "_t_last"),
                       *(param_view(kernel, table, spec, name)
                         for name in ("tau", "eta", "alpha", "Wmax")),
                       kernel.archive.core, sink, *time_args(kernel.grid))


VS_PARAMS = _params(
    Param("Kplus", 0.0, doc="Presynaptic trace", nonnegative=True),
    Param("Wmax", 1.0, doc="Maximal |weight| (its sign is the weight's sign)"),
    Param("alpha", 0.12, doc="Constant depression per presynaptic spike (times eta)"),
    Param("eta", 0.001, doc="Learning rate"),
    Param("tau", 20.0, "ms", doc="Time constant of the presynaptic trace"),
    Param("weight", 0.5, doc="Synaptic weight"),
)
VOGELS = ModelSpec("vogels_sprekeler_synapse", SYNAPSE, None, VS_PARAMS,
                   extra_status=SYNAPSE_STATUS, extra_columns=_columns(VS_PARAMS, (), T_LAST),
                   plasticity=VogelsSprekeler(),
                   doc="Inhibitory STDP of Vogels et al. (2011).")


# -- stdp_dopamine_synapse ----------------------------------------------------------------------
DOPA_COMMON = ("A_minus", "A_plus", "Wmax", "Wmin", "b", "tau_c", "tau_n", "tau_plus",
               "volume_transmitter")
DOPA_FLOATS = ("A_plus", "A_minus", "tau_plus", "tau_c", "tau_n", "b", "Wmin", "Wmax")
DOPA_HIDDEN = {"_t_last": (np.float64, 0.0), "_dopa_idx": (np.int64, 0)}


class Dopamine(Plasticity):
    """Dopamine-modulated STDP (Izhikevich 2007, Potjans et al. 2010): STDP changes an
    eligibility trace c (A_plus K+ at postsynaptic, -A_minus K- at presynaptic spikes); the
    weight follows dw/dt = c (n - b), n being the dopamine trace fed by the spikes the volume
    transmitter collects. The volume transmitter brings every connection up to date every
    deliver_interval min_delay slices."""

    archiving = True
    state = ("weight", "c", "n", "Kplus")
    hidden = DOPA_HIDDEN

    @staticmethod
    def volume_transmitter(kernel, spec):
        return int(kernel.models.defaults(spec.name).get("volume_transmitter", 0) or 0)

    def check_connect(self, kernel, spec):
        if not self.volume_transmitter(kernel, spec):
            raise BadParameterValue(
                "volume_transmitter", f"No volume transmitter has been assigned to {spec.name}; "
                f"set one with SetDefaults('{spec.name}', {{'volume_transmitter': vt}}) first.")

    def _args(self, kernel, spec):
        return [common(kernel, spec, name) for name in DOPA_FLOATS]

    def _state(self, table):
        return [writable(table, name) for name in ("weight", "c", "n", "Kplus", "_t_last",
                                                   "_dopa_idx")]

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        dopa_t, dopa_m = kernel.plastic.dopamine_spikes(kernel, spec)
        deliver_dopamine(*_base_args(kernel, table, senders, stamps, mults),
                         *self._state(table), dopa_t, dopa_m, *self._args(kernel, spec),
                         kernel.archive.core, sink, *time_args(kernel.grid))

    def trigger(self, kernel, table, spec, dopa_t, dopa_m, t_trig):
        trigger_dopamine(table.view("target"), table.view("delay"), *self._state(table),
                         dopa_t, dopa_m, t_trig, *self._args(kernel, spec), kernel.archive.core,
                         kernel.grid.resolution)


DOPA_PARAMS = _params(
    Param("A_minus", 1.5, doc="Amplitude of depression of the eligibility trace"),
    Param("A_plus", 1.0, doc="Amplitude of facilitation of the eligibility trace"),
    Param("Kplus", 0.0, doc="Presynaptic trace", nonnegative=True),
    Param("Wmax", 200.0, doc="Maximal weight"),
    Param("Wmin", 0.0, doc="Minimal weight"),
    Param("b", 0.0, doc="Dopamine baseline concentration"),
    Param("c", 0.0, doc="Eligibility trace"),
    Param("n", 0.0, doc="Dopamine trace"),
    Param("tau_c", 1000.0, "ms", doc="Time constant of the eligibility trace"),
    Param("tau_n", 200.0, "ms", doc="Time constant of the dopamine trace"),
    Param("tau_plus", 20.0, "ms", doc="Time constant of the presynaptic trace"),
)
DOPAMINE = ModelSpec("stdp_dopamine_synapse", SYNAPSE, None, DOPA_PARAMS,
                     extra_status=SYNAPSE_STATUS, common_params=DOPA_COMMON,
                     extra_columns=_columns(DOPA_PARAMS, DOPA_COMMON, DOPA_HIDDEN),
                     plasticity=Dopamine(),
                     doc="Dopamine-modulated STDP; needs a volume_transmitter (common "
                         "property volume_transmitter).")

# -- stdp_triplet_synapse -----------------------------------------------------------------------
TRIPLET_RATES = ("tau_plus", "tau_plus_triplet", "Aplus", "Aminus", "Aplus_triplet",
                 "Aminus_triplet", "Wmax")


class StdpTriplet(Plasticity):
    """Triplet STDP of Pfister & Gerstner (2006), all-to-all: pair and triplet terms from
    the presynaptic traces Kplus / Kplus_triplet and the postsynaptic archive (tau_minus,
    tau_minus_triplet of the target)."""

    archiving = True
    state = ("weight", "Kplus", "Kplus_triplet")
    hidden = T_LAST
    checked = ("weight", "Wmax")

    def check(self, values):
        same_sign(values["weight"], values["Wmax"])

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        deliver_triplet(*_base_args(kernel, table, senders, stamps, mults),
                        writable(table, "weight"), writable(table, "Kplus"),
                        writable(table, "Kplus_triplet"), writable(table, "_t_last"),
                        *(param_view(kernel, table, spec, name) for name in TRIPLET_RATES),
                        kernel.archive.core, sink, *time_args(kernel.grid))


TRIPLET_PARAMS = _params(
    Param("Aminus", 0.007, doc="Amplitude of pair depression"),
    Param("Aminus_triplet", 0.00023, doc="Amplitude of triplet depression"),
    Param("Aplus", 5e-10, doc="Amplitude of pair facilitation"),
    Param("Aplus_triplet", 0.0062, doc="Amplitude of triplet facilitation"),
    Param("Kplus", 0.0, doc="Presynaptic pair trace", nonnegative=True),
    Param("Kplus_triplet", 0.0, doc="Presynaptic triplet trace", nonnegative=True),
    Param("Wmax", 100.0, doc="Maximal weight (its sign is the weight's sign)"),
    Param("tau_plus", 16.8, "ms", doc="Time constant of the pair trace"),
    Param("tau_plus_triplet", 101.0, "ms", doc="Time constant of the triplet trace"),
)
TRIPLET = ModelSpec("stdp_triplet_synapse", SYNAPSE, None, TRIPLET_PARAMS,
                    extra_status=SYNAPSE_STATUS, extra_columns=_columns(TRIPLET_PARAMS, (), T_LAST),
                    plasticity=StdpTriplet(),
                    doc="Triplet STDP (Pfister & Gerstner 2006), all-to-all interactions.")

SPECS = variants(STDP) + variants(STDP_HOM) + variants(STDP_PL) + variants(VOGELS) + \
    variants(DOPAMINE) + variants(TRIPLET)
