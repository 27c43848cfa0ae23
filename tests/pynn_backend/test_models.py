"""Standard cell types, synapse types and current sources of pyNN.neuropil (issue 5 list)."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

CELL_TYPES = ("IF_curr_alpha", "IF_curr_exp", "IF_curr_delta", "IF_cond_alpha", "IF_cond_exp",
              "IF_cond_exp_gsfa_grr", "EIF_cond_alpha_isfa_ista", "EIF_cond_exp_isfa_ista",
              "HH_cond_exp", "Izhikevich", "SpikeSourcePoisson", "SpikeSourceArray",
              "SpikeSourceGamma", "SpikeSourcePoissonRefractory")


@pytest.mark.parametrize("name", CELL_TYPES)
def test_cell_type_parameters_round_trip_and_run(sim, name):
    """Every standard cell type exists; its PyNN defaults survive the translation to kernel
    units and back; it runs and records what it declares recordable."""
    celltype = getattr(sim, name)()
    p = sim.Population(3, celltype)
    for param, default in celltype.default_parameters.items():
        got = p.get(param)
        if name == "SpikeSourceArray":
            assert len(got.value) == 0
        elif np.isinf(default):
            assert np.all(np.isinf(got))
        else:
            assert_allclose(got, default, rtol=1e-12, atol=1e-12, err_msg=param)
    p.record(celltype.recordable)
    sim.run(5.0)
    seg = p.get_data().segments[0]
    assert len(seg.spiketrains) == 3
    assert {sig.name for sig in seg.analogsignals} == set(celltype.recordable) - {"spikes"}
    for sig in seg.analogsignals:
        assert sig.shape == (51, 3)


def test_units_are_translated(sim):
    """PyNN units (nF, nA, uS) become the kernel's pF, pA, nS."""
    k = sim.simulator.state.kernel
    cond = sim.Population(1, sim.IF_cond_exp(cm=0.25, tau_m=10.0, i_offset=0.1))
    assert k.get_node_values(cond._ids, "C_m")[0] == pytest.approx(250.0)
    assert k.get_node_values(cond._ids, "g_L")[0] == pytest.approx(25.0)     # cm / tau_m
    assert k.get_node_values(cond._ids, "I_e")[0] == pytest.approx(100.0)
    eif = sim.Population(1, sim.EIF_cond_exp_isfa_ista(b=0.1))
    assert k.get_node_values(eif._ids, "b")[0] == pytest.approx(100.0)       # nA -> pA
    hh = sim.Population(1, sim.HH_cond_exp(gbar_Na=20.0))
    assert k.get_node_values(hh._ids, "g_Na")[0] == pytest.approx(20000.0)   # uS -> nS
    gamma = sim.Population(1, sim.SpikeSourceGamma(alpha=4, beta=200.0))
    assert k.get_node_values(gamma._source_ids, "rate")[0] == pytest.approx(50.0)


def test_spike_source_poisson_refractory(sim):
    """Rate and dead time of SpikeSourcePoissonRefractory (ppd_sup_generator underneath)."""
    src = sim.Population(20, sim.SpikeSourcePoissonRefractory(rate=80.0, tau_refrac=4.0))
    src.record("spikes")
    sim.run(2000.0)
    trains = src.get_data().segments[0].spiketrains
    isi = np.concatenate([np.diff(np.asarray(st)) for st in trains])
    assert isi.min() >= 4.0
    counts = np.array([len(st) for st in trains])
    # 160 expected per cell; sd of the mean over 20 cells ~ 1.5 (CV < 1)
    assert abs(counts.mean() - 160.0) < 10.0
    with pytest.raises(Exception, match="dead time"):
        sim.Population(1, sim.SpikeSourcePoissonRefractory(rate=300.0, tau_refrac=5.0))


