"""Neuropil's simulation kernel.

One Kernel instance per process is shared by the NEST and PyNN faces; get it with
:func:`get_kernel`.
"""
import os

# Threads meet once a min_delay slice. A thread that arrives first spins for a bounded time
# (GOMP_SPINCOUNT iterations, some 10-30 us here), then sleeps: waking a sleeping thread costs
# tens of microseconds on a virtual machine, while unbounded spinning (OMP_WAIT_POLICY=ACTIVE)
# steals the time the working threads need when other jobs share the cores. The user's own
# settings win (set before libgomp loads). The slice engine's own meetings spin as long
# (parallel/slices.py: MEETING_SPIN_SECONDS, or as OMP_WAIT_POLICY says).
if "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ:
    os.environ["GOMP_SPINCOUNT"] = "1000"

from .kernel import Kernel  # noqa: E402

_KERNEL = None


def get_kernel():
    """The process-wide kernel (created on first use)."""
    global _KERNEL
    if _KERNEL is None:
        _KERNEL = Kernel()
    return _KERNEL


__all__ = ["Kernel", "get_kernel"]
