"""The postsynaptic spike archive (NEST's ArchivingNode), for STDP-type synapses.

Event-driven STDP updates a connection only when a presynaptic spike is delivered; it then
needs the postsynaptic neuron's spikes since the connection's previous presynaptic spike
(facilitation) and the postsynaptic trace K-minus just before the new one (depression).
The archive keeps, for every neuron that is the target of at least one archiving
connection, its spike history with the K-minus trace after each spike, as NEST does:

* K-minus jumps by 1 at every postsynaptic spike (once per unit of multiplicity: a parrot
  repeating a spike of multiplicity 2 archives two entries) and decays with the node's
  ``tau_minus`` (per node, settable like any neuron parameter). A triplet trace with
  ``tau_minus_triplet`` is kept alongside.
* Spikes are archived only while the node has archiving connections (NEST: ``n_incoming``),
  from the spike register of every slice, before the slice's spikes are delivered. By then
  all postsynaptic spikes up to the end of the slice are known; a presynaptic spike stamped
  t reads only entries up to t - d (d = the connection's delay, all of it dendritic, as in
  NEST), so the result does not depend on the slice length.
* An entry counts how many connections have read it; it is pruned at a later spike of the
  node once every connection has read it and the next entry lies more than
  (max dendritic delay + min_delay) before the new spike, so ``archiver_length`` and
  ``post_trace`` match NEST's.

The compiled parts (ring storage, K values, history ranges) are in synapses/_core.pyx.
Nodes are numbered by ring column (kernel.nodes.NodeTable.ring_ids), as the connection
tables' targets are: a process archives the spikes of the neurons it holds.

``tau_minus`` and ``tau_minus_triplet`` become real parameters of every neuron model that
reports them (see :func:`with_archiving_params`): the node blocks store them like any
parameter, and the archive reads them at Prepare and at the start of every Run.
"""
import numpy as np

from .registry import NEURON, Param
from .synapses._core import ArchiveCore, archive_spikes, max_by_target

STDP_EPS = 1.0e-6          # ms; NEST's tolerance in spike-time comparisons
ARCHIVING_PARAMS = {
    "tau_minus": Param("tau_minus", 20.0, "ms", positive=True,
                       doc="Time constant of the postsynaptic STDP trace K-minus"),
    "tau_minus_triplet": Param("tau_minus_triplet", 110.0, "ms", positive=True,
                               doc="Time constant of the triplet STDP trace"),
}
# node status entries the archive answers (NEST: ArchivingNode)
ARCHIVE_STATUS = ("archiver_length", "post_trace")


def with_archiving_params(spec):
    """Make ``tau_minus`` / ``tau_minus_triplet`` real parameters of a neuron spec.

    Neuron specs list them among their constant status entries (NEURON_STATUS); this moves
    them into ``params`` (keeping the value listed there as the default), so that Create,
    get/set, SetDefaults and CopyModel treat them like any parameter. Other specs are
    returned unchanged.

    Parameters
    ----------
    spec : ModelSpec

    Returns
    -------
    ModelSpec
        The same object, changed in place.
    """
    if spec.element_type != NEURON or "tau_minus" not in spec.extra_status:
        return spec
    params = dict(spec.params)
    for name, param in ARCHIVING_PARAMS.items():
        if name in spec.extra_status and name not in params:
            params[name] = Param(name, spec.extra_status[name], param.unit, positive=True,
                                 doc=param.doc)
    spec.params = params
    spec.extra_status = {k: v for k, v in spec.extra_status.items() if k not in ARCHIVING_PARAMS}
    return spec


