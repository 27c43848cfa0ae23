"""Single-neuron responses of iaf_psc_delta / iaf_psc_alpha / iaf_psc_exp against closed forms,
through ``import nest``.

The models integrate their linear subthreshold dynamics exactly, so on the grid the samples must
equal the analytic solution to rounding (here 1e-11 relative, 1e-10 mV), given NEST's timing
conventions (docs/nest_semantics.md sections 5 and 6):

* I_e acts from the first step: the sample at t = k h is V(k h) of the continuous solution;
* a dc_generator (start S, stop E, delay d) drives the steps that end in (S + d, E + d];
* a spike sent at t_s with delay d arrives at T = t_s + d: iaf_psc_delta jumps in the sample at T,
  iaf_psc_exp's current is W at T (V moves from T + h on), iaf_psc_alpha's current starts at T;
* a spike is stamped with the end t of the step in which V_m >= V_th; V_m shows V_reset in the
  samples t ... t + t_ref and evolves freely again from t + t_ref + h.

Parameters differ from the defaults (E_L, C_m, tau_m, ...) so that hard-coded defaults show.
"""
import math

import numpy as np
import pytest
from scipy.optimize import brentq

import nest

MODELS = ["iaf_psc_delta", "iaf_psc_alpha", "iaf_psc_exp"]
RTOL, ATOL = 1e-11, 1e-10


def run(model, params, t_sim, record=("V_m",), spikes=(), dc=None, resolution=0.1):
    """One neuron, a multimeter at every step, a spike recorder; optional inputs.

    spikes: list of (times, weight, delay) for spike_generators; dc: dict for a dc_generator
    plus "delay". Returns ({name: array indexed by step (NaN where not sampled)}, spike steps).
    """
    nest.resolution = resolution
    neuron = nest.Create(model, params=params)
    mm = nest.Create("multimeter", params={"interval": resolution, "record_from": list(record)})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm, neuron)
    nest.Connect(neuron, sr)
    for times, weight, delay in spikes:
        sg = nest.Create("spike_generator", params={"spike_times": list(times)})
        nest.Connect(sg, neuron, syn_spec={"weight": weight, "delay": delay})
    if dc is not None:
        dc = dict(dc)
        delay = dc.pop("delay")
        gen = nest.Create("dc_generator", params=dc)
        nest.Connect(gen, neuron, syn_spec={"delay": delay})
    nest.Simulate(t_sim)
    ev = mm.get("events")
    steps = np.rint(np.asarray(ev["times"]) / resolution).astype(np.int64)
    n = int(round(t_sim / resolution)) + 1
    out = {}
    for name in record:
        series = np.full(n, np.nan)
        series[steps] = ev[name]
        out[name] = series
    spike_steps = np.rint(np.asarray(sr.get("events")["times"]) / resolution).astype(np.int64)
    return out, spike_steps, np.asarray(sr.get("events")["times"])


def close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)


BASE = {"E_L": -65.0, "V_m": -65.0, "V_reset": -65.0, "V_th": -50.0, "C_m": 120.0,
        "tau_m": 15.0, "t_ref": 2.0}


def params_for(model, **extra):
    p = dict(BASE)
    if model != "iaf_psc_delta":
        p.update(tau_syn_ex=1.5, tau_syn_in=4.0)
    p.update(extra)
    return p


# -- subthreshold response to a constant current ------------------------------------------------
@pytest.mark.parametrize("model", MODELS)
def test_constant_current_charges_the_membrane(model):
    """I_e = I: V(t) = E_L + I R (1 - exp(-t / tau_m)), R = tau_m / C, sampled at t = k h
    from the first step on (the sample at 0.1 ms already differs)."""
    i_e = 90.0                                   # I R = 11.25 mV < V_th - E_L = 15 mV
    p = params_for(model, I_e=i_e)
    v, spikes, _ = run(model, p, 150.0)
    assert spikes.size == 0
    k = np.arange(1, 1491)
    t = k * 0.1
    r = p["tau_m"] / p["C_m"]
    close(v["V_m"][k], p["E_L"] + i_e * r * (1.0 - np.exp(-t / p["tau_m"])))


