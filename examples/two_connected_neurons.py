"""PyNEST tutorial, part 1: two connected neurons (runs unmodified on NEST).

neuron1 fires regularly; each of its spikes evokes a postsynaptic potential in neuron2
after the default delay of 1 ms.
"""
import matplotlib.pyplot as plt

import nest

neuron1 = nest.Create("iaf_psc_alpha")
neuron1.set(I_e=376.0)
neuron2 = nest.Create("iaf_psc_alpha")
multimeter = nest.Create("multimeter")
multimeter.set(record_from=["V_m"])

nest.Connect(neuron1, neuron2, syn_spec={"weight": 20.0})
nest.Connect(multimeter, neuron2)

nest.Simulate(1000.0)

dmm = multimeter.get()
plt.plot(dmm["events"]["times"], dmm["events"]["V_m"])
plt.show()
print(f"peak V_m of neuron2: {dmm['events']['V_m'].max():.3f} mV")
