"""iaf_psc_alpha_multisynapse and iaf_psc_exp_multisynapse (exact integration).

Leaky integrate-and-fire neurons with any number of current synapses, each with its own time
constant: ``tau_syn`` is a per-node list, and its length is the number of receptor ports
(``n_synapses``, read-only). As in NEST 3.10:

* receptor ports are numbered from 1; a spike connection on receptor 0 or beyond n_synapses is
  refused at Connect; current input (dc_generator ...) uses receptor 0 only;
* weights of either sign go to the receptor they are sent to (no excitatory/inhibitory split);
* the recordables are ``I_syn`` (sum of all synaptic currents), ``I_syn_1`` ... ``I_syn_n``
  and ``V_m``, sorted by name as NEST sorts them (``I_syn_10`` before ``I_syn_2``);
* once a node has a spike connection (``has_connections``), its number of ports cannot
  change; ``tau_syn`` may then only be set to a list of the same length;
* potentials are held relative to E_L (changing E_L keeps V_m, V_th, V_reset where they were).

Layout: a spike for receptor r arrives on input channel r, current input on channel 0, so a
block needs 1 + max(n_synapses) channels; per-synapse state is (node, synapse), padded to the
largest n_synapses in the block. Neuropil keeps recordables and receptor ports per block: when
the nodes of one Create call end up with different numbers of synapses, all of them report the
recordables of the largest and accept receptors up to the largest (spikes a node has no synapse
for are dropped; NEST would refuse the connection).
"""
from dataclasses import replace

import numpy as np

from ..errors import BadParameterType, BadParameterValue
from ..registry import BOOL, FLOAT_ARRAY, INT, NEURON, NEURON_STATUS, ModelSpec, Param
from ._multisynapse import AlphaMultisynapseCore, ExpMultisynapseCore
from .iaf_psc import alpha_to_v, decay, psc_to_v, refractory_steps
from .spiking_block import SpikingBlock, first_bad

E = np.e


def multisynapse_recordables(n_synapses):
    """NEST's recordables for ``n_synapses`` ports, in NEST's (string) order."""
    return tuple(sorted(["I_syn", "V_m"] + [f"I_syn_{k}" for k in range(1, n_synapses + 1)]))


