"""Hodgkin-Huxley neurons hh_psc_alpha and hh_cond_exp_traub (adaptive RKF45).

As in NEST 3.10: the ODEs are integrated with the kernel's RKF45 solver (``_odeint``) and
NEST's error control for these models (absolute tolerance 1e-3, relative 0: with 1e-6 the
traces differ from NEST's by ~1e-3 mV, with 1e-3 they agree bit for bit), one internal step
size per node carried over between steps.
There is no reset: a spike is detected at the peak of the action potential (V_m at or above
0 mV, resp. V_T + 30 mV, and falling) and t_ref only blocks further detection. The default
gating variables are the steady states of the rate equations at the default V_m (for
hh_cond_exp_traub NEST evaluates its rates at V_m itself, not V_m - V_T, for these defaults).
Spikes on receptor 0 with a positive weight go to the excitatory synapse, with a negative
weight to the inhibitory one (pA for hh_psc_alpha, |weight| nS for hh_cond_exp_traub).
"""
from math import exp

import numpy as np

from ..registry import NEURON, NEURON_STATUS, ModelSpec, Param
from ._hh import HHCore
from .iaf_cond import OdeBlock

E = np.e


def squid_steady_state(V):
    """(m, h, n) at rest for the hh_psc_alpha rate equations at potential V (mV)."""
    alpha_n = (0.01 * (V + 55.0)) / (1.0 - exp(-(V + 55.0) / 10.0))
    beta_n = 0.125 * exp(-(V + 65.0) / 80.0)
    alpha_m = (0.1 * (V + 40.0)) / (1.0 - exp(-(V + 40.0) / 10.0))
    beta_m = 4.0 * exp(-(V + 65.0) / 18.0)
    alpha_h = 0.07 * exp(-(V + 65.0) / 20.0)
    beta_h = 1.0 / (1.0 + exp(-(V + 35.0) / 10.0))
    return (alpha_m / (alpha_m + beta_m), alpha_h / (alpha_h + beta_h),
            alpha_n / (alpha_n + beta_n))


def traub_steady_state(u):
    """(m, h, n) at rest for the Traub-Miles rate equations at u (mV, relative to V_T)."""
    alpha_n = 0.032 * (15.0 - u) / (exp((15.0 - u) / 5.0) - 1.0)
    beta_n = 0.5 * exp((10.0 - u) / 40.0)
    alpha_m = 0.32 * (13.0 - u) / (exp((13.0 - u) / 4.0) - 1.0)
    beta_m = 0.28 * (u - 40.0) / (exp((u - 40.0) / 5.0) - 1.0)
    alpha_h = 0.128 * exp((17.0 - u) / 18.0)
    beta_h = 4.0 / (1.0 + exp((40.0 - u) / 5.0))
    return (alpha_m / (alpha_m + beta_m), alpha_h / (alpha_h + beta_h),
            alpha_n / (alpha_n + beta_n))


class HHBlock(OdeBlock):
    """What the two Hodgkin-Huxley models share (``kind`` selects the equations)."""

    n_channels = 3
    spike_receptors = {0: 0}
    current_receptors = {0: 2}
    split_sign = True
    kind = 0
    eps_abs = 1e-3      # NEST's absolute tolerance (relative 0) for both models

    @property
    def dim(self):
        return len(self.layout) + len(self.hidden)

    def new_core(self):
        c = HHCore()
        c.kind = self.kind
        c.I_stim = np.zeros(self.n)
        # the state column of each recordable, in the spec's order (the samples' order)
        columns = {**self.layout, **self.hidden}
        c.rec_cols = np.array([columns[name] for name in self.spec.recordables],
                              dtype=np.int32)
        return c

    def prepare_solver(self, core):
        # its parts keep their scratch memory on their threads' stacks
        core.reset_failures()

    def check(self, proposed, updates):
        """NEST checks no potentials of these models against each other."""

    def calibrate(self, grid):
        v, c = self.values, self.core
        self.calibrate_solver(grid)
        c.eps_abs = self.eps_abs
        n = self.n
        for name in ("C_m", "g_Na", "g_K", "g_L", "E_Na", "E_K", "E_L", "I_e"):
            setattr(c, name, v[name])
        for name in ("E_ex", "E_in", "V_T"):
            setattr(c, name, v[name] if name in v else np.zeros(n))
        c.tau_ex, c.tau_in = v["tau_syn_ex"], v["tau_syn_in"]
        c.init_ex = E / v["tau_syn_ex"]
        c.init_in = E / v["tau_syn_in"]


