"""Adaptive exponential integrate-and-fire neurons (AdEx, Brette & Gerstner 2005), as in NEST.

aeif_cond_alpha, aeif_cond_exp, aeif_psc_alpha, aeif_psc_exp, aeif_psc_delta,
aeif_cond_alpha_multisynapse and aeif_cond_beta_multisynapse:

    C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th) / Delta_T) - I_syn - w + I_e + I_stim
    tau_w dw/dt = a (V - E_L) - w

with a spike when V >= V_peak (V_th when Delta_T == 0), then V <- V_reset, w <- w + b and a
refractory period t_ref during which V is held at V_reset. The equations are integrated with
the adaptive RKF45 solver and the error control NEST uses (kernel/neurons/_odeint.pyx; GSL's
``yp_new`` control with absolute and relative tolerance ``gsl_error_tol``), each node carrying
its internal step size from step to step; the update order is documented in _aeif.pyx. The
traces equal NEST's bit for bit (tests/nest_compat/test_aeif_reference.py). Parameters, defaults, recordables, receptor numbering and
error classes follow NEST 3.10 (tests/data/ref_aeif_traces.json).
"""
from dataclasses import replace

import numpy as np

from ..errors import BadParameterValue, KernelStateError, NumericalInstability, Unsupported
from ..nodes import NodeBlock
from ..registry import BOOL, FLOAT_ARRAY, INT, NEURON, NEURON_STATUS, STR_LIST, ModelSpec, Param
from ._aeif import ERROR_NEGATIVE_WEIGHT, AeifCore

KINDS = {"aeif_cond_alpha": 0, "aeif_cond_exp": 1, "aeif_psc_alpha": 2, "aeif_psc_exp": 3,
         "aeif_psc_delta": 4, "aeif_cond_alpha_multisynapse": 5,
         "aeif_cond_beta_multisynapse": 5}
# NEST refuses parameters for which exp((V_peak - V_th) / Delta_T) exceeds DBL_MAX / 1e20
# (observed boundary of NEST 3.10), so that the spike current cannot overflow.
MAX_EXP_ARG = float(np.log(np.finfo(np.float64).max / 1e20))
OVERFLOW_MESSAGE = ("The current combination of V_peak, V_th and Delta_Twill lead to numerical "
                    "overflow at spike time; tryfor instance to increase Delta_T or to reduce "
                    "V_peakto avoid this problem.")


def _p(name, default, unit, doc, **kw):
    return Param(name, default, unit, doc=doc, **kw)


COMMON = [
    _p("C_m", 281.0, "pF", "Membrane capacitance"),
    _p("Delta_T", 2.0, "mV", "Slope factor of the exponential spike current (0: IAF limit)"),
    _p("E_L", -70.6, "mV", "Leak reversal potential"),
    _p("I_e", 0.0, "pA", "Constant input current"),
    _p("V_m", -70.6, "mV", "Membrane potential (state)"),
    _p("V_peak", 0.0, "mV", "Spike detection threshold"),
    _p("V_reset", -60.0, "mV", "Reset potential after a spike"),
    _p("V_th", -50.4, "mV", "Spike initiation threshold (centre of the exponential)"),
    _p("a", 4.0, "nS", "Subthreshold adaptation"),
    _p("b", 80.5, "pA", "Spike-triggered adaptation"),
    _p("g_L", 30.0, "nS", "Leak conductance"),
    _p("gsl_error_tol", 1e-6, "", "Error tolerance of the adaptive ODE solver"),
    _p("t_ref", 0.0, "ms", "Duration of the refractory period"),
    _p("tau_w", 144.0, "ms", "Adaptation time constant"),
    _p("w", 0.0, "pA", "Adaptation current (state)"),
]
SYN_TAUS = [_p("tau_syn_ex", 0.2, "ms", "Excitatory synaptic time constant"),
            _p("tau_syn_in", 2.0, "ms", "Inhibitory synaptic time constant")]
REVERSALS = [_p("E_ex", 0.0, "mV", "Excitatory reversal potential"),
             _p("E_in", -85.0, "mV", "Inhibitory reversal potential")]


def _state(name, unit, doc):
    return _p(name, 0.0, unit, doc + " (state)")


