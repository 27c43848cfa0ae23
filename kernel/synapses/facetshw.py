"""stdp_facetshw_synapse_hom: the STDP of the FACETS wafer-scale hardware (Pfeil et al. 2012).

Weights are 4-bit (16 entries of ``weight_per_lut_entry`` = Wmax / 15). Each connection
accumulates a causal and an acausal charge from pre/post spike pairs; the weight is updated
only at readouts, once per readout cycle of the connection's synapse driver, through one of
three look-up tables chosen by two evaluation bits (see ``_plastic.deliver_facetshw``).
Parameter names, defaults, common properties and checks are NEST 3.10's. The common
properties ``no_synapses`` and ``readout_cycle_duration`` grow as connections transmit their
first spike, as in NEST.
"""
import numpy as np

from ..errors import BadParameterValue
from ..registry import BOOL, INT, INT_ARRAY, SYNAPSE, ModelSpec, Param
from ._plastic import deliver_facetshw
from .plastic import Plasticity, param_view, time_args, writable
from .static import SYNAPSE_STATUS, variants
from .stdp import _base_args, _columns, _params

LUT_GUETIG_0 = (2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 14, 15)
LUT_GUETIG_1 = (0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 13)
TABLES = {"lookuptable_0": 16, "lookuptable_1": 16, "lookuptable_2": 16, "configbit_0": 4,
          "configbit_1": 4, "reset_pattern": 6}


def _readout_cycle(no_synapses, per_driver, driver_time):
    """The time until a driver is read out again: drivers needed for all synapses times the
    readout time of one driver."""
    return int((no_synapses - 1.0) / per_driver + 1.0) * driver_time


class FacetsHW(Plasticity):
    """Charges from spike pairs, 4-bit weights updated through look-up tables at readouts."""

    archiving = True
    state = ("weight", "a_causal", "a_acausal", "init_flag", "synapse_id", "next_readout_time")
    hidden = {"_t_last": (np.float64, 0.0)}
    checked = tuple(TABLES) + ("synapses_per_driver", "driver_readout_time")

    def check(self, values):
        for name, size in TABLES.items():
            table = np.asarray(values.get(name, np.zeros(size, np.int64)))
            if table.shape != (size,) or not np.issubdtype(table.dtype, np.integer) and \
                    not np.issubdtype(table.dtype, np.bool_):
                what = "Look-up table has not 2^4 entries!" if size == 16 else \
                    f"Wrong number of {'reset' if size == 6 else 'configuration'} bits " \
                    f"(!={size})."
                raise BadParameterValue(name, f"{what} Expected {size} integers, got "
                                              f"{values.get(name)!r}.")
            if size == 16 and np.any((table < 0) | (table > 15)):
                raise BadParameterValue(name, "Look-up table entries must be integers in [0,15]")
        # NEST divides by these (and loops forever or crashes when they are 0)
        if np.any(np.asarray(values.get("synapses_per_driver", 1)) <= 0):
            raise BadParameterValue("synapses_per_driver", "must be > 0.")
        if np.any(np.asarray(values.get("driver_readout_time", 1.0)) <= 0):
            raise BadParameterValue("driver_readout_time", "must be > 0 ms.")

    def derived_defaults(self, changed, merged):
        out = {name: np.asarray(changed[name], dtype=np.int64) for name in TABLES
               if name in changed}
        if "Wmax" in changed:
            out["weight_per_lut_entry"] = float(merged["Wmax"]) / 15.0
        if {"no_synapses", "synapses_per_driver", "driver_readout_time"} & set(changed):
            out["readout_cycle_duration"] = _readout_cycle(
                merged["no_synapses"], merged["synapses_per_driver"],
                merged["driver_readout_time"])
        return out

    def deliver(self, kernel, table, spec, senders, stamps, mults, sink):
        d = kernel.models.defaults(spec.name)
        counters = np.array([d["no_synapses"], d["readout_cycle_duration"]], dtype=np.float64)
        tables = [np.ascontiguousarray(d[name], dtype=np.int64) for name in TABLES]
        deliver_facetshw(*_base_args(kernel, table, senders, stamps, mults),
                         writable(table, "weight"), writable(table, "a_causal"),
                         writable(table, "a_acausal"),
                         param_view(kernel, table, spec, "a_thresh_th"),
                         param_view(kernel, table, spec, "a_thresh_tl"),
                         writable(table, "init_flag").view(np.uint8),
                         writable(table, "synapse_id"), writable(table, "next_readout_time"),
                         writable(table, "_t_last"), float(d["tau_plus"]),
                         float(d["tau_minus_stdp"]), float(d["weight_per_lut_entry"]),
                         int(d["synapses_per_driver"]), float(d["driver_readout_time"]),
                         *tables, counters, kernel.archive.core, sink, *time_args(kernel.grid))
        d["no_synapses"] = int(counters[0])
        d["readout_cycle_duration"] = float(counters[1])


