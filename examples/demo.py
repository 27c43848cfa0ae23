"""Neuropil demo: a random balanced network through ``import nest``, with a raster plot.

800 excitatory and 200 inhibitory neurons driven by Poisson noise, as in the classic
Brunel network; writes raster.png next to this script.
"""
import os
import time

import nest

nest.ResetKernel()
nest.set(resolution=0.1, rng_seed=12345)

n_exc, n_inh = 800, 200
neurons = nest.Create("iaf_psc_alpha", n_exc + n_inh, params={"I_e": 0.0})
exc, inh = neurons[:n_exc], neurons[n_exc:]
noise = nest.Create("poisson_generator", params={"rate": 9000.0})
spikes = nest.Create("spike_recorder")

nest.Connect(noise, neurons, syn_spec={"weight": 87.8, "delay": 1.5})
nest.Connect(exc, neurons, "all_to_all", syn_spec={"weight": 0.1 * 87.8 / 8, "delay": 1.5})
nest.Connect(inh, neurons, "all_to_all", syn_spec={"weight": -0.1 * 5 * 87.8 / 2, "delay": 1.5})
nest.Connect(neurons[:100], spikes)

start = time.perf_counter()
nest.Simulate(500.0)
elapsed = time.perf_counter() - start

events = spikes.get("events")
rate = len(events["times"]) / 100 / 0.5
print(f"import nest: {nest.network_size} nodes, {nest.num_connections} connections, "
      f"mean rate {rate:.1f} spikes/s, simulated 500 ms in {elapsed:.2f} s")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except Exception as error:  # plotting is optional
    print(f"no raster plot: matplotlib unavailable ({error})")
else:
    plt.figure(figsize=(8, 4))
    plt.plot(events["times"], events["senders"], ".", markersize=2)
    plt.xlabel("time (ms)")
    plt.ylabel("neuron id")
    plt.title("Neuropil: 1000 iaf_psc_alpha neurons, first 100 shown")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "raster.png")
    plt.savefig(out, dpi=100)
    print(f"raster plot written to {out}")

# The same kind of network through PyNN, on the same kernel: `import pyNN.neuropil as sim`.
import pyNN.neuropil as sim  # noqa: E402

sim.setup(timestep=0.1, min_delay=1.5)
cells = sim.Population(1000, sim.IF_curr_alpha(tau_m=20.0, cm=0.25, tau_syn_E=0.5,
                                               tau_syn_I=0.5, v_rest=-70.0, v_reset=-70.0,
                                               v_thresh=-55.0, tau_refrac=2.0), label="cells")
exc_cells, inh_cells = cells[:800], cells[800:]
drive = sim.Population(1000, sim.SpikeSourcePoisson(rate=9000.0), label="drive")
sim.Projection(drive, cells, sim.OneToOneConnector(),
               sim.StaticSynapse(weight=0.0878, delay=1.5), receptor_type="excitatory")
sim.Projection(exc_cells, cells, sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(1)),
               sim.StaticSynapse(weight=0.0878, delay=1.5), receptor_type="excitatory")
sim.Projection(inh_cells, cells, sim.FixedProbabilityConnector(0.1, rng=sim.NumpyRNG(2)),
               sim.StaticSynapse(weight=-0.439, delay=1.5), receptor_type="inhibitory")
cells[:100].record(["spikes", "v"])
start = time.perf_counter()
sim.run(500.0)
elapsed = time.perf_counter() - start
block = cells[:100].get_data()
trains = block.segments[0].spiketrains
n_spikes = sum(len(st) for st in trains)
print(f"import pyNN.neuropil: {cells.size} cells, "
      f"{sum(len(p) for p in sim.simulator.state.projections)} connections, mean rate "
      f"{n_spikes / len(trains) / 0.5:.1f} spikes/s, simulated 500 ms in {elapsed:.2f} s; "
      f"Neo block: {len(trains)} spike trains, v signal {block.segments[0].analogsignals[0].shape}")
sim.end()
