"""Networks run under ``mpiexec -n K`` by test_mpi.py; rank 0 writes what all ranks saw as JSON.

usage: python brunel_mpi.py CASE OUT.json [--order N] [--simtime T] [--threads T]

CASE is ``brunel`` (a small Brunel network with every connection rule, Parameter-valued
delays and weights, Poisson and DC generators, a spike recorder and a multimeter),
``plastic`` (stdp, stdp_dopamine with a volume_transmitter, tsodyks2 synapses), ``local``
(what a rank holds: node state, proxies, recorders without local targets), ``tiny``
(two neurons, fewer than processes), ``error`` (a rank-local solver failure during the run),
``uncaught`` (a Python error on one rank that the script does not catch), ``rules`` (every
connection rule with Parameter values, and SynapseCollection.set with a Parameter),
``pynn_rules`` (PyNN's connectors with random and fixed synapse values), ``spatial_error``
(a spatial Connect failing for some ranks' targets only), ``disconnect``
or ``pynn`` (the Brunel network with PyNN, gathered with get_data / Projection.get).
"""
import json
import resource
import sys

import numpy as np


def options(argv):
    opts = {"order": 50, "simtime": 200.0, "threads": 1}
    for name in opts:
        if f"--{name}" in argv:
            opts[name] = type(opts[name])(argv[argv.index(f"--{name}") + 1])
    return opts


def gather(rows):
    """Every rank's rows, concatenated on every rank (mpi4py, as NEST users do)."""
    import nest
    if nest.NumProcesses() == 1:
        return list(rows)
    from mpi4py import MPI
    return [r for part in MPI.COMM_WORLD.allgather(list(rows)) for r in part]


