"""Current-based leaky integrate-and-fire neurons with exact integration.

iaf_psc_alpha, iaf_psc_exp and iaf_psc_delta as in NEST: the subthreshold dynamics are
linear, so a step is a matrix-vector product with propagators that depend only on the
parameters and the resolution. Potentials are held relative to E_L; when E_L changes, the
absolute V_th, V_reset and V_m stay where they were (NEST's convention).
"""
import numpy as np

from ..errors import BadParameterValue
from ..nodes import NodeBlock
from ..registry import BOOL, NEURON, NEURON_STATUS, ModelSpec, Param
from ._iaf_psc import IafPscAlphaCore, IafPscDeltaCore, IafPscExpCore

E = np.e


# -- propagators ---------------------------------------------------------------------------------
def decay(h, tau):
    """exp(-h/tau)."""
    return np.exp(-h / tau)


def psc_to_v(h, tau_syn, tau_m, c_m):
    """Propagator from an exponentially decaying current to V (stable near tau_syn == tau_m).

    (1/C) * (exp(-h/tau_syn) - exp(-h/tau_m)) / (1/tau_m - 1/tau_syn), written with expm1 so
    that it tends smoothly to (h/C) exp(-h/tau_m) as the time constants meet.
    """
    beta = 1.0 / tau_m - 1.0 / tau_syn
    hb = h * beta
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(np.abs(hb) > 1e-12, np.expm1(hb) / np.where(hb == 0, 1.0, hb), 1.0 + hb / 2)
    return h / c_m * np.exp(-h / tau_m) * ratio


def alpha_to_v(h, tau_syn, tau_m, c_m):
    """Propagator from the derivative state of an alpha current to V.

    (1/C) exp(-h/tau_m) (1 - exp(-x)(1 + x)) / a^2 with a = 1/tau_syn - 1/tau_m, x = a h;
    a series is used for small |x| where the closed form cancels.
    """
    a = 1.0 / tau_syn - 1.0 / tau_m
    x = a * h
    small = np.abs(x) < 1e-3
    with np.errstate(invalid="ignore", divide="ignore"):
        xs = np.where(small, 1.0, x)
        closed = -(np.expm1(-xs) + xs * np.exp(-xs)) / (xs * xs)
    series = 0.5 - x / 3.0 + x * x / 8.0 - x ** 3 / 30.0 + x ** 4 / 144.0
    f = np.where(small, series, closed)
    return h * h / c_m * np.exp(-h / tau_m) * f


def current_to_v(h, tau_m, c_m):
    """Propagator from a constant current to V: (tau_m / C_m) (1 - exp(-h / tau_m))."""
    return -tau_m / c_m * np.expm1(-h / tau_m)


def refractory_steps(grid, t_ref):
    return grid.to_steps(t_ref).astype(np.int64)


# -- shared parameters ---------------------------------------------------------------------------
def _iaf_params(extra):
    base = [
        Param("C_m", 250.0, "pF", doc="Membrane capacitance", positive=True),
        Param("E_L", -70.0, "mV", doc="Resting membrane potential"),
        Param("I_e", 0.0, "pA", doc="Constant input current"),
        Param("V_m", -70.0, "mV", doc="Membrane potential (state)"),
        Param("V_reset", -70.0, "mV", doc="Reset potential after a spike"),
        Param("V_th", -55.0, "mV", doc="Spike threshold"),
        Param("t_ref", 2.0, "ms", doc="Duration of the absolute refractory period", nonnegative=True),
        Param("tau_m", 10.0, "ms", doc="Membrane time constant", positive=True),
    ]
    params = {p.name: p for p in base + extra}
    return dict(sorted(params.items()))


SYNAPSE_TAUS = [
    Param("tau_syn_ex", 2.0, "ms", doc="Rise time of the excitatory synaptic current", positive=True),
    Param("tau_syn_in", 2.0, "ms", doc="Rise time of the inhibitory synaptic current", positive=True),
]


