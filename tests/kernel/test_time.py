"""kernel/time.py TimeGrid: ms <-> steps exactly as NEST 3.10 converts them.

Facts come from tests/data/nest_api_cases.json (cases ``connect_delay_*``, ``connect_res*``,
``resolution_*``, ``simulate_*``) and docs/nest_semantics.md. Facts marked "oracle" were observed
with the real NEST 3.10.0 (/work/.venv-nest, 1 process, 1 thread) when this file was written,
with the probe shown next to them.

NEST's rules, as observed:
* times are reported as ``tics * 0.001`` (59.300000000000004 for 593 steps at h = 0.1);
* an explicit delay d becomes ``floor(d / h + 0.5)`` steps (nearest, ties up; 0.149999 -> 1);
  fewer than 1 step is BadDelay;
* the built-in default delay (1.0 ms) is re-expressed in steps rounded UP when the resolution
  changes (h = 0.3 -> 4 steps = 1.2 ms), but a default delay set by the user (SetDefaults,
  CopyModel) is rounded to nearest like an explicit delay;
* a simulation time is first rounded to the nearest tic (half up), then must be a whole number
  of steps (0.1004 -> 100 tics -> 1 step; 0.1005 -> 101 tics -> error).
"""
import math

import numpy as np
import pytest

import nest
from kernel import get_kernel
from kernel.errors import BadDelay, BadTime, KernelStateError
from kernel.time import TimeGrid
from refdata import load_reference

CASES = {c["id"]: c for c in load_reference("nest_api_cases.json")["cases"]}


# -- resolution ------------------------------------------------------------------------------------
def test_default_grid():
    g = TimeGrid()
    assert (g.resolution, g.tics_per_step, g.tics_per_ms, g.ms_per_tic) == (0.1, 100, 1000.0, 0.001)


@pytest.mark.parametrize("resolution, tics_per_step", [
    (0.001, 1), (0.1, 100), (0.15, 150), (0.25, 250), (0.3, 300), (0.75, 750), (2.0, 2000)])
def test_valid_resolutions(resolution, tics_per_step):
    # nest_api_cases resolution_one_tic_0.001, resolution_0.15, resolution_0.25; oracle: others
    g = TimeGrid(resolution)
    assert g.tics_per_step == tics_per_step
    assert g.resolution == resolution


@pytest.mark.parametrize("resolution", [
    0.0, -0.1, 0.0001, 0.00015, 0.0005,          # below one tic (NEST: "... at least one tic")
    0.0015, 0.1234, 0.1000001, 0.0999999, 0.10004,  # not a multiple of the tic (oracle)
])
def test_invalid_resolutions_raise_bad_time(resolution):
    with pytest.raises(BadTime):
        TimeGrid(resolution)


@pytest.mark.parametrize("resolution", [math.nan, math.inf])
def test_non_finite_resolution_raises_bad_time(resolution):
    with pytest.raises(BadTime):
        TimeGrid(resolution)


def test_resolution_is_fixed_once_nodes_exist_or_time_has_passed():
    k = get_kernel()
    k.set_resolution(0.25)
    assert k.grid.tics_per_step == 250
    k.create("iaf_psc_alpha")
    with pytest.raises(KernelStateError):
        k.set_resolution(0.1)
    with pytest.raises(KernelStateError):
        k.set_resolution(0.25)       # even the same value (resolution_after_create_same_value)
    k.reset()
    k.simulate(1.0)
    with pytest.raises(KernelStateError):
        k.set_resolution(0.2)                   # resolution_after_simulate


# -- steps -> ms -----------------------------------------------------------------------------------
@pytest.mark.parametrize("resolution, steps, ms", [
    (0.1, 593, 59.300000000000004),     # the tutorial's first spike
    (0.1, 7, 0.7000000000000001),       # docs/nest_semantics.md section 0
    (0.1, 23, 2.3000000000000003),      # kernel min_delay for 23 steps
    (0.1, 1206, 120.60000000000001),    # the tutorial's second spike
    (0.1, 12, 1.2),
    (0.25, 9, 2.25),
    (0.4, 3, 1.2),                      # min_delay for the default delay at h = 0.4
    (0.7, 2, 1.4000000000000001),       # oracle: min_delay for the default delay at h = 0.7
])
def test_to_ms_gives_nests_float_values(resolution, steps, ms):
    assert float(TimeGrid(resolution).to_ms(steps)) == ms


