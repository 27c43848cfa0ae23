"""setup, end, run, reset and the state queries of pyNN.neuropil."""
from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP

from kernel.io import neo as neo_io

from . import simulator


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """Start (or restart) a simulation: an empty network at t = 0.

    Parameters
    ----------
    timestep : float
        Time step in ms.
    min_delay, max_delay : float or 'auto'
        Delay bounds in ms ('auto': from the connections, as NEST).
    **extra_params
        ``rng_seed`` (kernel seed), ``threads`` (kernel threads), ``spike_precision``
        ('on_grid', the default: SpikeSourceArray times move to the end of their step;
        'off_grid': they are kept and recorded exactly, while neurons, which are all
        grid-based, receive the spikes at the end of their step, as NEST's grid-based
        models do), ``verbosity``,
        ``t_flush`` (accepted, not needed: reset restores the state exactly).

    Returns
    -------
    int
        The MPI rank.
    """
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    common.setup(timestep, min_delay, **extra_params)
    state = simulator.state
    state.clear()
    state.dt = timestep
    seed = extra_params.get("rng_seed", extra_params.get("grng_seed"))
    if "rng_seeds" in extra_params:
        seed = extra_params["rng_seeds"][0]
    if "rng_seeds_seed" in extra_params:
        seed = extra_params["rng_seeds_seed"]
    if seed is not None:
        state.kernel.set_rng_seed(int(seed))
    threads = extra_params.get("threads")
    if threads:
        state.kernel.local_num_threads = int(threads)
    precision = extra_params.get("spike_precision", "on_grid")
    if precision not in ("on_grid", "off_grid"):
        raise ValueError("spike_precision must be 'on_grid' or 'off_grid'")
    state.spike_precision = precision
    state.set_delays(min_delay, max_delay)
    return rank()


def end(compatible_output=True):
    """Write the data requested with ``record(..., to_file=...)``."""
    state = simulator.state
    for population, variables, filename in state.write_on_end:
        population.write_data(neo_io.get_io(filename), variables)
    state.write_on_end = []


run, run_until = common.build_run(simulator)
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize

get_current_time, get_time_step, get_min_delay, get_max_delay, num_processes, rank = \
    common.build_state_queries(simulator)
