"""Standard current sources on the kernel's current generators.

As in pyNN.nest, a source is connected to its cells with a delay of min_delay and its times
are moved earlier by that delay, so that the current reaches the cells at the times PyNN
users give (``start``, ``stop``, step ``times``). Amplitudes are translated nA -> pA.
"""
import numpy as np
from pyNN.parameters import ParameterSpace, Sequence
from pyNN.standardmodels import StandardCurrentSource, build_translations, electrodes

from kernel.errors import KernelError

from . import NoEvalTranslation, has_native_parameters

TIME_NAMES = ("start", "stop")


def _state():
    from ..simulator import state
    return state


class NeuropilCurrentSource(NoEvalTranslation, StandardCurrentSource):
    """A current source backed by one kernel generator node."""

    kernel_model = "dc_generator"

    def __init__(self, **parameters):
        state = _state()
        k = state.kernel
        object.__setattr__(self, "_node", k.create(self.kernel_model, 1))
        object.__setattr__(self, "_cells", np.zeros(0, np.int64))
        object.__setattr__(self, "_delay", state.min_delay)
        object.__setattr__(self, "_timestep", state.dt)
        object.__setattr__(self, "_recorded", False)
        object.__setattr__(self, "_native", {})
        self.parameter_space = ParameterSpace(self.default_parameters, self.get_schema(),
                                              shape=(1,))
        if parameters:
            self.parameter_space.update(**parameters)
        self.set_native_parameters(self.translate(self.parameter_space))
        state.current_sources.append(self)

    def __setattr__(self, name, value):
        if name == "parameter_space" or name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            super().__setattr__(name, value)

    # -- wiring -----------------------------------------------------------------------------------------
    def inject_into(self, cells):
        """Inject the current into ``cells`` (Population, view, Assembly or list of IDs)."""
        ids = np.asarray(getattr(cells, "_ids", None) if hasattr(cells, "_ids") else
                         [int(c) for c in cells], dtype=np.int64)
        for pop in _populations_of(cells):
            if not pop.celltype.injectable:
                raise TypeError("Can't inject current into a spike source.")
        k = _state().kernel
        try:
            k.connect(np.full(ids.size, self._node), ids, "static_synapse",
                      {"delay": self._delay})
        except KernelError as error:
            raise TypeError(str(error)) from None
        object.__setattr__(self, "_cells", np.concatenate([self._cells, ids]))

    def _finish_wiring(self):
        pass

    def _reset(self):
        pass

    # -- parameters --------------------------------------------------------------------------------------
    def _corrected(self, value):
        return np.maximum(np.asarray(value, dtype=float) - self._delay, 0.0)

    def _to_kernel(self, native):
        """Native values as the generator takes them (times moved by the delay)."""
        out = {}
        for name, value in native.items():
            if isinstance(value, Sequence):
                value = value.value
            if name in TIME_NAMES:
                value = float(self._round(self._corrected(value)))
            out[name] = value
        return out

    def _round(self, value):
        dt = self._timestep
        return np.rint(np.asarray(value) / dt) * dt

    def set_native_parameters(self, parameters):
        parameters.evaluate(simplify=True)
        native = {name: value for name, value in parameters.items()}
        self._native.update(native)
        updates = self._to_kernel(native)
        try:
            _state().kernel.set_node_values([self._node], updates)
        except KernelError as error:
            raise ValueError(str(error)) from None

    def get_native_parameters(self):
        return ParameterSpace({name: (value.value if isinstance(value, Sequence) else value)
                               for name, value in self._native.items()
                               if name in self.get_native_names()})

    # -- recording of the injected current ---------------------------------------------------------------
    def record(self):
        """Record the current the source sends (a multimeter on the generator's ``I``)."""
        k = _state().kernel
        meter = k.create("multimeter", 1)
        k.set_node_values([meter], {"record_from": ["I"], "interval": self._timestep})
        k.connect([meter], [self._node], "static_synapse", {"delay": self._delay})
        object.__setattr__(self, "_meter", meter)

    def _get_data(self):
        """(times in ms, currents in nA) as the cells receive them (from t = 0)."""
        from ..recording import _flush_meter, _log
        meter = getattr(self, "_meter", None)
        if meter is None:
            raise ValueError("call record() on the current source before get_data()")
        _flush_meter(meter)
        block, i = _log(meter)
        senders, steps, values = block.logs[i].columns()
        grid = _state().kernel.grid
        t = np.insert(grid.to_ms(steps), 0, 0.0)
        current = np.insert(values["I"] / 1000.0, 0, 0.0)
        # the current reaches the cells one delay after the generator sends it
        pad = int(round(self._delay / self._timestep))
        if pad and current.size > pad:
            current = np.insert(current[:-pad], 0, np.zeros(pad))
        return t, current