def test_to_ms_is_tics_times_ms_per_tic_on_a_whole_trace():
    """All 1990 multimeter times of a 200 ms trace are (k*100)*0.001 (docs section 0); only 1656
    of them equal k*0.1, so a k*h formula would fail here."""
    k = np.arange(1, 1991)
    ours = TimeGrid(0.1).to_ms(k)
    assert np.array_equal(ours, (k * 100) * 0.001)
    assert np.sum(ours != k * 0.1) == 1990 - 1656


def test_to_steps_round_trips():
    for h in (0.1, 0.25, 0.3, 0.15):
        g = TimeGrid(h)
        k = np.arange(0, 5000)
        assert np.array_equal(g.to_steps(g.to_ms(k)), k)


# -- explicit delays -------------------------------------------------------------------------------
DELAY_FACTS = [
    # (resolution, delay ms, steps) from nest_api_cases connect_delay_* / connect_res0.25_*
    (0.1, 0.05, 1), (0.1, 0.14, 1), (0.1, 0.149999, 1), (0.1, 0.15, 2), (0.1, 0.16, 2),
    (0.1, 0.25, 3), (0.1, 0.35, 4), (0.1, 0.45, 5), (0.1, 1.05, 11), (0.1, 1.15, 12),
    (0.1, 2.25, 23), (0.1, 2.3, 23), (0.1, 2.35, 24),
    (0.25, 2.3, 9), (0.25, 0.125, 1),
    # oracle: nest.resolution = h; Connect(syn_spec={"delay": d}); GetConnections().get("delay")
    (0.1, 0.1499999999, 1), (0.1, 0.15000001, 2),
    (0.25, 0.375, 2), (0.25, 0.625, 3), (0.3, 0.45, 2), (0.3, 0.15, 1), (0.4, 0.2, 1),
    (0.15, 0.225, 2), (0.3, 1.0, 3),
]


@pytest.mark.parametrize("resolution, delay, steps", DELAY_FACTS)
def test_delay_rounds_to_nearest_ties_up(resolution, delay, steps):
    assert int(TimeGrid(resolution).delay_steps(delay)) == steps


def test_delay_steps_vectorized():
    by_res = {}
    for h, d, s in DELAY_FACTS:
        by_res.setdefault(h, ([], []))
        by_res[h][0].append(d)
        by_res[h][1].append(s)
    for h, (d, s) in by_res.items():
        out = TimeGrid(h).delay_steps(np.array(d))
        assert out.dtype == np.uint16           # the delay column's type
        assert out.tolist() == s


@pytest.mark.parametrize("resolution, delay", [
    (0.1, 0.04), (0.1, 0.0), (0.1, -1.0), (0.1, 0.049999), (0.1, 1e-9), (0.25, 0.1),
    (0.1, math.nan), (0.1, math.inf), (0.1, -math.inf)])
def test_delay_below_one_step_or_not_finite_is_bad_delay(resolution, delay):
    with pytest.raises(BadDelay):
        TimeGrid(resolution).delay_steps(delay)
    with pytest.raises(BadDelay):                # one bad value in an array
        TimeGrid(resolution).delay_steps(np.array([1.0, delay, 2.0]))


def test_delay_too_long_for_the_delay_column_is_bad_delay_not_wrapped():
    """Delays are stored as uint16 steps (DESIGN.md); a longer one must be refused, not wrapped
    (70000 steps would become 4464). NEST itself accepts 1e4 ms (oracle)."""
    g = TimeGrid(0.1)
    assert int(g.delay_steps(6553.5)) == 65535
    with pytest.raises(BadDelay):
        g.delay_steps(7000.0)


# -- default delays --------------------------------------------------------------------------------
@pytest.mark.parametrize("resolution, steps, conn_delay, min_delay", [
    # static_synapse default 1.0 ms, rounded UP to the grid (docs section 0; oracle for the reports)
    (0.1, 10, 1.0, 1.0),
    (0.3, 4, 1.2, 1.2),                  # nest_api_cases connect_res0.3_default_delay
    (0.4, 3, 1.2000000000000002, 1.2),
    (0.7, 2, 1.4, 1.4000000000000001),
    (0.15, 7, 1.05, 1.05),
    (0.25, 4, 1.0, 1.0),
    (0.6, 2, 1.2, 1.2),
    (2.0, 1, 2.0, 2.0),
])
def test_builtin_default_delay_rounds_up(resolution, steps, conn_delay, min_delay):
    g = TimeGrid(resolution)
    assert g.default_delay_steps(1.0) == steps
    assert steps * g.resolution == conn_delay        # GetConnections reports steps * h
    assert float(g.to_ms(steps)) == min_delay        # the kernel reports tics * 0.001


