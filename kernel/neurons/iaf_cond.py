"""Conductance-based leaky integrate-and-fire neurons, integrated with adaptive RKF45.

iaf_cond_alpha, iaf_cond_exp, iaf_cond_exp_sfa_rr, iaf_cond_beta and iaf_cond_alpha_mc as in
NEST 3.10: names, defaults, recordables, receptor types, checks and update order are NEST's;
the ODEs are integrated with the kernel's RKF45 solver (``_odeint``) with NEST's error control
for these models (absolute tolerance 1e-3, relative 0) and one internal step size per node
that carries over from step to step. Spikes on receptor 0 with a positive weight open the
excitatory conductance, with a negative weight the inhibitory one (by |weight| nS). The update
loops are in ``_iaf_cond.pyx``.
"""
import numpy as np

from ..errors import BadParameterType, BadParameterValue
from ..registry import NEURON, NEURON_STATUS, ModelSpec, Param
from ._iaf_cond import CondCore, McCore, new_work
from .iaf_psc import refractory_steps
from .spiking_block import SpikingBlock, first_bad

E = np.e
EPS_ABS = 1e-3     # NEST's absolute error tolerance for the iaf_cond_* models
EPS_REL = 0.0


def beta_normalisation(tau_rise, tau_decay):
    """Initial dg that makes a unit-weight spike peak at 1 nS (alpha limit e/tau if equal).

    With dg' = -dg/tau_decay and g' = dg - g/tau_rise, a jump dg(0) = A gives
    g(t) = A (exp(-t/tau_decay) - exp(-t/tau_rise)) / (1/tau_rise - 1/tau_decay), which peaks at
    t_p = tau_decay tau_rise ln(tau_decay/tau_rise) / (tau_decay - tau_rise).
    """
    tau_rise, tau_decay = np.broadcast_arrays(np.atleast_1d(np.asarray(tau_rise, dtype=float)),
                                              np.atleast_1d(np.asarray(tau_decay, dtype=float)))
    out = E / tau_decay
    diff = tau_decay - tau_rise
    beta = np.abs(diff) > np.finfo(float).eps
    if np.any(beta):
        tr, td = tau_rise[beta], tau_decay[beta]
        t_peak = td * tr * np.log(td / tr) / diff[beta]
        denom = np.exp(-t_peak / td) - np.exp(-t_peak / tr)
        with np.errstate(divide="ignore", invalid="ignore"):
            norm = np.where(denom != 0, (1.0 / tr - 1.0 / td) / np.where(denom == 0, 1, denom),
                            E / td)
        out[beta] = norm
    return out


class OdeBlock(SpikingBlock):
    """A block whose state is one row of ``core.y`` per node, integrated by an ODE core.

    Subclasses set ``layout`` (state variable -> column of y) and ``params_to_core``.
    """

    layout = {}

    @property
    def state_names(self):
        return tuple(self.layout)

    def new_core(self):
        raise NotImplementedError

    def init_state(self, defaults):
        c = self.core = self.new_core()
        y = np.zeros((self.n, self.dim))
        for name, col in self.layout.items():
            y[:, col] = defaults[name]
        c.y = y
        self._y = y
        c.r = np.zeros(self.n, dtype=np.int64)
        c.h_int = np.full(self.n, self.grid.resolution)
        self.prepare_solver(c)

    def prepare_solver(self, core):
        """Give the core what its solver needs besides the state: scratch memory."""
        core.work = new_work(self.dim)

    def get_state(self, name, idx):
        return self._y[idx, self.layout[name]].copy()

    def set_state(self, name, idx, values):
        self._y[idx, self.layout[name]] = values

    def apply(self, updates, idx):
        state = {k: v for k, v in updates.items() if k in self.layout}
        super().apply({k: v for k, v in updates.items() if k not in self.layout}, idx)
        for name, value in state.items():
            self.set_state(name, idx, value)

    def check(self, proposed, updates):
        bad = proposed["V_reset"] >= proposed["V_th"]
        if np.any(bad):
            raise BadParameterValue(
                "V_reset", "the reset potential must be smaller than the threshold V_th (got "
                           f"V_reset={first_bad(proposed['V_reset'], bad)}, "
                           f"V_th={first_bad(proposed['V_th'], bad)}).")

    def calibrate_solver(self, grid):
        c = self.core
        c.h = grid.resolution
        c.eps_abs = EPS_ABS
        c.eps_rel = EPS_REL
        c.refractory_counts = refractory_steps(grid, self.values["t_ref"])


