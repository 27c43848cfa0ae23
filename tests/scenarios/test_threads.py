"""local_num_threads: the same network gives bit-identical results on 1, 2 and 3 threads.

Threads own contiguous ranges of nodes; each updates its neurons, draws the Poisson counts
for its targets (counter-based streams: a draw does not depend on who computes it) and
delivers the spikes to its targets in the one-thread order, so the sums in every input
buffer are the same. The network mixes what takes different paths: homogeneous and random
weights and delays, iaf_psc_delta, iaf_psc_alpha and iaf_psc_exp (threaded updates, the
latter two with sign-split inputs, cut by the threads' ranges, sampled on both sides of the
cut), a poisson_generator feeding neurons and a spike_recorder, a voltmeter and a
multimeter. Without the generator's recorder the slice engine runs the network (one parallel
region a slice, kernel/parallel/_region.pyx); it must give what the general path (block by
block, table by table) gives.
"""
import numpy as np
import pytest

import nest
from kernel import get_kernel
from kernel.delivery._deliver import set_parallel_min_work
from kernel.parallel._region import set_draw_all_ahead
from kernel.parallel.slices import SlicePlan, meeting_spin_seconds


# the blocks whose nodes the threads' ranges cut (some sampled nodes on either side)
CUTS = {1: set(), 2: {"iaf_psc_alpha"}, 3: {"iaf_psc_exp"}}


# the neurons' parameters of Brunel's network (benchmarks/brunel.py)
BRUNEL_PARAMS = {"C_m": 1.0, "tau_m": 20.0, "t_ref": 2.0, "E_L": 0.0, "V_reset": 0.0,
                 "V_m": 0.0, "V_th": 20.0}


def fresh_kernel(threads, seed):
    """Reset the kernel for ``threads`` threads and ``seed``."""
    nest.ResetKernel()
    nest.local_num_threads = threads
    nest.rng_seed = seed


