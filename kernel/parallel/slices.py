"""The slice engine's plan for a network: which blocks and tables it runs (see _region.pyx).

A network whose every block the engine can run (cores updated in parts: the iaf_psc models,
iaf_cond_* (not _mc), aeif_*, hh_*, izhikevich, parrot_neuron and spike_generator; Poisson generators whose trains are
consecutive runs of targets, such as one generator for a population, or single trains, such
as PyNN's Poisson sources; dc_ and step_current_generators not sampled by a multimeter;
blocks with nothing to update such as recorders), whose connections are all static and
delivered at once, in one process, runs each min_delay slice in one parallel region.
Anything else takes the general path (block by block, then table by table), which gives the
same numbers.
"""
import os

import numpy as np

from ..devices._generators import CurrentRuns, PoissonRuns
from ._region import SliceEngine, ThreadedCore


# whole slices handed to the engine in one call: at most about this much work (neuron steps,
# Poisson draws and currents sent: ~0.1-0.3 s, more where delivery dominates), so that Python
# runs between calls rarely (it cost ~5 % of a slice at Brunel's scale 0.2 with ~1000 steps a
# call) while a call still returns often enough to notice Ctrl-C
WORK_PER_CALL = 100_000_000

# when multimeters sample the neurons or current generators send currents, at most about this
# many values (recorded nodes x recordables and generators, x steps: 32 MB) a call
VALUES_PER_CALL = 4_000_000

# recorded spikes a call should hand the recorders: numpy's sorting and filtering of them is
# several times slower per spike on arrays that leave the cache (a network whose recorded
# neurons fire 5 M spikes a second took 1.3 s to record them from one call). Calls start at
# FIRST_STEPS and grow or shrink towards this many recorded spikes.
SPIKES_PER_CALL = 100_000
FIRST_STEPS = 1000

# seconds a thread spins at a slice's meeting before it sleeps, as long as libgomp's
# GOMP_SPINCOUNT=1000 (kernel/__init__.py); OMP_WAIT_POLICY, when the user sets it, decides
MEETING_SPIN_SECONDS = 2e-5


def meeting_spin_seconds(environ=os.environ):
    """How long a thread waits spinning at a meeting: -1 (until it ends) for
    OMP_WAIT_POLICY=active, 0 for passive, else MEETING_SPIN_SECONDS."""
    policy = environ.get("OMP_WAIT_POLICY", "").strip().lower()
    return {"active": -1.0, "passive": 0.0}.get(policy, MEETING_SPIN_SECONDS)


