"""Kernel-level tests of the devices: time conversions, lookups, the compiled draws, and
properties NEST does not promise but the counter-based generator gives (the same trains
whatever the split into Simulate calls)."""
import numpy as np
import pytest

import nest
from kernel import get_kernel
from kernel.devices import _generators as gen
from kernel.devices.current_generators import flat_lookup
from kernel.devices.generators import spike_steps, time_points_to_steps
from kernel.errors import BadParameterValue
from kernel.time import TimeGrid

GRID = TimeGrid(0.1)


@pytest.mark.parametrize("times, offgrid, steps", [
    ([1.0, 1.9999, 3.0001], False, [10, 20, 30]),        # within tic/2: on the grid
    ([1.0, 1.05, 3.0001], True, [10, 11, 30]),           # off grid: up to the step's end
    ([1.01, 1.04, 1.06, 2.15], True, [11, 11, 11, 22]),
    ([-0.1], True, [-1]),
])
def test_spike_steps_grid(times, offgrid, steps):
    stored, got, offsets = spike_steps(GRID, times, False, offgrid, False, 0)
    assert got.tolist() == steps
    np.testing.assert_array_equal(stored, GRID.to_ms(np.array(steps)))
    assert not offsets.any()


def test_spike_steps_precise_offsets():
    stored, steps, offsets = spike_steps(GRID, [1.0, 1.05, 3.0001, 5.399999], True, False,
                                         False, 0)
    assert steps.tolist() == [10, 11, 31, 54]
    np.testing.assert_allclose(offsets, [0.0, 0.05, 0.0999, 1e-6], atol=1e-12)
    # the recorder's time, stamp - offset, gives back the exact time
    np.testing.assert_allclose(GRID.to_ms(steps) - offsets, stored, rtol=0, atol=1e-15)


def test_spike_steps_errors_and_shift():
    with pytest.raises(BadParameterValue, match="cannot be set to 0"):
        spike_steps(GRID, [0.0], False, True, False, 0)
    with pytest.raises(BadParameterValue, match="Time point 4.33 is not representable"):
        spike_steps(GRID, [4.33], False, False, False, 0)
    with pytest.raises(BadParameterValue, match="Time point -1 is not representable"):
        spike_steps(GRID, [-1.0], False, False, False, 0)
    stored, steps, _ = spike_steps(GRID, [5.0, 10.0, 10.0001, 11.0], False, False, True, 100)
    assert steps.tolist() == [50, 101, 101, 110]      # on the current step: one step later
    assert stored.tolist()[1] == GRID.to_ms(101)
    assert spike_steps(GRID, [0.0, 0.0, 1.0], False, False, True, 0)[1].tolist() == [1, 1, 10]


def test_time_points_to_steps():
    assert time_points_to_steps(GRID, [1.0, 1.0001, 2.5], False, "m").tolist() == [10, 10, 25]
    assert time_points_to_steps(GRID, [1.04, 2.55], True, "m").tolist() == [11, 26]
    with pytest.raises(BadParameterValue, match="strictly positive"):
        time_points_to_steps(GRID, [0.0], False, "m", "strictly positive")


def test_flat_lookup():
    steps = [np.array([10, 25]), np.array([], dtype=np.int64), np.array([5])]
    values = [np.array([1.0, -2.0]), np.array([]), np.array([7.0])]
    stamps = np.array([4, 5, 9, 10, 24, 25, 100])
    got = flat_lookup(steps, values, stamps, 3)
    np.testing.assert_array_equal(got[0], [0, 0, 0, 1, 1, -2, -2])
    np.testing.assert_array_equal(got[1], np.zeros(7))
    np.testing.assert_array_equal(got[2], [0, 7, 7, 7, 7, 7, 7])


def test_normal_draws_are_standard_and_reproducible():
    x = gen.normal_draws(7, 3, 11, 0, 200000)
    assert abs(x.mean()) < 5 / np.sqrt(x.size)
    assert abs(x.var() - 1) < 5 * np.sqrt(2 / x.size)
    assert abs(np.mean(x ** 3)) < 5 * np.sqrt(15 / x.size)
    np.testing.assert_array_equal(x[:100], gen.normal_draws(7, 3, 11, 0, 100))
    assert not np.array_equal(x[:100], gen.normal_draws(7, 3, 12, 0, 100))
    assert not np.array_equal(x[:100], gen.normal_draws(7, 4, 11, 0, 100))


def test_shared_poisson_counts():
    mean = np.full((2, 20000), 0.3)
    counts = gen.shared_poisson_counts(5, np.array([1, 2], dtype=np.int32), 0, mean)
    for row in counts:
        assert abs(row.mean() - 0.3) < 5 * np.sqrt(0.3 / row.size)
        assert abs(row.var() - 0.3) < 0.03
    assert not np.array_equal(counts[0], counts[1])
    again = gen.shared_poisson_counts(5, np.array([1, 2], dtype=np.int32), 0,
                                      np.ascontiguousarray(mean[:, :10]))
    np.testing.assert_array_equal(again, counts[:, :10])