def _pair_protocol(sim, synapse, n_pairs=20, lag=5.0):
    """A pre spike and a post spike `lag` ms later, n_pairs times; returns the final weight."""
    pre_times = 10.0 + 50.0 * np.arange(n_pairs)
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=pre_times))
    post_driver = sim.Population(1, sim.SpikeSourceArray(spike_times=pre_times + lag))
    post = sim.Population(1, sim.IF_curr_exp(tau_refrac=2.0))
    sim.Projection(post_driver, post, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=20.0, delay=1.0))
    prj = sim.Projection(pre, post, sim.OneToOneConnector(), synapse)
    sim.run(50.0 * n_pairs + 20.0)
    return prj


@pytest.mark.parametrize("dependence, kernel_mu", [
    ("AdditiveWeightDependence", (0.0, 0.0)),
    ("MultiplicativeWeightDependence", (1.0, 1.0)),
    ("AdditivePotentiationMultiplicativeDepression", (0.0, 1.0)),
    ("GutigWeightDependence", (0.3, 0.6)),
])
def test_stdp_weight_dependences(sim, dependence, kernel_mu):
    """STDPMechanism with SpikePairRule and each weight dependence: translated parameters
    (w_max nA -> Wmax pA, mu_plus / mu_minus) and potentiation by pre-before-post pairs."""
    kwargs = {"w_min": 0.0, "w_max": 0.05}
    if dependence == "GutigWeightDependence":
        kwargs.update(mu_plus=0.3, mu_minus=0.6)
    synapse = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.05,
                                            A_minus=0.05),
        weight_dependence=getattr(sim, dependence)(**kwargs), weight=0.01, delay=1.0)
    prj = _pair_protocol(sim, synapse)
    k = sim.simulator.state.kernel
    idx = np.arange(1)
    assert k.connections.read(prj.kernel_model, idx, "Wmax")[0] == pytest.approx(50.0)
    mu = (k.connections.read(prj.kernel_model, idx, "mu_plus")[0],
          k.connections.read(prj.kernel_model, idx, "mu_minus")[0])
    assert mu == pytest.approx(kernel_mu)
    w = prj.get("weight", format="array")[0, 0]
    assert 0.01 < w <= 0.05


def test_tsodyks_markram_depresses(sim):
    """TsodyksMarkramSynapse: with U = 0.5 and slow recovery, the second PSP of a pair is
    (1 - U) times the first; the parameters reach the kernel unchanged."""
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0, 60.0]))
    post = sim.Population(1, sim.IF_curr_exp(tau_m=1.0, tau_syn_E=0.1, v_thresh=1e3))
    prj = sim.Projection(pre, post, sim.OneToOneConnector(), sim.TsodyksMarkramSynapse(
        U=0.5, tau_rec=1e5, tau_facil=0.0, weight=1.0, delay=1.0))
    post.record("v")
    sim.run(80.0)
    assert prj.get("U", format="array")[0, 0] == pytest.approx(0.5)
    assert prj.get("tau_rec", format="array")[0, 0] == pytest.approx(1e5)
    v = post.get_data().segments[0].analogsignals[0].magnitude[:, 0] + 65.0
    first, second = v[100:300].max(), v[600:800].max()
    assert first > 0.01
    # 1 - U, plus the little recovery in 50 ms of tau_rec (through the active state)
    assert second / first == pytest.approx(0.5, rel=1e-3)
    assert second / first > 0.5