def brunel(opts):
    import nest
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.local_num_threads = opts["threads"]
    nest.rng_seed = 1234
    order = opts["order"]
    n_e, n_i = 4 * order, order
    params = {"C_m": 250.0, "tau_m": 20.0, "tau_syn_ex": 0.5, "tau_syn_in": 0.5, "t_ref": 2.0,
              "E_L": 0.0, "V_reset": 10.0, "V_th": 20.0}
    exc = nest.Create("iaf_psc_alpha", n_e, params=params)
    inh = nest.Create("iaf_psc_alpha", n_i, params=params)
    cells = exc + inh
    cells.V_m = nest.random.uniform(0.0, 20.0)
    noise = nest.Create("poisson_generator", params={"rate": 16000.0})
    dc = nest.Create("dc_generator", params={"amplitude": 100.0, "start": 50.0})
    # a separate train per target (draws keyed by target, not by the rank's list of them)
    ppd = nest.Create("ppd_sup_generator", params={"rate": 400.0, "dead_time": 2.0,
                                                   "n_proc": 3})
    rec = nest.Create("spike_recorder")
    meter = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.5})
    j = 20.0
    delay = nest.random.uniform(1.0, 2.5)
    nest.Connect(noise, cells, syn_spec={"weight": j, "delay": 1.5})
    nest.Connect(dc, exc[::7])
    nest.Connect(ppd, cells[1::3], syn_spec={"weight": 60.0, "delay": 1.0})
    nest.Connect(exc[:12], inh[:15], "all_to_all",
                 {"weight": nest.random.uniform(1.0, 3.0), "delay": delay})
    nest.Connect(inh[:8], exc[:9], "all_to_all",
                 {"weight": np.linspace(-9.0, -1.0, 72).reshape(9, 8), "delay": 1.7})
    nest.Connect(exc, cells, {"rule": "fixed_indegree", "indegree": order * 4 // 10},
                 {"weight": j, "delay": delay})
    nest.Connect(inh, cells, {"rule": "fixed_indegree", "indegree": order // 10},
                 {"weight": -5 * j, "delay": delay})
    nest.Connect(exc[:20], inh, {"rule": "pairwise_bernoulli", "p": 0.2},
                 {"weight": nest.random.normal(5.0, 1.0), "delay": 1.0})
    nest.Connect(inh[:10], exc, {"rule": "fixed_outdegree", "outdegree": 5},
                 {"weight": -10.0, "delay": delay})
    nest.Connect(exc, exc, {"rule": "fixed_total_number", "N": 100},
                 {"weight": 3.0, "delay": 2.0})
    nest.Connect(inh, inh, {"rule": "pairwise_poisson", "pairwise_avg_num_conns": 0.02},
                 {"weight": -2.0, "delay": 1.2})
    nest.Connect(exc[:30], exc[:30], {"rule": "symmetric_pairwise_bernoulli", "p": 0.1,
                                      "allow_autapses": False, "make_symmetric": True},
                 {"weight": 1.0, "delay": 1.1})
    nest.Connect(exc[:10], inh[:10], "one_to_one", {"weight": 4.0, "delay": 1.3})
    # replicated devices that send through the spike register, node by node
    times = np.round(np.arange(5.0, opts["simtime"], 2.3), 1)
    sg = nest.Create("spike_generator", 3, params={"spike_times": times})
    nest.Connect(sg, exc[:40], syn_spec={"weight": 30.0, "delay": delay})
    nest.Connect(cells, rec)
    nest.Connect(meter, cells[::25])
    local_connections = nest.num_connections
    nest.Simulate(opts["simtime"])
    ev = rec.get("events")
    spikes = sorted(gather(zip(ev["times"].tolist(), ev["senders"].tolist())))
    mev = meter.get("events")
    samples = sorted(gather(zip(mev["times"].tolist(), mev["senders"].tolist(),
                                mev["V_m"].tolist())))
    conns = nest.GetConnections().get(["source", "target", "weight", "delay", "synapse_model"])
    table = sorted(gather(zip(conns["source"], conns["target"], conns["weight"],
                              conns["delay"])))
    local = nest.GetLocalNodeCollection(cells)
    status = cells[:6].get(["V_m", "model", "local", "vp", "global_id"])
    return {"spikes": spikes, "samples": samples, "connections": table,
            "local_connections": gather([local_connections]),
            "local_nodes": gather([len(local)]),
            "ranks": gather([nest.Rank()]), "num_processes": nest.NumProcesses(),
            "total_num_virtual_procs": nest.total_num_virtual_procs,
            "local_ok": bool(all(local.get("local")) if len(local) > 1 else True),
            "status": status, "rec_local": rec.get("local"),
            "getnodes": nest.GetNodes({"model": "iaf_psc_alpha"}).tolist(),
            "getnodes_local": nest.GetNodes({"model": "iaf_psc_alpha"}, local_only=True).tolist(),
            "maxrss_kb": gather([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss])}


def plastic(opts):
    import nest
    nest.ResetKernel()
    nest.rng_seed = 77
    cells = nest.Create("iaf_psc_alpha", 60, params={"I_e": 200.0})
    noise = nest.Create("poisson_generator", params={"rate": 3000.0})
    vt = nest.Create("volume_transmitter")
    rec = nest.Create("spike_recorder")
    nest.SetDefaults("stdp_dopamine_synapse", {"volume_transmitter": vt, "A_minus": 1.1,
                                               "Wmax": 1000.0})
    nest.Connect(noise, cells, syn_spec={"weight": 30.0})
    nest.Connect(cells, cells, {"rule": "fixed_indegree", "indegree": 6},
                 {"synapse_model": "stdp_synapse", "weight": 40.0,
                  "delay": nest.random.uniform(1.0, 3.0)})
    nest.Connect(cells[:20], cells[20:], {"rule": "pairwise_bernoulli", "p": 0.1},
                 {"synapse_model": "stdp_dopamine_synapse", "weight": 20.0})
    nest.Connect(cells[40:], cells[:40], {"rule": "fixed_outdegree", "outdegree": 3},
                 {"synapse_model": "tsodyks2_synapse", "weight": 30.0})
    nest.Connect(cells[::9], vt)
    nest.Connect(cells, rec)
    nest.Simulate(opts["simtime"])
    ev = rec.get("events")
    conns = nest.GetConnections().get(["source", "target", "weight", "synapse_model"])
    return {"spikes": sorted(gather(zip(ev["times"].tolist(), ev["senders"].tolist()))),
            "connections": sorted(gather(zip(conns["source"], conns["target"],
                                             conns["synapse_model"], conns["weight"])))}


def disconnect(opts):
    import nest
    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha", 4)
    nest.Connect(n, n, "one_to_one")
    nest.Connect(n, n, "all_to_all", {"weight": 2.0})
    nest.Disconnect(n[:2], n[2:], "one_to_one", {"synapse_model": "static_synapse"})
    nest.Disconnect(n[0], n[0], "one_to_one")
    nest.GetConnections(source=n[3]).disconnect()
    conns = nest.GetConnections().get(["source", "target", "weight"])
    try:
        nest.Disconnect(n, n, "all_to_all")     # some of these no longer exist
        error = None
    except nest.NESTErrors.InexistentConnection as exc:
        error = type(exc).__name__
    return {"connections": sorted(gather(zip(conns["source"], conns["target"],
                                             conns["weight"]))), "error": error}


def local(opts):
    """What each rank holds: its neurons' state, proxies for the others, recorders that have
    no local targets, a block with fewer neurons than processes."""
    import nest
    from kernel import get_kernel
    nest.ResetKernel()
    nest.rng_seed = 5
    cells = nest.Create("iaf_psc_alpha", 30, params={"I_e": 380.0})
    cells.V_m = nest.random.uniform(-70.0, -60.0)
    cells[::2].set(tau_m=12.0)
    small = nest.Create("iaf_psc_exp", 2, params={"I_e": 400.0})      # ids 31, 32
    noise = nest.Create("poisson_generator", params={"rate": 5000.0})
    rec = nest.Create("spike_recorder")
    lone = nest.Create("spike_recorder")
    meter = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 1.0})
    nest.Connect(noise, cells, syn_spec={"weight": 10.0})
    nest.Connect(cells, cells, {"rule": "fixed_indegree", "indegree": 5},
                 {"weight": 30.0, "delay": 1.5})
    nest.Connect(small, cells[:5], "all_to_all", {"weight": 20.0})
    nest.Connect(cells + small, rec)
    nest.Connect(small[1], lone)        # node 32 only: the other ranks have no local target
    nest.Connect(meter, small[1])
    nest.Simulate(opts["simtime"])
    k = get_kernel()
    ev, lev, mev = rec.get("events"), lone.get("events"), meter.get("events")
    full = cells[0].get()
    return {"spikes": sorted(gather(zip(ev["times"].tolist(), ev["senders"].tolist()))),
            "lone": sorted(gather(zip(lev["times"].tolist(), lev["senders"].tolist()))),
            "samples": sorted(gather(zip(mev["times"].tolist(), mev["V_m"].tolist()))),
            "lone_events": lone.n_events, "meter_events": meter.n_events,
            "held": [b.n for b in k.nodes.blocks], "ring_columns": int(k.ring.shape[2] - 1),
            "state_bytes": k.nodes.nbytes() + k.ring.nbytes,
            "status": cells[:6].get(["V_m", "tau_m", "model", "local", "global_id", "vp",
                                     "element_type"]),
            "getstatus": [d.get("V_m") for d in nest.GetStatus(cells[:3])],
            "full": {"model": full["model"], "local": full["local"], "V_m": full["V_m"],
                     "n_keys": len(full)}}


