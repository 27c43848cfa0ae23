"""PyNEST tutorial, part 1: two neurons recorded by one multimeter (runs unmodified on NEST).

The multimeter's events interleave both neurons; they are split with a stride of 2.
"""
import matplotlib.pyplot as plt

import nest

neuron = nest.Create("iaf_psc_alpha")
neuron.I_e = 376.0
neuron2 = nest.Create("iaf_psc_alpha")
neuron2.set({"I_e": 370.0})

multimeter = nest.Create("multimeter")
multimeter.set(record_from=["V_m"])
spikerecorder = nest.Create("spike_recorder")

nest.Connect(multimeter, neuron)
nest.Connect(multimeter, neuron2)
nest.Connect(neuron, spikerecorder)
nest.Connect(neuron2, spikerecorder)

nest.Simulate(1000.0)

dmm = multimeter.get()
plt.figure(1)
Vms1 = dmm["events"]["V_m"][::2]
ts1 = dmm["events"]["times"][::2]
plt.plot(ts1, Vms1)
Vms2 = dmm["events"]["V_m"][1::2]
ts2 = dmm["events"]["times"][1::2]
plt.plot(ts2, Vms2)
plt.show()
print(f"{len(spikerecorder.get('events')['times'])} spikes from two neurons")
