"""Plastic synapses: what the kernel needs from a plastic model, and the delivery manager.

A synapse ModelSpec whose ``plasticity`` is not None is delivered by its own compiled loop
(kernel/synapses/_plastic.pyx, _stp.pyx) instead of the static ``deliver_spikes``. The
:class:`Plasticity` object of the spec says

* which per-connection columns the loop writes (``state``: made per-connection before the
  loop runs) and which hidden columns it keeps (``hidden``: e.g. the time of the last
  presynaptic spike, not reported by GetConnections),
* whether it reads the postsynaptic spike archive (``archiving``: targets must be neurons),
* the consistency checks NEST makes (weight and Wmax of the same sign, U in [0, 1], ...),
* how to call its loop (:meth:`Plasticity.deliver`).

Timing is NEST's: the spikes of a min_delay slice reach plastic synapses (and synapses
whose model has a weight recorder) at the start of the next slice, so after
``Simulate(T)`` the weights do not yet include the spikes of the last slice, as in NEST.
By then the archive holds every postsynaptic spike up to the end of that slice. Static
synapses deliver at the end of the slice as before; the two orders are equivalent for the
targets because every delay is at least one min_delay.
"""
import numpy as np

from ..errors import BadParameterValue, IllegalConnection
from ..registry import NEURON, STIMULATOR
from ._core import EventSink


class Plasticity:
    """How one plastic synapse model is delivered and checked (subclasses fill it in).

    Attributes
    ----------
    archiving : bool
        The model reads the postsynaptic spike archive (STDP family).
    state : tuple of str
        Columns the delivery loop writes (weight and plastic state variables).
    hidden : dict of str to (dtype, initial value)
        Per-connection columns users do not see (names start with '_').
    checked : tuple of str
        Parameters :meth:`check` needs.
    """

    archiving = False
    state = ()
    hidden = {}
    checked = ()

    def check(self, values):
        """Raise BadParameterValue unless ``values`` (name -> scalar or array) are consistent.

        Only relations between parameters and ranges that a Param cannot express are checked
        here (e.g. weight and Wmax of the same sign).
        """

    def derived_defaults(self, changed, merged):
        """Common properties that follow from new defaults ``changed`` (``merged``: all the
        model's defaults after the change); none for most models."""
        return {}

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        """Deliver spikes through ``table`` (see the module docstring)."""
        raise NotImplementedError


class StaticRecorded(Plasticity):
    """A static synapse whose model has a weight recorder (same weights, recorded events)."""

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        from ._stp import deliver_static_recorded
        deliver_static_recorded(kernel.ring, senders, stamps, mults, table.indptr,
                                table.view("target"), param_view(kernel, table, spec, "weight"),
                                table.view("delay"), table.view("receptor"), kernel.target_kind,
                                kernel.neg_shift, sink, kernel.unrolls)


STATIC_RECORDED = StaticRecorded()


# -- helpers for the model modules ---------------------------------------------------------------
def writable(table, name):
    """The per-connection array of column ``name``, made per-connection if it is stored once.

    The delivery loops write plastic state in place; a homogeneous column (all connections
    equal, stored once) is expanded first.
    """
    return table.expand(name)


def param_view(kernel, table, spec, name, dtype=np.float64):
    """A per-connection view of a parameter: its column, or its common value (0-stride)."""
    if name in spec.common_params:
        value = kernel.models.defaults(spec.name)[name]
        return np.broadcast_to(np.asarray(value, dtype=dtype), (max(table.packed_size, 1),))
    return table.view(name)


def common(kernel, spec, name):
    return float(kernel.models.defaults(spec.name)[name])


def time_args(grid):
    """(tics_per_step, ms_per_tic, ms_per_step) for the loops' time conversions."""
    return grid.tics_per_step, grid.ms_per_tic, grid.resolution


def same_sign(weight, wmax):
    """NEST's rule: weight and Wmax have the same sign, zero counting as positive."""
    w = np.asarray(weight)
    m = np.asarray(wmax)
    if np.any((w >= 0) != (m >= 0)):
        raise BadParameterValue("Wmax", "weight and Wmax must have the same sign "
                                        "(a zero weight counts as positive).")


def in_unit_interval(values, *names):
    for name in names:
        if name in values and np.any((np.asarray(values[name]) < 0) |
                                     (np.asarray(values[name]) > 1)):
            raise BadParameterValue(name, "must be in [0, 1].")


