"""PyNEST tutorial, part 1: one neuron with Poisson noise (runs unmodified on NEST).

Two Poisson generators (80 kHz excitatory, 15 kHz inhibitory) drive one neuron with no
constant current.
"""
import matplotlib.pyplot as plt

import nest

neuron = nest.Create("iaf_psc_alpha")
multimeter = nest.Create("multimeter")
multimeter.set(record_from=["V_m"])
spikerecorder = nest.Create("spike_recorder")

noise_ex = nest.Create("poisson_generator")
noise_in = nest.Create("poisson_generator")
noise_ex.set(rate=80000.0)
noise_in.set(rate=15000.0)
neuron.set(I_e=0.0)

syn_dict_ex = {"weight": 1.2}
syn_dict_in = {"weight": -2.0}
nest.Connect(noise_ex, neuron, syn_spec=syn_dict_ex)
nest.Connect(noise_in, neuron, syn_spec=syn_dict_in)
nest.Connect(multimeter, neuron)
nest.Connect(neuron, spikerecorder)

nest.Simulate(1000.0)

dmm = multimeter.get()
plt.figure(1)
plt.plot(dmm["events"]["times"], dmm["events"]["V_m"])
dSD = spikerecorder.get("events")
plt.figure(2)
plt.plot(dSD["times"], dSD["senders"], ".")
plt.show()
print(f"{len(dSD['times'])} spikes in 1 s")