def test_vogels2011_rule(sim):
    """Vogels2011Rule: rho (Hz) becomes the kernel's alpha = 2 rho tau; an inhibitory
    synapse with activity grows."""
    pre = sim.Population(1, sim.SpikeSourcePoisson(rate=100.0))
    post = sim.Population(1, sim.IF_cond_exp(i_offset=1.0))
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.STDPMechanism(
        timing_dependence=sim.Vogels2011Rule(tau=20.0, eta=1e-3, rho=3.0),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=1.0),
        weight=0.01, delay=1.0), receptor_type="inhibitory")
    k = sim.simulator.state.kernel
    assert k.connections.read(prj.kernel_model, np.arange(1), "alpha")[0] == \
        pytest.approx(2 * 3.0 * 20.0 * 1e-3)
    # inhibitory conductances are negative kernel weights: the bound follows the sign
    assert k.connections.read(prj.kernel_model, np.arange(1), "Wmax")[0] == pytest.approx(-1e3)
    assert prj.get("w_max", format="array")[0, 0] == pytest.approx(1.0)
    sim.run(500.0)
    assert prj.get("weight", format="array")[0, 0] > 0.01


def _v(sim, source, duration=60.0):
    p = sim.Population(1, sim.IF_curr_exp(v_thresh=1e3, tau_m=20.0, cm=1.0))
    p.inject(source)
    p.record("v")
    sim.run(duration)
    return p.get_data().segments[0].analogsignals[0].magnitude[:, 0]


def test_step_current_source(sim):
    """StepCurrentSource: V follows the RC response to each step (R = tau_m / cm = 20 MOhm)."""
    v = _v(sim, sim.StepCurrentSource(times=[10.0, 30.0], amplitudes=[0.5, 0.0]))
    t = np.arange(v.size) * 0.1
    on = (t > 10.05) & (t <= 30.0)
    expected = -65.0 + 10.0 * (1.0 - np.exp(-(t[on] - 10.0) / 20.0))
    assert np.all(v[t <= 10.0] == -65.0)
    assert_allclose(v[on], expected, rtol=1e-9)


def test_ac_source(sim):
    """ACSource: kernel parameters in pA / degrees, and a zero-mean oscillation of V."""
    source = sim.ACSource(amplitude=0.5, offset=0.1, frequency=50.0, phase=90.0, start=0.0,
                          stop=1000.0)
    v = _v(sim, source, duration=400.0)
    k = sim.simulator.state.kernel
    assert k.get_node_values([source._node], "amplitude")[0] == pytest.approx(500.0)
    assert k.get_node_values([source._node], "offset")[0] == pytest.approx(100.0)
    late = v[2000:]                      # after 200 ms the offset's RC transient is gone
    assert late.mean() == pytest.approx(-65.0 + 2.0, abs=0.1)     # offset 0.1 nA x 20 MOhm
    assert late.max() - late.min() > 1.0


def test_noisy_current_source(sim):
    """NoisyCurrentSource: V fluctuates around E_L + R mean."""
    v = _v(sim, sim.NoisyCurrentSource(mean=0.2, stdev=0.5, dt=1.0, start=0.0, stop=600.0),
           duration=600.0)
    late = v[1000:]
    assert late.mean() == pytest.approx(-65.0 + 4.0, abs=1.0)
    assert late.std() > 0.1


def test_projection_initialize_native_synapse_state(sim):
    """Projection.initialize sets a kernel synapse state variable by its native name, as
    pyNN.nest does (quantal_stp_synapse: available release sites ``a``, ``u``)."""
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    post = sim.Population(4, sim.IF_cond_exp())
    synapse = sim.MultiQuantalSynapse(U=0.3, n=5, tau_rec=100.0, weight=0.01)
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), synapse,
                         receptor_type="inhibitory")
    prj.initialize(a=synapse.parameter_space["n"], u=0.7)
    k = sim.simulator.state.kernel
    positions = np.arange(4)
    assert_allclose(k.connections.read(prj.kernel_model, positions, "a"), 5)
    assert_allclose(k.connections.read(prj.kernel_model, positions, "u"), 0.7)
    prj.initialize(a=sim.RandomDistribution("uniform_int", low=1, high=4, rng=sim.NumpyRNG(2)))
    a = k.connections.read(prj.kernel_model, positions, "a")
    assert np.all((a >= 1) & (a < 4))
    with pytest.raises(Exception):
        prj.initialize(nonsense=1.0)
