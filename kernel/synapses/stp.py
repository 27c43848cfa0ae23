"""Short-term plastic and stochastic synapses: tsodyks_synapse, tsodyks_synapse_hom,
tsodyks2_synapse, quantal_stp_synapse, ht_synapse and bernoulli_synapse (with _hpc and _lbl
variants).

The weight of these synapses does not change; what a spike transmits does. Parameter
names, defaults, common parameters and checks are NEST 3.10's. The random models draw from
the kernel's counter-based generator (see _stp.pyx), so a run is reproducible for a seed
whatever the delivery order.
"""
import numpy as np

from ..errors import BadParameterValue
from ..registry import INT, SYNAPSE, ModelSpec, Param
from ._stp import (deliver_bernoulli, deliver_ht, deliver_quantal, deliver_tsodyks,
                   deliver_tsodyks2)
from .plastic import Plasticity, in_unit_interval, param_view, writable
from .static import SYNAPSE_STATUS, variants
from .stdp import _base_args, _columns, _params


def _time(kernel):
    return kernel.grid.tics_per_step, kernel.grid.ms_per_tic


def _head(kernel, table, spec, senders, stamps, mults):
    """ring .. targets, weights, delays, receptors, target_kind, neg_shift."""
    base = _base_args(kernel, table, senders, stamps, mults)
    return base[:6] + (param_view(kernel, table, spec, "weight"),) + base[6:]


# -- tsodyks_synapse / tsodyks_synapse_hom -------------------------------------------------------
class Tsodyks(Plasticity):
    """Tsodyks, Uziel & Markram (2000): resources move between recovered (x), active (y) and
    inactive (1 - x - y) states; u is the utilization."""

    state = ("x", "y", "u")
    hidden = {"_t_last": (np.float64, 0.0)}
    checked = ("U", "u", "x", "y")

    def check(self, values):
        in_unit_interval(values, "U", "u")
        if "x" in values and "y" in values and \
                np.any(np.asarray(values["x"]) + np.asarray(values["y"]) > 1.0):
            raise BadParameterValue("x", "x + y must be <= 1.0.")

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        deliver_tsodyks(*_head(kernel, table, spec, senders, stamps, mults),
                        writable(table, "x"), writable(table, "y"), writable(table, "u"),
                        writable(table, "_t_last"),
                        *(param_view(kernel, table, spec, name)
                          for name in ("U", "tau_psc", "tau_fac", "tau_rec")),
                        sink, *_time(kernel))


TSODYKS_PARAMS = _params(
    Param("U", 0.5, doc="Increment of the utilization u at a spike"),
    Param("tau_fac", 0.0, "ms", doc="Time constant of facilitation (0: none)", nonnegative=True),
    Param("tau_psc", 3.0, "ms", doc="Time constant of the active fraction y", positive=True),
    Param("tau_rec", 800.0, "ms", doc="Time constant of recovery", positive=True),
    Param("u", 0.0, doc="Utilization (state)"),
    Param("x", 1.0, doc="Fraction of recovered resources (state)"),
    Param("y", 0.0, doc="Fraction of active resources (state)"),
)
TSODYKS_HIDDEN = Tsodyks.hidden
TSODYKS_HOM_COMMON = ("U", "tau_fac", "tau_psc", "tau_rec", "weight")
TSODYKS = ModelSpec("tsodyks_synapse", SYNAPSE, None, TSODYKS_PARAMS, extra_status=SYNAPSE_STATUS,
                    extra_columns=_columns(TSODYKS_PARAMS, (), TSODYKS_HIDDEN),
                    plasticity=Tsodyks(),
                    doc="Short-term plasticity of Tsodyks, Uziel & Markram (2000).")
TSODYKS_HOM = ModelSpec("tsodyks_synapse_hom", SYNAPSE, None, TSODYKS_PARAMS,
                        extra_status=SYNAPSE_STATUS, common_params=TSODYKS_HOM_COMMON,
                        extra_columns=_columns(TSODYKS_PARAMS, TSODYKS_HOM_COMMON, TSODYKS_HIDDEN),
                        plasticity=Tsodyks(),
                        doc="tsodyks_synapse with common parameters and weight.")


# -- tsodyks2_synapse ----------------------------------------------------------------------------
class Tsodyks2(Plasticity):
    """Tsodyks & Markram (1997) with facilitation (Fuhrmann et al. 2002): a spike sends
    x u times the weight; x and u relax between spikes."""

    state = ("x", "u")
    hidden = {"_t_last": (np.float64, -1.0)}
    checked = ("U", "u")

    def check(self, values):
        in_unit_interval(values, "U", "u")

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        deliver_tsodyks2(*_head(kernel, table, spec, senders, stamps, mults),
                         writable(table, "x"), writable(table, "u"), writable(table, "_t_last"),
                         *(param_view(kernel, table, spec, name)
                           for name in ("U", "tau_fac", "tau_rec")),
                         sink, *_time(kernel))


