"""Ordinary memory pages for Connect's large arrays.

numpy asks the OS for transparent huge pages on large arrays. With the kernel's
``transparent_hugepage/defrag`` in its usual ``madvise`` mode, the first touch of such an array
may wait while the OS compacts memory. Connect of the Brunel network (15.6 M connections) took
0.16-0.49 s from run to run that way, and a steady 0.16 s on ordinary pages. Simulation time
was the same either way (measured on one and two threads), so only Connect gives up huge pages.
"""
import contextlib
import functools

try:        # numpy >= 2; a private switch: without it, nothing changes
    from numpy._core.multiarray import _set_madvise_hugepage
except Exception:   # noqa: BLE001 - any failure leaves numpy's default
    _set_madvise_hugepage = None


@contextlib.contextmanager
def ordinary_pages():
    """Arrays allocated inside the block do not ask for huge pages."""
    if _set_madvise_hugepage is None:
        yield
        return
    previous = _set_madvise_hugepage(False)
    try:
        yield
    finally:
        _set_madvise_hugepage(previous)


def on_ordinary_pages(function):
    """Decorator: ``function`` runs inside :func:`ordinary_pages`."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with ordinary_pages():
            return function(*args, **kwargs)
    return wrapper