class SpikeArchive:
    """Spike histories of the archiving nodes of one kernel.

    Attributes
    ----------
    core : ArchiveCore
        The arrays the compiled loops read (see synapses/_core.pxd).
    active : bool
        True once some node has archiving connections.
    """

    def __init__(self):
        self.core = ArchiveCore()
        self.rows = 0
        self.capacity = 4
        self.node_of_row = np.zeros(0, dtype=np.int64)
        self.active = False
        self._allocate(0, 1)

    # -- storage ---------------------------------------------------------------------------------
    def _allocate(self, rows, network_size):
        """(Re)allocate per-row arrays for ``rows`` rows, keeping existing rows."""
        c = self.core
        old_rows = self.rows if hasattr(self, "_kminus") else 0
        row_of = np.full(network_size + 1, -1, dtype=np.int32)
        if old_rows:
            n = min(len(self._row_of), network_size + 1)
            row_of[:n] = self._row_of[:n]
        self._row_of = row_of

        def grow(name, fill, dtype):
            arr = np.full(rows, fill, dtype=dtype)
            if old_rows:
                arr[:old_rows] = getattr(self, name)[:old_rows]
            setattr(self, name, arr)
            return arr

        c.row_of = self._row_of
        c.kminus = grow("_kminus", 0.0, np.float64)
        c.kminus_trip = grow("_kminus_trip", 0.0, np.float64)
        c.last_spike = grow("_last_spike", -1.0, np.float64)
        c.trace = grow("_trace", 0.0, np.float64)
        c.tau_inv = grow("_tau_inv", 1.0 / 20.0, np.float64)
        c.tau_trip_inv = grow("_tau_trip_inv", 1.0 / 110.0, np.float64)
        c.max_delay = grow("_max_delay", 0.0, np.float64)
        c.n_incoming = grow("_n_incoming", 0, np.int64)
        c.head = grow("_head", 0, np.int64)
        c.size = grow("_size", 0, np.int64)
        self._set_rings(self._rings(rows, self.capacity, old_rows))
        self.rows = rows
        c.eps = STDP_EPS

    def _rings(self, rows, capacity, keep_rows):
        """History arrays of ``capacity`` per row, the first ``keep_rows`` rows copied in
        order (oldest entry first)."""
        new = [np.zeros((rows, capacity), dtype=np.float64) for _ in range(3)] + \
            [np.zeros((rows, capacity), dtype=np.int64)]
        if keep_rows and hasattr(self, "_h"):
            old_cap = self._h[0].shape[1]
            n = min(old_cap, capacity)
            idx = (self._head[:keep_rows, None] + np.arange(n)[None, :]) % old_cap
            for dst, src in zip(new, self._h):
                dst[:keep_rows, :n] = np.take_along_axis(src[:keep_rows], idx, axis=1)
            self._head[:keep_rows] = 0
        return new

    def _set_rings(self, arrays):
        self._h = arrays
        c = self.core
        c.h_t, c.h_k, c.h_kt, c.h_count = arrays
        c.mask = arrays[0].shape[1] - 1

    def _grow_capacity(self, needed):
        capacity = self.capacity
        while capacity < needed:
            capacity *= 2
        self._set_rings(self._rings(self.rows, capacity, self.rows))
        self.capacity = capacity

    # -- kernel hooks ----------------------------------------------------------------------------
    def prepare(self, kernel, archiving_tables):
        """Count archiving connections per node and give new archiving nodes a row.

        Parameters
        ----------
        kernel : Kernel
        archiving_tables : list of SynapseTable
            Packed tables of the models whose synapses read the archive.
        """
        size = kernel.nodes.ring_size
        n_incoming = np.zeros(size + 1, dtype=np.int64)
        max_delay = np.zeros(size + 1, dtype=np.int64)
        for table in archiving_tables:
            targets = table.ring_targets()
            n_incoming += np.bincount(targets, minlength=size + 1)[:size + 1]
            if table.is_homogeneous("delay"):
                d = int(table.view("delay")[0])
                np.maximum(max_delay, np.where(np.bincount(targets, minlength=size + 1) > 0, d, 0),
                           out=max_delay)
            else:
                max_by_target(np.ascontiguousarray(targets, dtype=np.int32), table.view("delay"),
                              max_delay)
        if self._row_of.shape[0] < size + 1:
            self._allocate(self.rows, size)
        new_nodes = np.flatnonzero((n_incoming > 0) & (self._row_of[:size + 1] < 0))
        if new_nodes.size:
            first = self.rows
            self._allocate(self.rows + new_nodes.size, size)
            self._row_of[new_nodes] = np.arange(first, first + new_nodes.size, dtype=np.int32)
            self.node_of_row = np.concatenate([self.node_of_row, new_nodes])
        if not self.rows:
            return
        ids = self.node_of_row
        self._n_incoming[:] = n_incoming[ids]
        self._max_delay[:] = max_delay[ids] * kernel.grid.resolution
        self.core.min_delay_ms = kernel.delay_extrema()[0] * kernel.grid.resolution
        self.active = True
        self.refresh(kernel.nodes)

    def refresh(self, nodes):
        """Read tau_minus / tau_minus_triplet of the archiving nodes from their blocks."""
        if not self.rows:
            return
        for block, pos, local in nodes.group(nodes.global_ids(self.node_of_row)):
            values = getattr(block, "values", {})
            if "tau_minus" in values:
                self._tau_inv[pos] = 1.0 / values["tau_minus"][local]
            if "tau_minus_triplet" in values:
                self._tau_trip_inv[pos] = 1.0 / values["tau_minus_triplet"][local]

    def record(self, senders, stamps, mults, grid):
        """Archive the spikes of a slice (senders int32, stamps and mults int64 arrays)."""
        if not self.active:
            return
        start = 0
        while True:
            start = archive_spikes(self.core, senders, stamps, mults, start, grid.tics_per_step,
                                   grid.ms_per_tic)
            if start < 0:
                return
            row = self._row_of[senders[start]]
            self._grow_capacity(int(self._size[row] + mults[start]))

    # -- status ----------------------------------------------------------------------------------
    def status(self, name, ids):
        """``archiver_length`` (int) or ``post_trace`` (float) of nodes (ring columns)."""
        ids = np.asarray(ids, dtype=np.int64)
        rows = np.full(ids.shape[0], -1, dtype=np.int64)
        inside = ids < self._row_of.shape[0]
        rows[inside] = self._row_of[ids[inside]]
        has = rows >= 0
        if name == "archiver_length":
            out = np.zeros(ids.shape[0], dtype=np.int64)
            out[has] = self._size[rows[has]]
        else:
            out = np.zeros(ids.shape[0], dtype=np.float64)
            out[has] = self._trace[rows[has]]
        return out