def rules(opts):
    """Every rule (and the spatial ones) with Parameter-valued weights and delays, the
    symmetric rules, and SynapseCollection.set with a Parameter: the gathered table."""
    import nest
    nest.ResetKernel()
    nest.local_num_threads = opts["threads"]
    nest.rng_seed = 4321
    a = nest.Create("iaf_psc_alpha", 37)
    b = nest.Create("iaf_psc_exp", 23)
    grid = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(shape=[6, 6], extent=[1.0, 1.0],
                                                                    edge_wrap=True))
    w = nest.random.normal(2.0, 0.5)
    d = nest.random.uniform(1.0, 3.0)
    syn = {"weight": w, "delay": d}
    for conn in ({"rule": "fixed_outdegree", "outdegree": 9},
                 {"rule": "fixed_outdegree", "outdegree": 20, "allow_autapses": False,
                  "allow_multapses": False},
                 {"rule": "fixed_total_number", "N": 700},
                 {"rule": "fixed_total_number", "N": 300, "allow_autapses": False},
                 {"rule": "fixed_indegree", "indegree": 5},
                 {"rule": "pairwise_bernoulli", "p": 0.2},
                 {"rule": "pairwise_poisson", "pairwise_avg_num_conns": 0.3},
                 {"rule": "all_to_all", "allow_autapses": False}):
        nest.Connect(a, a + b, conn, syn)
    nest.Connect(a[:23], b, "one_to_one", {"weight": w})
    nest.Connect(a, a, {"rule": "one_to_one", "allow_autapses": True})
    nest.Connect(b, b, {"rule": "fixed_total_number", "N": 40},
                 {"weight": np.linspace(0.0, 1.0, 40)})
    nest.Connect(b, b, {"rule": "fixed_outdegree", "outdegree": 2},
                 {"weight": np.arange(46.0).reshape(23, 2)})
    nest.Connect(a, a, {"rule": "symmetric_pairwise_bernoulli", "p": 0.1,
                        "allow_autapses": False, "make_symmetric": True},
                 {"synapse_model": "stdp_synapse", "weight": 3.0})
    nest.Connect(a[:10], b[:10], {"rule": "one_to_one", "make_symmetric": True},
                 {"synapse_model": "stdp_synapse", "weight": np.arange(10.0)})
    # Parameter-valued rule parameters without positions
    nest.Connect(a, b, {"rule": "pairwise_bernoulli", "p": nest.random.uniform(0.0, 0.4)}, syn)
    mask = {"circular": {"radius": 0.35}}
    dist = nest.spatial_distributions.gaussian(nest.spatial.distance, std=0.3)
    nest.Connect(grid, grid, {"rule": "pairwise_bernoulli", "p": dist, "mask": mask}, syn)
    nest.Connect(grid, grid, {"rule": "pairwise_bernoulli", "p": 0.4, "mask": mask,
                              "use_on_source": True}, {"weight": w})
    nest.Connect(grid, grid, {"rule": "pairwise_poisson", "pairwise_avg_num_conns": dist,
                              "mask": mask}, {"weight": w})
    nest.Connect(grid, grid, {"rule": "fixed_indegree", "indegree": 4, "mask": mask}, syn)
    nest.Connect(grid, grid, {"rule": "fixed_indegree", "mask": mask,
                              "indegree": 2 + nest.random.uniform_int(3)}, {"weight": w})
    nest.Connect(grid, grid, {"rule": "fixed_outdegree", "outdegree": 3, "mask": mask,
                              "p": dist}, syn)
    conns = nest.GetConnections(synapse_model="static_synapse", source=b)
    conns.set(delay=nest.random.uniform(4.0, 5.0), weight=nest.random.lognormal(0.0, 1.0))
    nest.GetConnections(target=grid).set({"weight": nest.random.exponential(2.0)})
    table = nest.GetConnections().get(["source", "target", "synapse_model", "weight", "delay"])
    return {"connections": sorted(gather(zip(table["source"], table["target"],
                                             table["synapse_model"], table["weight"],
                                             table["delay"]))),
            "local_connections": gather([len(table["source"])])}


