"""Blocks keep what they derive from their parameters and the resolution (NodeBlock.derive)
until a parameter changes: a parameter set between Simulate calls takes effect exactly as when
everything is derived again at every Prepare."""
import numpy as np
import pytest

import nest
from kernel.nodes import NodeBlock

# parameters changed one after the other between runs (on one of three nodes): each model's
# propagator inputs, threshold and reset, refractory period and input current
CHANGES = {
    "iaf_psc_delta": [("tau_m", 15.0), ("C_m", 180.0), ("t_ref", 3.0), ("V_th", -52.0),
                      ("V_reset", -68.0), ("E_L", -69.0), ("I_e", 1100.0)],
    "iaf_psc_exp": [("tau_m", 15.0), ("C_m", 180.0), ("tau_syn_ex", 1.5), ("tau_syn_in", 3.0),
                    ("t_ref", 3.0), ("V_th", -52.0), ("V_reset", -68.0), ("I_e", 1100.0)],
    "iaf_psc_alpha": [("tau_m", 15.0), ("C_m", 180.0), ("tau_syn_ex", 1.5), ("tau_syn_in", 3.0),
                      ("V_min", -71.0), ("t_ref", 3.0), ("V_th", -52.0), ("I_e", 1100.0)],
}


def run(model):
    nest.ResetKernel()
    nodes = nest.Create(model, 3, {"I_e": 1000.0})
    drive = nest.Create("spike_generator", params={"spike_times": np.arange(1.0, 200.0, 1.3)})
    scale = 0.1 if model == "iaf_psc_delta" else 1.0     # mV jumps there, not pA
    nest.Connect(drive, nodes, syn_spec={"weight": 30.0 * scale})
    nest.Connect(drive, nodes, syn_spec={"weight": -20.0 * scale, "delay": 2.0})
    spikes = nest.Create("spike_recorder", params={"start": 5.0})
    voltmeter = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(nodes, spikes)
    nest.Connect(voltmeter, nodes)
    for name, value in CHANGES[model]:
        nest.Simulate(12.0)
        nodes[1].set({name: value})
    nest.Simulate(12.0)
    moved = nest.biological_time
    spikes.start = moved + 8.0          # a recorder's window, derived at Prepare as well
    nest.Simulate(24.0)
    return (voltmeter.events["V_m"], voltmeter.events["senders"], spikes.events["times"],
            spikes.events["senders"], nodes[0].global_id, moved)


@pytest.mark.parametrize("model", sorted(CHANGES))
def test_parameters_set_between_runs_act_as_when_derived_every_time(model, monkeypatch):
    kept = run(model)
    monkeypatch.setattr(NodeBlock, "derive", lambda self, grid, what, compute: compute(grid))
    every_time = run(model)
    for ours, reference in zip(kept, every_time):
        assert np.asarray(ours).tobytes() == np.asarray(reference).tobytes()
    # the changes showed: the second node's trace left the others'
    v, senders, times, first, moved = np.asarray(kept[0]), np.asarray(kept[1]), kept[2], \
        kept[4], kept[5]
    traces = [v[senders == first + i] for i in range(3)]
    assert not np.array_equal(traces[1], traces[0]) and np.array_equal(traces[0], traces[2])
    # and the window did: none recorded in the 8 ms the start moved by, some before and after
    times = np.asarray(times)
    assert times.min() > 5.0 and not np.any((times > moved) & (times <= moved + 8.0))
    assert np.any(times > moved + 8.0) and np.any(times <= moved)


def test_a_poisson_rate_set_between_runs_acts_as_when_derived_every_time(monkeypatch):
    """The Poisson generator's per-step means and tables (derived from its rate and the
    resolution) follow a rate set between runs."""
    def run():
        nest.ResetKernel()
        nest.rng_seed = 3
        noise = nest.Create("poisson_generator", params={"rate": 500.0})
        parrots = nest.Create("parrot_neuron", 20)
        spikes = nest.Create("spike_recorder")
        nest.Connect(noise, parrots)
        nest.Connect(parrots, spikes)
        counts = []
        for rate in (500.0, 5000.0, 500.0):
            noise.rate = rate
            nest.Simulate(100.0)
            counts.append(spikes.n_events)
        return spikes.events["times"], spikes.events["senders"], np.diff([0] + counts)

    kept = run()
    monkeypatch.setattr(NodeBlock, "derive", lambda self, grid, what, compute: compute(grid))
    every_time = run()
    for ours, reference in zip(kept, every_time):
        assert np.asarray(ours).tobytes() == np.asarray(reference).tobytes()
    # 20 trains: ~1000 spikes at 500 Hz and ~10000 at 5 kHz in each 100 ms
    assert kept[2][1] > 5 * kept[2][0] and kept[2][1] > 5 * kept[2][2]