class IafBlock(NodeBlock):
    """What the three iaf_psc models share: E_L-relative potentials and their checks."""

    split_sign = True
    emits_spikes = True
    can_be_sampled = True
    sends = "spike"
    accepts = ("spike", "current", "request")
    state_names = ("V_m",)
    current_state = ("y0",)     # the core's state that holds the last step's current input

    def check(self, proposed, updates):
        if np.any(proposed["V_reset"] >= proposed["V_th"]):
            raise BadParameterValue(
                "V_reset", "the reset potential must be below the threshold V_th "
                f"(got V_reset={_first(proposed['V_reset'], proposed['V_reset'] >= proposed['V_th'])},"
                f" V_th={_first(proposed['V_th'], proposed['V_reset'] >= proposed['V_th'])}).")

    def apply(self, updates, idx):
        if "E_L" in updates and "V_m" not in updates:
            # keep the absolute membrane potential where it was
            shift = np.broadcast_to(updates["E_L"], (len(idx),)) - self.values["E_L"][idx]
            self._v_rel()[idx] -= shift
        super().apply({k: v for k, v in updates.items() if k != "V_m"}, idx)
        if "V_m" in updates:
            self.set_state("V_m", idx, updates["V_m"])

    def init_state(self, defaults):
        self.r = np.zeros(self.n, dtype=np.int64)
        self._current_fed = False

    def calibrate(self, grid):
        self.derive(grid, "propagators", self._calibrate)

    def note_current_sources(self, connected):
        # once a source was connected, always: one disconnected since may have left currents
        # in the ring
        self._current_fed = self._current_fed or connected or \
            any(np.any(getattr(self.core, name)) for name in self.current_state)
        self.core.current_input = self._current_fed

    def get_state(self, name, idx):
        return self._v_rel()[idx] + self.values["E_L"][idx]

    def set_state(self, name, idx, values):
        self._v_rel()[idx] = values - self.values["E_L"][idx]

    def _v_rel(self):
        raise NotImplementedError

    def _calibrate_threshold(self, grid):
        """What every iaf_psc core shares: threshold and reset relative to E_L, I_e, E_L and
        the refractory period in steps."""
        v, c = self.values, self.core
        c.theta = v["V_th"] - v["E_L"]
        c.v_reset = v["V_reset"] - v["E_L"]
        c.I_e = v["I_e"]
        c.E_L = v["E_L"]
        c.refractory_counts = refractory_steps(grid, v["t_ref"])

    def _spike_buffers(self, nsteps):
        size = max(self.n * nsteps, 1)
        if getattr(self, "_spk_node", None) is None or self._spk_node.shape[0] < size:
            self._spk_node = np.empty(size, dtype=np.int32)
            self._spk_lag = np.empty(size, dtype=np.int32)
        return self._spk_node, self._spk_lag

    def update(self, sim, t0, nsteps):
        spk_node, spk_lag = self._spike_buffers(nsteps)
        rec_nodes, flags, out = sim.recording.sample_buffers(self, t0, nsteps)
        count = self.core.update(sim.ring, self.ring_first, t0, nsteps, spk_node, spk_lag,
                                 rec_nodes, flags, out, sim.local_bounds(self))
        sim.recording.collect_samples(self, t0, nsteps)
        return spk_node[:count], spk_lag[:count], None


def _first(values, mask):
    return values[np.argmax(mask)]


class IafPscAlpha(IafBlock):
    """Leaky integrate-and-fire neuron with alpha-shaped synaptic currents."""

    n_channels = 3
    spike_receptors = {0: 0}
    current_receptors = {0: 2}

    def init_state(self, defaults):
        super().init_state(defaults)
        c = self.core = IafPscAlphaCore()
        for name in ("y0", "dI_ex", "I_ex", "dI_in", "I_in", "y3"):
            setattr(c, name, np.zeros(self.n))
        c.y3 = np.full(self.n, defaults["V_m"] - defaults["E_L"])
        c.r = self.r

    def _v_rel(self):
        return np.asarray(self.core.y3)

    def _calibrate(self, grid):
        h = grid.resolution
        v = self.values
        c = self.core
        tau_m, c_m = v["tau_m"], v["C_m"]
        for side in ("ex", "in"):
            tau = v[f"tau_syn_{side}"]
            setattr(c, f"P11_{side}", decay(h, tau))
            setattr(c, f"P21_{side}", h * decay(h, tau))
            setattr(c, f"P31_{side}", alpha_to_v(h, tau, tau_m, c_m))
            setattr(c, f"P32_{side}", psc_to_v(h, tau, tau_m, c_m))
            setattr(c, f"psc_scale_{side}", E / tau)
        c.P30 = current_to_v(h, tau_m, c_m)
        c.expm1_tau_m = np.expm1(-h / tau_m)
        c.v_min = v["V_min"] - v["E_L"]
        self._calibrate_threshold(grid)
        c.shared_parameters = c.parameters_shared()