# model -> (extra params, state columns after V_m (before w), recordables in NEST's order)
LAYOUTS = {
    "aeif_cond_alpha": (SYN_TAUS + REVERSALS + [
        _state("dg_ex", "nS/ms", "Derivative of the excitatory conductance"),
        _state("g_ex", "nS", "Excitatory conductance"),
        _state("dg_in", "nS/ms", "Derivative of the inhibitory conductance"),
        _state("g_in", "nS", "Inhibitory conductance")],
        ("dg_ex", "g_ex", "dg_in", "g_in"), ("V_m", "g_ex", "g_in", "w")),
    "aeif_cond_exp": (SYN_TAUS + REVERSALS + [
        _state("g_ex", "nS", "Excitatory conductance"),
        _state("g_in", "nS", "Inhibitory conductance")],
        ("g_ex", "g_in"), ("V_m", "g_ex", "g_in", "w")),
    "aeif_psc_alpha": (SYN_TAUS + [
        _state("dI_syn_ex", "pA/ms", "Derivative of the excitatory current"),
        _state("I_syn_ex", "pA", "Excitatory synaptic current"),
        _state("dI_syn_in", "pA/ms", "Derivative of the inhibitory current"),
        _state("I_syn_in", "pA", "Inhibitory synaptic current (positive)")],
        ("dI_syn_ex", "I_syn_ex", "dI_syn_in", "I_syn_in"), ("I_syn_ex", "I_syn_in", "V_m", "w")),
    "aeif_psc_exp": (SYN_TAUS + [
        _state("I_syn_ex", "pA", "Excitatory synaptic current"),
        _state("I_syn_in", "pA", "Inhibitory synaptic current (positive)")],
        ("I_syn_ex", "I_syn_in"), ("I_syn_ex", "I_syn_in", "V_m", "w")),
    "aeif_psc_delta": ([Param("refractory_input", False, kind=BOOL,
                              doc="If True, input during refractoriness is not discarded")],
                       (), ("V_m", "w")),
}

# Messages NEST 3.10 gives (after "Setting status of ...: "); they differ between models.
C_M_MESSAGE = {"aeif_cond_exp": "Ensure that C_m >0", "aeif_psc_exp": "Ensure that C_m > 0",
               "aeif_psc_delta": "Ensure that C_m > 0"}
RESET_MESSAGE = {"aeif_psc_alpha": "Ensure that V_reset < V_peak .",
                 "aeif_psc_exp": "Ensure that V_reset < V_peak .",
                 "aeif_psc_delta": "Ensure that V_reset < V_peak ."}
# cond_exp and the multisynapse models test V_peak >= V_th before V_reset < V_peak
PEAK_FIRST = ("aeif_cond_exp", "aeif_cond_alpha_multisynapse", "aeif_cond_beta_multisynapse")