class CondBlock(OdeBlock):
    """iaf_cond_alpha / _beta / _exp / _exp_sfa_rr (one core class, ``kind`` selects)."""

    n_channels = 3
    spike_receptors = {0: 0}
    current_receptors = {0: 2}
    split_sign = True
    kind = 0

    @property
    def dim(self):
        return len(self.layout)

    def new_core(self):
        c = CondCore()
        c.kind = self.kind
        c.I_stim = np.zeros(self.n)
        if c.solver_dim() != self.dim:
            raise RuntimeError(f"{self.spec.name}: the solver integrates {c.solver_dim()} state "
                               f"variables, the layout has {self.dim}")
        return c

    def prepare_solver(self, core):
        # its parts keep their scratch memory on their threads' stacks
        core.reset_failures()

    def calibrate(self, grid):
        v, c = self.values, self.core
        self.calibrate_solver(grid)
        for name in ("C_m", "g_L", "E_L", "E_ex", "E_in", "I_e", "V_reset", "V_th"):
            setattr(c, name, v[name])
        rise_ex, decay_ex, rise_in, decay_in = self.synapse_taus()
        c.tau_rise_ex, c.tau_decay_ex = rise_ex, decay_ex
        c.tau_rise_in, c.tau_decay_in = rise_in, decay_in
        c.init_ex = beta_normalisation(rise_ex, decay_ex)
        c.init_in = beta_normalisation(rise_in, decay_in)
        if self.kind == 2:
            for name in ("E_sfa", "E_rr", "tau_sfa", "tau_rr", "q_sfa", "q_rr"):
                setattr(c, name, v[name])
        else:
            zeros = np.zeros(self.n)
            c.E_sfa = c.E_rr = c.tau_sfa = c.tau_rr = c.q_sfa = c.q_rr = zeros

    def synapse_taus(self):
        v = self.values
        return v["tau_syn_ex"], v["tau_syn_ex"], v["tau_syn_in"], v["tau_syn_in"]


class IafCondAlpha(CondBlock):
    """Conductance-based LIF neuron with alpha-shaped synaptic conductances."""

    layout = {"V_m": 0, "dg_ex": 1, "g_ex": 2, "dg_in": 3, "g_in": 4}


class IafCondBeta(CondBlock):
    """Conductance-based LIF neuron with beta-shaped (rise/decay) synaptic conductances."""

    layout = {"V_m": 0, "dg_ex": 1, "g_ex": 2, "dg_in": 3, "g_in": 4}

    def synapse_taus(self):
        v = self.values
        return v["tau_rise_ex"], v["tau_decay_ex"], v["tau_rise_in"], v["tau_decay_in"]


class IafCondExp(CondBlock):
    """Conductance-based LIF neuron with exponentially decaying synaptic conductances."""

    layout = {"V_m": 0, "g_ex": 1, "g_in": 2}
    kind = 1


class IafCondExpSfaRr(CondBlock):
    """iaf_cond_exp with spike-frequency adaptation and relative refractoriness."""

    layout = {"V_m": 0, "g_ex": 1, "g_in": 2, "g_sfa": 3, "g_rr": 4}
    kind = 2


# -- iaf_cond_alpha_mc ---------------------------------------------------------------------------
COMPARTMENTS = ("soma", "proximal", "distal")
COMPARTMENT_PARAMS = {
    "C_m": ("pF", "Membrane capacitance"), "E_L": ("mV", "Leak reversal potential"),
    "E_ex": ("mV", "Excitatory reversal potential"), "E_in": ("mV", "Inhibitory reversal potential"),
    "I_e": ("pA", "Constant input current"), "V_m": ("mV", "Membrane potential (state)"),
    "g_L": ("nS", "Leak conductance"), "tau_syn_ex": ("ms", "Excitatory synaptic time constant"),
    "tau_syn_in": ("ms", "Inhibitory synaptic time constant"),
}
MC_DEFAULTS = {
    "soma": {"C_m": 150.0, "E_L": -70.0, "E_ex": 0.0, "E_in": -85.0, "I_e": 0.0, "V_m": -70.0,
             "g_L": 10.0, "tau_syn_ex": 0.5, "tau_syn_in": 2.0},
    "proximal": {"C_m": 75.0, "E_L": -70.0, "E_ex": 0.0, "E_in": -85.0, "I_e": 0.0,
                 "V_m": -70.0, "g_L": 5.0, "tau_syn_ex": 0.5, "tau_syn_in": 2.0},
    "distal": {"C_m": 150.0, "E_L": -70.0, "E_ex": 0.0, "E_in": -85.0, "I_e": 0.0,
               "V_m": -70.0, "g_L": 10.0, "tau_syn_ex": 0.5, "tau_syn_in": 2.0},
}
MC_RECEPTORS = {"soma_exc": 1, "soma_inh": 2, "proximal_exc": 3, "proximal_inh": 4,
                "distal_exc": 5, "distal_inh": 6, "soma_curr": 7, "proximal_curr": 8,
                "distal_curr": 9}
