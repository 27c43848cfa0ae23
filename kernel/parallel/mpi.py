"""MPI processes through mpi4py: which nodes and connections are local, and the spike exchange.

Nodes are owned round-robin as in NEST: node id g belongs to rank g % size. A connection is
stored on the rank that owns its target, except a connection *to a recorder* (spike_recorder
...), which is stored on the rank that owns its source, so that each rank's recorder records
the events of its local senders, as in NEST. Rules and parameter expressions draw from the
counter-based generator, so every rank computes the same global network and keeps its share:
no communication is needed to build it. A rank holds and updates only its own neurons (a
block keeps the state of its nodes g with g % size == rank; kernel/nodes.py), numbered locally
by ring column: the input ring and the connections' targets use that numbering, the spike
register uses node ids. Devices are replicated on every rank; only the owner's copy of a
replicated device's spikes goes into the exchange.

The one exchange per min_delay slice is an Allgatherv of the spike register (sender, stamp,
multiplicity of the local senders' spikes), after an allgather of the counts (which also
carries a rank's failure, so that no rank waits for one that raised). The gathered register
is put in one canonical order (block, stamp, sender), also used by a single process, so every
target sums its input in the same order whatever the number of processes, and spike trains
are identical.

mpi4py is optional: it is imported only when the process was started by an MPI launcher
(``mpiexec``/``mpirun``, recognised by the variables they set) or when ``NEUROPIL_MPI=1``, and
any failure to import it leaves the kernel single-process.
"""
import os
import sys

import numpy as np

from ..errors import KernelError

_LAUNCHER_VARIABLES = ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK",
                       "MPI_LOCALNRANKS", "SLURM_PMIX_MAPPING_SERV")


def _world():
    """COMM_WORLD of mpi4py, or None when not launched by MPI or mpi4py is unusable."""
    wanted = os.environ.get("NEUROPIL_MPI", "")
    if wanted == "0" or (wanted != "1" and not any(v in os.environ for v in _LAUNCHER_VARIABLES)):
        return None
    try:
        from mpi4py import MPI
        return MPI.COMM_WORLD
    except Exception:          # missing, broken or ABI-incompatible MPI: run single-process
        return None


def _abort_on_uncaught_errors(comm):
    """An error a script does not catch on one rank ends every rank (MPI_Abort), as
    ``python -m mpi4py`` does, instead of leaving the others waiting in a collective call."""
    previous = sys.excepthook

    def hook(kind, value, traceback):
        previous(kind, value, traceback)
        sys.stderr.flush()
        comm.Abort(1)

    sys.excepthook = hook


def canonical_order(senders, stamps, mults, order_key):
    """The spike register sorted by (node block, stamp, sender).

    Targets add up their input in register order, so every number of processes must use
    the same order; a single process uses it too, since some blocks emit node by node.

    Parameters
    ----------
    senders, stamps, mults : ndarray
    order_key : callable
        ids -> the index of their node block.
    """
    if senders.shape[0] < 2:
        return senders, stamps, mults
    blocks = order_key(senders)
    # already in order (the usual case: blocks emit step by step, ids ascending)
    step = np.diff(blocks)
    same_block = step == 0
    later = np.diff(stamps)
    if np.all((step > 0) | (same_block & ((later > 0) | ((later == 0) &
                                                         (np.diff(senders) >= 0))))):
        return senders, stamps, mults
    order = np.lexsort((senders, stamps, blocks))
    return senders[order], stamps[order], mults[order]


class RemoteError(KernelError):
    """Another MPI rank failed; every rank raises so that none waits forever."""