class AeifBlock(NodeBlock):
    """A block of aeif neurons of one model (parameters as arrays, state in the core)."""

    emits_spikes = True
    can_be_sampled = True
    sends = "spike"
    accepts = ("spike", "current", "request")
    split_sign = True
    n_channels = 3
    spike_receptors = {0: 0}
    current_receptors = {0: 2}

    def __init__(self, spec, first, n, defaults, grid):
        self.model = spec.base or spec.name
        self.kind = KINDS[self.model]
        if self.model == "aeif_psc_delta":
            # one spike channel for both signs (weights in mV), current on channel 1
            self.split_sign = False
            self.n_channels = 2
            self.current_receptors = {0: 1}
        self.state_cols = self._state_cols()
        self.state_names = tuple(self.state_cols)
        super().__init__(spec, first, n, defaults, grid)

    def _state_cols(self):
        cols = LAYOUTS[self.model][1]
        out = {"V_m": 0}
        out.update({name: 1 + k for k, name in enumerate(cols)})
        out["w"] = 1 + len(cols)
        return out

    # -- state ---------------------------------------------------------------------------------
    def init_state(self, defaults):
        dim = len(self.state_cols)
        self.core = AeifCore(self.kind, self.n, dim, self.state_cols["w"])
        # NEST starts each node's internal step at the resolution and then carries it over
        self.core.h_int = np.full(self.n, self.grid.resolution)
        y = np.asarray(self.core.y)
        for name, col in self.state_cols.items():
            y[:, col] = defaults[name]

    def get_state(self, name, idx):
        return np.asarray(self.core.y)[idx, self.state_cols[name]].copy()

    def set_state(self, name, idx, values):
        np.asarray(self.core.y)[idx, self.state_cols[name]] = values

    # -- checks --------------------------------------------------------------------------------
    def stage_values(self, updates, idx):
        """As NodeBlock.stage_values, but keys the model does not have are reported only if
        the known ones are valid (NEST checks the parameters first and complains about
        unaccessed dictionary entries afterwards)."""
        known = {k: v for k, v in updates.items() if k in self.spec.params}
        coerced = self._check_ports(super().stage_values(known, idx), idx)
        if len(known) < len(updates):
            super().stage_values({k: v for k, v in updates.items() if k not in known}, idx)
        return coerced

    def _check_ports(self, coerced, idx):
        """Hook for the multisynapse models' receptor arrays; returns the staged values."""
        return coerced

    def check(self, proposed, updates):
        p = proposed
        name = self.model
        reset_bad = p["V_reset"] >= p["V_peak"]
        peak_bad = p["V_peak"] < p["V_th"]
        tests = [("V_reset", reset_bad, RESET_MESSAGE.get(name, "Ensure that: V_reset < V_peak .")),
                 ("Delta_T", p["Delta_T"] < 0, "Delta_T must be positive."),
                 ("V_peak", peak_bad, "V_peak >= V_th required.")]
        if name in PEAK_FIRST:
            tests = [tests[2], tests[0], tests[1]]
        tests += [
            ("C_m", p["C_m"] <= 0, C_M_MESSAGE.get(name, "Capacitance must be strictly positive.")),
            ("t_ref", p["t_ref"] < 0, "Refractory time cannot be negative."),
        ]
        taus = [p["tau_w"]] + [p[k] for k in ("tau_syn_ex", "tau_syn_in") if k in p]
        tests.append(("tau_w", np.any([t <= 0 for t in taus], axis=0),
                      "tau_w must be strictly positive." if name == "aeif_psc_delta"
                      else "All time constants must be strictly positive."))
        tests.append(("gsl_error_tol", p["gsl_error_tol"] <= 0,
                      "The gsl_error_tol must be strictly positive."))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (p["V_peak"] - p["V_th"]) / p["Delta_T"]
        tests.append(("Delta_T", (p["Delta_T"] > 0) & (ratio >= MAX_EXP_ARG), OVERFLOW_MESSAGE))
        for key in ("g_ex", "g_in"):
            if key in p:
                tests.append((key, p[key] < 0, "Conductances must not be negative."))
        for key, bad, message in tests:
            if np.any(bad):
                raise BadParameterValue(key, message)
        self._check_refractory_input(p)

    def _check_refractory_input(self, p):
        if "refractory_input" in p and np.any(p["refractory_input"] & (p["t_ref"] > 0)):
            # NEST 3.10 produces NaN for V_m from the end of the first refractory period on
            # in this configuration (with or without input), so there is nothing to match.
            raise Unsupported("refractory_input",
                              "refractory_input=True with t_ref > 0 is not supported: NEST 3.10 "
                              "yields NaN membrane potentials after the first refractory period "
                              "in this configuration. Use refractory_input=False or t_ref=0.")

    # -- simulation ----------------------------------------------------------------------------
    def _syn_args(self):
        v = self.values
        if self.model in ("aeif_cond_alpha", "aeif_psc_alpha"):
            # alpha functions normalised so that a weight-1 spike peaks at 1 (nS or pA)
            return {"g0_ex": np.e / v["tau_syn_ex"], "g0_in": np.e / v["tau_syn_in"]}
        return {"g0_ex": np.ones(self.n), "g0_in": np.ones(self.n)}

    def _dims(self):
        return np.full(self.n, len(self.state_cols), dtype=np.int32)

    def calibrate(self, grid):
        self._calibrate_core(grid, **({} if self.model == "aeif_psc_delta" else
                                      self._syn_args()))

    def _calibrate_core(self, grid, **synapses):
        """Hand the parameters, the resolution and the sampled columns to the core
        (``synapses``: the core's arguments for the synaptic input)."""
        v = self.values
        self.h = grid.resolution
        # Delta_T == 0 is the integrate-and-fire limit: the spike threshold is V_th
        v_peak_eff = np.where(v["Delta_T"] > 0, v["V_peak"], v["V_th"])
        counts = grid.to_steps(v["t_ref"]).astype(np.int_)
        self.core.set_params(v, np.ascontiguousarray(v_peak_eff, dtype=np.float64),
                             np.ascontiguousarray(counts), self._dims(), **synapses)
        names = self.spec.recordables
        self.rec_cols = np.array([self._recordable_col(r) for r in names], dtype=np.int32)
        self.core.h = self.h
        self.core.rec_cols = self.rec_cols

    def _recordable_col(self, name):
        return self.state_cols[name]

    def _spike_buffers(self, nsteps):
        size = max(self.n * nsteps, 1)
        if getattr(self, "_spk_node", None) is None or self._spk_node.shape[0] < size:
            self._spk_node = np.empty(size, dtype=np.int32)
            self._spk_lag = np.empty(size, dtype=np.int32)
            self._spk_mult = np.empty(size, dtype=np.int_)
        return self._spk_node, self._spk_lag, self._spk_mult

    def _check_prepared_ports(self, sim):
        self.check_not_failed()
        if sim.ring.shape[1] < self.n_channels:
            raise KernelStateError(
                f"{self.spec.name} {self.first}-{self.last} gained receptor ports after Prepare; "
                "change E_rev and the time constants before Prepare/Simulate.")

    def engine_task(self, sim):
        self._check_prepared_ports(sim)
        return super().engine_task(sim)

    def update(self, sim, t0, nsteps):
        self._check_prepared_ports(sim)
        spk_node, spk_lag, spk_mult = self._spike_buffers(nsteps)
        rec_nodes, flags, out = sim.recording.sample_buffers(self, t0, nsteps)
        count = self.core.update(sim.ring, self.ring_first, t0, nsteps, spk_node, spk_lag,
                                 rec_nodes, flags, out, sim.local_bounds(self), spk_mult)
        self.check_solver(t0, nsteps)
        sim.recording.collect_samples(self, t0, nsteps)
        return spk_node[:count], spk_lag[:count], spk_mult[:count].astype(np.int64)

    def check_solver(self, t0, nsteps):
        if self.core.failed < 0:
            return
        error = self._numerical_error()
        self.core.failed = -1
        raise self.fail(error)

    def _numerical_error(self):
        core = self.core
        i = core.failed
        node = int(self.ids_of(i))
        v_m, w = core.y[i, 0], core.y[i, self.state_cols["w"]]
        if core.fail_code == ERROR_NEGATIVE_WEIGHT:
            return BadParameterValue(
                "weight", "Synaptic weights for conductance-based multisynapse models must be "
                          f"positive (a negative weight reached {self.spec.name} {node}).")
        return NumericalInstability(self.spec.name, node, v_m, w)