@pytest.mark.parametrize("resolution, conn_delay, default, min_delay", [
    # oracle: nest.resolution = h; Connect(a[0], a[1]); (GetConnections().get("delay"),
    # GetDefaults("static_synapse", "delay"), nest.min_delay); max_delay equals min_delay
    (0.3, 1.2, 1.2, 1.2), (0.4, 1.2000000000000002, 1.2000000000000002, 1.2),
    (0.7, 1.4, 1.4, 1.4000000000000001), (0.15, 1.05, 1.05, 1.05), (2.0, 2.0, 2.0, 2.0),
    (0.25, 1.0, 1.0, 1.0), (0.6, 1.2, 1.2, 1.2),
])
def test_facade_builtin_default_delay(resolution, conn_delay, default, min_delay):
    nest.resolution = resolution
    a = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a[0], a[1])
    assert nest.GetConnections().get("delay") == conn_delay
    assert nest.GetDefaults("static_synapse", "delay") == default
    assert (nest.min_delay, nest.max_delay) == (min_delay, min_delay)


# -- through the kernel ----------------------------------------------------------------------------
def _connect_pair(delays=None, resolution=None):
    k = get_kernel()
    if resolution is not None:
        k.set_resolution(resolution)
    first = k.create("iaf_psc_alpha", 2)
    k.connect([first], [first + 1], "static_synapse", {} if delays is None else {"delay": delays})
    return k


@pytest.mark.parametrize("resolution, delay, steps", DELAY_FACTS)
def test_kernel_connect_stores_rounded_delay(resolution, delay, steps):
    k = _connect_pair(delay, resolution)
    assert k.delay_extrema() == (steps, steps)
    assert k.num_connections() == 1


def test_kernel_connect_with_array_of_delays():
    k = get_kernel()
    first = k.create("iaf_psc_alpha", 4)
    k.connect([first] * 3, [first + 1, first + 2, first + 3], "static_synapse",
              {"delay": np.array([0.05, 0.15, 2.25])})
    assert k.delay_extrema() == (1, 23)


@pytest.mark.parametrize("delay", [0.04, 0.0, -1.0])
def test_kernel_connect_refuses_bad_delay_and_stores_nothing(delay):
    k = get_kernel()
    first = k.create("iaf_psc_alpha", 2)
    with pytest.raises(BadDelay):
        k.connect([first], [first + 1], "static_synapse", {"delay": delay})
    assert k.num_connections() == 0


@pytest.mark.parametrize("resolution, steps", [(0.1, 10), (0.3, 4), (0.4, 3), (0.7, 2), (0.15, 7)])
def test_kernel_connect_default_delay_rounds_up(resolution, steps):
    assert _connect_pair(None, resolution).delay_extrema() == (steps, steps)


@pytest.mark.parametrize("resolution, default, steps", [
    (0.1, 1.04, 10), (0.1, 0.96, 10), (0.1, 1.05, 11), (0.3, 1.0, 3)])
def test_user_default_delay_rounds_to_nearest(resolution, default, steps):
    """Oracle: nest.resolution = h; nest.SetDefaults("static_synapse", {"delay": default});
    Connect; GetConnections().get("delay") -> 1.0, 1.0, 1.1 and 0.8999999999999999 (3 steps at
    h = 0.3; only the built-in default is rounded up)."""
    nest.resolution = resolution
    nest.SetDefaults("static_synapse", {"delay": default})
    a = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a[0], a[1])
    assert get_kernel().delay_extrema() == (steps, steps)
    assert nest.GetConnections().get("delay") == steps * resolution


@pytest.mark.parametrize("default, delay", [(1.04, 1.0), (1.05, 1.1), (1.15, 1.2000000000000002),
                                            (0.25, 0.30000000000000004)])
def test_copied_model_default_delay_rounds_to_nearest(default, delay):
    # oracle: nest.CopyModel("static_synapse", "my", {"delay": default}); Connect(syn_spec="my")
    nest.CopyModel("static_synapse", "my", {"delay": default})
    a = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a[0], a[1], syn_spec="my")
    assert nest.GetConnections().get("delay") == delay


# -- through the NEST facade: kernel min_delay / max_delay reports -------------------------------
def _delay_cases():
    out = []
    for cid, case in CASES.items():
        if cid.startswith(("connect_delay_", "connect_res0.25_delay_", "connect_res0.3_default")):
            out.append(pytest.param(case, id=cid))
    assert len(out) >= 20
    return out