COMMON = ("Wmax", "configbit_0", "configbit_1", "driver_readout_time", "lookuptable_0",
          "lookuptable_1", "lookuptable_2", "no_synapses", "readout_cycle_duration",
          "reset_pattern", "synapses_per_driver", "tau_minus_stdp", "tau_plus",
          "weight_per_lut_entry")
PARAMS = _params(
    Param("Wmax", 100.0, doc="Largest weight (entry 15 of the tables)"),
    Param("a_acausal", 0.0, doc="Acausal charge (state)"),
    Param("a_causal", 0.0, doc="Causal charge (state)"),
    Param("a_thresh_th", 21.835, doc="High threshold of the evaluation"),
    Param("a_thresh_tl", 21.835, doc="Low threshold of the evaluation"),
    Param("configbit_0", np.array([0, 0, 1, 0]), kind=INT_ARRAY,
          doc="Configuration of the first evaluation bit"),
    Param("configbit_1", np.array([0, 1, 0, 0]), kind=INT_ARRAY,
          doc="Configuration of the second evaluation bit"),
    Param("driver_readout_time", 15.0, "ms", doc="Time to read out one synapse driver"),
    Param("init_flag", False, kind=BOOL, doc="True once the connection has transmitted"),
    Param("lookuptable_0", np.array(LUT_GUETIG_0), kind=INT_ARRAY,
          doc="Weight table used when only the first evaluation bit is set"),
    Param("lookuptable_1", np.array(LUT_GUETIG_1), kind=INT_ARRAY,
          doc="Weight table used when only the second evaluation bit is set"),
    Param("lookuptable_2", np.arange(16), kind=INT_ARRAY,
          doc="Weight table used when both evaluation bits are set"),
    Param("next_readout_time", 0.0, "ms", doc="Time of the connection's next readout"),
    Param("no_synapses", 0, kind=INT, doc="Connections of the model that have transmitted"),
    Param("readout_cycle_duration", 0.0, "ms", doc="Time between two readouts of a driver"),
    Param("reset_pattern", np.array([1, 1, 1, 1, 1, 1]), kind=INT_ARRAY,
          doc="Which charges each table's update resets (causal, acausal for tables 0, 1, 2)"),
    Param("synapse_id", 0, kind=INT, doc="Order in which the connection first transmitted"),
    Param("synapses_per_driver", 50, kind=INT, doc="Connections served by one driver"),
    Param("tau_minus_stdp", 20.0, "ms", doc="Time constant of the acausal charge"),
    Param("tau_plus", 20.0, "ms", doc="Time constant of the causal charge"),
    Param("weight_per_lut_entry", 100.0 / 15.0, doc="Weight of one table entry (Wmax / 15)"),
)
FACETSHW = ModelSpec("stdp_facetshw_synapse_hom", SYNAPSE, None, PARAMS,
                     extra_status=SYNAPSE_STATUS, common_params=COMMON,
                     extra_columns={**_columns(PARAMS, COMMON, FacetsHW.hidden),
                                    "init_flag": np.bool_},
                     plasticity=FacetsHW(),
                     doc="STDP of the FACETS hardware: 4-bit weights, look-up tables, readouts.")

SPECS = variants(FACETSHW)