@pytest.mark.parametrize("model", MODELS)
def test_dc_generator_onset_and_offset(model):
    """dc_generator start S = 20, stop E = 50, delay d = 1.5: the current drives the steps that
    end in (21.5, 51.5]; after that V relaxes with tau_m."""
    amp, start, stop, d = 100.0, 20.0, 50.0, 1.5
    p = params_for(model)
    v, spikes, _ = run(model, p, 100.0, dc={"amplitude": amp, "start": start, "stop": stop,
                                              "delay": d})
    assert spikes.size == 0
    r, tau, e_l = p["tau_m"] / p["C_m"], p["tau_m"], p["E_L"]
    k = np.arange(1, 991)
    t = k * 0.1
    on, off = start + d, stop + d                # 21.5, 51.5
    k_on, k_off = 215, 515
    expected = np.full(k.size, e_l)
    drive = (k > k_on) & (k <= k_off)
    expected[drive] = e_l + amp * r * (1.0 - np.exp(-(t[drive] - on) / tau))
    v_off = e_l + amp * r * (1.0 - math.exp(-(off - on) / tau))
    after = k > k_off
    expected[after] = e_l + (v_off - e_l) * np.exp(-(t[after] - off) / tau)
    close(v["V_m"][k], expected)
    assert v["V_m"][k_on] == e_l and v["V_m"][k_on + 1] > e_l     # first change at 21.6


# -- spiking under a constant current --------------------------------------------------------------
def time_to_threshold(v0, p, i_e):
    """Continuous time for V to go from v0 to V_th under I_e (V relative to E_L)."""
    r = p["tau_m"] / p["C_m"]
    return -p["tau_m"] * math.log((p["V_th"] - p["E_L"] - i_e * r) / (v0 - p["E_L"] - i_e * r))


def ceil_steps(t, h=0.1):
    steps = t / h
    assert abs(steps - round(steps)) > 1e-6, "pick a current whose crossing is not on the grid"
    return math.ceil(steps)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("i_e", [376.0, 400.0, 1000.0, 2500.0])
def test_first_spike_time_under_constant_current(model, i_e):
    """NEST defaults (E_L -70, V_th -55, C_m 250, tau_m 10): t* = -tau_m ln(1 - 15 C/(tau_m I)),
    stamped at the end of the step that crosses: ceil(t*/h) h. 376 pA gives 59.3 ms (tutorial).
    Subsequent spikes: t_ref of clamp, then the same climb from V_reset = E_L."""
    p = {"E_L": -70.0, "V_th": -55.0, "C_m": 250.0, "tau_m": 10.0, "V_reset": -70.0,
         "t_ref": 2.0, "I_e": i_e}
    _, spikes, times = run(model, p, 300.0)
    k1 = ceil_steps(time_to_threshold(-70.0, p, i_e))
    period = 20 + k1
    expected = np.arange(k1, 3001, period)           # every predicted stamp up to 300 ms
    assert spikes.tolist() == expected.tolist()
    assert times.tolist() == [(s * 100) * 0.001 for s in expected]      # NEST's floats
    if i_e == 376.0:
        assert times[0] == 59.300000000000004 and times[1] == 120.60000000000001


@pytest.mark.parametrize("model", MODELS)
def test_interspike_interval_from_a_reset_below_rest(model):
    """V_reset = -72 < E_L: after the first spike the climb starts from V_reset."""
    i_e = 200.0
    p = params_for(model, I_e=i_e, V_reset=-72.0, t_ref=1.3)
    _, spikes, _ = run(model, p, 200.0)
    k1 = ceil_steps(time_to_threshold(p["V_m"], p, i_e))
    k2 = ceil_steps(time_to_threshold(p["V_reset"], p, i_e))
    assert spikes.size >= 3
    assert spikes[0] == k1
    assert np.all(np.diff(spikes) == 13 + k2)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("t_ref", [0.0, 0.5, 2.0, 3.7])
