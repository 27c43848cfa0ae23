"""Simulation control: Simulate, Prepare/Run/Cleanup, RunManager and ResetKernel."""
import contextlib

from kernel import get_kernel
from kernel.errors import BadTime

from .errors import NESTErrors, nest_errors


@nest_errors
def Simulate(t):
    """Simulate the network for ``t`` ms (Prepare, Run and Cleanup in one call).

    Parameters
    ----------
    t : float
        Duration in ms; non-negative and a multiple of the resolution.

    Raises
    ------
    NESTErrors.BadParameter
        A negative duration or one that is not a multiple of the resolution.
    NESTErrors.KernelException
        Called between Prepare and Cleanup (use Run there).
    """
    k = get_kernel()
    _check_time(k, t)
    if k.prepared:
        raise NESTErrors.KernelException(
            "Simulate cannot be called between Prepare and Cleanup; use Run(t) there.")
    k.simulate(float(t))


@nest_errors
def Run(t):
    """Advance a prepared network by ``t`` ms (between Prepare and Cleanup).

    Parameters
    ----------
    t : float
        Duration in ms; non-negative and a multiple of the resolution.

    Raises
    ------
    NESTErrors.KernelException
        Prepare was not called.
    NESTErrors.BadParameter
        A bad duration.
    """
    k = get_kernel()
    if not k.prepared:
        raise NESTErrors.KernelException(
            "Run called without calling Prepare first (use Prepare(), Run(t)..., Cleanup(), "
            "or the RunManager context, or Simulate(t)).")
    _check_time(k, t)
    k.run(float(t))


def _check_time(k, t):
    try:
        t = float(t)
    except (TypeError, ValueError):
        raise NESTErrors.BadParameter(f"The simulation time must be a number of ms; got {t!r}.") \
            from None
    if t < 0:
        raise NESTErrors.BadParameter(f"The simulation time cannot be negative; got {t} ms.")
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
    """End a sequence of Run calls (after Prepare).

    Raises
    ------
    NESTErrors.KernelException
        Prepare was not called (as in NEST).
    """
    k = get_kernel()
    if not k.prepared:
        raise NESTErrors.KernelException(
            "Cleanup called without calling Prepare first (use Prepare(), Run(t)..., Cleanup(), "
            "or the RunManager context).")
    k.cleanup()


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