def check_endpoints(kernel, spec, sources, targets):
    """NEST's rules for the ends of a non-static synapse.

    Devices (spike or Poisson generators ...) cannot be the source: NEST refuses their
    events on any synapse but the static ones. Connections that read the postsynaptic spike
    archive need a neuron as target.
    """
    nodes = kernel.nodes
    lookup = nodes.block_lookup()
    blocks = nodes.blocks
    for b in np.flatnonzero(np.bincount(lookup[sources], minlength=len(blocks))):
        block = blocks[b]
        if block.spec.element_type == STIMULATOR and block.sends is not None:
            raise IllegalConnection(
                f"Creation of connection is not possible: {spec.name} does not accept spikes "
                f"from the device {block.spec.name} (only static synapses do); connect the "
                "device to a parrot_neuron and use the parrot as the source.")
    if not spec.plasticity.archiving:
        return
    for b in np.flatnonzero(np.bincount(lookup[targets], minlength=len(blocks))):
        block = blocks[b]
        if block.spec.element_type != NEURON:
            raise IllegalConnection(
                f"Creation of connection is not possible: {spec.name} needs the spike history "
                f"of its target, and {block.spec.name} is not a neuron (the target node does "
                "not support STDP synapses).")


def plastic_connect_checks(kernel, spec, sources, targets, columns, given):
    """Everything NEST checks when connections of a plastic model are made.

    Parameters
    ----------
    kernel : Kernel
    spec : ModelSpec
        A synapse model with ``plasticity``.
    sources, targets : ndarray of int
        Node ids of the new connections.
    columns : dict
        The new connections' values (scalars or one per connection).
    given : iterable of str
        The synapse properties the user gave (syn_spec keys).
    """
    if len(sources):
        check_endpoints(kernel, spec, sources, targets)
    check_connect = getattr(spec.plasticity, "check_connect", None)
    if check_connect is not None:
        check_connect(kernel, spec)
    check_connection_values(spec, columns, given)


def check_connection_values(spec, columns, given):
    """Consistency checks at Connect, as NEST makes them.

    NEST checks a new connection's parameters only when the syn_spec sets some
    model-specific parameter (not just weight, delay or receptor_type); the check then uses
    the connection's weight and the model's other defaults.
    """
    if not set(given) - {"weight", "delay", "receptor_type"}:
        return
    values = {name: columns[name] for name in spec.plasticity.checked if name in columns}
    spec.plasticity.check(values)


