"""The simulator state of pyNN.neuropil: one kernel per process, shared with ``import nest``.

PyNN's generic code reaches the backend through the module attributes ``state``, ``ID``,
``Connection`` and ``name``. :class:`State` keeps PyNN's view of the simulation (time,
time step, delay bounds, segment counter, the recorders and populations that exist) and
drives the kernel: ``run`` wires pending recording devices and advances the kernel,
``reset`` truly rewinds it (time 0, fresh neuron state, plastic synapses back to their values
at the start of the segment) while keeping the network, and ``clear`` (``setup``) resets it.

Unlike pyNN.nest, the kernel is never run past PyNN's time: multimeter samples that the
kernel publishes one slice late are flushed when data is read, so ``t`` is the kernel's
biological time.
"""
import logging
import math
import warnings

import numpy as np
from pyNN import common, errors

from kernel import get_kernel
from kernel.errors import KernelError
from kernel.registry import NEURON, STIMULATOR

logger = logging.getLogger("PyNN")
name = "Neuropil"  # annotates recorded data ("simulator")

DEFAULT_MAX_DELAY_WITH_MIN = 10.0  # ms, as pyNN.nest when only min_delay is given


class State(common.control.BaseState):
    """PyNN's simulator state on top of the shared kernel.

    Attributes
    ----------
    kernel : kernel.Kernel
        The process-wide kernel (``kernel.get_kernel()``).
    running : bool
        True once ``run`` was called since the last setup or reset.
    segment_counter : int
        Index of the current Neo segment (incremented by ``reset``).
    populations, current_sources, recorders, projections : list or set
        Everything created through PyNN since ``setup``.
    """

    def __init__(self):
        super().__init__()
        self.kernel = get_kernel()
        self.populations = []
        self.projections = []
        self.current_sources = []
        self.recorders = set()
        self.segment_counter = 0
        self.spike_precision = "on_grid"
        self.record_sample_times = False
        self._min_delay = "auto"
        self._max_delay = "auto"
        self._plastic_snapshot = None

    # -- MPI ---------------------------------------------------------------------------------
    @property
    def mpi_rank(self):
        """This process's MPI rank (0 without MPI)."""
        return self.kernel.processes.rank

    @property
    def num_processes(self):
        """Number of MPI processes (1 without MPI)."""
        return self.kernel.processes.size

    # -- time --------------------------------------------------------------------------------------
    @property
    def t(self):
        """Current time in ms (the kernel's biological time, rounded like pyNN.nest)."""
        return round(self.kernel.biological_time, 12)

    @property
    def dt(self):
        return self.kernel.grid.resolution

    @dt.setter
    def dt(self, value):
        self.kernel.set_resolution(float(value))

    @property
    def min_delay(self):
        """Smallest allowed delay in ms (the kernel's, which follows connections if 'auto')."""
        return float(self.kernel.grid.to_ms(self.kernel.delay_extrema()[0]))

    @property
    def max_delay(self):
        return float(self.kernel.grid.to_ms(self.kernel.delay_extrema()[1]))

    def set_delays(self, min_delay, max_delay):
        """Fix the kernel's delay bounds (``'auto'`` leaves them to the connections).

        Parameters
        ----------
        min_delay, max_delay : float or 'auto'
            In ms. NEST's rounding: min_delay down and max_delay up to the grid.
        """
        self._min_delay, self._max_delay = min_delay, max_delay
        if min_delay == "auto":
            return
        max_delay = DEFAULT_MAX_DELAY_WITH_MIN if max_delay == "auto" else float(max_delay)
        grid = self.kernel.grid
        lo = int(math.floor(round(float(min_delay) * grid.tics_per_ms) / grid.tics_per_step))
        hi = int(math.ceil(round(max_delay * grid.tics_per_ms) / grid.tics_per_step))
        lo = max(lo, 1)
        if hi < lo:
            raise errors.InvalidParameterValueError(
                f"max_delay ({max_delay} ms) must not be smaller than min_delay ({min_delay} ms).")
        self.kernel.connections.set_delay_extrema(lo, hi)

    # -- running -------------------------------------------------------------------------------------
    def _before_run(self):
        """Wire what was deferred (parrots, recording devices) and open the segment."""
        for population in self.populations:
            population._finish_wiring()
        for source in self.current_sources:
            source._finish_wiring()
        for recorder in list(self.recorders):
            recorder._wire()
        if not self.running:
            self._plastic_snapshot = _snapshot_plastic(self.kernel)
            for recorder in list(self.recorders):
                recorder._open_segment()

    def run(self, simtime):
        """Advance the simulation by ``simtime`` ms (rounded to whole time steps)."""
        steps = int(round(simtime / self.dt))
        if abs(steps * self.dt - simtime) > 1e-9 * max(1.0, abs(simtime)):
            warnings.warn(f"run({simtime}) is not a whole number of time steps ({self.dt} ms); "
                          f"running {steps * self.dt} ms.")
        self._before_run()
        self.running = True
        if steps > 0:
            try:
                self.kernel.simulate(float(self.kernel.grid.to_ms(steps)))
            except KernelError as error:
                raise errors.PyNNError(str(error)) from error

    def run_until(self, tstop):
        """Advance the simulation until ``tstop`` ms (nothing if it is not in the future)."""
        steps = int(round((tstop - self.t) / self.dt))
        if steps > 0:
            self.run(steps * self.dt)
        else:
            self._before_run()
            self.running = True

    def reset(self):
        """Rewind to t = 0: fresh neuron and device state, same network and parameters."""
        rewind(self.kernel, self.populations, self._plastic_snapshot)
        for source in self.current_sources:
            source._reset()
        self.running = False
        self.segment_counter += 1

    def clear(self):
        """Forget everything (``setup``): reset the kernel and PyNN's bookkeeping."""
        self.kernel.reset()
        self.populations = []
        self.projections = []
        self.current_sources = []
        self.recorders = set()
        self.write_on_end = []
        self.running = False
        self.segment_counter = 0
        self._min_delay = self._max_delay = "auto"
        self._plastic_snapshot = None


