"""parrot_neuron: repeats every incoming spike once, after the connection delay."""
import numpy as np

from ..nodes import TAKES_COUNT, NodeBlock
from ..registry import NEURON, NEURON_STATUS, ModelSpec
from ._iaf_psc import update_parrot


class ParrotNeuron(NodeBlock):
    """Emits a spike for every spike it receives on receptor 0 (weights are ignored).

    Spikes on receptor 1 are accepted and ignored (NEST uses that port to drive plasticity
    without triggering the parrot).
    """

    n_channels = 2
    spike_receptors = {0: 0, 1: 1}
    takes = TAKES_COUNT
    emits_spikes = True
    sends = "spike"
    accepts = ("spike",)

    def update(self, sim, t0, nsteps):
        size = max(self.n * nsteps, 1)
        spk_node = np.empty(size, dtype=np.int32)
        spk_lag = np.empty(size, dtype=np.int32)
        spk_mult = np.empty(size, dtype=np.int64)
        count = update_parrot(sim.ring, self.ring_first, self.n, t0, nsteps, spk_node, spk_lag,
                              spk_mult)
        sim.ring[:, 1, self.ring_first:self.ring_first + self.n] = 0.0
        return spk_node[:count], spk_lag[:count], spk_mult[:count]


SPECS = [
    ModelSpec("parrot_neuron", NEURON, ParrotNeuron, {},
              extra_status={**NEURON_STATUS, "flush_event_send_interval": float("inf")},
              doc="Repeats every incoming spike."),
]
