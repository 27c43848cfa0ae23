"""Build information, verbosity and help."""
import enum
import sys
import time
import warnings

from kernel import get_kernel

from . import __version__

BUILD_INFO = {
    "built": "neuropil", "datadir": "", "docdir": "", "exitcode": 0, "have_boost": False,
    "have_gsl": True, "have_hdf5": False, "have_libneurosim": False, "have_mpi": False,
    "have_music": False, "have_sionlib": False, "have_threads": True, "host": "python",
    "hostcpu": "", "hostos": "linux", "hostvendor": "", "ndebug": True, "prefix": "",
    "test_exitcodes": {"abort": 134, "exception": 125, "fatal": 127, "scripterror": 126,
                       "segfault": 139, "skipped": 200, "skipped_have_mpi": 202,
                       "skipped_no_gsl": 204, "skipped_no_mpi": 201, "skipped_no_music": 205,
                       "skipped_no_threading": 203, "success": 0, "unknownerror": 10,
                       "userabort": 15},
    "threads_model": "openmp", "version": __version__,
}


class VerbosityLevel(enum.IntEnum):
    """Message levels, as in NEST 3.10."""

    ALL = 0
    DEBUG = 5
    STATUS = 7
    INFO = 10
    PROGRESS = 15
    DEPRECATED = 18
    WARNING = 20
    ERROR = 30
    FATAL = 40
    QUIET = 100


class _Verbosity:
    level = VerbosityLevel.INFO


_WARNED = set()


def warn_once(message, stacklevel=3):
    """Emit ``message`` as a UserWarning the first time only (NEST warns once per process).

    Parameters
    ----------
    message : str
        The warning text; it is also the key that remembers it was given.
    stacklevel : int, optional
        Passed to :func:`warnings.warn` so the warning points at the user's call.
    """
    if message in _WARNED:
        return
    _WARNED.add(message)
    warnings.warn(message, UserWarning, stacklevel=stacklevel)


def reset_warned():
    """Forget which deprecation warnings were given (for tests)."""
    _WARNED.clear()


def get_verbosity_level():
    return _Verbosity.level


def set_verbosity_level(level):
    from .errors import NESTErrors
    if not isinstance(level, VerbosityLevel):
        raise NESTErrors.TypeMismatch(
            f"verbosity must be a nest.VerbosityLevel (e.g. nest.VerbosityLevel.WARNING); "
            f"got {level!r}.")
    _Verbosity.level = level


SET_VERBOSITY_DEPRECATED = ("Provided for backward compatibility only. Set `nest.verbosity = "
                            "nest.VerbosityLevel.XYZ` instead.")
GET_VERBOSITY_DEPRECATED = ("Provided for backward compatibility only. Look up `nest.verbosity` "
                            "instead.")


def set_verbosity(level):
    """Set the verbosity from a name such as 'M_WARNING' (kept for old scripts).

    Parameters
    ----------
    level : str
        'M_ALL', 'M_DEBUG', 'M_STATUS', 'M_INFO', 'M_PROGRESS', 'M_DEPRECATED', 'M_WARNING',
        'M_ERROR', 'M_FATAL' or 'M_QUIET'.

    Raises
    ------
    AttributeError
        Not a level name (as in NEST).
    """
    warn_once(SET_VERBOSITY_DEPRECATED)
    names = ", ".join(f"'M_{m.name}'" for m in VerbosityLevel)
    if not isinstance(level, str):
        raise AttributeError(f"'{type(level).__name__}' object has no attribute 'split': "
                             f"set_verbosity expects a level name ({names}); got {level!r}")
    name = level.split("_", 1)[1] if level.startswith("M_") else level
    try:
        _Verbosity.level = VerbosityLevel[name]
    except KeyError:
        raise AttributeError(f"{name}: {level!r} is not a verbosity level; use one of "
                             f"{names}") from None


def message(message, severity=VerbosityLevel.INFO, *, function=None, filename=None,
            lineno=None):
    """Print a message through NEST's log: ``[LEVEL] [date time] message``.

    As in NEST, nothing is printed when ``severity`` is below ``nest.verbosity``; messages
    below WARNING go to stdout, the others to stderr.

    Parameters
    ----------
    message : str
        The text.
    severity : VerbosityLevel, optional
        Default INFO.
    function, filename, lineno : optional
        Accepted for compatibility; NEST shows them only at verbosity DEBUG or ALL.
    """
    if not isinstance(severity, VerbosityLevel):
        from .errors import NESTErrors
        raise NESTErrors.TypeMismatch(
            f"severity must be a nest.VerbosityLevel (e.g. nest.VerbosityLevel.WARNING); "
            f"got {severity!r}.")
    if severity < _Verbosity.level:
        return
    stream = sys.stdout if severity < VerbosityLevel.WARNING else sys.stderr
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    print(f"[{severity.name}] [{stamp}] {message}", file=stream)


def get_verbosity():
    """The verbosity level as an int (kept for old scripts; use ``nest.verbosity``).

    Returns
    -------
    int
    """
    warn_once(GET_VERBOSITY_DEPRECATED)
    return int(_Verbosity.level)


def help(obj=None, return_text=False):
    """Print (or return) the documentation of a model, or general help."""
    k = get_kernel()
    if obj is None:
        text = ("Neuropil's NEST facade. Models: nest.node_models, nest.synapse_models; "
                "nest.help('model_name') describes one model.")
    elif isinstance(obj, str) and obj in k.models:
        spec = k.models.spec(obj)
        lines = [f"{spec.name} ({spec.element_type}): {spec.doc}", "", "Parameters:"]
        for p in spec.params.values():
            lines.append(f"  {p.name:<24} {p.default!r:<14} {p.unit:<6} {p.doc}")
        if spec.recordables:
            lines += ["", "Recordables: " + ", ".join(spec.recordables)]
        text = "\n".join(lines)
    else:
        text = getattr(obj, "__doc__", None) or f"No help available for {obj!r}."
    if return_text:
        return text
    print(text)


def to_json(data, **kwargs):
    """``data`` as a JSON string; numpy arrays and numbers and NodeCollections become lists and
    plain numbers (keyword arguments go to json.dumps)."""
    import json

    from .nodes import _jsonable
    return json.dumps(_jsonable(data), **kwargs)
