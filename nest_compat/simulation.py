"""Simulation control and kernel status."""
import contextlib

from kernel import get_kernel
from kernel.errors import BadTime

from .errors import NESTErrors, nest_errors


@nest_errors
def Simulate(t):
    """Simulate the network for ``t`` ms."""
    k = get_kernel()
    _check_time(k, t)
    k.simulate(float(t))


@nest_errors
def Run(t):
    """Advance a prepared network by ``t`` ms (between Prepare and Cleanup)."""
    k = get_kernel()
    if not k.prepared:
        raise NESTErrors.KernelException("Run requires Prepare to be called first.")
    _check_time(k, t)
    k.run(float(t))


def _check_time(k, t):
    try:
        t = float(t)
    except (TypeError, ValueError):
        raise NESTErrors.BadParameter(f"The simulation time must be a number of ms; got {t!r}.") \
            from None
    if t < 0:
        raise NESTErrors.BadParameter("The simulation time cannot be negative.")
    try:
        k.grid.duration_steps(t, "simulation time")
    except BadTime:
        raise NESTErrors.BadParameter(
            f"The simulation time must be a multiple of the simulation resolution "
            f"({k.grid.resolution} ms); got {t} ms.") from None


@nest_errors
def Prepare():
    """Prepare the network for Run calls."""
    get_kernel().prepare()


@nest_errors
def Cleanup():
    """End a sequence of Run calls."""
    get_kernel().cleanup()


@contextlib.contextmanager
def RunManager():
    """Context manager around Prepare/Cleanup: ``with nest.RunManager(): nest.Run(...)``."""
    Prepare()
    try:
        yield
    finally:
        Cleanup()


def ResetKernel():
    """Forget the network, the time, kernel settings and changed model defaults."""
    from .kernel_status import reset_settings
    get_kernel().reset()
    reset_settings()