MC_RECORDABLES = tuple(sorted([f"{v}.{c[0]}" for v in ("V_m", "g_ex", "g_in")
                               for c in COMPARTMENTS] + ["t_ref_remaining"]))
MC_STATE = ("V_m", "dg_ex", "g_ex", "dg_in", "g_in")     # per compartment, in y


class IafCondAlphaMc(OdeBlock):
    """Three-compartment (soma, proximal, distal dendrite) conductance-based LIF neuron.

    Compartment parameters are the sub-dictionaries ``soma``, ``proximal`` and ``distal``
    (NEST ignores keys it does not know inside them, and so does this block). Receptors 1-6
    take spikes (exc/inh per compartment, weights in nS), 7-9 currents; input channel =
    receptor.
    """

    n_channels = 10
    spike_receptors = {r: r for r in range(1, 7)}
    current_receptors = {r: r for r in range(7, 10)}
    state_names = COMPARTMENTS
    dim = 15

    def receptor_refusal(self, receptor, event):
        """NEST: a port of the receptor map used for the other event type (or a spike on 0)
        is 'incompatible', anything else 'unknown'."""
        return "incompatible" if 0 <= receptor <= 9 else "unknown"

    def new_core(self):
        c = McCore()
        for name in ("C_m", "g_L", "E_L", "E_ex", "E_in", "I_e", "tau_ex", "tau_in",
                     "init_ex", "init_in"):
            setattr(c, name, np.zeros((self.n, 3)))
        c.I_stim = np.zeros((self.n, 3))
        return c

    def init_state(self, defaults):
        c = self.core = self.new_core()
        self.comp = {key: np.array([[float(defaults[comp][key]) for comp in COMPARTMENTS]] *
                                   self.n).reshape(self.n, 3)
                     for key in COMPARTMENT_PARAMS if key != "V_m"}
        self._y = np.zeros((self.n, 15))
        for k, comp in enumerate(COMPARTMENTS):
            self._y[:, 5 * k] = defaults[comp]["V_m"]
        c.y = self._y
        c.r = np.zeros(self.n, dtype=np.int64)
        c.h_int = np.full(self.n, self.grid.resolution)
        c.work = new_work(15)

    def get_state(self, name, idx):
        k = COMPARTMENTS.index(name)
        out = []
        for i in idx:
            d = {key: float(self.comp[key][i, k]) for key in COMPARTMENT_PARAMS if key != "V_m"}
            d["V_m"] = float(self._y[i, 5 * k])
            out.append(dict(sorted(d.items())))
        return out

    def set_state(self, name, idx, values):
        k = COMPARTMENTS.index(name)
        for key, value in values.items():
            if key == "V_m":
                self._y[idx, 5 * k] = value
            else:
                self.comp[key][idx, k] = value

    def stage_values(self, updates, idx):
        comps = {k: updates[k] for k in COMPARTMENTS if k in updates}
        coerced = super().stage_values({k: v for k, v in updates.items()
                                        if k not in COMPARTMENTS}, idx)
        for comp, value in comps.items():
            coerced[comp] = self._stage_compartment(comp, value, idx)
        return coerced

    def _stage_compartment(self, comp, value, idx):
        """The complete, checked parameter dict of ``comp`` after applying ``value``.

        Keys not in ``value`` keep each node's current value, so the result can also serve
        as new model defaults (one node: plain floats).
        """
        if not isinstance(value, dict):
            raise BadParameterType(comp, f"expected a dictionary of compartment parameters "
                                         f"({', '.join(COMPARTMENT_PARAMS)}), got {value!r}.")
        n, k = len(idx), COMPARTMENTS.index(comp)
        staged = {}
        for key, v in value.items():
            if key not in COMPARTMENT_PARAMS:
                continue        # NEST ignores unknown keys inside a compartment dictionary
            param = Param(f"{comp}.{key}", 0.0, COMPARTMENT_PARAMS[key][0])
            arr = param.coerce(v)
            if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != n):
                raise BadParameterType(param.name, f"expected one value or {n}, got {v!r}.")
            staged[key] = np.broadcast_to(arr, (n,)).copy()
        if "C_m" in staged and np.any(staged["C_m"] <= 0):
            raise BadParameterValue(f"{comp}.C_m", f"the capacitance ({comp}) must be strictly "
                                    f"positive (got {first_bad(staged['C_m'], staged['C_m'] <= 0)}).")
        for key in ("tau_syn_ex", "tau_syn_in"):
            if key in staged and np.any(staged[key] <= 0):
                raise BadParameterValue(f"{comp}.{key}", f"all time constants ({comp}) must be "
                                        f"strictly positive (got {first_bad(staged[key], staged[key] <= 0)}).")
        for key in COMPARTMENT_PARAMS:
            if key not in staged:
                staged[key] = self._y[idx, 5 * k].copy() if key == "V_m" else \
                    self.comp[key][idx, k].copy()
        if n == 1:
            return {key: float(staged[key][0]) for key in sorted(staged)}
        return {key: staged[key] for key in sorted(staged)}

    def apply(self, updates, idx):
        comps = {k: updates[k] for k in COMPARTMENTS if k in updates}
        super().apply({k: v for k, v in updates.items() if k not in COMPARTMENTS}, idx)
        for comp, values in comps.items():
            self.set_state(comp, idx, values)

    def calibrate(self, grid):
        v, c = self.values, self.core
        self.calibrate_solver(grid)
        for key in ("C_m", "g_L", "E_L", "E_ex", "E_in", "I_e"):
            setattr(c, key, np.ascontiguousarray(self.comp[key]))
        c.tau_ex = np.ascontiguousarray(self.comp["tau_syn_ex"])
        c.tau_in = np.ascontiguousarray(self.comp["tau_syn_in"])
        c.init_ex = E / self.comp["tau_syn_ex"]
        c.init_in = E / self.comp["tau_syn_in"]
        c.g_sp, c.g_pd = v["g_sp"], v["g_pd"]
        c.V_reset, c.V_th = v["V_reset"], v["V_th"]

    def check(self, proposed, updates):
        OdeBlock.check(self, proposed, updates)