def _populations_of(cells):
    if hasattr(cells, "populations"):
        return cells.populations
    if hasattr(cells, "celltype"):
        return [cells]
    return list({id(c.parent): c.parent for c in cells}.values())


def _define(base, model, items, extra=None):
    translations = build_translations(*items)
    if not has_native_parameters(model, [e["translated_name"] for e in translations.values()]):
        return None
    attrs = {"__doc__": base.__doc__, "__module__": __name__, "kernel_model": model,
             "translations": translations}
    attrs.update(extra or {})
    return type(base.__name__, (NeuropilCurrentSource, base), attrs)


class _StepMixin:
    """StepCurrentSource: amplitude_times moved by the delay; times already past start now."""

    def _to_kernel(self, native):
        out = {}
        times = native.get("amplitude_times", self._native.get("amplitude_times"))
        values = native.get("amplitude_values", self._native.get("amplitude_values"))
        if times is None or values is None:
            return out
        times = np.asarray(getattr(times, "value", times), dtype=float)
        values = np.asarray(getattr(values, "value", values), dtype=float)
        if times.size != values.size:
            raise ValueError("StepCurrentSource: times and amplitudes must have the same length")
        if times.size and np.min(times) < 0:
            raise ValueError("Step current cannot accept negative timestamps.")
        if times.size > 1 and np.min(np.diff(times)) <= 0:
            raise ValueError("Step current timestamps should be monotonically increasing.")
        # on the grid; of several steps that round to the same time, the last one counts
        times = self._round(times)
        keep = np.append(times[1:] != times[:-1], True) if times.size else np.zeros(0, bool)
        times, values = times[keep], values[keep]
        self._native["amplitude_times"] = times
        self._native["amplitude_values"] = values
        times = self._corrected(times)
        now = _state().t + self._timestep
        past = np.searchsorted(times, now + 1e-9, side="right") - 1
        if past >= 0:
            times = times[past:].copy()
            values = values[past:]
            times[0] = now
        times = self._round(times)
        keep = np.append(times[1:] != times[:-1], True) if times.size else np.zeros(0, bool)
        out["amplitude_times"] = times[keep]
        out["amplitude_values"] = values[keep]
        return out


class _ACMixin:
    """ACSource: PyNN's phase is relative to ``start``; the generator's to t = 0 (as pyNN.nest)."""

    def _to_kernel(self, native):
        out = NeuropilCurrentSource._to_kernel(self, native)
        p = self._native
        if {"phase", "frequency", "start"} & set(native) and \
                {"phase", "frequency", "start"} <= set(p):
            # the generator runs one delay ahead of the cells
            start = float(p["start"]) - self._delay
            out["phase"] = float(p["phase"]) - 360.0 * float(p["frequency"]) * start / 1000.0
        return out


def available_electrodes():
    out = {}
    dc = _define(electrodes.DCSource, "dc_generator",
                 (("amplitude", "amplitude", 1000.0), ("start", "start"), ("stop", "stop")))
    if dc is not None:
        out["DCSource"] = dc
    ac = _define(electrodes.ACSource, "ac_generator",
                 (("amplitude", "amplitude", 1000.0), ("start", "start"), ("stop", "stop"),
                  ("frequency", "frequency"), ("offset", "offset", 1000.0), ("phase", "phase")))
    if ac is not None:
        ac = type("ACSource", (_ACMixin, ac), {"__doc__": ac.__doc__, "__module__": __name__})
    if ac is not None:
        out["ACSource"] = ac
    step = kernel_step = None
    if has_native_parameters("step_current_generator", ["amplitude_times", "amplitude_values"]):
        kernel_step = build_translations(("amplitudes", "amplitude_values", 1000.0),
                                         ("times", "amplitude_times"))
        step = type("StepCurrentSource", (_StepMixin, NeuropilCurrentSource,
                                          electrodes.StepCurrentSource),
                    {"__doc__": electrodes.StepCurrentSource.__doc__, "__module__": __name__,
                     "kernel_model": "step_current_generator", "translations": kernel_step})
        out["StepCurrentSource"] = step
    noise = _define(electrodes.NoisyCurrentSource, "noise_generator",
                    (("mean", "mean", 1000.0), ("start", "start"), ("stop", "stop"),
                     ("stdev", "std", 1000.0), ("dt", "dt")))
    if noise is not None:
        out["NoisyCurrentSource"] = noise
    return out


_CLASSES = available_electrodes()
globals().update(_CLASSES)
__all__ = sorted(_CLASSES)