# -- delivery ------------------------------------------------------------------------------------
class PlasticDelivery:
    """Per kernel: which tables are delivered late (plastic or recorded), pending spikes,
    volume transmitters, weight recorders.

    Attributes
    ----------
    immediate : list of SynapseTable
        Static tables without a weight recorder (delivered at the end of every slice).
    deferred : list of (SynapseTable, ModelSpec, Plasticity, recorder id)
        Tables delivered at the start of the next slice.
    """

    def __init__(self):
        self.immediate = []
        self.deferred = []
        self.pending = []
        self.vt_tables = {}

    def reset_pending(self):
        self.pending = []

    def prepare(self, kernel):
        """Plan delivery for the packed tables and prepare the archive."""
        self.immediate, self.deferred, archiving = [], [], []
        self.vt_tables = {}
        for name in sorted(kernel.tables, key=lambda m: kernel.models.spec(m).model_id):
            table = kernel.tables[name]
            if not table.packed_size:
                continue
            spec = kernel.models.spec(name)
            recorder = int(kernel.models.defaults(name).get("weight_recorder", 0) or 0)
            rule = spec.plasticity
            if rule is None and not recorder:
                self.immediate.append(table)
                continue
            rule = rule or STATIC_RECORDED
            self.deferred.append((table, spec, rule, recorder))
            for column in rule.state + tuple(rule.hidden):
                writable(table, column)
            if rule.archiving:
                archiving.append(table)
            vt = getattr(rule, "volume_transmitter", None)
            if vt is not None:
                self.vt_tables.setdefault(vt(kernel, spec), []).append((table, spec, rule))
        kernel.archive.prepare(kernel, archiving)

    def begin_run(self, kernel):
        kernel.archive.refresh(kernel.nodes)

    def add(self, senders, stamps, mults):
        if self.deferred:
            self.pending.append((senders, stamps, mults))

    def deliver_pending(self, kernel):
        """Deliver the previous slice's spikes through the deferred tables."""
        if not self.pending:
            return
        chunks, self.pending = self.pending, []
        # NEST delivers spikes in the order they were emitted: update call by update call
        # (a slice split by Simulate calls has several), in each by node, then by time
        orders = [np.lexsort((c[1], c[0])) for c in chunks]
        senders = np.concatenate([c[0][o] for c, o in zip(chunks, orders)]).astype(np.int32)
        stamps = np.concatenate([c[1][o] for c, o in zip(chunks, orders)]).astype(np.int64)
        mults = np.concatenate([c[2][o] for c, o in zip(chunks, orders)]).astype(np.int64)
        recorded = {}
        for table, spec, rule, recorder in self.deferred:
            sink = self._sink(table, senders, mults, recorder)
            for column in rule.state + tuple(rule.hidden):
                writable(table, column)
            rule.deliver(kernel, table, spec, senders, stamps, mults, sink)
            if recorder and sink.n:
                recorded.setdefault(recorder, []).append(sink)
        for recorder, sinks in recorded.items():
            kernel.nodes.block_of(recorder).record_sinks(recorder, sinks, kernel.nodes)

    @staticmethod
    def _sink(table, senders, mults, recorder):
        sink = EventSink()
        sink.n = 0
        sink.active = bool(recorder)
        size = 1
        if recorder:
            indptr = table.indptr
            inside = senders < indptr.shape[0] - 1
            degree = np.zeros(senders.shape[0], dtype=np.int64)
            degree[inside] = indptr[senders[inside] + 1] - indptr[senders[inside]]
            size = max(int((degree * mults).sum()), 1)
        sink.sender, sink.target, sink.stamp, sink.receptor, sink.port = \
            (np.empty(size, dtype=np.int64) for _ in range(5))
        sink.weight = np.empty(size, dtype=np.float64)
        return sink

    def trigger(self, kernel, vt_id, dopa_t, dopa_m, t_trig):
        """A volume transmitter delivers its dopamine spikes to its synapses."""
        for table, spec, rule in self.vt_tables.get(vt_id, ()):
            for column in rule.state + tuple(rule.hidden):
                writable(table, column)
            rule.trigger(kernel, table, spec, dopa_t, dopa_m, t_trig)

    def dopamine_spikes(self, kernel, spec):
        """The dopamine spike list of the volume transmitter of ``spec``."""
        vt = spec.plasticity.volume_transmitter(kernel, spec)
        return kernel.nodes.block_of(vt).spike_list(vt)


# -- model defaults ------------------------------------------------------------------------------
# Common properties of synapse models that name a node: key -> the node model it must be.
NODE_REFERENCES = {"weight_recorder": "weight_recorder", "volume_transmitter": "volume_transmitter"}


def node_reference(kernel, spec, key, ids):
    """The node id a synapse model's ``weight_recorder`` / ``volume_transmitter`` is set to.

    Parameters
    ----------
    kernel : Kernel
    spec : ModelSpec
        A synapse model.
    key : str
        'weight_recorder' (any synapse model) or 'volume_transmitter' (models that have it).
    ids : array of int
        The node ids given (at most one; none unsets a weight recorder).

    Returns
    -------
    int
        The node id, 0 for none.

    Raises
    ------
    BadParameterValue
        More than one node, or a node of another model.
    """
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    if key == "volume_transmitter" and key not in spec.common_params:
        raise BadParameterValue(key, f"{spec.name} has no volume transmitter.")
    if ids.size == 0 and key == "weight_recorder":
        return 0
    if ids.size != 1:
        raise BadParameterValue(key, f"must be a single node (a NodeCollection of one "
                                     f"{NODE_REFERENCES[key]}); got {ids.size} nodes.")
    node = int(ids[0])
    block = kernel.nodes.block_of(node)
    if block.spec.base != NODE_REFERENCES[key]:
        raise BadParameterValue(key, f"must be set to a node of type {NODE_REFERENCES[key]}; "
                                     f"node {node} is a {block.spec.name}.")
    return node


def check_synapse_defaults(kernel, spec, values):
    """NEST's consistency checks for new defaults ``values`` of a plastic synapse model.

    ``values`` also receives the common properties the model derives from them.
    """
    if spec.plasticity is None:
        return
    merged = {**kernel.models.defaults(spec.name), **values}
    if spec.plasticity.checked:
        spec.plasticity.check({name: merged[name] for name in spec.plasticity.checked
                               if name in merged})
    values.update(spec.plasticity.derived_defaults(values, merged))