TSODYKS2_PARAMS = _params(
    Param("U", 0.5, doc="Parameter determining the increase in u with each spike"),
    Param("tau_fac", 0.0, "ms", doc="Time constant of facilitation (0: none)", nonnegative=True),
    Param("tau_rec", 800.0, "ms", doc="Time constant of depression", positive=True),
    Param("u", 0.5, doc="Probability of release (state)"),
    Param("x", 1.0, doc="Amount of available resources (state)"),
)
TSODYKS2 = ModelSpec("tsodyks2_synapse", SYNAPSE, None, TSODYKS2_PARAMS,
                     extra_status=SYNAPSE_STATUS,
                     extra_columns=_columns(TSODYKS2_PARAMS, (), Tsodyks2.hidden),
                     plasticity=Tsodyks2(),
                     doc="Short-term depression and facilitation (Tsodyks & Markram 1997).")


# -- quantal_stp_synapse -------------------------------------------------------------------------
class Quantal(Plasticity):
    """Stochastic release from n sites (Fuhrmann et al. 2002, Loebel et al. 2009)."""

    state = ("u", "a")
    hidden = {"_t_last": (np.float64, -1.0)}
    checked = ("U", "u")

    def check(self, values):
        in_unit_interval(values, "U", "u")

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        deliver_quantal(*_head(kernel, table, spec, senders, stamps, mults),
                        writable(table, "u"), writable(table, "a"), writable(table, "_t_last"),
                        param_view(kernel, table, spec, "U"),
                        param_view(kernel, table, spec, "tau_fac"),
                        param_view(kernel, table, spec, "tau_rec"),
                        param_view(kernel, table, spec, "n", np.int32), sink, *_time(kernel),
                        kernel.rng_seed, spec.model_id)


QUANTAL_PARAMS = _params(
    Param("U", 0.5, doc="Maximal release probability per site"),
    Param("a", 1, kind=INT, doc="Number of available release sites (state)"),
    Param("n", 1, kind=INT, doc="Total number of release sites"),
    Param("tau_fac", 0.0, "ms", doc="Time constant of facilitation (0: none)", nonnegative=True),
    Param("tau_rec", 800.0, "ms", doc="Time constant of recovery of a site", positive=True),
    Param("u", 0.5, doc="Release probability per site (state)"),
)
QUANTAL = ModelSpec("quantal_stp_synapse", SYNAPSE, None, QUANTAL_PARAMS,
                    extra_status=SYNAPSE_STATUS,
                    extra_columns=_columns(QUANTAL_PARAMS, (), Quantal.hidden),
                    plasticity=Quantal(),
                    doc="Probabilistic synapse with short-term plasticity of release sites.")


# -- ht_synapse ----------------------------------------------------------------------------------
class HillTononi(Plasticity):
    """Depression of Hill & Tononi (2005): a vesicle pool P that each spike depletes."""

    state = ("P",)
    hidden = {"_t_last": (np.float64, 0.0)}
    checked = ("P", "delta_P")

    def check(self, values):
        in_unit_interval(values, "P", "delta_P")

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        deliver_ht(*_head(kernel, table, spec, senders, stamps, mults),
                   writable(table, "P"), writable(table, "_t_last"),
                   param_view(kernel, table, spec, "delta_P"),
                   param_view(kernel, table, spec, "tau_P"), sink, *_time(kernel))


HT_PARAMS = _params(
    Param("P", 1.0, doc="Size of the vesicle pool, 0 <= P <= 1 (state)"),
    Param("delta_P", 0.125, doc="Fraction of the pool used by a spike"),
    Param("tau_P", 500.0, "ms", doc="Recovery time constant of the pool", positive=True),
)
HT = ModelSpec("ht_synapse", SYNAPSE, None, HT_PARAMS, extra_status=SYNAPSE_STATUS,
               extra_columns=_columns(HT_PARAMS, (), HillTononi.hidden), plasticity=HillTononi(),
               doc="Synaptic depression of Hill & Tononi (2005).")


# -- bernoulli_synapse ---------------------------------------------------------------------------
class Bernoulli(Plasticity):
    """Each spike (each unit of multiplicity) is transmitted with probability p_transmit."""

    checked = ("p_transmit",)

    def check(self, values):
        in_unit_interval(values, "p_transmit")

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        deliver_bernoulli(*_head(kernel, table, spec, senders, stamps, mults),
                          param_view(kernel, table, spec, "p_transmit"), sink, kernel.rng_seed,
                          spec.model_id)


BERNOULLI_PARAMS = _params(Param("p_transmit", 1.0, doc="Transmission probability"))
BERNOULLI = ModelSpec("bernoulli_synapse", SYNAPSE, None, BERNOULLI_PARAMS,
                      extra_status=SYNAPSE_STATUS,
                      extra_columns=_columns(BERNOULLI_PARAMS, (), {}), plasticity=Bernoulli(),
                      doc="Static synapse that transmits each spike with probability p_transmit.")

SPECS = variants(TSODYKS) + variants(TSODYKS_HOM) + variants(TSODYKS2) + variants(QUANTAL) + \
    variants(HT) + variants(BERNOULLI)