class MultisynapseBlock(AeifBlock):
    """aeif_cond_{alpha,beta}_multisynapse: receptor ports 1..n_receptors, per-node arrays.

    Each node has its own number of receptors (the length of E_rev); the block keeps its
    arrays padded to the largest and reports the recordables g_1 ... g_R of that largest node
    (a node with fewer receptors records zeros for the missing ones).
    """

    split_sign = False
    current_receptors = {0: 0}

    def __init__(self, spec, first, n, defaults, grid):
        self.beta = (spec.base or spec.name) == "aeif_cond_beta_multisynapse"
        super().__init__(spec, first, n, defaults, grid)
        self._resize()

    def _state_cols(self):
        return {"V_m": 0, "w": 1}

    @property
    def max_receptors(self):
        return max([len(e) for e in self.values["E_rev"]] + [0])

    @property
    def n_channels(self):
        return 1 + self.max_receptors

    @property
    def spike_receptors(self):
        return {r: r for r in range(1, self.max_receptors + 1)}

    def _resize(self):
        """Match state size, spec recordables and ports to the current receptor counts."""
        R = self.max_receptors
        if self.core.y.shape[1] != 2 + 2 * R:
            self.core.resize_state(2 + 2 * R)
        rec = ["V_m", "w"] + [f"g_{k}" for k in range(1, R + 1)]
        self.spec = replace(self.spec, recordables=tuple(sorted(rec)))

    def _taus(self, i):
        v = self.values
        if self.beta:
            return v["tau_rise"][i], v["tau_decay"][i]
        return v["tau_syn"][i], v["tau_syn"][i]

    # -- values --------------------------------------------------------------------------------
    def get_values(self, name, idx):
        if name == "n_receptors":
            return np.array([len(self.values["E_rev"][i]) for i in idx], dtype=np.int64)
        if name in ("g", "dg"):
            y = np.asarray(self.core.y)
            off = 3 if name == "g" else 2
            return [y[i, off:off + 2 * len(self.values["E_rev"][i]):2].copy() for i in idx]
        if name == "has_connections":
            if getattr(self, "_staging", False):
                # only looked at by the generic range checks of stage_values; skip the search
                return np.zeros(len(idx), dtype=bool)
            return np.array([self._has_connections(i) for i in idx], dtype=bool)
        if name == "recordables":
            return [sorted(["V_m", "w"] + [f"g_{k}" for k in
                                           range(1, len(self.values["E_rev"][i]) + 1)])
                    for i in idx]
        return super().get_values(name, idx)

    def _has_connections(self, i):
        """True once a spike connection targets the node (NEST's has_connections)."""
        from .. import get_kernel
        k = get_kernel()
        if not any(b is self for b in k.nodes.blocks):
            return False
        node = int(self.ids_of(i))
        for model, pos in k.connections.find(target_ids=[node]):
            table = k.connections.tables[model]
            receptors = table.column("receptor", pos)
            sources = np.searchsorted(table.indptr, pos, side="right") - 1
            senders = [k.nodes.block_of(int(s)).sends for s in np.unique(sources[receptors > 0])]
            if "spike" in senders:
                return True
        return False

    def stage_values(self, updates, idx):
        self._staging = True
        try:
            return super().stage_values(updates, idx)
        finally:
            self._staging = False

    def _check_ports(self, coerced, idx):
        """NEST's rules for changing the receptor arrays (sizes, signs, connections)."""
        arrays = ("E_rev", "tau_rise", "tau_decay") if self.beta else ("E_rev", "tau_syn")
        given = [a for a in arrays if a in coerced]
        if given:
            lengths = {a: len(coerced[a]) for a in given}
            old = [len(self.values["E_rev"][i]) for i in idx]
            new_n = lengths[given[0]]
            changed = any(len_ != old_n for len_ in lengths.values() for old_n in old)
            if changed and (len(given) < len(arrays) or len(set(lengths.values())) > 1):
                message = ("If the number of receptor ports is changed, all three arrays E_rev, "
                           "tau_rise and tau_decay must be provided." if self.beta else
                           "If the number of receptor ports is changed, both arrays E_rev and "
                           "tau_syn must be provided.")
                raise BadParameterValue("E_rev", message)
            for a in given:
                if a != "E_rev" and np.any(coerced[a] <= 0):
                    raise BadParameterValue(a, "All synaptic time constants must be strictly "
                                               "positive")
            if self.beta:
                rise = coerced.get("tau_rise", None)
                decay = coerced.get("tau_decay", None)
                for i in idx:
                    r = rise if rise is not None else self.values["tau_rise"][i]
                    d = decay if decay is not None else self.values["tau_decay"][i]
                    if len(r) == len(d) and np.any(r > d):
                        raise BadParameterValue("tau_rise", "Synaptic rise time must be "
                                                            "smaller than or equal to decay time.")
            if any(new_n < o for o in old) and any(self._has_connections(i) for i in idx):
                raise BadParameterValue("E_rev", "The neuron has connections, therefore the "
                                                 "number of ports cannot be reduced.")
            coerced["n_receptors"] = np.int64(new_n)
            coerced["recordables"] = sorted(["V_m", "w"] + [f"g_{k}"
                                                            for k in range(1, new_n + 1)])
        return coerced

    def apply(self, updates, idx):
        updates = dict(updates)
        new_n = updates.pop("n_receptors", None)
        updates.pop("recordables", None)
        super().apply(updates, idx)
        self._resize()
        if new_n is not None:
            # ports that disappeared start from zero if they come back
            np.asarray(self.core.y)[idx, 2 + 2 * int(new_n):] = 0.0

    # -- simulation ----------------------------------------------------------------------------
    def _dims(self):
        return np.array([2 + 2 * len(e) for e in self.values["E_rev"]], dtype=np.int32)

    def calibrate(self, grid):
        self._resize()
        R = self.max_receptors
        n_rec = np.array([len(e) for e in self.values["E_rev"]], dtype=np.int32)
        # exactly R columns: the loop reads ring channels 1..R of every node of the block
        E_rev = np.zeros((self.n, R))
        rise = np.ones((self.n, R))
        decay = np.ones((self.n, R))
        for i in range(self.n):
            m = n_rec[i]
            E_rev[i, :m] = self.values["E_rev"][i]
            rise[i, :m], decay[i, :m] = self._taus(i)
        g0 = beta_normalization(rise, decay)
        self._calibrate_core(grid, n_rec=n_rec, E_rev=E_rev, tau_rise=rise, tau_decay=decay,
                             g0=g0)

    def _recordable_col(self, name):
        if name.startswith("g_"):
            return 3 + 2 * (int(name[2:]) - 1)
        return self.state_cols[name]