def spatial_error(opts):
    """Spatial fixed_indegree where only corner targets lack candidates: each rank draws for
    its own targets, and every rank raises."""
    import nest
    nest.ResetKernel()
    grid = nest.Create("iaf_psc_alpha", positions=nest.spatial.grid(shape=[5, 5],
                                                                    extent=[1.0, 1.0]))
    try:
        nest.Connect(grid, grid, {"rule": "fixed_indegree", "indegree": 4, "allow_multapses": False,
                                  "mask": {"circular": {"radius": 0.25}}})
        error = None
    except Exception as exc:     # the rank whose target failed, or a RemoteError elsewhere
        error = f"{type(exc).__name__}: {exc}"
    return {"error": error}


def tiny(opts):
    import nest
    nest.ResetKernel()
    a = nest.Create("iaf_psc_alpha", 2, params={"I_e": 400.0})
    rec = nest.Create("spike_recorder")
    nest.Connect(a, a, "all_to_all", {"weight": 50.0})
    nest.Connect(a, rec)
    nest.Simulate(100.0)
    ev = rec.get("events")
    return {"spikes": sorted(gather(zip(ev["times"].tolist(), ev["senders"].tolist()))),
            "connections": sorted(gather(nest.GetConnections().get("source"))) if
            nest.num_connections else sorted(gather([]))}