class HHPscAlpha(HHBlock):
    """Hodgkin-Huxley neuron with alpha-shaped synaptic currents."""

    layout = {"V_m": 0, "Act_m": 1, "Inact_h": 2, "Act_n": 3}
    # the synaptic currents and their derivatives (recordable, not in the status)
    hidden = {"dI_ex": 4, "I_syn_ex": 5, "dI_in": 6, "I_syn_in": 7}


class HHCondExpTraub(HHBlock):
    """Traub-Miles Hodgkin-Huxley neuron with exponential synaptic conductances."""

    layout = {"V_m": 0, "Act_m": 1, "Inact_h": 2, "Act_n": 3}
    hidden = {"g_ex": 4, "g_in": 5}     # (recordable, not in the status)
    kind = 1


def _p(name, default, unit="", doc="", **flags):
    return Param(name, default, unit, doc=doc, **flags)


def _gating(m, h, n):
    return [_p("Act_m", m, doc="Sodium activation m (state)", nonnegative=True),
            _p("Inact_h", h, doc="Sodium inactivation h (state)", nonnegative=True),
            _p("Act_n", n, doc="Potassium activation n (state)", nonnegative=True)]


def _sorted(items):
    return dict(sorted({p.name: p for p in items}.items()))


SPECS = [
    ModelSpec("hh_psc_alpha", NEURON, HHPscAlpha, _sorted(_gating(*squid_steady_state(-65.0)) + [
        _p("C_m", 100.0, "pF", "Membrane capacitance", positive=True),
        _p("E_K", -77.0, "mV", "Potassium reversal potential"),
        _p("E_L", -54.402, "mV", "Leak reversal potential"),
        _p("E_Na", 50.0, "mV", "Sodium reversal potential"),
        _p("I_e", 0.0, "pA", "Constant input current"),
        _p("V_m", -65.0, "mV", "Membrane potential (state)"),
        _p("g_K", 3600.0, "nS", "Potassium peak conductance", nonnegative=True),
        _p("g_L", 30.0, "nS", "Leak conductance", nonnegative=True),
        _p("g_Na", 12000.0, "nS", "Sodium peak conductance", nonnegative=True),
        _p("t_ref", 2.0, "ms", "Duration of the refractory period", nonnegative=True),
        _p("tau_syn_ex", 0.2, "ms", "Rise time of the excitatory synaptic current",
           positive=True),
        _p("tau_syn_in", 2.0, "ms", "Rise time of the inhibitory synaptic current",
           positive=True),
    ]), recordables=("Act_m", "Act_n", "I_syn_ex", "I_syn_in", "Inact_h", "V_m"),
        extra_status=NEURON_STATUS,
        doc="Hodgkin-Huxley neuron with alpha-shaped postsynaptic currents."),
    ModelSpec("hh_cond_exp_traub", NEURON, HHCondExpTraub, _sorted(
        _gating(*traub_steady_state(-60.0)) + [
            _p("C_m", 200.0, "pF", "Membrane capacitance", positive=True),
            _p("E_K", -90.0, "mV", "Potassium reversal potential"),
            _p("E_L", -60.0, "mV", "Leak reversal potential"),
            _p("E_Na", 50.0, "mV", "Sodium reversal potential"),
            _p("E_ex", 0.0, "mV", "Excitatory reversal potential"),
            _p("E_in", -80.0, "mV", "Inhibitory reversal potential"),
            _p("I_e", 0.0, "pA", "Constant input current"),
            _p("V_T", -63.0, "mV", "Voltage offset of the rate equations (sets the threshold)"),
            _p("V_m", -60.0, "mV", "Membrane potential (state)"),
            _p("g_K", 6000.0, "nS", "Potassium peak conductance"),
            _p("g_L", 10.0, "nS", "Leak conductance"),
            _p("g_Na", 20000.0, "nS", "Sodium peak conductance"),
            _p("t_ref", 2.0, "ms", "Duration of the refractory period", nonnegative=True),
            _p("tau_syn_ex", 5.0, "ms", "Time constant of the excitatory conductance",
               positive=True),
            _p("tau_syn_in", 10.0, "ms", "Time constant of the inhibitory conductance",
               positive=True),
        ]), recordables=("Act_m", "Act_n", "Inact_h", "V_m", "g_ex", "g_in"),
        extra_status=NEURON_STATUS,
        doc="Hodgkin-Huxley neuron after Traub and Miles (1991) with exponentially decaying "
            "synaptic conductances."),
]
