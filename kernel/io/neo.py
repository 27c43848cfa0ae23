"""Recorded data as Neo objects (Block / Segment / SpikeTrain / AnalogSignal), for both faces.

The builders take plain arrays (spike times and senders, sampled values) and return Neo
objects with PyNN's conventions: times in ms, ``channel_id`` / ``source_index`` /
``source_population`` annotations on spike trains, ``channel_ids`` and the array annotation
``channel_index`` on analog signals. Spike trains stay multiplexed (one times array, one
sender array) in a :class:`SpikeTrainList` until someone iterates over them; splitting them
then costs one sort, not one pass over all spikes per neuron as Neo's own list does.

:func:`write_block` writes a Block to a file chosen by its suffix: ``.pkl`` always, ``.mat``
when scipy imports, ``.nix``/``.h5`` and ``.nwb`` when nixio / pynwb import (any failure to
import an optional library just means that format is unavailable). NWB needs a session
start time, which is filled in from the block's ``rec_datetime`` when missing.
"""
import os
from datetime import datetime, timezone

import numpy as np

try:  # neo and quantities are dependencies of the project, but keep the kernel importable
    import neo
    import quantities as pq
    from neo.core.spiketrainlist import SpikeTrainList as _NeoSpikeTrainList
except Exception:  # pragma: no cover - only without neo
    neo = pq = None
    _NeoSpikeTrainList = object

__all__ = ["SpikeTrainList", "spike_train_list", "analog_signal", "segment", "block",
           "write_block", "get_io", "available_formats"]


class SpikeTrainList(_NeoSpikeTrainList):
    """Neo's SpikeTrainList with an O(n log n) split of the multiplexed representation."""

    def _spiketrains_from_array(self):
        if self._spike_time_array is None:
            self._items = []
            return
        channels = np.asarray(self._channel_id_array)
        all_ids = np.asarray(self._all_channel_ids)
        order = np.argsort(channels, kind="stable")
        sorted_channels = channels[order]
        lo = np.searchsorted(sorted_channels, all_ids, side="left")
        hi = np.searchsorted(sorted_channels, all_ids, side="right")
        times = self._spike_time_array[order]
        per_channel = {name: value for name, value in self._annotations.items()
                       if not isinstance(value, str) and hasattr(value, "__len__")
                       and len(value) == len(all_ids)}
        shared = {name: value for name, value in self._annotations.items()
                  if name not in per_channel}
        items = []
        for i, channel_id in enumerate(all_ids.tolist()):
            train = neo.SpikeTrain(times[lo[i]:hi[i]], **self._spiketrain_metadata)
            train.annotate(**shared)
            train.annotate(**{name: _item(value[i]) for name, value in per_channel.items()})
            train.annotate(channel_id=channel_id)
            train.segment = self.segment
            items.append(train)
        self._items = items


def _item(value):
    return value.item() if isinstance(value, np.generic) else value


def spike_train_list(times_ms, senders, channel_ids, t_start_ms, t_stop_ms, **annotations):
    """Spike trains of ``channel_ids`` from multiplexed arrays.

    Parameters
    ----------
    times_ms : array of float
        Spike times in ms.
    senders : array of int
        The channel (node id) of each spike.
    channel_ids : array of int
        Every recorded channel, in the order of the trains (channels without spikes too).
    t_start_ms, t_stop_ms : float
        Recording window.
    **annotations
        Shared annotations, or arrays with one value per channel (e.g. ``source_index``).

    Returns
    -------
    SpikeTrainList
    """
    times_ms = np.asarray(times_ms, dtype=np.float64)
    senders = np.asarray(senders, dtype=np.int64)
    channel_ids = np.asarray(channel_ids, dtype=np.int64)
    keep = np.isin(senders, channel_ids)
    if not keep.all():
        times_ms, senders = times_ms[keep], senders[keep]
    return SpikeTrainList.from_spike_time_array(
        times_ms, senders, channel_ids, t_stop=float(t_stop_ms) * pq.ms, units="ms",
        t_start=float(t_start_ms) * pq.ms, **annotations)


