"""The same network through pyNN.neuropil and through ``import nest`` gives the same results.

Both faces drive the one kernel, so after translating PyNN's units (nA -> pA, nF -> pF) the
membrane traces and spike times must agree exactly.
"""
import numpy as np
import pytest

sim = pytest.importorskip("pynn_backend")
nest = pytest.importorskip("nest_compat")


def _pynn_run():
    sim.setup(timestep=0.1, min_delay=1.0)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[[5.0, 15.0, 25.0], [10.0, 30.0]]))
    cells = sim.Population(3, sim.IF_curr_alpha(i_offset=0.3, tau_syn_E=2.0, tau_syn_I=2.0,
                                                cm=0.25, tau_m=10.0, v_rest=-70.0,
                                                v_reset=-70.0, v_thresh=-55.0, tau_refrac=2.0))
    cells.initialize(v=-70.0)
    sim.Projection(src, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.4, delay=1.0), receptor_type="excitatory")
    cells.record(["v", "spikes"])
    sim.run(50.0)
    seg = cells.get_data().segments[0]
    v = seg.analogsignals[0].magnitude
    spikes = [np.asarray(st.magnitude) for st in seg.spiketrains]
    sim.end()
    return v, spikes


def _nest_run():
    nest.ResetKernel()
    nest.resolution = 0.1
    src = nest.Create("spike_generator", 2)
    src[0].spike_times = [5.0, 15.0, 25.0]
    src[1].spike_times = [10.0, 30.0]
    cells = nest.Create("iaf_psc_alpha", 3, params={
        "I_e": 300.0, "tau_syn_ex": 2.0, "tau_syn_in": 2.0, "C_m": 250.0, "tau_m": 10.0,
        "E_L": -70.0, "V_reset": -70.0, "V_th": -55.0, "t_ref": 2.0, "V_m": -70.0})
    nest.Connect(src, cells, "all_to_all", {"weight": 400.0, "delay": 1.0})
    meter = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
    rec = nest.Create("spike_recorder")
    nest.Connect(meter, cells)
    nest.Connect(cells, rec)
    nest.Simulate(51.0)   # NEST publishes the last slice's samples one min_delay later
    ev = meter.get("events")
    v = np.full((501, 3), np.nan)
    v[0] = -70.0
    rows = np.rint(ev["times"] / 0.1).astype(int)
    keep = rows <= 500
    v[rows[keep], ev["senders"][keep] - cells[0].global_id] = ev["V_m"][keep]
    sp = rec.get("events")
    spikes = [sp["times"][(sp["senders"] == gid) & (sp["times"] <= 50.0)]
              for gid in cells.tolist()]
    return v, spikes


def test_same_traces_and_spikes():
    v_pynn, spikes_pynn = _pynn_run()
    v_nest, spikes_nest = _nest_run()
    np.testing.assert_allclose(v_pynn, v_nest, rtol=0, atol=1e-12)
    for a, b in zip(spikes_pynn, spikes_nest):
        np.testing.assert_allclose(a, b)
    assert sum(len(s) for s in spikes_pynn) > 0