class MultisynapseBlock(SpikingBlock):
    """What the two multisynapse models share: ports, E_L-relative potentials, checks."""

    state_names = ("V_m", "n_synapses", "has_connections")
    current_receptors = {0: 0}
    core_class = None

    def receptor_refusal(self, receptor, event):
        """NEST: every spike port outside 1..n_synapses is 'incompatible', current ports other
        than 0 are 'unknown'."""
        return "incompatible" if event == "spike" else "unknown"

    # -- derived status --------------------------------------------------------------------------
    @staticmethod
    def derived_defaults(defaults):
        """Entries GetDefaults derives from the model's default ``tau_syn``."""
        n = len(defaults["tau_syn"])
        return {"n_synapses": n, "recordables": list(multisynapse_recordables(n)),
                "has_connections": False}

    def _layout(self):
        """Recompute ports, channels, recordables and padded state after tau_syn changed."""
        nsyn = np.array([len(t) for t in self.values["tau_syn"]], dtype=np.int64)
        nmax = int(nsyn.max()) if self.n else 0
        self.nsyn = nsyn
        self.n_channels = nmax + 1
        self.spike_receptors = {r: r for r in range(1, nmax + 1)}
        recordables = multisynapse_recordables(nmax)
        if self.spec.recordables != recordables:
            self.spec = replace(self.spec, recordables=recordables)
        c = self.core
        c.nsyn = nsyn
        # recordable column 1 + m shows synapse rec_syn[m] (names sorted as strings)
        c.rec_syn = np.array([int(name[6:]) - 1 for name in recordables
                              if name.startswith("I_syn_")], dtype=np.int64)
        # (the core's memoryviews must not be read before they are set: keep them here too)
        arrays = self.__dict__.setdefault("_synapse_arrays", {})
        for name in self.synapse_state:
            old = arrays.get(name, np.zeros((self.n, 0)))
            new = np.zeros((self.n, nmax))
            keep = min(old.shape[1], nmax)
            new[:, :keep] = old[:, :keep]
            new[np.arange(nmax)[None, :] >= nsyn[:, None]] = 0.0
            arrays[name] = new
            setattr(c, name, new)

    # -- state -----------------------------------------------------------------------------------
    def init_state(self, defaults):
        c = self.core = self.core_class()
        c.r = np.zeros(self.n, dtype=np.int64)
        c.V_m = np.full(self.n, defaults["V_m"] - defaults["E_L"])
        c.I_const = np.zeros(self.n)
        self._layout()

    def get_state(self, name, idx):
        if name == "V_m":
            return np.asarray(self.core.V_m)[idx] + self.values["E_L"][idx]
        if name == "n_synapses":
            return self.nsyn[idx].copy()
        return self._has_connections(idx)

    def set_state(self, name, idx, values):
        np.asarray(self.core.V_m)[idx] = values - self.values["E_L"][idx]

    def _is_live(self):
        """True for a block of the network (not a trial block checking new defaults)."""
        from .. import get_kernel
        return any(b is self for b in get_kernel().nodes.blocks)

    def _has_connections(self, idx):
        """NEST's has_connections: the node is the target of a spike connection (receptor > 0)."""
        from .. import get_kernel
        flags = np.zeros(len(idx), dtype=bool)
        if getattr(self, "_staging", False) or not self._is_live():
            return flags
        connections = get_kernel().connections
        gids = self.ids_of(idx)
        for model, pos in connections.find(target_ids=gids):
            table = connections.tables[model]
            receptor = table.column("receptor", pos)
            flags |= np.isin(gids, table.column("target", pos)[receptor > 0])
        return flags

    # -- parameters ------------------------------------------------------------------------------
    def stage_values(self, updates, idx):
        if "tau_syn" in updates:
            value = updates["tau_syn"]
            if isinstance(value, (str, bytes)) or np.ndim(value) != 1:
                raise BadParameterType("tau_syn", f"expected a list of time constants (ms), one "
                                                  f"per receptor port, got {value!r}.")
        self._staging = True    # the consistency checks need no connection lookups
        try:
            coerced = super().stage_values(updates, idx)
        finally:
            self._staging = False
        if "tau_syn" in coerced:
            taus = coerced["tau_syn"]
            if np.any(taus <= 0):
                raise BadParameterValue(
                    "tau_syn", "all synaptic time constants must be strictly positive (got "
                               f"{first_bad(taus, taus <= 0)}).")
            old = self.nsyn[idx]
            if np.any(old != len(taus)) and self._is_live():
                changing = np.asarray(idx)[old != len(taus)]
                if np.any(self._has_connections(changing)):
                    raise BadParameterValue(
                        "tau_syn", "the neuron has connections, therefore the number of ports "
                                   f"(n_synapses = {int(old[0])}) cannot be changed.")
        self.check_taus(coerced, idx)
        return coerced

    def check_taus(self, coerced, idx):
        """Model-specific checks of tau_syn against tau_m."""

    def check(self, proposed, updates):
        bad = proposed["V_reset"] >= proposed["V_th"]
        if np.any(bad):
            raise BadParameterValue(
                "V_reset", "the reset potential must be smaller than the threshold V_th (got "
                           f"V_reset={first_bad(proposed['V_reset'], bad)}, "
                           f"V_th={first_bad(proposed['V_th'], bad)}).")

    def apply(self, updates, idx):
        if "E_L" in updates:
            shift = np.broadcast_to(updates["E_L"], (len(idx),)) - self.values["E_L"][idx]
            if "V_m" not in updates:
                # keep the absolute membrane potential where it was
                np.asarray(self.core.V_m)[idx] -= shift
        super().apply({k: v for k, v in updates.items() if k != "V_m"}, idx)
        if "V_m" in updates:
            self.set_state("V_m", idx, updates["V_m"])
        if "tau_syn" in updates:
            self._layout()

    def _padded_taus(self):
        """tau_syn as an (n, nmax) array, padded with 1.0 where a node has fewer synapses."""
        nmax = self.n_channels - 1
        taus = np.ones((self.n, nmax))
        for i, t in enumerate(self.values["tau_syn"]):
            taus[i, :len(t)] = t
        return taus

    def _calibrate_common(self, grid):
        v, c = self.values, self.core
        c.theta = v["V_th"] - v["E_L"]
        c.v_reset = v["V_reset"] - v["E_L"]
        c.I_e = v["I_e"]
        c.E_L = v["E_L"]
        c.refractory_counts = refractory_steps(grid, v["t_ref"])


