"""Spikes of multiplicity > 1 through static and plastic synapses: the networks shared by
tests/data/generate_reference_multiplicity.py (run with the real NEST 3.10) and
tests/nest_compat/test_multiplicity.py (run with our ``nest``).

NEST delivers a neuron's spike of multiplicity m (a parrot repeating m coincident input
spikes) as m single spikes, but a device's (spike_generator) as one event whose weight is
multiplied by m. Sums of floating-point weights depend on that order in the last bit, so the
potentials are compared exactly.
"""

WEIGHTS = [0.1, 0.7, 0.3, -0.45, 0.7]       # multapses of one source onto one target

# The target is iaf_psc_delta with a membrane time constant so long that V_m is the sum of the
# inputs as they were added (to the last bit: the decay factor is 1 - 1e-10, no more).
CASES = {
    # name: (source, synapse model, homogeneous weight or None, threads)
    "parrot_static": ("parrot", "static_synapse", None, 1),
    "parrot_static_2_threads": ("parrot", "static_synapse", None, 2),
    "parrot_homogeneous": ("parrot", "static_synapse", 0.7, 1),
    "parrot_homogeneous_2_threads": ("parrot", "static_synapse", 0.7, 2),
    "parrot_stdp": ("parrot", "stdp_synapse", None, 1),
    "generator_static": ("generator", "static_synapse", None, 1),
    "generator_homogeneous": ("generator", "static_synapse", 0.7, 1),
    # a static synapse with a weight recorder: NEST records a neuron's m events, a device's none
    "parrot_recorded": ("parrot", "recorded", None, 1),
    "generator_recorded": ("generator", "recorded", None, 1),
}

SPIKES = {"spike_times": [2.0, 3.0, 3.5, 6.0], "spike_multiplicities": [3, 2, 1, 5]}


def run(nest, name):
    """V_m of the target every 0.1 ms for 12 ms (a list of floats), and the number of events
    of the weight recorder (None without one)."""
    source, synapse, homogeneous, threads = CASES[name]
    nest.ResetKernel()
    nest.local_num_threads = threads
    recorder = None
    if synapse == "recorded":
        recorder = nest.Create("weight_recorder")
        nest.CopyModel("static_synapse", "recorded", {"weight_recorder": recorder})
    generator = nest.Create("spike_generator", params=SPIKES)
    target = nest.Create("iaf_psc_delta", params={"V_th": 1e9, "E_L": 0.0, "V_m": 0.0,
                                                  "V_reset": 0.0, "tau_m": 1e9})
    sender = generator
    if source == "parrot":
        sender = nest.Create("parrot_neuron")
        nest.Connect(generator, sender)
    for w in WEIGHTS if homogeneous is None else [homogeneous] * len(WEIGHTS):
        nest.Connect(sender, target, syn_spec={"synapse_model": synapse, "weight": w,
                                               "delay": 1.0})
    voltmeter = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(voltmeter, target)
    nest.Simulate(12.0)
    return ([float(v) for v in voltmeter.get("events")["V_m"]],
            None if recorder is None else int(recorder.n_events))
