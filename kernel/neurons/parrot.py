"""parrot_neuron: repeats every incoming spike once, after the connection delay."""
import numpy as np

from ..nodes import TAKES_COUNT, NodeBlock
from ..registry import NEURON, NEURON_STATUS, ModelSpec
from ._iaf_psc import ParrotCore


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

    def init_state(self, defaults):
        self.core = ParrotCore()
        self.core.n = self.n

    def update(self, sim, t0, nsteps):
        size = max(self.n * nsteps, 1)
        spk_node = np.empty(size, dtype=np.int32)
        spk_lag = np.empty(size, dtype=np.int32)
        spk_mult = np.empty(size, dtype=np.int64)
        count = self.core.update(sim.ring, self.ring_first, t0, nsteps, spk_node, spk_lag,
                                 *sim.recording.sample_buffers(self, t0, nsteps),
                                 sim.local_bounds(self), spk_mult)
        return spk_node[:count], spk_lag[:count], spk_mult[:count]


SPECS = [
    ModelSpec("parrot_neuron", NEURON, ParrotNeuron, {},
              extra_status={**NEURON_STATUS, "flush_event_send_interval": float("inf")},
              doc="Repeats every incoming spike."),
]