class IafPscAlphaMultisynapse(MultisynapseBlock):
    """Leaky integrate-and-fire neuron with alpha-shaped currents on several receptor ports."""

    core_class = AlphaMultisynapseCore
    synapse_state = ("y1", "y2")

    def calibrate(self, grid):
        h = grid.resolution
        v, c = self.values, self.core
        self._calibrate_common(grid)
        taus = self._padded_taus()
        tau_m, c_m = v["tau_m"][:, None], v["C_m"][:, None]
        c.P11 = decay(h, taus)
        c.P21 = h * decay(h, taus)
        c.P31 = np.ascontiguousarray(alpha_to_v(h, taus, tau_m, c_m))
        c.P32 = np.ascontiguousarray(psc_to_v(h, taus, tau_m, c_m))
        c.psc_init = E / taus
        c.P30 = -v["tau_m"] / v["C_m"] * np.expm1(-h / v["tau_m"])
        c.P33 = decay(h, v["tau_m"])
        c.v_min = v["V_min"] - v["E_L"]


class IafPscExpMultisynapse(MultisynapseBlock):
    """Leaky integrate-and-fire neuron with exponential currents on several receptor ports."""

    core_class = ExpMultisynapseCore
    synapse_state = ("i_syn",)

    def check_taus(self, coerced, idx):
        """NEST refuses tau_syn == tau_m here (its propagator would divide by zero)."""
        tau_m = coerced.get("tau_m", self.values["tau_m"][idx])
        tau_m = np.broadcast_to(tau_m, (len(idx),))
        if "tau_syn" in coerced:
            taus = [coerced["tau_syn"]] * len(idx)
        elif "tau_m" in coerced:
            taus = [self.values["tau_syn"][i] for i in idx]
        else:
            return
        for tm, t in zip(tau_m, taus):
            if np.any(np.asarray(t) == tm):
                raise BadParameterValue(
                    "tau_syn", f"membrane and synapse time constants must differ (tau_m = {tm} "
                               f"is in tau_syn = {list(t)}); see the model documentation.")

    def calibrate(self, grid):
        h = grid.resolution
        v, c = self.values, self.core
        self._calibrate_common(grid)
        taus = self._padded_taus()
        c.P11 = decay(h, taus)
        c.P21 = np.ascontiguousarray(psc_to_v(h, taus, v["tau_m"][:, None], v["C_m"][:, None]))
        c.P22 = decay(h, v["tau_m"])
        c.P20 = -v["tau_m"] / v["C_m"] * np.expm1(-h / v["tau_m"])


def _params(extra):
    base = [
        Param("C_m", 250.0, "pF", doc="Membrane capacitance", positive=True),
        Param("E_L", -70.0, "mV", doc="Resting membrane potential"),
        Param("I_e", 0.0, "pA", doc="Constant input current"),
        Param("V_m", -70.0, "mV", doc="Membrane potential (state)"),
        Param("V_reset", -70.0, "mV", doc="Reset potential after a spike"),
        Param("V_th", -55.0, "mV", doc="Spike threshold"),
        Param("t_ref", 2.0, "ms", doc="Duration of the absolute refractory period",
              nonnegative=True),
        Param("tau_m", 10.0, "ms", doc="Membrane time constant", positive=True),
        Param("tau_syn", np.array([2.0]), "ms", kind=FLOAT_ARRAY,
              doc="Synaptic time constant of each receptor port (its length is n_synapses)"),
        Param("n_synapses", 1, kind=INT, readonly=True,
              doc="Number of receptor ports (the length of tau_syn)"),
        Param("has_connections", False, kind=BOOL, readonly=True,
              doc="True once the node receives a spike connection (ports are then fixed)"),
    ]
    return dict(sorted({p.name: p for p in base + extra}.items()))


SPECS = [
    ModelSpec(
        "iaf_psc_alpha_multisynapse", NEURON, IafPscAlphaMultisynapse,
        _params([Param("V_min", -np.inf, "mV", doc="Lower bound of V_m")]),
        recordables=multisynapse_recordables(1),
        extra_status=NEURON_STATUS,
        doc="Leaky integrate-and-fire neuron with alpha-shaped postsynaptic currents on any "
            "number of receptor ports, each with its own time constant (exact integration).",
    ),
    ModelSpec(
        "iaf_psc_exp_multisynapse", NEURON, IafPscExpMultisynapse,
        _params([]),
        recordables=multisynapse_recordables(1),
        extra_status=NEURON_STATUS,
        doc="Leaky integrate-and-fire neuron with exponentially decaying postsynaptic currents "
            "on any number of receptor ports, each with its own time constant (exact "
            "integration).",
    ),
]