class Processes:
    """The MPI processes of this run (one process without MPI).

    Attributes
    ----------
    rank : int
        This process's rank (0 without MPI).
    size : int
        Number of processes (1 without MPI).
    comm : mpi4py.MPI.Comm or None
        COMM_WORLD when running under MPI with more than one process.
    """

    def __init__(self, comm="auto"):
        comm = _world() if comm == "auto" else comm
        self.rank = int(comm.Get_rank()) if comm is not None else 0
        self.size = int(comm.Get_size()) if comm is not None else 1
        self.comm = comm if self.size > 1 else None
        if self.comm is not None:
            _abort_on_uncaught_errors(self.comm)

    # -- ownership -------------------------------------------------------------------------------
    def owner(self, ids):
        """Rank owning each node id."""
        return np.asarray(ids, dtype=np.int64) % self.size

    def is_local(self, ids):
        """True for the node ids this rank owns."""
        if self.size == 1:
            return np.ones(np.shape(ids), dtype=bool)
        return self.owner(ids) == self.rank

    def connection_mask(self, sources, targets, to_recorder):
        """Which of the connections sources[k] -> targets[k] this rank stores.

        Parameters
        ----------
        sources, targets : ndarray of int
        to_recorder : ndarray of bool or bool
            True where the target is a recorder (then the source's owner stores it).

        Returns
        -------
        ndarray of bool, or None when every connection is local (one process).
        """
        if self.size == 1:
            return None
        owner_of = np.where(to_recorder, sources, targets)
        return self.is_local(owner_of)

    # -- collective operations -------------------------------------------------------------------
    def exchange_spikes(self, senders, stamps, mults, order_key, error=None):
        """All ranks' spikes of one slice, in the single-process order.

        Parameters
        ----------
        senders, stamps, mults : ndarray
            This rank's (local senders') spikes.
        order_key : callable
            ids -> the index of their node block, the first sort key.
        error : BaseException or None
            An error this rank met in the slice: it is announced to every rank, and every
            rank raises (this one its own error, the others a RemoteError).

        Returns
        -------
        (senders int32, stamps int64, mults int64) of every rank, in canonical_order.
        """
        if self.comm is None:
            if error is not None:
                raise error
            return senders, stamps, mults
        from mpi4py import MPI
        n = -1 if error is not None else int(len(senders))
        counts = np.empty(self.size, dtype=np.int64)
        self.comm.Allgather(np.array([n], dtype=np.int64), counts)
        if (counts < 0).any():
            self._raise_everywhere(error, counts)
        local = np.empty((n, 3), dtype=np.int64)
        local[:, 0], local[:, 1], local[:, 2] = senders, stamps, mults
        gathered = np.empty((int(counts.sum()), 3), dtype=np.int64)
        self.comm.Allgatherv(local, [gathered, counts * 3, None, MPI.INT64_T])
        return canonical_order(gathered[:, 0].astype(np.int32),
                               np.ascontiguousarray(gathered[:, 1]),
                               np.ascontiguousarray(gathered[:, 2]), order_key)

    def _raise_everywhere(self, error, counts):
        failed = np.flatnonzero(counts < 0)
        messages = self.comm.allgather(None if error is None else
                                       f"{type(error).__name__}: {error}")
        if error is not None:
            raise error
        first = int(failed[0])
        raise RemoteError(f"MPI rank {first} of {self.size} failed "
                          f"({messages[first]}); all ranks stop.")

    def agree(self, error=None):
        """Raise on every rank if any rank passes an error (a collective call).

        Use around steps whose failure can differ between ranks (files, memory).
        """
        if self.comm is None:
            if error is not None:
                raise error
            return
        counts = np.asarray(self.comm.allgather(-1 if error is not None else 0))
        if (counts < 0).any():
            self._raise_everywhere(error, counts)

    def barrier(self):
        if self.comm is not None:
            self.comm.Barrier()

    def gather(self, obj, root=0):
        """Objects of every rank on ``root`` (a list by rank), None elsewhere."""
        if self.comm is None:
            return [obj]
        return self.comm.gather(obj, root=root)

    def allgather(self, obj):
        """Objects of every rank on every rank (a list by rank)."""
        if self.comm is None:
            return [obj]
        return self.comm.allgather(obj)

    def allgather_arrays(self, array):
        """Concatenation of every rank's 1-D array, in rank order, on every rank."""
        if self.comm is None:
            return np.asarray(array)
        return np.concatenate([np.asarray(a) for a in self.comm.allgather(np.asarray(array))])


_PROCESSES = None


def processes():
    """The process-wide :class:`Processes` (MPI is initialised on first use)."""
    global _PROCESSES
    if _PROCESSES is None:
        _PROCESSES = Processes()
    return _PROCESSES
