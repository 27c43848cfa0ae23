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
from .nodes import NodeCollection


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
    if not isinstance(nc, NodeCollection):
        raise TypeError(f"GetLocalNodeCollection requires a NodeCollection; got "
                        f"{type(nc).__name__}.")
    procs = get_kernel().processes
    ids = nc.tolist() if len(nc) else []
    positions = np.flatnonzero(procs.is_local(np.asarray(ids, dtype=np.int64)))
    return nc[positions.tolist()] if positions.size else NodeCollection([])


__all__ = ["GetLocalNodeCollection", "GetLocalVPs", "NumProcesses", "Rank", "SyncProcesses"]