def beta_normalization(tau_rise, tau_decay):
    """Factor that makes a weight-1 spike peak at a conductance of 1 nS.

    For the kinetic scheme dg'/dt = -g'/tau_rise, dg/dt = g' - g/tau_decay an impulse g'(0) = 1
    gives g(t) = tau_r tau_d / (tau_d - tau_r) (exp(-t/tau_d) - exp(-t/tau_r)), which peaks at
    t_p = tau_r tau_d ln(tau_d / tau_r) / (tau_d - tau_r); with equal time constants it is the
    alpha function t exp(-t/tau), whose factor is e / tau.
    """
    tau_rise = np.asarray(tau_rise, dtype=np.float64)
    tau_decay = np.asarray(tau_decay, dtype=np.float64)
    out = np.e / tau_decay
    diff = tau_decay - tau_rise
    beta = np.abs(diff) > np.finfo(np.float64).eps * tau_decay
    if np.any(beta):
        r, d = tau_rise[beta], tau_decay[beta]
        t_peak = r * d * np.log(d / r) / (d - r)
        out[beta] = (1.0 / r - 1.0 / d) / (np.exp(-t_peak / d) - np.exp(-t_peak / r))
    return out


def _params(extra):
    params = {p.name: p for p in COMMON + extra}
    return dict(sorted(params.items()))