def run(threads, engine=False, engaged=None, sampled=True, pieces=False):
    """The network on ``threads`` threads; ``engine``: only what the slice engine runs
    (``engaged``: whether the engine is expected to run it, by default ``engine``);
    ``sampled``: with a voltmeter (the engine then runs one slice a call, else several);
    ``pieces``: 200 ms in Run calls of 7.3 ms (ends inside min_delay slices)."""
    fresh_kernel(threads, 7)
    p = BRUNEL_PARAMS
    # created in this order, the threads' ranges cut alpha on 2 threads, exp on 3 (CUTS)
    ex = nest.Create("iaf_psc_delta", 300, params=p)
    alpha = nest.Create("iaf_psc_alpha", 150, params=p)
    exp = nest.Create("iaf_psc_exp", 150, params=p)
    inh = nest.Create("iaf_psc_delta", 100, params=p)
    if engine:      # the engine's other iaf_psc_delta loop
        inh.refractory_input = True
    neurons = ex + alpha + exp + inh
    noise = nest.Create("poisson_generator", params={"rate": 20000.0})
    spikes, noise_spikes = nest.Create("spike_recorder", 2)
    vm = nest.Create("voltmeter")
    mm = nest.Create("multimeter", params={"record_from": ["I_syn_ex", "I_syn_in", "V_m"],
                                           "interval": 0.1})
    # spike_generators (the engine lists their spikes): multiplicities, a window, precise times
    generators = nest.Create("spike_generator", 3, params=[
        {"spike_times": [2.0, 7.5, 30.0, 30.1, 160.0], "spike_multiplicities": [1, 3, 0, 2, 1]},
        {"spike_times": sorted(np.arange(5.0, 190.0, 4.3).round(1).tolist() + [20.0, 120.0]),
         "start": 20.0, "stop": 120.0},
        {"spike_times": [3.03, 17.77, 55.55, 151.51], "precise_times": True}])
    # current generators (the engine sends their currents): two dc_generators to the same
    # cells, one in a window, and a step_current_generator
    currents = nest.Create("dc_generator", 2, params=[{"amplitude": 0.7},
                                                      {"amplitude": -0.31, "start": 40.0,
                                                       "stop": 130.0}])
    step_current = nest.Create("step_current_generator", params={
        "amplitude_times": [12.0, 80.0, 150.0], "amplitude_values": [0.4, -0.25, 0.0]})
    # a homogeneous table (with rows that reach recorders) and a heterogeneous one
    nest.CopyModel("static_synapse", "exc", {"weight": 0.1, "delay": 1.5})
    nest.Connect(noise, neurons, syn_spec="exc")
    if not engine:
        nest.Connect(noise, noise_spikes, syn_spec="exc")
    nest.Connect(ex + alpha + exp, neurons, {"rule": "fixed_indegree", "indegree": 40}, "exc")
    nest.Connect(ex[:20], spikes, syn_spec="exc")
    nest.Connect(inh, neurons, {"rule": "fixed_indegree", "indegree": 10},
                 {"weight": nest.random.uniform(-0.6, -0.4),
                  "delay": nest.random.uniform(1.0, 3.0)})
    nest.Connect(neurons, spikes)
    nest.Connect(generators, ex[:30] + inh[-10:], syn_spec={"weight": 3.0, "delay": 1.5})
    nest.Connect(generators, spikes)
    nest.Connect(currents, ex[10:40] + alpha[:20] + exp[-20:], syn_spec={"delay": 1.5})
    nest.Connect(currents[1], exp[-5:], syn_spec={"delay": 2.0, "receptor_type": 1})
    nest.Connect(step_current, ex[20:50] + exp[:10], syn_spec={"delay": 1.5})
    if sampled:     # (an unconnected voltmeter or multimeter samples nothing)
        nest.Connect(vm, ex[:5] + inh[-3:])
        nest.Connect(mm, alpha[::10])
        nest.Connect(mm, exp[::10])
    if pieces:
        with nest.RunManager():
            for _ in range(27):
                nest.Run(7.3)
            nest.Run(2.9)
    else:
        nest.Simulate(150.0)
        nest.Simulate(50.0)
    kernel = get_kernel()
    assert (kernel._slices is not None) == (engine if engaged is None else engaged)
    cut = {b.spec.name for b in kernel.nodes.blocks
           if np.any((kernel.thread_bounds > b.ring_first)
                     & (kernel.thread_bounds < b.ring_first + b.n))}
    assert CUTS[threads] <= cut
    events = mm.events
    return {"senders": spikes.events["senders"], "times": spikes.events["times"],
            "V_trace": vm.events["V_m"], "noise_times": noise_spikes.events["times"],
            "mm_senders": events["senders"], "I_ex": events["I_syn_ex"],
            "I_in": events["I_syn_in"], "V_mm": events["V_m"], "V_end": np.array(neurons.V_m)}


@pytest.fixture(params=["parallel", "default"])
def min_work(request):
    """Every threaded loop in parallel (this network is below the default threshold, where
    the threads' parts run one after the other), and the default."""
    previous = set_parallel_min_work(0) if request.param == "parallel" else None
    yield
    if previous is not None:
        set_parallel_min_work(previous)


@pytest.mark.parametrize("threads", [2, 3])
def test_results_do_not_depend_on_the_number_of_threads(threads, min_work):
    one, many = run(1), run(threads)
    assert one["senders"].size > 1000 and one["noise_times"].size > 1000
    for key in one:
        np.testing.assert_array_equal(many[key], one[key], err_msg=key)


