"""PyNEST tutorial, part 1: one neuron driven by a constant current (runs unmodified on NEST).

The neuron receives I_e = 376 pA and fires regularly; a multimeter records its membrane
potential and a spike recorder its spikes.
"""
import matplotlib.pyplot as plt

import nest

neuron = nest.Create("iaf_psc_alpha")
neuron.get(["V_reset", "V_th"])
neuron.set({"I_e": 376.0})
neuron.I_e = 376.0

multimeter = nest.Create("multimeter")
multimeter.set(record_from=["V_m"])
spikerecorder = nest.Create("spike_recorder")

nest.Connect(multimeter, neuron)
nest.Connect(neuron, spikerecorder)

nest.Simulate(1000.0)

dmm = multimeter.get()
Vms = dmm["events"]["V_m"]
ts = dmm["events"]["times"]
plt.figure(1)
plt.plot(ts, Vms)

dSD = spikerecorder.get("events")
evs = dSD["senders"]
ts = dSD["times"]
plt.figure(2)
plt.plot(ts, evs, ".")
plt.show()
print(f"{len(ts)} spikes, first at {ts[0]} ms")
