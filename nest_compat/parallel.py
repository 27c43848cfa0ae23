"""Parallel computing: MPI rank and process count, synchronisation, local nodes.

Run a script under ``mpiexec -n K python script.py`` (mpi4py and an MPI library, e.g. the
``mpich`` wheel, installed). Each process holds its own nodes' connections (node id g lives on
rank g % K, as in NEST with one thread per process); recorders record their local senders'
events and GetConnections returns the local connections, as in NEST. The same seed gives the
same network and the same spikes for any K.
"""
import numpy as np

from kernel import get_kernel

from .errors import nest_errors
from .info import warn_once
from .nodes import NodeCollection, _status_table


def Rank():
    """This process's MPI rank (0 without MPI)."""
    return get_kernel().processes.rank


def NumProcesses():
    """Number of MPI processes (1 without MPI)."""
    return get_kernel().processes.size


def SyncProcesses():
    """Wait until every MPI process has reached this call."""
    get_kernel().processes.barrier()


def GetLocalVPs():
    """The virtual processes of this MPI process (one per thread).

    Returns
    -------
    range
        The VP numbers this process runs, ``rank, rank + K, ...`` for K processes.
    """
    k = get_kernel()
    procs = k.processes
    return range(procs.rank, procs.size * k.local_num_threads, procs.size)


@nest_errors
def GetLocalNodeCollection(nc):
    """The nodes of ``nc`` that live on this MPI process.

    Parameters
    ----------
    nc : NodeCollection

    Returns
    -------
    NodeCollection
        The local nodes, in the order of ``nc`` (empty if there are none).
    """
    warn_once("\nGetLocalNodeCollection() leads to inherently unsafe code; see documentation for "
              "details.")
    if not isinstance(nc, NodeCollection):
        raise TypeError(f"GetLocalNodeCollection requires a NodeCollection; got "
                        f"{type(nc).__name__}.")
    procs = get_kernel().processes
    ids = nc.tolist() if len(nc) else []
    positions = np.flatnonzero(procs.is_local(np.asarray(ids, dtype=np.int64)))
    return nc[positions.tolist()] if positions.size else NodeCollection([])


@nest_errors
def GetNodes(properties=None, local_only=False):
    """All nodes whose properties equal ``properties``, as a NodeCollection.

    Parameters
    ----------
    properties : dict, optional
        Names and values a node must have (exactly); all nodes when empty.
    local_only : bool, optional
        Only the nodes of this MPI process (devices are on every process). Otherwise the
        matching nodes of every process (a collective call with several processes).

    Returns
    -------
    NodeCollection
    """
    properties = {} if properties is None else properties
    if not isinstance(properties, dict):
        raise TypeError(f"properties must be a dict; got {type(properties).__name__}.")
    k = get_kernel()
    ids = np.arange(1, k.network_size + 1, dtype=np.int64)
    keep = np.ones(ids.shape[0], dtype=bool)
    if ids.size:
        # a neuron's state is only known on its own process: match there
        keep &= np.asarray(k.get_node_values(ids, "local"), dtype=bool)
    if properties and ids.size:
        table = _status_table(ids, list(properties))
        for name, wanted in properties.items():
            column = np.fromiter(table[name], dtype=object, count=ids.shape[0])
            keep &= np.fromiter((v is not None for v in column), dtype=bool,
                                count=ids.shape[0]) & (column == wanted).astype(bool)
    chosen = ids[keep]
    if not local_only:
        chosen = np.unique(k.processes.allgather_arrays(chosen))
    return NodeCollection(chosen.tolist())


__all__ = ["GetNodes", "GetLocalNodeCollection", "GetLocalVPs", "NumProcesses", "Rank",
           "SyncProcesses"]