@pytest.mark.parametrize("sampled", [True, False])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_slice_engine_gives_what_the_general_path_gives(threads, sampled, min_work,
                                                        monkeypatch):
    """Spikes (in the recorder's order: by slice, sender, time), traces, final state."""
    engine = run(threads, engine=True, sampled=sampled)
    assert engine["senders"].size > 1000 and engine["V_trace"].size == (1592 if sampled else 0)
    senders = nest.NodeCollection(np.unique(engine["senders"]).tolist())
    assert {"iaf_psc_alpha", "iaf_psc_exp"} <= set(senders.get("model"))
    one = run(1, engine=True, sampled=sampled)
    monkeypatch.setattr(SlicePlan, "build", classmethod(lambda cls, kernel: None))
    general = run(threads, engine=True, engaged=False, sampled=sampled)
    for key in ("senders", "times", "V_trace", "mm_senders", "I_ex", "I_in", "V_mm", "V_end"):
        np.testing.assert_array_equal(engine[key], general[key], err_msg=key)
        np.testing.assert_array_equal(engine[key], one[key], err_msg=key)


@pytest.mark.parametrize("sampled", [True, False])
def test_slice_engine_runs_in_pieces(sampled, monkeypatch):
    """Run calls that end inside slices: what the general path gives (recorders list a split
    slice's spikes Run call by Run call, as NEST does), and the same spikes and traces as
    one Simulate."""
    whole = run(2, engine=True, sampled=sampled)
    pieces = run(2, engine=True, sampled=sampled, pieces=True)
    monkeypatch.setattr(SlicePlan, "build", classmethod(lambda cls, kernel: None))
    general = run(2, engine=True, engaged=False, sampled=sampled, pieces=True)
    for key in ("senders", "times", "V_trace", "mm_senders", "V_mm", "V_end"):
        np.testing.assert_array_equal(pieces[key], general[key], err_msg=key)
    for key in ("V_trace", "mm_senders", "V_mm", "V_end"):
        np.testing.assert_array_equal(pieces[key], whole[key], err_msg=key)
    order = [np.lexsort((r["senders"], r["times"])) for r in (pieces, whole)]
    for key in ("senders", "times"):
        np.testing.assert_array_equal(pieces[key][order[0]], whole[key][order[1]])