def analog_signal(values, units, t_start_ms, sampling_period_ms, name, channel_ids,
                  channel_index=None, **annotations):
    """A regularly sampled signal, one column per channel.

    Parameters
    ----------
    values : ndarray, shape (n_samples, n_channels)
    units : str
        Quantities unit name ('mV', 'nA', 'uS', 'dimensionless' ...).
    t_start_ms, sampling_period_ms : float
    name : str
        Variable name (PyNN's 'v', 'gsyn_exc' ...).
    channel_ids : array of int
        Node ids of the channels.
    channel_index : array of int, optional
        Index of each channel in its population (PyNN's array annotation).
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    if units in (None, "unknown"):
        units = "dimensionless"
    array_annotations = {}
    if channel_index is not None:
        array_annotations["channel_index"] = np.asarray(channel_index)
    return neo.AnalogSignal(values, units=units, t_start=float(t_start_ms) * pq.ms,
                            sampling_period=float(sampling_period_ms) * pq.ms, name=name,
                            channel_ids=np.asarray(channel_ids), array_annotations=array_annotations,
                            **annotations)


def segment(name, description="", rec_datetime=None, spiketrains=None, analogsignals=(),
            **annotations):
    """A Segment holding ``spiketrains`` (a list or SpikeTrainList) and ``analogsignals``."""
    seg = neo.Segment(name=name, description=description,
                      rec_datetime=rec_datetime or datetime.now())
    if spiketrains is not None:
        seg.spiketrains = spiketrains
        if isinstance(spiketrains, _NeoSpikeTrainList):
            spiketrains.segment = seg
    for signal in analogsignals:
        seg.analogsignals.append(signal)
        signal.segment = seg
    if annotations:
        seg.annotate(**annotations)
    return seg


def block(segments, name="", description="", **annotations):
    """A Block of ``segments`` (each gets ``block`` set)."""
    blk = neo.Block(name=name, description=description)
    for seg in segments:
        blk.segments.append(seg)
        seg.block = blk
    if segments:
        blk.rec_datetime = segments[0].rec_datetime
    if annotations:
        blk.annotate(**annotations)
    return blk


def _importable(module):
    try:
        __import__(module)
        return True
    except Exception:  # any failure of an optional library: the format is unavailable
        return False


def available_formats():
    """File suffixes that can be written now."""
    formats = [".pkl", ".pickle"]
    if _importable("scipy.io"):
        formats.append(".mat")
    if _importable("nixio"):
        formats += [".nix", ".h5"]
    if _importable("pynwb"):
        formats.append(".nwb")
    return formats


def get_io(filename):
    """A Neo IO for ``filename``, chosen by its suffix.

    Raises
    ------
    IOError
        Text formats (not supported for output) or a format whose library is missing.
    ValueError
        An unknown suffix.
    """
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)
    ext = os.path.splitext(filename)[1].lower()
    if ext in (".txt", ".ras", ".v", ".gsyn"):
        raise IOError("ASCII-based formats are not supported for output data; use .pkl, .mat, "
                      ".nix or .nwb")
    if ext in (".pkl", ".pickle"):
        return neo.io.PickleIO(filename=filename)
    if ext not in available_formats():
        if ext in (".mat", ".nix", ".h5", ".nwb"):
            lib = {".mat": "scipy", ".nix": "nixio", ".h5": "nixio", ".nwb": "pynwb"}[ext]
            raise IOError(f"writing {ext} files needs the optional package {lib}, which cannot "
                          "be imported here.")
        raise ValueError(f"file extension {ext!r} not supported (use one of "
                         f"{', '.join(available_formats())})")
    if ext == ".mat":
        return neo.io.NeoMatlabIO(filename=filename)
    if ext in (".nix", ".h5"):
        return neo.io.NixIO(filename=filename, mode="ow")
    return neo.io.NWBIO(filename=filename, mode="w")


def _prepare_for_nwb(blk):
    start = blk.annotations.get("session_start_time") or blk.rec_datetime or datetime.now()
    if start.tzinfo is None:
        start = start.replace(tzinfo=timezone.utc)
    blk.annotate(session_start_time=start)
    blk.annotations.setdefault("session_description", blk.description or blk.name or "neuropil")
    blk.annotations.setdefault("identifier", blk.name or "neuropil")


def write_block(blk, target):
    """Write ``blk`` to ``target`` (a file name, or an IO object with write_block/write).

    Returns
    -------
    object
        The IO used.
    """
    io = get_io(target) if isinstance(target, str) else target
    if type(io).__name__ == "NWBIO":
        _prepare_for_nwb(blk)
    if hasattr(io, "write_block"):
        io.write_block(blk)
    else:
        io.write(blk)
    if hasattr(io, "close"):
        try:
            io.close()
        except Exception:
            pass
    return io