# -- specs ---------------------------------------------------------------------------------------
def _p(name, default, unit="", doc="", **flags):
    return Param(name, default, unit, doc=doc, **flags)


COMMON = [
    _p("C_m", 250.0, "pF", "Membrane capacitance", positive=True),
    _p("E_L", -70.0, "mV", "Leak reversal potential"),
    _p("E_ex", 0.0, "mV", "Excitatory reversal potential"),
    _p("E_in", -85.0, "mV", "Inhibitory reversal potential"),
    _p("I_e", 0.0, "pA", "Constant input current"),
    _p("V_m", -70.0, "mV", "Membrane potential (state)"),
    _p("V_reset", -60.0, "mV", "Reset potential"),
    _p("V_th", -55.0, "mV", "Spike threshold"),
    _p("g_L", 16.6667, "nS", "Leak conductance"),
    _p("g_ex", 0.0, "nS", "Excitatory conductance (state)"),
    _p("g_in", 0.0, "nS", "Inhibitory conductance (state)"),
    _p("t_ref", 2.0, "ms", "Duration of the refractory period", nonnegative=True),
]
ALPHA_TAUS = [
    _p("tau_syn_ex", 0.2, "ms", "Rise time of the excitatory conductance", positive=True),
    _p("tau_syn_in", 2.0, "ms", "Rise time of the inhibitory conductance", positive=True),
]
DG = [_p("dg_ex", 0.0, "nS/ms", "Derivative of g_ex (state)"),
      _p("dg_in", 0.0, "nS/ms", "Derivative of g_in (state)")]


