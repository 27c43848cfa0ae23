"""volume_transmitter: collects neuromodulatory (dopamine) spikes for stdp_dopamine_synapse.

As in NEST, a volume transmitter receives spikes (from neurons, via ordinary connections)
and keeps the list of their arrival times and multiplicities. Every ``deliver_interval``
min_delay slices (when the end of the slice is a multiple of deliver_interval x min_delay)
it hands the list to every stdp_dopamine_synapse that names it as its
``volume_transmitter``; those bring their weights and traces up to the end of the slice.
The list then restarts with a pseudo spike (multiplicity 0) at that time. Before the first
delivery it starts with a pseudo spike at time 0.
"""
import numpy as np

from ..errors import BadParameterValue
from ..nodes import TAKES_COUNT, NodeBlock
from ..registry import INT, NODE_STATUS, STIMULATOR, ModelSpec, Param


class VolumeTransmitter(NodeBlock):
    """Collects spikes arriving on receptor 0 and delivers them to dopamine synapses."""

    n_channels = 1
    spike_receptors = {0: 0}
    takes = TAKES_COUNT
    accepts = ("spike",)
    # NEST: devices may not connect to a volume transmitter (a "global receiver")
    global_receiver = True

    def init_state(self, defaults):
        self._times = [[0.0] for _ in range(self.n)]
        self._mults = [[0.0] for _ in range(self.n)]

    def check(self, proposed, updates):
        if "deliver_interval" in updates and np.any(np.asarray(updates["deliver_interval"]) < 1):
            raise BadParameterValue("deliver_interval", "must be at least 1 (min_delay slices).")

    def spike_list(self, node_id):
        """(times in ms, multiplicities) since the last delivery, pseudo spike first."""
        i = node_id - self.first
        return (np.asarray(self._times[i], dtype=np.float64),
                np.asarray(self._mults[i], dtype=np.float64))

    def update(self, sim, t0, nsteps):
        ring = sim.ring
        slots = (t0 + np.arange(nsteps)) % ring.shape[0]
        counts = ring[slots, 0, self.ring_first:self.ring_first + self.n]
        ring[slots, 0, self.ring_first:self.ring_first + self.n] = 0.0
        lags, nodes = np.nonzero(counts > 0.5)
        if lags.size:
            times = self.grid.to_ms(t0 + 1 + lags)
            for lag, i, t in zip(lags, nodes, times):
                self._times[i].append(float(t))
                self._mults[i].append(float(np.rint(counts[lag, i])))
        end = t0 + nsteps
        min_delay = sim.delay_extrema()[0]
        t_trig = float(self.grid.to_ms(end))
        for i in range(self.n):
            if end % (int(self.values["deliver_interval"][i]) * min_delay):
                continue
            times, mults = self.spike_list(self.first + i)
            sim.plastic.trigger(sim, self.first + i, times, mults, t_trig)
            self._times[i] = [t_trig]
            self._mults[i] = [0.0]
        return None


SPECS = [
    ModelSpec("volume_transmitter", STIMULATOR, VolumeTransmitter,
              {"deliver_interval": Param("deliver_interval", 1, kind=INT,
                                         doc="Delivery interval in min_delay slices")},
              extra_status={**NODE_STATUS, "element_type": "other"},
              doc="Collects dopamine spikes for stdp_dopamine_synapse."),
]
