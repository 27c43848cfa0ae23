"""Neuropil's simulation kernel.

One Kernel instance per process is shared by the NEST and PyNN faces; get it with
:func:`get_kernel`.
"""
from .kernel import Kernel

_KERNEL = None


def get_kernel():
    """The process-wide kernel (created on first use)."""
    global _KERNEL
    if _KERNEL is None:
        _KERNEL = Kernel()
    return _KERNEL


__all__ = ["Kernel", "get_kernel"]