def _network_spikes(model, params, sims, n=20, defaults=None):
    nest.ResetKernel()
    nest.rng_seed = 9
    if defaults:
        nest.SetDefaults(model, defaults)
    g = nest.Create(model, params=params)
    p = nest.Create("parrot_neuron", n)
    sr = nest.Create("spike_recorder")
    nest.Connect(g, p, syn_spec={"delay": 0.5})
    nest.Connect(p, sr)
    for t in sims:
        nest.Simulate(t)
    e = sr.get("events")
    order = np.lexsort((e["senders"], e["times"]))
    return e["senders"][order], e["times"][order]


@pytest.mark.parametrize("model, params, defaults", [
    ("poisson_generator", {"rate": 500.0}, None),
    ("gamma_sup_generator", {"rate": 100.0, "gamma_shape": 3, "n_proc": 4}, None),
    ("inhomogeneous_poisson_generator", {"rate_times": [2.0, 30.0],
                                         "rate_values": [800.0, 200.0]}, None),
    ("sinusoidal_poisson_generator", {"rate": 300.0, "amplitude": 200.0, "frequency": 40.0},
     None),
    ("sinusoidal_poisson_generator", {"rate": 300.0, "amplitude": 200.0, "frequency": 40.0},
     {"individual_spike_trains": False}),
])
def test_trains_do_not_depend_on_how_the_run_is_split(model, params, defaults):
    whole = _network_spikes(model, params, [60.0], defaults=defaults)
    split = _network_spikes(model, params, [13.3, 0.2, 21.5, 25.0], defaults=defaults)
    assert whole[0].size > 100
    np.testing.assert_array_equal(whole[0], split[0])
    np.testing.assert_array_equal(whole[1], split[1])


def test_noise_current_does_not_depend_on_the_split():
    def currents(sims):
        nest.ResetKernel()
        g = nest.Create("noise_generator", params={"mean": 5.0, "std": 20.0, "dt": 0.3,
                                                   "std_mod": 10.0, "frequency": 50.0})
        mm = nest.Create("multimeter", params={"record_from": ["I"], "interval": 0.1})
        nest.Connect(mm, g)
        nest.Connect(g, nest.Create("iaf_psc_alpha", 3))
        for t in sims:
            nest.Simulate(t)
        return mm.get("events")["I"]
    a, b = currents([20.0, 1.0]), currents([3.3, 7.1, 10.6])
    n = min(a.size, b.size)
    assert n > 150
    np.testing.assert_array_equal(a[:n], b[:n])


def test_gamma_initial_occupation_and_persistence():
    nest.ResetKernel()
    g = nest.Create("gamma_sup_generator", params={"rate": 10.0, "gamma_shape": 3,
                                                   "n_proc": 10})
    nest.Connect(g, nest.Create("parrot_neuron", 2))
    block = get_kernel().nodes.block_of(g.get("global_id"))
    occ = block._state(np.array([0, 2]))
    assert occ.tolist() == [[3, 3, 4], [3, 3, 4]]       # n // k, remainder in the last phase
    nest.Simulate(50.0)
    assert block._occupation is occ and occ.sum(axis=1).tolist() == [10, 10]
    assert occ.tolist() != [[3, 3, 4], [3, 3, 4]]


def test_generators_write_without_python_loops_over_targets():
    """Thousands of targets and steps: a Poisson/noise/gamma run stays fast."""
    import time
    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha", 2000)
    for model, params in (("noise_generator", {"std": 10.0, "dt": 0.1}),
                          ("gamma_sup_generator", {"rate": 10.0, "n_proc": 5}),
                          ("inhomogeneous_poisson_generator", {"rate_times": [1.0],
                                                               "rate_values": [10.0]}),
                          ("sinusoidal_poisson_generator", {"rate": 10.0}),
                          ("ac_generator", {"amplitude": 1.0, "frequency": 5.0})):
        nest.Connect(nest.Create(model, params=params), n)
    t0 = time.perf_counter()
    nest.Simulate(100.0)
    assert time.perf_counter() - t0 < 5.0


def test_device_connections_changed_between_simulate_calls_take_effect():
    """A device's targets are gathered again after a Connect or a weight change, and kept
    while nothing changes: the next Simulate delivers what the connections say."""
    nest.ResetKernel()
    dc = nest.Create("dc_generator", params={"amplitude": 100.0})
    cells = nest.Create("iaf_psc_alpha", 3, {"V_th": 1000.0})
    nest.Connect(dc, cells[:2])
    k = get_kernel()
    nest.Simulate(50.0)
    kept = k.outgoing(k.nodes.blocks[0])
    nest.Simulate(50.0)
    assert k.outgoing(k.nodes.blocks[0]) is kept
    v = np.array(cells.V_m)
    assert v[0] == v[1] > -70.0 and v[2] == -70.0
    nest.GetConnections(dc, cells[1]).weight = 0.0
    nest.Connect(dc, cells[2])
    nest.Simulate(100.0)
    v_after = np.array(cells.V_m)
    assert v_after[0] > v[0]                    # still charged
    assert v_after[1] < v[1]                    # no input: back towards rest
    assert v_after[2] > -70.0                   # charged from now on
