"""Kernel error hierarchy.

The kernel raises these; each adapter maps them onto the exception classes its users know
(``nest.NESTErrors.*`` for the NEST face, ``pyNN.errors.*`` for PyNN). Every error carries
the offending name and, where it helps, the valid alternatives, so the adapters can build a
message without re-deriving anything.
"""
import difflib


def did_you_mean(name, candidates):
    """Return ' Did you mean 'x'?' for the closest candidate, or an empty string."""
    close = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


class KernelError(Exception):
    """Base class of every error the kernel raises on bad input or bad state."""


class UnknownModel(KernelError):
    """A model name that is not in the registry."""

    def __init__(self, name, available, kind="model", hint=""):
        self.name = name
        self.kind = kind
        self.available = sorted(available)
        super().__init__(
            f"'{name}' is not a known {kind} name.{hint}{did_you_mean(name, self.available)}"
            f" Known {kind}s are listed in nest.{'synapse' if kind == 'synapse model' else 'node'}_models."
        )


class UnknownParameter(KernelError):
    """A parameter name that the model does not have (or cannot set)."""

    def __init__(self, name, model, valid, also=()):
        self.name = name
        self.model = model
        self.valid = sorted(valid)
        # "Unaccessed" is the word of NEST's message, which scripts match on
        super().__init__(
            f"Unaccessed dictionary entry: '{name}' is not a parameter of {model}."
            f"{did_you_mean(name, self.valid + list(also))}"
            f" Valid parameters: {', '.join(self.valid)}."
        )


class CommonParameter(UnknownParameter):
    """A property shared by all connections of a synapse model, set per connection.

    NEST reports it like a key the connection does not have (UnaccessedDictionaryEntry).
    """

    def __init__(self, name, model):
        self.name = name
        self.model = model
        self.valid = []
        KernelError.__init__(
            self, f"'{name}' is a common property of {model}, shared by all its connections: "
                  "set it with SetDefaults or CopyModel, not per connection.")


class BadParameterValue(KernelError):
    """A parameter value of the wrong type or outside its valid range."""

    def __init__(self, name, message, context=""):
        self.name = name
        self.detail = message
        super().__init__(f"{context}{name}: {message}")


class BadParameterType(BadParameterValue):
    """A parameter value of the wrong type (e.g. a string where a number is expected)."""


class DimensionMismatch(KernelError):
    """Arrays whose sizes do not fit together (e.g. one_to_one with unequal populations)."""


class ReadOnlyParameter(KernelError):
    """An attempt to set a parameter that can only be read."""

    def __init__(self, name, model):
        self.name = name
        super().__init__(f"'{name}' of {model} can be read but not set.")


class Unsupported(KernelError):
    """A value or feature NEST accepts but Neuropil does not implement (yet).

    Raised instead of silently doing something different from NEST.
    """

    def __init__(self, name, message):
        self.name = name
        super().__init__(f"{name}: {message}")


class UnknownNode(KernelError):
    """A node id that does not exist."""

    def __init__(self, node_id, network_size):
        self.node_id = node_id
        super().__init__(
            f"Node with id {node_id} does not exist. Valid ids are 1 to {network_size}."
            if network_size else f"Node with id {node_id} does not exist. The network is empty."
        )


class BadDelay(KernelError):
    """A delay that is not representable on the time grid or outside the allowed range."""

    def __init__(self, message):
        super().__init__(message)


class UnknownReceptor(KernelError):
    """A receptor type the target model does not accept."""

    def __init__(self, receptor, model, valid):
        self.receptor = receptor
        super().__init__(
            f"Receptor type {receptor} is not accepted by {model}; valid receptor types: "
            f"{sorted(valid)}."
        )


class IncompatibleReceptor(KernelError):
    """A receptor port that exists on the target but does not take this kind of event."""

    def __init__(self, receptor, model, event, valid):
        self.receptor = receptor
        kind = {"spike": "SpikeEvent", "current": "CurrentEvent"}.get(event, event)
        super().__init__(
            f"Receptor type {receptor} in {model} does not accept {kind}; receptor types that "
            f"do: {sorted(valid)}.")


class IllegalConnection(KernelError):
    """A connection the models at either end cannot make."""


class BadTime(KernelError):
    """A time or duration that is negative or not a multiple of the resolution."""


class KernelStateError(KernelError):
    """A call that is not allowed in the kernel's current state (e.g. between Prepare and Cleanup)."""


class MissingParameter(BadParameterValue):
    """A required parameter (e.g. a connection rule's ``indegree``) that was not given."""

    def __init__(self, name, owner):
        self.owner = owner
        super().__init__(name, f"{owner} requires the parameter '{name}', which was not given.")


class SolverFailure(KernelError):
    """The ODE solver could not advance a neuron through a simulation step.

    NEST raises GSLSolverFailure when GSL reports an error; where GSL would loop forever
    (the step size collapsing) or carry on with inf/NaN, Neuropil raises this too.
    """


class NumericalInstability(KernelError):
    """The state of a neuron left the range its equations can be integrated in.

    Raised during a simulation step (NEST's NumericalInstability), e.g. when an aeif neuron's
    V_m drops below -1000 mV or its adaptation current exceeds 1e6 pA in magnitude.
    """

    def __init__(self, model, node_id, v_m=None, w=None):
        self.model = model
        self.node_id = node_id
        state = "" if v_m is None else f" (V_m = {v_m:g} mV, w = {w:g} pA)"
        super().__init__(
            f"Numerical instability while updating {model} {node_id}{state}: the membrane "
            "potential fell below -1000 mV, |w| exceeded 1e6 pA or the state became "
            "non-finite. Check the parameters and input weights.")
