"""izhikevich: NEST's two fixed-step schemes, reset, V_min, no parameter checks.

The traces against NEST (both schemes, bit for bit) are in
tests/nest_compat/test_neuron_reference.py; here a few steps are recomputed by hand.
"""
import numpy as np
import pytest

import nest

H = 0.1


def _reference(v, u, steps, a=0.02, b=0.2, I_e=0.0, spikes=None, consistent=True):
    """The schemes written out in Python (spikes: step index -> summed weight)."""
    spikes = spikes or {}
    out = []
    for k in range(steps):
        s = spikes.get(k, 0.0)
        if consistent:
            v, u = v + (H * (0.04 * v * v + 5.0 * v + 140.0 - u + 0.0 + I_e) + s), \
                u + H * a * (b * v - u)
        else:
            for _ in range(2):
                v = v + H / 2 * (0.04 * v * v + 5.0 * v + 140.0 - u + (0.0 + I_e) + s)
            u = u + H * a * (b * v - u)
        out.append((v, u))
    return out


@pytest.mark.parametrize("consistent", [True, False])
def test_steps_by_hand(consistent):
    n = nest.Create("izhikevich", params={"I_e": 4.0, "consistent_integration": consistent})
    sg = nest.Create("spike_generator", params={"spike_times": [0.5]})
    nest.Connect(sg, n, syn_spec={"weight": 3.0, "delay": 1.0})
    mm = nest.Create("multimeter", params={"record_from": ["V_m", "U_m"], "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(3.0)
    # the spike is stamped 0.5 and arrives with the step ending at 1.5 (index 14)
    ref = _reference(-65.0, -13.0, 29, I_e=4.0, spikes={14: 3.0}, consistent=consistent)
    np.testing.assert_array_equal(mm.events["V_m"], [r[0] for r in ref])
    np.testing.assert_array_equal(mm.events["U_m"], [r[1] for r in ref])


def test_reset_and_v_min():
    n = nest.Create("izhikevich", params={"V_m": 29.9, "U_m": 0.0, "c": -50.0, "d": 2.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    nest.Simulate(0.1)
    assert sr.events["times"].tolist() == [0.1]
    assert n.V_m == -50.0
    v, u = 29.9, 0.0
    assert n.U_m == pytest.approx(u + H * 0.02 * (0.2 * v - u) + 2.0, abs=1e-15)
    low = nest.Create("izhikevich", params={"V_min": -66.0})
    sg = nest.Create("spike_generator", params={"spike_times": [0.2]})
    nest.Connect(sg, low, syn_spec={"weight": -50.0, "delay": 0.1})
    nest.Simulate(0.3)
    assert low.V_m == -66.0


def test_no_parameter_checks_and_receptors():
    n = nest.Create("izhikevich")
    n.set(a=-1.0, b=0.0, c=100.0, d=-5.0, V_th=-100.0, V_min=0.0)
    with pytest.raises(nest.NESTErrors.TypeMismatch):
        n.set(consistent_integration=1)
    sg = nest.Create("spike_generator")
    with pytest.raises(nest.NESTErrors.UnknownReceptorType):
        nest.Connect(sg, n, syn_spec={"receptor_type": 1})
    assert nest.GetDefaults("izhikevich")["recordables"] == ["U_m", "V_m"]


def test_dc_current_enters_next_step():
    n = nest.Create("izhikevich")
    dc = nest.Create("dc_generator", params={"amplitude": 10.0})
    nest.Connect(dc, n, syn_spec={"delay": 0.1})
    mm = nest.Create("multimeter", params={"record_from": ["V_m", "U_m"], "interval": 0.1})
    nest.Connect(mm, n, syn_spec={"delay": 0.1})
    nest.Simulate(1.0)
    v, u, out = -65.0, -13.0, []
    for k in range(9):
        i = 10.0 if k >= 2 else 0.0         # NEST: first acts in the step ending at 0.3 ms
        v, u = v + (H * (0.04 * v * v + 5.0 * v + 140.0 - u + i + 0.0) + 0.0), \
            u + H * 0.02 * (0.2 * v - u)
        out.append(v)
    np.testing.assert_array_equal(mm.events["V_m"], out)