def _params(items, overrides=None):
    params = {p.name: p for p in items}
    for name, value in (overrides or {}).items():
        p = params[name]
        params[name] = Param(p.name, value, p.unit, p.kind, p.doc, p.readonly, p.positive,
                             p.nonnegative)
    return dict(sorted(params.items()))


SPECS = [
    ModelSpec("iaf_cond_alpha", NEURON, IafCondAlpha, _params(COMMON + ALPHA_TAUS + DG),
              recordables=("V_m", "g_ex", "g_in", "t_ref_remaining"), extra_status=NEURON_STATUS,
              doc="Conductance-based leaky integrate-and-fire neuron with alpha-shaped "
                  "synaptic conductances."),
    ModelSpec("iaf_cond_alpha_mc", NEURON, IafCondAlphaMc, dict(sorted({
        "V_reset": _p("V_reset", -60.0, "mV", "Reset potential of the soma"),
        "V_th": _p("V_th", -55.0, "mV", "Spike threshold of the soma"),
        "g_pd": _p("g_pd", 1.0, "nS", "Conductance between proximal and distal compartment"),
        "g_sp": _p("g_sp", 2.5, "nS", "Conductance between soma and proximal compartment"),
        "t_ref": _p("t_ref", 2.0, "ms", "Duration of the refractory period", nonnegative=True),
        **{comp: Param(comp, dict(MC_DEFAULTS[comp]), kind="dict",
                       doc=f"Parameters and membrane potential of the {comp} compartment")
           for comp in COMPARTMENTS},
    }.items())), recordables=MC_RECORDABLES, receptor_types=dict(MC_RECEPTORS),
        extra_status={**NEURON_STATUS, "receptor_types": dict(MC_RECEPTORS)},
        doc="Three-compartment conductance-based leaky integrate-and-fire neuron with "
            "alpha-shaped synaptic conductances."),
    ModelSpec("iaf_cond_beta", NEURON, IafCondBeta, _params(COMMON + DG + [
        _p("tau_rise_ex", 0.2, "ms", "Rise time of the excitatory conductance", positive=True),
        _p("tau_decay_ex", 0.2, "ms", "Decay time of the excitatory conductance", positive=True),
        _p("tau_rise_in", 2.0, "ms", "Rise time of the inhibitory conductance", positive=True),
        _p("tau_decay_in", 2.0, "ms", "Decay time of the inhibitory conductance", positive=True),
    ]), recordables=("V_m", "g_ex", "g_in", "t_ref_remaining"), extra_status=NEURON_STATUS,
        doc="Conductance-based leaky integrate-and-fire neuron with beta-shaped synaptic "
            "conductances."),
    ModelSpec("iaf_cond_exp", NEURON, IafCondExp, _params(COMMON + ALPHA_TAUS),
              recordables=("V_m", "g_ex", "g_in"), extra_status=NEURON_STATUS,
              doc="Conductance-based leaky integrate-and-fire neuron with exponentially "
                  "decaying synaptic conductances."),
    ModelSpec("iaf_cond_exp_sfa_rr", NEURON, IafCondExpSfaRr, _params(COMMON + ALPHA_TAUS + [
        _p("E_sfa", -70.0, "mV", "Reversal potential of the adaptation conductance"),
        _p("E_rr", -70.0, "mV", "Reversal potential of the relative-refractory conductance"),
        _p("g_sfa", 0.0, "nS", "Spike-frequency adaptation conductance (state)"),
        _p("g_rr", 0.0, "nS", "Relative-refractory conductance (state)"),
        _p("q_sfa", 14.48, "nS", "Increment of g_sfa per spike"),
        _p("q_rr", 3214.0, "nS", "Increment of g_rr per spike"),
        _p("tau_sfa", 110.0, "ms", "Time constant of g_sfa", positive=True),
        _p("tau_rr", 1.97, "ms", "Time constant of g_rr", positive=True),
    ], {"C_m": 289.5, "E_in": -75.0, "V_reset": -70.0, "V_th": -57.0, "g_L": 28.95,
        "t_ref": 0.5, "tau_syn_ex": 1.5, "tau_syn_in": 10.0}),
        recordables=("V_m", "g_ex", "g_in", "g_rr", "g_sfa"), extra_status=NEURON_STATUS,
        doc="Conductance-based leaky integrate-and-fire neuron with spike-frequency "
            "adaptation and relative refractoriness."),
]