def _ring_after_interrupted_run(threads, monkeypatch):
    """The engine's network (``run``) stopped by an error after the engine call of its
    Simulate(150.0) (one call covers it); the clock and the ring after it."""
    from kernel.recording import RecordingManager
    record = RecordingManager.record_spikes
    calls = []

    def record_then_fail(self, *args, **kwargs):
        record(self, *args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("stop")

    monkeypatch.setattr(RecordingManager, "record_spikes", record_then_fail)
    with pytest.raises(RuntimeError, match="stop"):
        run(threads, engine=True, sampled=False)
    kernel = get_kernel()
    return kernel.clock, kernel.ring.copy()


@pytest.mark.parametrize("threads", [2, 3])
def test_engine_ring_is_whole_after_a_run_stops_with_an_error(threads, monkeypatch):
    """The threads keep their ring columns in rings of their own after the engine's calls:
    a Run that an error stops still leaves the whole ring (the input due to every node) to
    whoever reads the kernel's ring, as one thread leaves it."""
    previous = set_parallel_min_work(0)
    try:
        one_clock, one_ring = _ring_after_interrupted_run(1, monkeypatch)
        clock, ring = _ring_after_interrupted_run(threads, monkeypatch)
    finally:
        set_parallel_min_work(previous)
    assert clock == one_clock
    assert np.count_nonzero(one_ring) > 1000
    np.testing.assert_array_equal(ring, one_ring)


def run_in_short_calls(threads):
    """A Brunel-like network in 20 Simulate(5.0) calls, then with an ac_generator (the
    general path, which reads the kernel's ring) in 20 more; the spikes, the potentials at the end
    and, after each of the first calls, whether the threads held their ring columns and
    whether the kernel's own ring was never written (columns not copied back)."""
    fresh_kernel(threads, 3)
    neurons = nest.Create("iaf_psc_delta", 400, params=BRUNEL_PARAMS)
    spikes = nest.Create("spike_recorder")
    nest.Connect(nest.Create("poisson_generator", params={"rate": 20000.0}), neurons,
                 syn_spec={"weight": 0.1, "delay": 1.5})
    nest.Connect(neurons, neurons, {"rule": "fixed_indegree", "indegree": 40},
                 {"weight": 0.1, "delay": 1.5})
    nest.Connect(neurons, spikes)
    kernel = get_kernel()
    held = []
    for _ in range(20):
        nest.Simulate(5.0)
        held.append((kernel.thread_rings()[1].loaded, not np.any(kernel._ring)))
    nest.Connect(nest.Create("ac_generator", params={"amplitude": 300.0, "frequency": 20.0}),
                 neurons[:50])
    for _ in range(20):
        nest.Simulate(5.0)
    assert kernel._slices is None
    return spikes.events["senders"], spikes.events["times"], np.array(neurons.V_m), held


def test_threads_keep_their_ring_columns_between_short_runs():
    """A loop of short Simulate calls on two threads copies the ring to the threads once, not
    in and out every call (Prepare included), and gives one thread's numbers, also once the
    general path takes over."""
    previous = set_parallel_min_work(0)
    try:
        *one, one_held = run_in_short_calls(1)
        *two, two_held = run_in_short_calls(2)
    finally:
        set_parallel_min_work(previous)
    assert not any(h for h, _ in one_held) and not any(untouched for _, untouched in one_held)
    assert all(h and untouched for h, untouched in two_held)
    assert one[0].size > 1000
    for a, b in zip(one, two):
        np.testing.assert_array_equal(b, a)


@pytest.mark.parametrize("threads", [1, 2])
def test_threaded_tables_are_kept_between_simulate_calls_until_the_network_changes(threads):
    """Each Prepare reuses a static table's ThreadedTable made for the same connections,
    threads and nodes (a loop of short Simulate calls would otherwise rebuild it every call),
    and makes it again after a weight change, a new Connect or new nodes; the recording plan
    (which connections touch recorders) follows a new recorder connection."""
    nest.ResetKernel()
    nest.local_num_threads = threads
    drive = nest.Create("iaf_psc_delta", 4, {"I_e": 1000.0})
    post = nest.Create("iaf_psc_delta", 6)
    recorder = nest.Create("spike_recorder")     # connected only later
    nest.Connect(drive, post, "all_to_all", {"weight": 2.0})
    k = get_kernel()
    nest.Simulate(20.0)
    first = k.static_tables()
    nest.Simulate(20.0)
    assert k.static_tables() == first          # kept
    nest.GetConnections(drive, post).weight = 0.0
    post.V_m = -70.0
    nest.Simulate(20.0)
    assert k.static_tables() != first
    assert post.V_m == (-70.0,) * 6              # a kept table would still deliver 2 mV
    late = nest.Create("iaf_psc_delta")
    nest.Connect(drive, late, "all_to_all", {"weight": 2.0})
    nest.Simulate(20.0)
    assert late.V_m != -70.0
    nest.Connect(drive, recorder)
    nest.Simulate(20.0)
    assert recorder.n_events > 0


def run_parrots(threads, general=False):
    """PyNN's Poisson sources: a poisson_generator per parrot_neuron, one to one, at a rate
    that makes several spikes a step common, and one generator driving every parrot, which
    also gets ignored input on receptor 1; the parrots drive iaf_psc_alpha neurons through a
    homogeneous and a heterogeneous table and are recorded. The neurons also get weighted
    trains from a generator each and from one shared generator (their sums depend on the
    order of the deposits). ``general``: the general path."""
    fresh_kernel(threads, 11)
    parrots = nest.Create("parrot_neuron", 120)
    cells = nest.Create("iaf_psc_alpha", 90, {"V_th": -60.0})
    own = nest.Create("poisson_generator", 120, {"rate": 15000.0})
    shared = nest.Create("poisson_generator", params={"rate": 2000.0})
    spikes = nest.Create("spike_recorder")
    nest.Connect(own, parrots, "one_to_one", {"delay": 1.0})
    nest.Connect(shared, parrots, syn_spec={"delay": 1.0})
    nest.Connect(parrots[::3], parrots[:40], "one_to_one", {"receptor_type": 1})
    nest.Connect(parrots, cells, {"rule": "fixed_indegree", "indegree": 20},
                 {"weight": 30.0, "delay": 1.5})
    nest.Connect(parrots[:60], cells, {"rule": "fixed_indegree", "indegree": 10},
                 {"weight": nest.random.uniform(-80.0, -20.0),
                  "delay": nest.random.uniform(1.0, 2.5)})
    nest.Connect(nest.Create("poisson_generator", params={"rate": 3000.0}), cells,
                 syn_spec={"weight": 0.11})
    nest.Connect(nest.Create("poisson_generator", 90, {"rate": 4000.0}), cells, "one_to_one",
                 {"weight": 0.37})
    nest.Connect(parrots + cells, spikes)
    nest.Simulate(60.0)
    nest.Simulate(40.0)
    kernel = get_kernel()
    assert (kernel._slices is None) == general
    if not general:     # the generators with one target each draw as one run of lanes
        assert [b.engine_task(kernel).n for b in kernel.nodes.blocks
                if b.spec.name == "poisson_generator"] == [1, 1, 1, 1]
    events = spikes.events
    return {"senders": events["senders"], "times": events["times"],
            "V_end": np.array(cells.V_m)}


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_slice_engine_runs_parrots_as_the_general_path_does(threads, min_work, monkeypatch):
    """Parrots repeat each step's spikes as one event of that multiplicity; the engine
    draws their Poisson input, updates them and delivers their events as the general path
    (which draws connection by connection) does, on any number of threads."""
    engine = run_parrots(threads)
    one = run_parrots(1)
    monkeypatch.setattr(SlicePlan, "build", classmethod(lambda cls, kernel: None))
    general = run_parrots(threads, general=True)
    pairs = np.stack([engine["senders"], engine["times"]])
    assert np.unique(pairs, axis=1).shape[1] < pairs.shape[1]     # multiplicities > 1 listed
    assert np.isin(engine["senders"], np.arange(121, 211)).sum() > 100     # cells fire
    for key in engine:
        np.testing.assert_array_equal(engine[key], general[key], err_msg=key)
        np.testing.assert_array_equal(engine[key], one[key], err_msg=key)


COND_MODELS = ("iaf_cond_alpha", "iaf_cond_exp", "iaf_cond_exp_sfa_rr", "iaf_cond_beta")
AEIF_MODELS = ("aeif_cond_alpha", "aeif_cond_exp", "aeif_psc_alpha", "aeif_psc_exp",
               "aeif_psc_delta")


def run_ode(models, record_from, threads, general=False, params=None):
    """Neurons of ``models`` with an adaptive ODE solver (updated in parts, one per thread) in
    a recurrent network with Poisson drive, sampled by a multimeter on nodes on both sides
    of the threads' cuts; with AEIF_MODELS, also an aeif_cond_beta_multisynapse group driven
    on its receptor 1 that projects into the network. ``general``: the general path."""
    fresh_kernel(threads, 3)
    cells = sum((nest.Create(m, 40, params) for m in models[1:]), nest.Create(models[0], 40,
                                                                              params))
    cells.V_m = nest.random.uniform(-70.0, -55.0)
    n = len(cells)
    noise = nest.Create("poisson_generator", params={"rate": 9000.0})
    spikes = nest.Create("spike_recorder")
    mm = nest.Create("multimeter", params={"record_from": record_from, "interval": 0.3})
    nest.Connect(noise, cells, syn_spec={"weight": 4.0, "delay": 1.0})
    nest.Connect(cells[:n * 3 // 4], cells, {"rule": "fixed_indegree", "indegree": 15},
                 {"weight": 3.0, "delay": nest.random.uniform(1.0, 2.0)})
    nest.Connect(cells[n * 3 // 4:], cells, {"rule": "fixed_indegree", "indegree": 8},
                 {"weight": -12.0, "delay": 1.0})
    if models == AEIF_MODELS:
        multi = nest.Create("aeif_cond_beta_multisynapse", 30,
                            {"E_rev": [0.0, -80.0], "tau_rise": [0.5, 1.0],
                             "tau_decay": [2.0, 4.0], "I_e": 500.0})
        # (a generator of its own: a train's connections share a channel in the engine)
        nest.Connect(nest.Create("poisson_generator", params={"rate": 9000.0}), multi,
                     syn_spec={"weight": 2.0, "delay": 1.0, "receptor_type": 1})
        nest.Connect(multi, cells, {"rule": "fixed_indegree", "indegree": 5},
                     {"weight": 3.0, "delay": 1.0})
        cells += multi
    nest.Connect(cells, spikes)
    nest.Connect(mm, cells[::7])
    nest.Simulate(120.0)
    assert (get_kernel()._slices is None) == general
    events = mm.events
    out = {"senders": spikes.events["senders"], "times": spikes.events["times"],
           "mm_senders": events["senders"], "V_end": np.array(cells.V_m)}
    out.update({key: events[key] for key in record_from})
    return out


@pytest.mark.parametrize("models, record_from, params", [
    (COND_MODELS, ["V_m", "g_ex", "g_in"], None),
    (AEIF_MODELS, ["V_m", "w"], {"I_e": 1500.0}),
    (("izhikevich",), ["V_m", "U_m"], None),
    (("izhikevich",), ["V_m", "U_m"], {"consistent_integration": False}),
    (("hh_psc_alpha", "hh_cond_exp_traub"), ["V_m", "Act_m", "Inact_h", "Act_n"],
     {"I_e": 800.0})],
    ids=["iaf_cond", "aeif", "izhikevich", "izhikevich_2003", "hh"])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_slice_engine_runs_ode_neurons_as_the_general_path_does(threads, models, record_from,
                                                                params, min_work, monkeypatch):
    """iaf_cond_*, aeif_* and hh_* nodes (and izhikevich's, whose fixed-step schemes need no
    solver) updated in parts by the threads, in the engine and on the general path, give the
    one-thread numbers."""
    engine = run_ode(models, record_from, threads, params=params)
    one = run_ode(models, record_from, 1, params=params)
    spiking = set(nest.NodeCollection(np.unique(engine["senders"]).tolist()).get("model"))
    assert set(models) <= spiking
    monkeypatch.setattr(SlicePlan, "build", classmethod(lambda cls, kernel: None))
    general = run_ode(models, record_from, threads, general=True, params=params)
    for key in engine:
        np.testing.assert_array_equal(engine[key], general[key], err_msg=key)
        np.testing.assert_array_equal(engine[key], one[key], err_msg=key)


def run_drawn_ahead(threads, long_delays, general=False):
    """Neurons driven by two Poisson generators (delays 1.5 and 2.0 ms, so some ring entries
    get deposits from both) and by each other, through tables whose delays are at most the
    generators' (1.0 and 1.5 ms) and, with ``long_delays``, also longer (1.6 to 2.4 ms: the
    next slice's Poisson deposits then share ring entries with this slice's spikes). Returns
    the results and whether the engine draws ahead (None on the general path)."""
    fresh_kernel(threads, 5)
    p = BRUNEL_PARAMS
    ex = nest.Create("iaf_psc_delta", 240, params=p)
    alpha = nest.Create("iaf_psc_alpha", 120, params=p)
    inh = nest.Create("iaf_psc_delta", 60, params=p)
    neurons = ex + alpha + inh
    spikes = nest.Create("spike_recorder")
    nest.Connect(nest.Create("poisson_generator", params={"rate": 20000.0}), neurons,
                 syn_spec={"weight": 0.1, "delay": 1.5})
    nest.Connect(nest.Create("poisson_generator", params={"rate": 5000.0}), neurons,
                 syn_spec={"weight": 0.37, "delay": 2.0})
    nest.Connect(ex + alpha, neurons, {"rule": "fixed_indegree", "indegree": 30},
                 {"weight": 0.1, "delay": 1.5})
    nest.Connect(inh, neurons, {"rule": "fixed_indegree", "indegree": 10},
                 {"weight": nest.random.uniform(-0.6, -0.4), "delay": 1.0})
    if long_delays:
        nest.Connect(inh, neurons, {"rule": "fixed_indegree", "indegree": 5},
                     {"weight": -0.3, "delay": nest.random.uniform(1.6, 2.4)})
    nest.Connect(neurons, spikes)
    nest.Simulate(150.0)
    nest.Simulate(50.0)
    kernel = get_kernel()
    assert (kernel._slices is None) == general
    # the ring holds the next slices' input: its sums show the order of their deposits
    return ({"senders": spikes.events["senders"], "times": spikes.events["times"],
             "V_end": np.array(neurons.V_m), "ring": kernel.ring.copy()},
            None if general else kernel._slices.engine.lookahead)


@pytest.fixture
def all_ahead():
    """Threads draw all of the next slice's Poisson input before each meeting (where the
    engine allows it), not only while they wait, whatever the timing."""
    previous = set_draw_all_ahead(True)
    yield
    set_draw_all_ahead(previous)


@pytest.mark.parametrize("long_delays", [False, True])
@pytest.mark.parametrize("threads", [2, 3])
def test_poisson_input_drawn_ahead_gives_the_same_numbers(threads, long_delays, all_ahead,
                                                         monkeypatch):
    """Drawing the next slice's Poisson input ahead keeps every ring entry's deposits in
    order: the same spikes and potentials as one thread and as the general path. The engine
    does not draw ahead when a table's delay reaches past a generator's."""
    engine, lookahead = run_drawn_ahead(threads, long_delays)
    assert lookahead == (not long_delays)
    one, _ = run_drawn_ahead(1, long_delays)
    monkeypatch.setattr(SlicePlan, "build", classmethod(lambda cls, kernel: None))
    general, _ = run_drawn_ahead(threads, long_delays, general=True)
    assert engine["senders"].size > 1000
    for key in engine:
        np.testing.assert_array_equal(engine[key], general[key], err_msg=key)
        np.testing.assert_array_equal(engine[key], one[key], err_msg=key)


@pytest.mark.parametrize("policy", ["passive", "active"])
def test_threads_that_sleep_or_spin_at_meetings_give_the_same_numbers(policy, monkeypatch):
    """Threads that sleep at every meeting (no spinning) or never do."""
    one, _ = run_drawn_ahead(1, False)
    monkeypatch.setenv("OMP_WAIT_POLICY", policy)
    two, _ = run_drawn_ahead(2, False)
    for key in one:
        np.testing.assert_array_equal(two[key], one[key], err_msg=key)


def test_meeting_spin_follows_the_openmp_wait_policy():
    assert meeting_spin_seconds({"OMP_WAIT_POLICY": "ACTIVE"}) < 0
    assert meeting_spin_seconds({"OMP_WAIT_POLICY": "passive"}) == 0
    assert 0 < meeting_spin_seconds({}) < 1e-3


@pytest.mark.parametrize("params, engaged", [
    ({"spike_times": [5.0, 6.0]}, True),
    ({"spike_times": [5.0, 5.0]}, False),           # two spikes in one step
    ({"spike_times": [5.0, 6.0], "spike_weights": [1.0, 2.0]}, False),
])
def test_spike_generators_the_engine_lists_and_those_it_leaves(params, engaged):
    """The engine lists a spike_generator's spikes when a node has at most one a step and
    they carry no weights of their own; otherwise the general path sends them. Either way
    each spike reaches the target."""
    fresh_kernel(2, 1)
    cell = nest.Create("iaf_psc_delta", params={**BRUNEL_PARAMS, "V_th": 1000.0})
    generator = nest.Create("spike_generator", params=params)
    nest.Connect(generator, cell, syn_spec={"weight": 1.5, "delay": 1.0})
    nest.Simulate(10.0)
    assert (get_kernel()._slices is not None) == engaged
    # each spike's jump arrives after the delay and decays until 10 ms (as real NEST gives)
    weights = params.get("spike_weights", [1.0, 1.0])
    expected = sum(1.5 * w * np.exp(-(10.0 - (t + 1.0)) / 20.0)
                   for t, w in zip(params["spike_times"], weights))
    assert cell.V_m == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("sampled", [False, True])
def test_dc_generators_the_engine_sends_and_those_a_multimeter_samples(sampled):
    """The engine sends a dc_generator's current unless a multimeter records it (the general
    path samples it); the cell charges the same way either way."""
    fresh_kernel(2, 1)
    cell = nest.Create("iaf_psc_alpha", params={"V_th": 1000.0})
    dc = nest.Create("dc_generator", params={"amplitude": 250.0, "start": 5.0, "stop": 30.0})
    nest.Connect(dc, cell, syn_spec={"delay": 1.0})
    if sampled:
        nest.Connect(nest.Create("multimeter", params={"record_from": ["I"]}), dc)
    nest.Simulate(40.0)
    assert (get_kernel()._slices is None) == sampled
    # 250 pA (C_m 250 pF, tau_m 10 ms) from 6 to 31 ms (the window shifted by the delay),
    # then decay until 40 ms, as real NEST gives
    v_end = -70.0 + 250.0 * 10.0 / 250.0 * (1.0 - np.exp(-25.0 / 10.0)) * np.exp(-9.0 / 10.0)
    assert cell.V_m == pytest.approx(v_end, abs=1e-9)


@pytest.mark.parametrize("model, several", [("iaf_psc_alpha", True), ("aeif_cond_exp", False)])
def test_sampled_networks_run_several_slices_a_call(model, several):
    """A voltmeter no longer makes the engine run one slice a call (its samples are published
    slice by slice afterwards), except for ODE neurons, whose solver error would stop a call
    before its samples are handed over."""
    fresh_kernel(2, 1)
    cells = nest.Create(model, 20)
    nest.Connect(cells, cells, {"rule": "fixed_indegree", "indegree": 5},
                 {"weight": 1.0, "delay": 1.0})
    nest.Connect(nest.Create("voltmeter"), cells[:4])
    nest.Simulate(5.0)
    kernel = get_kernel()
    m = kernel.delay_extrema()[0]
    assert (kernel._slices.steps_per_call(kernel.recording) > m) == several


@pytest.mark.parametrize("rate, grows", [(50000.0, False), (2000.0, True)])
def test_engine_calls_follow_the_recorded_spikes(rate, grows, monkeypatch):
    """Calls shrink when recorders take many spikes (so that sorting them stays in cache)
    and grow while they take few; the spikes are the same either way."""
    from kernel.parallel import slices
    monkeypatch.setattr(slices, "SPIKES_PER_CALL", 2000)

    def spikes():
        fresh_kernel(1, 3)
        cells = nest.Create("iaf_psc_delta", 200, params=BRUNEL_PARAMS)
        nest.Connect(nest.Create("poisson_generator", params={"rate": rate}), cells,
                     syn_spec={"weight": 0.5, "delay": 1.5})
        recorder = nest.Create("spike_recorder")
        nest.Connect(cells, recorder)
        nest.Simulate(300.0)
        return recorder.events["senders"], recorder.events["times"], \
            get_kernel()._slices.spike_steps

    *adapted, steps = spikes()
    assert (steps > slices.FIRST_STEPS) == grows
    monkeypatch.setattr(slices, "SPIKES_PER_CALL", 10 ** 9)
    *whole, _ = spikes()
    assert whole[0].size > 100
    for a, b in zip(adapted, whole):
        np.testing.assert_array_equal(a, b)