def error(opts):
    import nest
    nest.ResetKernel()
    n = nest.Create("aeif_cond_alpha", 4)
    sg = nest.Create("spike_generator", params={"spike_times": [5.0]})
    nest.Connect(sg, n[1], syn_spec={"weight": 1e12})  # blows up node 2's solver on its rank
    try:
        nest.Simulate(50.0)
    except Exception as exc:
        return {"error": type(exc).__name__, "message": str(exc)}
    return {"error": None}


def uncaught(opts):
    import nest
    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha", 4, params={"I_e": 400.0})
    nest.Connect(n, n, syn_spec={"delay": 1.0})
    if nest.Rank() == 1:
        raise ValueError("a mistake on rank 1 only")
    nest.Simulate(10000.0)      # rank 0 would wait for rank 1 here
    return {}


def pynn(opts):
    import pyNN.neuropil as sim
    from pyNN.random import NumpyRNG, RandomDistribution
    sim.setup(timestep=0.1, min_delay=1.0, threads=opts["threads"], rng_seed=1234)
    order = opts["order"]
    cells = sim.Population(5 * order, sim.IF_curr_alpha(tau_m=20.0, v_thresh=-50.0,
                                                        v_reset=-60.0, tau_refrac=2.0,
                                                        i_offset=0.3))
    noise = sim.Population(5 * order, sim.SpikeSourcePoisson(rate=800.0))
    sim.Projection(noise, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.5, delay=1.0))
    rng = NumpyRNG(seed=99)
    prj = sim.Projection(cells, cells, sim.FixedNumberPreConnector(order // 5, rng=rng),
                         sim.StaticSynapse(weight=RandomDistribution("uniform", (0.0, 0.3),
                                                                     rng=rng),
                                           delay=1.5))
    cells.record("spikes")
    cells[:5].record("v")
    sim.run(opts["simtime"])
    block = cells.get_data(gather=True)
    seg = block.segments[0]
    spikes = sorted((float(t), int(st.annotations["source_index"])) for st in seg.spiketrains
                    for t in st.magnitude)
    v = seg.analogsignals[0].magnitude if seg.analogsignals else np.zeros((0, 0))
    weights = prj.get("weight", format="list", gather=True)
    files = write_files(sim, cells, prj, opts["path"])
    out = {"spikes": spikes, "v": np.round(v, 12).tolist(),
           "weights": sorted((int(i), int(j), float(w)) for i, j, w in weights),
           "num_processes": sim.num_processes(), "rank": sim.rank(),
           "n_trains": len(seg.spiketrains), "files": files}
    sim.end()
    return out


def pynn_rules(opts):
    """PyNN's connectors with random and pair-determined synapse values: every projection's
    (i, j, weight, delay) list, gathered."""
    import pyNN.neuropil as sim
    from pyNN.random import NumpyRNG, RandomDistribution
    sim.setup(timestep=0.1, min_delay=1.0, threads=opts["threads"], rng_seed=99)
    NativeRNG = sim.NativeRNG
    a = sim.Population(36, sim.IF_curr_alpha(), structure=sim.space.Grid2D())
    b = sim.Population(19, sim.IF_curr_exp())
    rng = NumpyRNG(seed=5)
    uniform = RandomDistribution("uniform", (0.1, 0.3), rng=rng)
    native = RandomDistribution("normal", (1.0, 0.1), rng=NativeRNG())
    delays = RandomDistribution("uniform", (1.0, 2.0), rng=rng)
    connectors = [sim.AllToAllConnector(allow_self_connections=False),
                  sim.OneToOneConnector(),
                  sim.FixedProbabilityConnector(0.2, rng=rng),
                  sim.FixedNumberPreConnector(4, rng=rng),
                  sim.FixedNumberPostConnector(6, rng=rng),
                  sim.FixedTotalNumberConnector(150, rng=rng),
                  sim.FixedTotalNumberConnector(90, with_replacement=True, rng=rng),
                  sim.DistanceDependentProbabilityConnector("exp(-d)", rng=rng),
                  sim.FromListConnector([(i, (3 * i) % 19, 0.01 * i, 1.0 + 0.1 * (i % 7))
                                         for i in range(36)],
                                        column_names=["weight", "delay"]),
                  sim.ArrayConnector(np.random.RandomState(3).rand(36, 19) < 0.3)]
    rows = []
    for n, connector in enumerate(connectors):
        for weight, delay in ((uniform, delays), (native, 1.5), (0.2, 1.0)):
            if isinstance(connector, sim.FromListConnector) and weight is not uniform:
                continue
            post = a if isinstance(connector, sim.DistanceDependentProbabilityConnector) else b
            prj = sim.Projection(a, post, connector, sim.StaticSynapse(weight=weight,
                                                                       delay=delay))
            rows += [(n, int(i), int(j), round(float(w), 12), round(float(d), 12))
                     for i, j, w, d in prj.get(["weight", "delay"], format="list",
                                               gather=False)]
    out = {"connections": sorted(gather(rows)), "local_connections": gather([len(rows)])}
    sim.end()
    return out


def write_files(sim, cells, prj, path):
    """Write spikes gathered and per rank, and the projection; read them back on rank 0."""
    import os
    import pickle
    cells.write_data(f"{path}.all.pkl", "spikes", gather=True)
    cells.write_data(f"{path}.own.pkl", "spikes", gather=False)
    prj.save("weight", f"{path}.prj.txt", gather=True)
    from mpi4py import MPI
    MPI.COMM_WORLD.Barrier()
    if sim.rank() != 0:
        return None

    def spikes(name):
        with open(name, "rb") as f:
            return sum(len(st) for st in pickle.load(f).segments[0].spiketrains)

    n = sim.num_processes()
    own = [f"{path}.own.pkl" + (f".{r}" if n > 1 else "") for r in range(n)]
    return {"all": spikes(f"{path}.all.pkl"), "own": [spikes(f) for f in own],
            "all_files": sorted(os.path.basename(f) for f in os.listdir(os.path.dirname(path))
                                if os.path.basename(f).startswith(os.path.basename(path))),
            "prj_rows": sum(1 for line in open(f"{path}.prj.txt") if not line.startswith("#"))}


CASES = {"brunel": brunel, "rules": rules, "spatial_error": spatial_error,
         "pynn_rules": pynn_rules, "plastic": plastic, "disconnect": disconnect,
         "tiny": tiny, "local": local, "error": error, "uncaught": uncaught, "pynn": pynn}


def main():
    case, path = sys.argv[1], sys.argv[2]
    opts = options(sys.argv[3:])
    opts["path"] = path
    result = CASES[case](opts)
    import nest
    result["rank"] = nest.Rank()
    with open(f"{path}.{nest.Rank()}", "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