def _single_spec(name, doc):
    extra, _, recordables = LAYOUTS[name]
    return ModelSpec(name, NEURON, AeifBlock, _params(extra), recordables=recordables,
                     extra_status=NEURON_STATUS, doc=doc)


def _multi_spec(name, arrays, doc):
    extra = [Param("E_rev", np.array([0.0]), "mV", kind=FLOAT_ARRAY,
                   doc="Reversal potential of each receptor port")] + arrays + [
        Param("g", np.array([0.0]), "nS", kind=FLOAT_ARRAY, readonly=True,
              doc="Conductance of each receptor port (state)"),
        Param("dg", np.array([0.0]), "nS/ms", kind=FLOAT_ARRAY, readonly=True,
              doc="Derivative of the conductance of each receptor port (state)"),
        Param("n_receptors", 1, kind=INT, readonly=True, doc="Number of receptor ports"),
        Param("has_connections", False, kind=BOOL, readonly=True,
              doc="True once a spike connection targets the node"),
        Param("recordables", ["V_m", "g_1", "w"], kind=STR_LIST, readonly=True,
              doc="Variables a multimeter can record (g_k for each receptor port)"),
    ]
    return ModelSpec(name, NEURON, MultisynapseBlock, _params(extra), recordables=(),
                     extra_status=NEURON_STATUS, doc=doc)


SPECS = [
    _single_spec("aeif_cond_alpha", "AdEx neuron with alpha-shaped synaptic conductances."),
    _single_spec("aeif_cond_exp", "AdEx neuron with exponentially decaying synaptic "
                                  "conductances."),
    _single_spec("aeif_psc_alpha", "AdEx neuron with alpha-shaped synaptic currents."),
    _single_spec("aeif_psc_exp", "AdEx neuron with exponentially decaying synaptic currents."),
    _single_spec("aeif_psc_delta", "AdEx neuron whose input spikes make V_m jump."),
    _multi_spec("aeif_cond_alpha_multisynapse",
                [Param("tau_syn", np.array([2.0]), "ms", kind=FLOAT_ARRAY,
                       doc="Time constant of the alpha conductance of each receptor port")],
                "AdEx neuron with any number of alpha-shaped conductance receptor ports."),
    _multi_spec("aeif_cond_beta_multisynapse",
                [Param("tau_rise", np.array([2.0]), "ms", kind=FLOAT_ARRAY,
                       doc="Rise time constant of the conductance of each receptor port"),
                 Param("tau_decay", np.array([20.0]), "ms", kind=FLOAT_ARRAY,
                       doc="Decay time constant of the conductance of each receptor port")],
                "AdEx neuron with any number of beta-shaped (two-exponential) conductance "
                "receptor ports."),
]

__all__ = ["SPECS", "AeifBlock", "MultisynapseBlock", "beta_normalization"]
