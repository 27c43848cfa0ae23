"""What the neuron blocks of the model library share (multisynapse, izhikevich, iaf_cond, hh).

A block keeps its per-node parameters in ``self.values`` (NodeBlock) and its state,
propagators and compiled update loop in ``self.core``, an extension type whose ``update``
has the signature every loop of the library uses::

    core.update(ring, first, t0, nsteps, spk_node, spk_lag, rec_nodes, sample_flags, sample_out)
        -> number of spikes emitted

The ODE cores also have ``failed`` (local index of a node whose solver failed, or -1) and
``fail_code`` (the solver's return code), checked after every call. A core that is a
ThreadedCore (iaf_cond_* but _mc, hh_*, izhikevich) takes the threads' bounds as well, and
the slice engine runs it.
"""
import numpy as np

from ..errors import KernelError, SolverFailure
from ..nodes import NodeBlock
from ..parallel._region import ThreadedCore

# Solver return codes of kernel/neurons/_odeint.pxd, for the messages.
ODE_FAILURES = {1: "the step size shrank to zero (the equations are too stiff or the state "
                   "diverges)",
                2: "the state became infinite or NaN",
                3: "more than 100000 internal steps in one simulation step (the equations are "
                   "too stiff or the state diverges)"}


class SpikingBlock(NodeBlock):
    """Base of the library's neuron blocks: spike output, multimeter sampling, one core."""

    emits_spikes = True
    can_be_sampled = True
    sends = "spike"
    accepts = ("spike", "current", "request")

    def _spike_buffers(self, nsteps):
        size = max(self.n * nsteps, 1)
        if getattr(self, "_spk_node", None) is None or self._spk_node.shape[0] < size:
            self._spk_node = np.empty(size, dtype=np.int32)
            self._spk_lag = np.empty(size, dtype=np.int32)
        return self._spk_node, self._spk_lag

    def update(self, sim, t0, nsteps):
        self.check_not_failed()
        if sim.ring.shape[1] < self.n_channels:
            raise KernelError(
                f"{self.spec.name} nodes {self.first}-{self.last} now need {self.n_channels} "
                "input channels but the network was prepared with fewer; change the number of "
                "receptors before Prepare/Simulate.")
        spk_node, spk_lag = self._spike_buffers(nsteps)
        rec_nodes, flags, out = sim.recording.sample_buffers(self, t0, nsteps)
        threaded = (sim.local_bounds(self),) if isinstance(self.core, ThreadedCore) else ()
        count = self.core.update(sim.ring, self.ring_first, t0, nsteps, spk_node, spk_lag,
                                 rec_nodes, flags, out, *threaded)
        self.check_solver(t0, nsteps)
        sim.recording.collect_samples(self, t0, nsteps)
        return spk_node[:count], spk_lag[:count], None

    def check_solver(self, t0, nsteps):
        """Raise GSLSolverFailure (and leave the block failed) if the core's solver failed
        in the update of steps t0 ... t0 + nsteps - 1."""
        failed = getattr(self.core, "failed", -1)
        if failed < 0:
            return
        code = self.core.fail_code
        self.core.failed = -1
        h = self.grid.resolution
        raise self.fail(SolverFailure(
            f"{self.spec.name} node {self.ids_of(failed)}: the ODE solver failed between "
            f"t = {t0 * h:g} and {(t0 + nsteps) * h:g} ms: "
            f"{ODE_FAILURES.get(code, 'unknown failure')}. Check the parameters and input "
            "weights."))


def first_bad(values, mask):
    """The first entry of ``values`` where ``mask`` holds (for messages)."""
    values = np.broadcast_to(values, np.shape(mask))
    return values[np.argmax(mask)]