def test_refractory_clamp(model, t_ref):
    """V_m = V_reset exactly in the samples t_sp ... t_sp + t_ref, then free evolution from
    V_reset: V(t_sp + t_ref + h) = E_L + (V_reset - E_L) e^(-h/tau) + I R (1 - e^(-h/tau))."""
    i_e = 400.0
    p = params_for(model, I_e=i_e, V_reset=-71.0, t_ref=t_ref)
    v, spikes, _ = run(model, p, 60.0)
    assert spikes.size >= 1
    k_sp, k_ref = spikes[0], int(round(t_ref / 0.1))
    vm = v["V_m"]
    assert vm[k_sp - 1] < p["V_th"]
    assert np.all(vm[k_sp:k_sp + k_ref + 1] == p["V_reset"])
    r, tau, e_l, h = p["tau_m"] / p["C_m"], p["tau_m"], p["E_L"], 0.1
    free = e_l + (p["V_reset"] - e_l) * math.exp(-h / tau) + i_e * r * (1 - math.exp(-h / tau))
    close(vm[k_sp + k_ref + 1], free)
    # and the whole climb to the next spike follows the closed form from V_reset
    if spikes.size >= 2:
        k = np.arange(k_sp + k_ref + 1, spikes[1])
        s = (k - k_sp - k_ref) * h
        close(vm[k], e_l + i_e * r + (p["V_reset"] - e_l - i_e * r) * np.exp(-s / tau))


# -- responses to one input spike ------------------------------------------------------------------
def alpha_psp(t, w, tau_s, tau_m, c_m):
    """V - E_L after an alpha current I(t) = w (t/tau_s) e^(1 - t/tau_s) starting at t = 0."""
    t = np.asarray(t, dtype=float)
    a = 1.0 / tau_s - 1.0 / tau_m
    scale = w * math.e / (tau_s * c_m) * np.exp(-t / tau_m)
    if a == 0.0:
        return scale * t * t / 2.0
    return scale * (1.0 - np.exp(-a * t) * (1.0 + a * t)) / (a * a)


def alpha_psp_peak(w, tau_s, tau_m, c_m):
    """(t_peak, peak): V' = 0 where t e^(-a t) = g(t) / tau_m, g the bracket of alpha_psp."""
    a = 1.0 / tau_s - 1.0 / tau_m

    def dv(t):
        g = t * t / 2.0 if a == 0.0 else (1.0 - math.exp(-a * t) * (1.0 + a * t)) / (a * a)
        return t * math.exp(-a * t) - g / tau_m

    t_peak = brentq(dv, 1e-6, 20.0 * max(tau_s, tau_m), xtol=1e-14)
    return t_peak, float(alpha_psp(t_peak, w, tau_s, tau_m, c_m))


@pytest.mark.parametrize("w, tau_s, tau_m, c_m", [
    (100.0, 2.0, 10.0, 250.0),       # NEST defaults
    (-80.0, 4.0, 15.0, 120.0),       # inhibitory: tau_syn_in
    (50.0, 10.0, 10.0, 250.0),       # tau_syn == tau_m
    (50.0, 0.3, 25.0, 60.0),
])
def test_alpha_psp_and_its_peak(w, tau_s, tau_m, c_m):
    side = "ex" if w > 0 else "in"
    other = "in" if side == "ex" else "ex"
    p = {"E_L": -70.0, "V_m": -70.0, "V_th": 1000.0, "tau_m": tau_m, "C_m": c_m,
         f"tau_syn_{side}": tau_s, f"tau_syn_{other}": 7.0}
    v, _, _ = run("iaf_psc_alpha", p, 120.0, record=("V_m", f"I_syn_{side}"),
                  spikes=[([10.0], w, 1.0)])
    arrival = 110                                          # 10.0 + 1.0 ms
    k = np.arange(1, 1191)
    s = np.clip(k - arrival, 0, None) * 0.1
    close(v["V_m"][k], -70.0 + alpha_psp(s, w, tau_s, tau_m, c_m))
    # the current: w (s/tau) e^(1 - s/tau), zero up to and including the arrival sample
    np.testing.assert_allclose(v[f"I_syn_{side}"][k], w * s / tau_s * np.exp(1.0 - s / tau_s),
                               rtol=RTOL, atol=1e-12)
    # peak of the PSP: continuous closed form vs the sampled trace
    t_peak, peak = alpha_psp_peak(w, tau_s, tau_m, c_m)
    dv = v["V_m"][k] + 70.0
    k_max = int(np.argmax(np.abs(dv)))
    assert abs((k[k_max] - arrival) * 0.1 - t_peak) <= 0.1
    assert abs(dv[k_max]) <= abs(peak) * (1 + 1e-12)
    assert abs(dv[k_max] - peak) < 1e-3 * abs(peak)      # within the grid's reach of the peak
    if tau_s / 0.1 == round(tau_s / 0.1):
        # the PSC peaks at exactly w at s = tau_syn
        assert v[f"I_syn_{side}"][arrival + int(round(tau_s / 0.1))] == pytest.approx(w, rel=1e-12)


