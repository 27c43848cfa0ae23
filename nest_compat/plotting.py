"""Plotting helpers of PyNEST: ``nest.voltage_trace`` and ``nest.raster_plot``.

matplotlib is optional: it is imported when a plot is made, and a clear error says how to
install it if it is missing or broken.
"""
import numpy as np

from kernel.io.recording_backends import read_ascii

from .errors import NESTErrors, nest_errors
from .nodes import NodeCollection


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except Exception as error:  # a broken install must not break `import nest`
        raise ImportError("plotting needs matplotlib: pip install matplotlib "
                          f"({type(error).__name__}: {error})") from None
    return plt


def _single_recorder(detec, model_names):
    if not isinstance(detec, NodeCollection) or len(detec) != 1:
        raise NESTErrors.BadProperty("Please provide a single recording device.")
    model = detec.get("model")
    if model not in model_names:
        raise NESTErrors.BadProperty(f"Please provide a {' or '.join(model_names)}; got {model}.")
    backend = detec.get("record_to")
    if backend == "memory":
        return detec.get("events")
    if backend == "ascii":
        return _events_from_files(detec.get("filenames"))
    raise ValueError("No data to plot. Make sure that 'record_to' is set to either 'ascii' or "
                     f"'memory' (it is {backend!r}).")


@nest_errors
def _events_from_files(fname):
    """The events of ascii recording files, with the keys the memory backend uses."""
    columns = read_ascii(fname)
    keys = {"sender": "senders", "time_ms": "times", "time_step": "times"}
    return {keys.get(name, name): values for name, values in columns.items()}


def voltage_trace_from_device(detec, neurons=None, title=None, grayscale=False,
                              timeunit="ms"):
    """Plot the membrane potential recorded by a voltmeter or multimeter, one line per neuron.

    Returns
    -------
    list of matplotlib lines
    """
    events = _single_recorder(detec, ("voltmeter", "multimeter"))
    if "V_m" not in events:
        raise NESTErrors.BadProperty("the device has not recorded V_m.")
    plt = _pyplot()
    senders, times, v = events["senders"], events["times"], events["V_m"]
    if timeunit == "s":
        times = times / 1000.0
    ids = np.unique(senders) if neurons is None else np.asarray(neurons)
    lines = []
    for i, node in enumerate(ids):
        mask = senders == node
        kw = {"color": str(0.8 * i / max(len(ids), 1))} if grayscale else {}
        lines += plt.plot(times[mask], v[mask], label=f"Neuron {node}", **kw)
    plt.xlabel(f"Time ({timeunit})")
    plt.ylabel("Membrane potential (mV)")
    plt.title(title or f"Membrane potential recorded by {detec.get('model')} {detec.tolist()[0]}")
    plt.draw()
    return lines


def raster_plot_from_device(detec, title=None, hist=False, hist_binwidth=5.0, **kwargs):
    """Raster plot (and optional histogram) of the spikes recorded by a spike_recorder.

    The spikes come from memory or, with ``record_to`` "ascii", from the recorder's files.
    """
    events = _single_recorder(detec, ("spike_recorder",))
    return _raster(events, title or "Raster plot from device " + str(detec.tolist()[0]),
                   hist, hist_binwidth, **kwargs)


def raster_plot_from_file(fname, title=None, hist=False, hist_binwidth=5.0, **kwargs):
    """Raster plot of the spikes in one or more ascii files of a spike_recorder.

    Parameters
    ----------
    fname : str or list of str
        File names; several files are plotted together (e.g. one per process).
    """
    return _raster(_events_from_files(fname), title or "Raster plot from file", hist,
                   hist_binwidth, **kwargs)


def _raster(events, title, hist, hist_binwidth, **kwargs):
    plt = _pyplot()
    senders, times = events["senders"], events["times"]
    if not len(times):
        raise NESTErrors.BadProperty("No events recorded!")
    fig = plt.gcf()
    if hist:
        ax_raster = fig.add_axes([0.1, 0.3, 0.85, 0.6])
        ax_hist = fig.add_axes([0.1, 0.1, 0.85, 0.17], sharex=ax_raster)
        bins = np.arange(times.min(), times.max() + hist_binwidth, hist_binwidth)
        ax_hist.hist(times, bins=bins, color="0.3")
        ax_hist.set_xlabel("Time (ms)")
    else:
        ax_raster = fig.gca()
        ax_raster.set_xlabel("Time (ms)")
    ax_raster.plot(times, senders, ".", markersize=kwargs.get("markersize", 2))
    ax_raster.set_ylabel("Neuron ID")
    ax_raster.set_title(title)
    return ax_raster
