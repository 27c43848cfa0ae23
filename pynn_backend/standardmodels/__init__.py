"""PyNN's standard models on the Neuropil kernel, lit up from the kernel's model registry.

Each standard type is declared once, with the kernel model it runs on and its translations
(PyNN names and units -> kernel names and units: nA -> pA, nF -> pF, µS -> nS). At import,
a type is defined only if its kernel model is in the registry and has every parameter the
translations name, so types appear by themselves as kernel models are added (like pyNN.nest
without its extensions, a missing model simply means a missing type).

Translations never ``eval`` a string: a simple translation copies the value, scaled and
computed ones call functions.
"""
from copy import deepcopy

from pyNN.parameters import ParameterSpace

from kernel import get_kernel


def kernel_spec(model):
    """The kernel's ModelSpec of ``model`` (in the process-wide registry), or None."""
    registry = get_kernel().models
    return registry.spec(model) if model in registry else None


def has_native_parameters(model, names):
    """True if kernel model ``model`` exists and has all parameters ``names``."""
    spec = kernel_spec(model)
    return spec is not None and all(name in spec.params for name in names)


def _apply(entry, direction, source, pynn_name):
    """One translated value (``direction`` is 'forward_transform' or 'reverse_transform')."""
    transform = entry[direction]
    if entry["type"] == "simple":
        key = pynn_name if direction == "forward_transform" else entry["translated_name"]
        return source[key]
    return transform(**source)


class NoEvalTranslation:
    """``translate`` / ``reverse_translate`` of PyNN's StandardModelType, without ``eval``."""

    def translate(self, parameters, copy=True):
        """Standard parameters (a ParameterSpace) -> native kernel parameters."""
        _parameters = deepcopy(parameters) if copy else parameters
        if parameters.schema != self.get_schema():
            raise Exception(f"Schemas do not match: {parameters.schema} != {self.get_schema()}")
        source = dict(_parameters.items())
        native = {}
        for pynn_name in parameters.keys():
            entry = self.translations[pynn_name]
            native[entry["translated_name"]] = _apply(entry, "forward_transform", source,
                                                      pynn_name)
        return ParameterSpace(native, schema=None, shape=parameters.shape)

    def reverse_translate(self, native_parameters):
        """Native kernel parameters (a ParameterSpace) -> standard parameters."""
        source = dict(native_parameters.items())
        standard = {}
        for pynn_name, entry in self.translations.items():
            if entry["translated_name"] in source and entry["reverse_transform"] is not None:
                standard[pynn_name] = _apply(entry, "reverse_transform", source, pynn_name)
        return ParameterSpace(standard, schema=self.get_schema(),
                              shape=native_parameters.shape)

    # arrays of values (one per cell or connection), used by the fast paths
    def translate_arrays(self, values):
        """Dict of standard name -> value (array or scalar) -> dict of native name -> value."""
        native = {}
        for pynn_name, value in values.items():
            entry = self.translations[pynn_name]
            native[entry["translated_name"]] = _apply(entry, "forward_transform", values,
                                                      pynn_name)
        return native

    def reverse_translate_arrays(self, native, names):
        """Dict of native values -> the standard values of ``names``."""
        out = {}
        for pynn_name in names:
            entry = self.translations[pynn_name]
            out[pynn_name] = _apply(entry, "reverse_transform", native, pynn_name)
        return out


def export(namespace, classes):
    """Put ``classes`` (name -> class) into a module namespace and return their names."""
    namespace.update(classes)
    return sorted(classes)