class SlicePlan:
    """The engine for one Run and the blocks whose samples it fills."""

    def __init__(self, engine, neuron_blocks, current_runs, min_delay):
        self.engine = engine
        self.neuron_blocks = neuron_blocks
        self.current_runs = current_runs
        self.min_delay = min_delay
        # blocks that hand the recorders their own spikes (spike_generator: with offsets)
        self.self_recorded = [b for b in neuron_blocks
                              if getattr(b, "records_own_spikes", False)]
        # cores whose ODE solver can fail (raised after the call, at the slice it failed in)
        self.may_fail = any(hasattr(getattr(b, "core", None), "failure_step")
                            for b in neuron_blocks)
        self.spike_steps = FIRST_STEPS     # steps a call, as the recorded spikes allow

    @classmethod
    def build(cls, kernel):
        """The plan for ``kernel``'s network (prepared), or None for the general path."""
        if kernel.processes.size > 1 or kernel.archive.active or kernel.plastic.deferred:
            return None
        neurons, blocks, poisson, currents = [], [], [], []
        for block in kernel.nodes.blocks:
            task = block.engine_task(kernel)
            if task is None:
                return None
            if isinstance(task, ThreadedCore):
                neurons.append((task, block.ring_first, block.first, block.last_spike,
                                kernel.local_bounds(block)))
                blocks.append(block)
            elif isinstance(task, PoissonRuns):
                poisson.append(task)
            elif isinstance(task, CurrentRuns):
                currents.append(task)
        min_delay = kernel.delay_extrema()[0]
        # how far a slice's spikes reach: whether threads may draw Poisson input ahead
        reach = max([table.longest_delay(b.first, b.last) for table in kernel.plastic.immediate
                     for b in blocks], default=0)
        engine = SliceEngine(neurons, poisson, currents, kernel.static_tables(),
                             kernel.thread_bounds, min_delay, reach, meeting_spin_seconds())
        return cls(engine, blocks, currents, min_delay)

    def steps_per_call(self, recording):
        """How far one update may reach: whole slices, as many as WORK_PER_CALL, the memory
        of samples and currents (VALUES_PER_CALL) and the recorded spikes (SPIKES_PER_CALL)
        allow; one slice when multimeters sample ODE neurons (a solver error stops the call
        before its samples are handed over)."""
        m = self.min_delay
        steps = WORK_PER_CALL // max(1, self.engine.work_per_step)
        if recording.listened.any():
            steps = min(steps, self.spike_steps)
        if recording.plans and self.may_fail:
            return m
        values = sum(plan.rec_nodes.shape[0] * len(plan.block.spec.recordables)
                     for plan in recording.plans.values())
        values += sum(runs.n for runs in self.current_runs)
        steps = min(steps, VALUES_PER_CALL // max(1, values))
        return max(1, steps // m) * m

    def _check_solvers(self, kernel, t0, nsteps):
        """Raise the first ODE solver error of the update, as the general path (one slice an
        update) would: with time at the start of the slice it happened in."""
        failures = [(block.failure_step(), k) for k, block in enumerate(self.neuron_blocks)]
        step, k = min([f for f in failures if f[0] >= 0], default=(-1, -1))
        if step < 0:
            return
        start = max(t0, step // self.min_delay * self.min_delay)
        kernel.clock = start
        self.neuron_blocks[k].check_solver(start, min(start + self.min_delay, t0 + nsteps) - start)

    def update(self, kernel, t0, nsteps):
        """Update and deliver the steps t0 ... t0 + nsteps - 1, slice by slice; return the
        spikes recorders take from their register (senders, stamps, multiplicities)."""
        m = self.min_delay
        ends = np.arange((t0 // m + 1) * m, t0 + nsteps, m, dtype=np.int64)
        starts = np.concatenate(([t0], ends)).astype(np.int64)
        lengths = (np.append(ends, t0 + nsteps) - starts).astype(np.int32)
        recording = kernel.recording
        sampled = [id(b) in recording.plans for b in self.neuron_blocks]
        samples = None
        if any(sampled):
            samples = [recording.sample_buffers(b, t0, nsteps) if s else None
                       for b, s in zip(self.neuron_blocks, sampled)]
        for block in self.self_recorded:
            block.stage_own_spikes(kernel, t0, nsteps)
        # only the spikes recorders take come back (nothing else reads them: the engine
        # runs no plastic tables and keeps no archive)
        ring, thread_rings = kernel.thread_rings()
        currents = [runs.block.currents(t0 + 1 + np.arange(nsteps)) for runs in self.current_runs]
        senders, stamps, mults = self.engine.run(ring, thread_rings, starts, lengths,
                                                 kernel.target_kind, kernel.neg_shift,
                                                 kernel.unrolls,
                                                 recording.listened.view(np.uint8), samples,
                                                 currents)
        self._check_solvers(kernel, t0, nsteps)
        for block, s in zip(self.neuron_blocks, sampled):
            if s:
                recording.collect_samples(block, t0, nsteps)
        if samples is not None and starts.shape[0] > 1:
            # the slices before the last are over: their samples are published as the general
            # path publishes them, slice by slice
            recording.publish_until(int(starts[-1]), m)
        # the next call's length: about SPIKES_PER_CALL recorded spikes, at most twice this one
        n = senders.shape[0]
        self.spike_steps = max(m, min(2 * nsteps, nsteps * SPIKES_PER_CALL // max(n, 1)))
        if mults is None:
            mults = np.ones(n, dtype=np.int64)
        return senders, stamps, mults