@pytest.mark.parametrize("w", [8.0, -3.5, 0.25])
def test_delta_jump_equals_the_weight(w):
    """The sample at the arrival time already includes the jump of exactly w mV; then
    V - E_L = w e^(-s / tau_m)."""
    p = {"E_L": -65.0, "V_m": -65.0, "V_th": -50.0, "tau_m": 12.0, "C_m": 99.0}
    v, spikes, _ = run("iaf_psc_delta", p, 60.0, spikes=[([10.0], w, 1.0)])
    assert spikes.size == 0
    vm = v["V_m"]
    assert np.all(vm[1:110] == -65.0)
    assert vm[110] - (-65.0) == pytest.approx(w, rel=1e-13)
    k = np.arange(110, 591)
    close(vm[k], -65.0 + w * np.exp(-(k - 110) * 0.1 / 12.0))


def test_delta_jumps_of_simultaneous_spikes_add():
    p = {"E_L": -70.0, "V_m": -70.0, "V_th": -55.0}
    v, spikes, _ = run("iaf_psc_delta", p, 20.0, spikes=[([5.0], 4.0, 2.0), ([5.0], 6.5, 2.0),
                                                         ([6.0], -2.0, 1.0)])
    assert spikes.size == 0
    assert v["V_m"][70] == pytest.approx(-70.0 + 4.0 + 6.5 - 2.0, abs=1e-12)


@pytest.mark.parametrize("w, side, tau_s", [(500.0, "ex", 1.5), (-700.0, "in", 4.0),
                                             (300.0, "ex", 15.0)])
def test_exp_synaptic_current_decay(w, side, tau_s):
    """iaf_psc_exp: I_syn = w at the arrival sample, then w e^(-s/tau_syn); V moves from the
    next step: V - E_L = w/C (e^(-s/tau_s) - e^(-s/tau_m)) / (1/tau_m - 1/tau_s), and for
    tau_s == tau_m the limit w/C s e^(-s/tau)."""
    p = params_for("iaf_psc_exp", **{f"tau_syn_{side}": tau_s, "V_th": 1000.0})
    v, _, _ = run("iaf_psc_exp", p, 80.0, record=sorted({"V_m", f"I_syn_{side}", "I_syn_ex"}),
                  spikes=[([10.0], w, 1.0)])
    arrival = 110
    current = v[f"I_syn_{side}"]
    assert np.all(current[1:arrival] == 0.0)
    assert current[arrival] == w
    k = np.arange(arrival, 791)
    s = (k - arrival) * 0.1
    np.testing.assert_allclose(current[k], w * np.exp(-s / tau_s), rtol=RTOL, atol=0)
    if side == "in":
        assert np.all(v["I_syn_ex"][1:791] == 0.0)
    tau_m, c_m, e_l = p["tau_m"], p["C_m"], p["E_L"]
    assert v["V_m"][arrival] == e_l
    if tau_s == tau_m:
        expected = w / c_m * s * np.exp(-s / tau_m)
    else:
        expected = w / c_m * (np.exp(-s / tau_s) - np.exp(-s / tau_m)) / (1 / tau_m - 1 / tau_s)
    close(v["V_m"][k], e_l + expected)
