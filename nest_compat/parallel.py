"""Process queries of PyNEST (``nest.Rank``, ``nest.NumProcesses``).

Both read the kernel status, so whatever runs the processes sets ``mpi_rank`` and
``num_processes`` in one place and these follow.
"""
from .kernel_status import GetKernelStatus


def Rank():
    """The MPI rank of this process (0 when Neuropil runs in one process).

    Returns
    -------
    int
    """
    return GetKernelStatus("mpi_rank")


def NumProcesses():
    """The number of MPI processes taking part in the simulation.

    Returns
    -------
    int
    """
    return GetKernelStatus("num_processes")
