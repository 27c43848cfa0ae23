"""Neuropil's simulation kernel.

One Kernel instance per process is shared by the NEST and PyNN faces; get it with
:func:`get_kernel`.
"""
import os

# Idle OpenMP threads sleep instead of spinning: on a machine whose cores are busy with other
# work, spinning threads steal the time the working ones need (set before libgomp loads).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .kernel import Kernel  # noqa: E402

_KERNEL = None


def get_kernel():
    """The process-wide kernel (created on first use)."""
    global _KERNEL
    if _KERNEL is None:
        _KERNEL = Kernel()
    return _KERNEL


__all__ = ["Kernel", "get_kernel"]
