"""NEST's exception classes, and the translation of kernel errors into them.

NEST 3.10 exposes its errors as classes in a module called ``NESTErrors``, all derived from
``NESTErrors.KernelException`` (also available as ``nest.NESTError``). Scripts catch them by
name, so the facade offers the same names and raises them for the same mistakes; the
messages come from the kernel and say what was wrong and what would be valid.
"""
import functools
import types

from kernel import errors as kerr
from kernel.devices.generators import StepMultipleRequired
from kernel.io.recording_backends import RecordingIOError

NESTErrors = types.ModuleType("NESTErrors", "NEST's exception classes.")


class KernelException(Exception):
    """Base class of every error NEST raises from its kernel."""

    def __init__(self, message="", *args):
        super().__init__(message, *args)
        self.errorname = type(self).__name__
        self.errormessage = message

    def __str__(self):
        return self.errormessage or self.errorname


KernelException.__module__ = "NESTErrors"
NESTErrors.KernelException = KernelException

ERROR_NAMES = (
    "BackendAlreadyRegistered", "BackendNotPrepared", "BackendPrepared", "BadDelay",
    "BadParameter", "BadParameterValue", "BadProperty", "DimensionMismatch", "DistributionError",
    "DynamicModuleManagementError", "GSLSolverFailure", "IOError", "IllegalConnection",
    "IncompatibleReceptorType", "InexistentConnection", "InternalError",
    "InvalidDefaultResolution", "InvalidTimeInModel", "KeyError", "LayerExpected",
    "LayerNodeExpected", "LocalNodeExpected", "MPIErrorCode", "MPIPortsFileMissing",
    "MPIPortsFileUnknown", "ModelInUse", "NamingConflict", "NewModelNameExists",
    "NoThreadSiblingsAvailable", "NodeWithProxiesExpected", "NotImplemented",
    "NumericalInstability", "RangeCheck", "StepMultipleRequired", "TimeMultipleRequired",
    "TypeMismatch", "UnaccessedDictionaryEntry", "UndefinedName", "UnexpectedEvent",
    "UnknownCompartment", "UnknownComponent", "UnknownModelName", "UnknownNode", "UnknownPort",
    "UnknownReceptorType", "UnknownSynapseType", "UnknownThread", "UnmatchedSteps",
    "UnsupportedEvent",
)

for _name in ERROR_NAMES:
    _cls = type(_name, (KernelException,), {"__module__": "NESTErrors",
                                             "__doc__": f"NEST's {_name} error."})
    setattr(NESTErrors, _name, _cls)

NESTError = KernelException

# Kernel error class -> NEST class name. Order matters: subclasses first.
_TRANSLATION = (
    (RecordingIOError, "IOError"),
    (StepMultipleRequired, "StepMultipleRequired"),
    (kerr.UnknownModel, lambda e: "UnknownSynapseType" if getattr(e, "kind", "") == "synapse model"
     else "UnknownModelName"),
    (kerr.UnknownParameter, "UnaccessedDictionaryEntry"),
    (kerr.ReadOnlyParameter, "UnaccessedDictionaryEntry"),
    (kerr.Unsupported, "NotImplemented"),
    (kerr.BadParameterType, "TypeMismatch"),
    (kerr.BadParameterValue, "BadProperty"),
    (kerr.UnknownNode, "UnknownNode"),
    (kerr.BadDelay, "BadDelay"),
    (kerr.UnknownReceptor, "UnknownReceptorType"),
    (kerr.IncompatibleReceptor, "IncompatibleReceptorType"),
    (kerr.IllegalConnection, "IllegalConnection"),
    (kerr.DimensionMismatch, "DimensionMismatch"),
    (kerr.BadTime, "BadParameter"),
    (kerr.KernelStateError, "KernelException"),
    (kerr.NumericalInstability, "NumericalInstability"),
    (kerr.SolverFailure, "GSLSolverFailure"),
    (kerr.KernelError, "KernelException"),
)


def translate(error):
    """The NEST exception for a kernel error (same message; for keys a model does not take,
    prefixed with NEST's "Unaccessed elements in params" that scripts match on)."""
    for kernel_cls, name in _TRANSLATION:
        if isinstance(error, kernel_cls):
            name = name(error) if callable(name) else name
            message = str(error)
            if name == "UnaccessedDictionaryEntry":
                message = f"Unaccessed elements in params:  {error.name}. {message}"
            return getattr(NESTErrors, name)(message)
    return error


def nest_errors(func):
    """Decorator: re-raise kernel errors as NEST's exception classes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except kerr.KernelError as error:
            raise translate(error) from None

    return wrapper