def rewind(kernel, populations, plastic_snapshot):
    """Bring the kernel back to time 0 without touching the network.

    Neuron blocks are rebuilt from their current parameters (every hidden state variable
    starts afresh, as after Create), then the populations' PyNN initial values are applied;
    input rings and spike histories are emptied; plastic synapse columns get back the values
    they had when the segment began. Stimulators keep their parameters; their hidden state
    (dead-time and gamma phases, pending pulse packets) starts afresh, so that, their draws
    being functions of the time step, a rewound clock replays them.

    Parameters
    ----------
    kernel : kernel.Kernel
    populations : list of Population
        PyNN populations, whose initial values are re-applied.
    plastic_snapshot : dict or None
        From :func:`_snapshot_plastic` at the start of the segment.
    """
    if kernel.prepared:
        kernel.cleanup()
    for index, block in enumerate(kernel.nodes.blocks):
        if block.spec.element_type == STIMULATOR:
            block.init_state(kernel.models.defaults(block.spec.name))
        if block.spec.element_type != NEURON:
            continue
        fresh = block.remade(kernel.models.defaults(block.spec.name))
        if block.emits_spikes:
            fresh.last_spike = np.full(fresh.n, -1, dtype=np.int64)
        kernel.nodes.blocks[index] = fresh
        # the parameters go in through the block's own set path, which also redoes what
        # depends on them (receptor ports, E_L-relative potentials ...)
        updates = {name: value for name, value in block.values.items()
                   if name in block.spec.params and not block.spec.params[name].readonly}
        if updates:
            kernel.set_node_values(block.held_ids(), updates)
    kernel.nodes._lookup = None
    kernel.ring[...] = 0.0
    kernel.clock = 0
    for population in populations:
        population._apply_initial_values()
    _restore_plastic(kernel, plastic_snapshot)


def _snapshot_plastic(kernel):
    """Copies of the columns of every table whose model can change its connections."""
    snapshot = {}
    for model, table in kernel.tables.items():
        spec = kernel.models.spec(model)
        plastic = set(spec.extra_columns) - {"synapse_label"}
        if not plastic or not len(table):
            continue
        table.pack(kernel.nodes.size)
        snapshot[model] = {name: table.column(name).copy() for name in table.dtypes}
    return snapshot


def _restore_plastic(kernel, snapshot):
    for model, columns in (snapshot or {}).items():
        table = kernel.tables.get(model)
        if table is None or table.packed_size != len(columns["target"]):
            continue
        positions = np.arange(table.packed_size)
        for name, values in columns.items():
            if name != "target":
                table.set_column(name, positions, values)


class ID(int, common.IDMixin):
    """A cell: its kernel node id, with ``parent`` pointing to its Population."""

    __doc__ = common.IDMixin.__doc__

    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class Connection(common.Connection):
    """One connection of a Projection, addressed by its position in the projection's table.

    Attributes read and write the kernel's arrays in PyNN units (weight in nA or µS, delay
    in ms, plasticity parameters as the synapse type names them).
    """

    def __init__(self, projection, index):
        self.projection = projection
        self.index = int(index)

    def _values(self, names):
        return self.projection._connection_values(self.index, names)

    @property
    def presynaptic_index(self):
        return int(self._values(["presynaptic_index"])[0])

    @property
    def postsynaptic_index(self):
        return int(self._values(["postsynaptic_index"])[0])

    @property
    def source(self):
        return self.projection.pre[self.presynaptic_index]

    @property
    def target(self):
        return self.projection.post[self.postsynaptic_index]

    presynaptic_cell = source
    postsynaptic_cell = target

    def as_tuple(self, *attribute_names):
        return tuple(self._values(list(attribute_names)))

    def __getattr__(self, attr):
        if attr.startswith("_") or attr in ("projection", "index"):
            raise AttributeError(attr)
        try:
            return self._values([attr])[0]
        except KeyError:
            raise AttributeError(attr) from None

    def __setattr__(self, attr, value):
        if attr in ("projection", "index"):
            object.__setattr__(self, attr, value)
        else:
            self.projection._set_connection_value(self.index, attr, value)


state = State()
