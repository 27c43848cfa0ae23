"""``import pyNN.neuropil`` gives this backend (skipped where the shim is not installed)."""
import numpy as np
import pytest


def test_pynn_neuropil_is_pynn_backend():
    try:
        import pyNN.neuropil as sim
    except ImportError:
        pytest.skip("the pyNN/neuropil shim is not installed in this environment")
    import pynn_backend
    if not hasattr(sim, "Population"):
        pytest.skip("an older pyNN/neuropil shim is installed")
    assert sim.Population is pynn_backend.Population
    import pyNN.neuropil.simulator
    assert pyNN.neuropil.simulator.state is pynn_backend.simulator.state


def test_pointneuron_composition():
    sim = pytest.importorskip("pynn_backend")
    if not hasattr(sim, "PointNeuron"):
        pytest.skip("no multisynapse model in this kernel")
    from pyNN.parameters import Sequence
    sim.setup(timestep=0.1, min_delay=1.0)
    cell = sim.PointNeuron(sim.AdExp(tau_m=10.0, v_rest=-60.0),
                           AMPA=sim.AlphaPSR(tau_syn=1.0, e_syn=0.0),
                           GABAA=sim.AlphaPSR(tau_syn=1.5, e_syn=-70.0))
    n = sim.Population(1, cell, initial_values={"v": -60.0})
    n.record(["v", "AMPA.gsyn", "GABAA.gsyn"])
    inputs = sim.Population(2, sim.SpikeSourceArray(spike_times=[Sequence([30.0]),
                                                                 Sequence([60.0])]))
    sim.Projection(inputs[0:1], n, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.01, delay=1.5), receptor_type="AMPA")
    sim.Projection(inputs[1:2], n, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.1, delay=1.5), receptor_type="GABAA")
    sim.run(100.0)
    seg = n.get_data().segments[0]
    peaks = {sig.name: float(sig.magnitude.max()) for sig in seg.analogsignals}
    assert peaks["AMPA.gsyn"] == pytest.approx(0.01, rel=1e-6)
    assert peaks["GABAA.gsyn"] == pytest.approx(0.1, rel=1e-6)
    assert n.get("GABAA.e_syn") == -70.0
    sim.end()


def test_assembly_of_monolithic_and_composed_cells():
    """One projection onto an Assembly whose cell types use different receptor ports: the
    monolithic IF_curr_exp and the composed equivalent respond identically."""
    sim = pytest.importorskip("pynn_backend")
    if not hasattr(sim, "PointNeuron"):
        pytest.skip("no multisynapse model in this kernel")
    sim.setup(timestep=0.1, min_delay=1.0)
    mono = sim.Population(1, sim.IF_curr_exp(tau_m=10.0, v_rest=-60.0, tau_syn_E=1.0,
                                             tau_syn_I=2.0), initial_values={"v": -60.0})
    composed = sim.Population(1, sim.PointNeuron(
        sim.LIF(tau_m=10.0, v_rest=-60.0),
        excitatory=sim.CurrExpPostSynapticResponse(tau_syn=1.0),
        inhibitory=sim.CurrExpPostSynapticResponse(tau_syn=2.0)), initial_values={"v": -60.0})
    cells = mono + composed
    cells.record("v")
    inputs = sim.Population(2, sim.SpikeSourceArray(spike_times=[[30.0], [60.0]]))
    sim.Projection(inputs[0:1], cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.5, delay=1.5), receptor_type="excitatory")
    sim.Projection(inputs[1:2], cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=-0.2, delay=1.5), receptor_type="inhibitory")
    sim.run(100.0)
    v_mono = mono.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    v_comp = composed.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    assert v_mono.max() > -59.8 and v_mono.min() < -60.01
    np.testing.assert_allclose(v_comp, v_mono, rtol=1e-12, atol=1e-9)
    sim.end()


def test_random_generators_do_not_load_mpi_outside_an_mpi_launch(tmp_path):
    """PyNN's NumpyRNG asks for the MPI rank; the backend answers with the kernel's
    processes, so a process no MPI launcher started does not load the MPI library (0.06 s,
    more than building a 2.5 M-connection network)."""
    import os
    import subprocess
    import sys
    script = ("import sys, pynn_backend as sim\n"
              "sim.setup()\n"
              "rng = sim.NumpyRNG(seed=1)\n"
              "sim.Projection(sim.Population(3, sim.IF_curr_exp()),\n"
              "               sim.Population(3, sim.IF_curr_exp()),\n"
              "               sim.FixedNumberPreConnector(2))\n"
              "print(rng.mpi_rank, rng.num_processes, 'mpi4py' in sys.modules)\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PMI_SIZE", "PMI_RANK", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK",
                        "MPI_LOCALNRANKS", "SLURM_PMIX_MAPPING_SERV", "NEUROPIL_MPI")}
    # (run elsewhere than the checkout: ``-c`` puts the working directory first on the path)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["0", "1", "False"]