@pytest.mark.parametrize("case", _delay_cases())
def test_facade_connect_delay_cases(case):
    """Run the case with our nest: the connection delay (steps x h), nest.min_delay and
    nest.max_delay (tics x 0.001) must be NEST's floats exactly, errors NEST's class."""
    ns = {"nest": nest}
    exec(case["setup"], ns)
    result = case["result"]
    if not result["ok"]:
        with pytest.raises(getattr(nest.NESTErrors, result["exc_qualname"])):
            exec(case["expr"], ns)
        assert get_kernel().num_connections() == 0
        return
    lo, hi = get_kernel().delay_extrema()
    assert lo == hi
    value = result["value"]
    conn_delay = value[0] if isinstance(value, list) else value
    assert lo * nest.resolution == conn_delay
    ours = eval(case["expr"], ns)
    assert (list(ours) if isinstance(ours, tuple) else ours) == value


def test_facade_default_delay_reported_on_the_new_grid():
    nest.resolution = 0.3
    expected = CASES["connect_res0.3_default_delay"]["result"]["value"][1]     # 1.2
    assert nest.GetDefaults("static_synapse", "delay") == expected


def test_facade_min_max_delay_extremes_over_connections():
    a = nest.Create("iaf_psc_alpha", 2)
    for d, expected in ((3.0, (3.0, 3.0)), (0.5, (0.5, 3.0)), (5.0, (0.5, 5.0))):
        nest.Connect(a[0], a[1], syn_spec={"delay": d})
        assert (nest.min_delay, nest.max_delay) == expected      # kernel_delays_connect_3.0_0.5_5.0


# -- simulation durations --------------------------------------------------------------------------
@pytest.mark.parametrize("resolution, ms, steps", [
    (0.1, 0.0, 0), (0.1, 5, 50), (0.1, 0.7, 7), (0.1, 59.3, 593), (0.1, 1000.0, 10000),
    (0.1, 1e-7, 0), (0.1, 0.10000001, 1), (0.1, 0.09999999, 1), (0.1, 1000.0000001, 10000),
    (0.1, 0.1001, 1), (0.3, 0.3, 1), (0.3, 0.6, 2), (0.3, 0.9, 3), (0.25, 2.25, 9),
])
def test_duration_steps(resolution, ms, steps):
    assert TimeGrid(resolution).duration_steps(ms) == steps


@pytest.mark.parametrize("resolution, ms", [
    (0.1, -1.0), (0.1, -0.1), (0.1, math.nan), (0.1, math.inf), (0.1, 0.05), (0.1, 0.15),
    (0.1, 0.1499), (0.1, 0.1005), (0.1, 0.0994), (0.1, 0.0005), (0.25, 0.125), (0.25, 0.1004)])
def test_duration_steps_errors(resolution, ms):
    with pytest.raises(BadTime):
        TimeGrid(resolution).duration_steps(ms)


@pytest.mark.parametrize("ms, steps", [(0.1004, 1), (0.0996, 1), (0.0004, 0)])
def test_duration_is_rounded_to_the_tic_first(ms, steps):
    assert TimeGrid(0.1).duration_steps(ms) == steps


@pytest.mark.parametrize("case_id", ["simulate_negative", "simulate_0.05", "simulate_0.15"])
def test_facade_simulate_bad_durations(case_id):
    case = CASES[case_id]
    with pytest.raises(getattr(nest.NESTErrors, case["result"]["exc_qualname"])):
        exec(case["expr"], {"nest": nest})


@pytest.mark.parametrize("case_id", ["simulate_zero", "simulate_int"])
def test_facade_simulate_durations(case_id):
    case = CASES[case_id]
    exec(case["setup"], {"nest": nest})
    assert nest.biological_time == case["result"]["value"]


def test_biological_time_uses_tics():
    nest.Simulate(0.7)                       # oracle: 0.7000000000000001
    assert nest.biological_time == 0.7000000000000001
    nest.Simulate(58.6)                      # oracle: Simulate(59.3) -> 59.300000000000004
    assert nest.biological_time == 59.300000000000004


def test_delay_steps_name_the_delay_that_is_wrong():
    """One pass over the delays still reports as NEST's checks do: a non-finite delay first,
    then the first of the shortest delays below one step, then a delay above what 16 bits of
    steps hold (even one far beyond any integer)."""
    grid = TimeGrid(0.1)
    with pytest.raises(BadDelay, match="finite"):
        grid.delay_steps(np.array([0.01, 2.0, np.nan]))
    with pytest.raises(BadDelay, match=r"Delay value 0.02 ms .* greater than or equal"):
        grid.delay_steps(np.array([2.0, 0.02, 0.04, 0.02, 1e9]))
    with pytest.raises(BadDelay, match=r"Delay value 1e\+300 ms .* at most 6553.5"):
        grid.delay_steps(np.array([1.0, 1e300]))
    assert grid.delay_steps(np.array([[0.15, 6553.5]])).tolist() == [[2, 65535]]