class IafPscExp(IafBlock):
    """Leaky integrate-and-fire neuron with exponentially decaying synaptic currents."""

    n_channels = 4
    spike_receptors = {0: 0}
    current_receptors = {0: 2, 1: 3}
    current_state = ("i_0", "i_1")

    def init_state(self, defaults):
        super().init_state(defaults)
        c = self.core = IafPscExpCore()
        for name in ("i_0", "i_1", "i_syn_ex", "i_syn_in"):
            setattr(c, name, np.zeros(self.n))
        c.V_m = np.full(self.n, defaults["V_m"] - defaults["E_L"])
        c.r = self.r

    def _v_rel(self):
        return np.asarray(self.core.V_m)

    def check(self, proposed, updates):
        super().check(proposed, updates)
        if np.any(proposed["delta"] != 0.0):
            raise BadParameterValue(
                "delta", "escape noise (delta > 0) is not supported by Neuropil yet; use delta=0.")

    def _calibrate(self, grid):
        h = grid.resolution
        v = self.values
        c = self.core
        tau_m, c_m = v["tau_m"], v["C_m"]
        c.P11_ex = decay(h, v["tau_syn_ex"])
        c.P11_in = decay(h, v["tau_syn_in"])
        c.P21_ex = psc_to_v(h, v["tau_syn_ex"], tau_m, c_m)
        c.P21_in = psc_to_v(h, v["tau_syn_in"], tau_m, c_m)
        c.P22 = decay(h, tau_m)
        c.P20 = current_to_v(h, tau_m, c_m)
        self._calibrate_threshold(grid)
        c.shared_parameters = c.parameters_shared()


class IafPscDelta(IafBlock):
    """Leaky integrate-and-fire neuron whose input spikes make the potential jump."""

    n_channels = 2
    spike_receptors = {0: 0}
    current_receptors = {0: 1}
    split_sign = False

    def init_state(self, defaults):
        super().init_state(defaults)
        c = self.core = IafPscDeltaCore()
        c.y0 = np.zeros(self.n)
        c.refr_spikes = np.zeros(self.n)
        c.y3 = np.full(self.n, defaults["V_m"] - defaults["E_L"])
        c.r = self.r

    def _v_rel(self):
        return np.asarray(self.core.y3)

    def _calibrate(self, grid):
        h = grid.resolution
        v = self.values
        c = self.core
        c.h = h
        c.tau_m = v["tau_m"]
        c.P33 = decay(h, v["tau_m"])
        c.P30 = current_to_v(h, v["tau_m"], v["C_m"])
        c.v_min = v["V_min"] - v["E_L"]
        c.refractory_input = v["refractory_input"].astype(np.uint8)
        self._calibrate_threshold(grid)
        c.shared_parameters = c.parameters_shared()


SPECS = [
    ModelSpec(
        "iaf_psc_alpha", NEURON, IafPscAlpha,
        _iaf_params(SYNAPSE_TAUS + [Param("V_min", -np.inf, "mV", doc="Lower bound of V_m")]),
        recordables=("I_syn_ex", "I_syn_in", "V_m"),
        extra_status=NEURON_STATUS,
        doc="Leaky integrate-and-fire neuron with alpha-shaped postsynaptic currents "
            "(exact integration).",
    ),
    ModelSpec(
        "iaf_psc_exp", NEURON, IafPscExp,
        _iaf_params(SYNAPSE_TAUS + [
            Param("rho", 0.01, "1/s", doc="Escape-noise rate at threshold", nonnegative=True),
            Param("delta", 0.0, "mV", doc="Escape-noise width (0: deterministic threshold)",
                  nonnegative=True),
        ]),
        recordables=("I_syn_ex", "I_syn_in", "V_m"),
        receptor_types={},
        extra_status=NEURON_STATUS,
        doc="Leaky integrate-and-fire neuron with exponentially decaying postsynaptic currents "
            "(exact integration).",
    ),
    ModelSpec(
        "iaf_psc_delta", NEURON, IafPscDelta,
        _iaf_params([
            Param("V_min", -np.finfo(np.float64).max, "mV", doc="Lower bound of V_m"),
            Param("refractory_input", False, kind=BOOL,
                  doc="If True, input during refractoriness takes effect after it, decayed"),
        ]),
        recordables=("V_m",),
        extra_status=NEURON_STATUS,
        doc="Leaky integrate-and-fire neuron with delta-shaped postsynaptic potentials "
            "(exact integration).",
    ),
]
