"""Recording backends that write events as text: NEST's ``ascii`` files and ``screen`` output.

The in-memory backend is the recorder's own event log (kernel/devices/recorders.py). The two
text backends here format the same events as NEST 3.10 does:

* ``ascii`` writes one file per recorder, named
  ``<data_path>/<data_prefix><label or model>-<node id>-<vp>.<file_extension>``; the file is
  opened (and truncated) when the simulation is prepared and closed at cleanup, so every
  ``Simulate`` call writes a fresh file. An existing file is an error unless the kernel
  attribute ``overwrite_files`` is True. The file starts with three header lines::

      # NEST version: 3.10.0
      # RecordingBackendASCII version: 2
      sender	time_ms	V_m

  followed by one tab-separated line per event: the sender, the time in ms (or the step and
  the offset with ``time_in_steps``) and the recorded values, in ``record_from`` order. Times,
  offsets and values are written in fixed notation with ``precision`` digits (default 3).
* ``screen`` prints the same lines, without header, to standard output as events arrive.

Formatting is one ``%`` operation over all events of a batch (no Python loop per event).
"""
import itertools
import os
import sys

import numpy as np

from ..errors import KernelError

#: Version strings written in the header, as NEST 3.10.0 writes them.
NEST_VERSION = "3.10.0"
ASCII_FORMAT_VERSION = 2
#: Names of the recording backends, as ``nest.recording_backends`` lists them.
BACKENDS = ("ascii", "memory", "screen")
#: Backend-specific recorder properties: which backend shows which keys.
BACKEND_KEYS = {"memory": ("events",), "ascii": ("file_extension", "filenames", "precision"),
                "screen": ("precision",)}
ALL_BACKEND_KEYS = frozenset(k for keys in BACKEND_KEYS.values() for k in keys)


class RecordingIOError(KernelError):
    """An ascii recording file cannot be written (NEST's IOError)."""


class RecordingFileExists(RecordingIOError):
    """An ascii recording file exists and ``overwrite_files`` is False (NEST's IOError)."""

    def __init__(self, path):
        self.path = path
        super().__init__(
            f"The file '{path}' already exists and overwriting files is disabled. To overwrite "
            "files, set the kernel property overwrite_files to true. To change the name or "
            "location of the file, change the kernel properties data_path or data_prefix, or "
            "the device property label.")


class OutputSettings:
    """Where ascii files go: ``data_path`` and ``data_prefix`` (kept across ResetKernel, as in
    NEST) and ``overwrite_files`` (reset by ResetKernel, see RecordingManager)."""

    data_path = ""
    data_prefix = ""

    @classmethod
    def set_data_path(cls, path):
        """Set ``data_path``; it must be an existing directory ('' is refused, as in NEST:
        use '.' for the working directory).

        Raises
        ------
        ValueError
            ``path`` is not a directory; the old value is kept (NEST logs an error and keeps it).
        """
        if not isinstance(path, str):
            raise TypeError(f"data_path must be a string; got {path!r}")
        if not os.path.isdir(path):     # '' too: NEST has no way back to "no path"
            raise ValueError(f"Variable data_path not set: Directory '{path}' does not exist.")
        cls.data_path = path

    @classmethod
    def set_data_prefix(cls, prefix):
        """Set ``data_prefix``; it must not contain a path separator.

        Raises
        ------
        ValueError
            ``prefix`` contains '/'; the old value is kept.
        """
        if not isinstance(prefix, str):
            raise TypeError(f"data_prefix must be a string; got {prefix!r}")
        if "/" in prefix or (os.sep != "/" and os.sep in prefix):
            raise ValueError("Data prefix must not contain path elements.")
        cls.data_prefix = prefix


def file_name(label, model, node_id, extension, vp=0):
    """The ascii file of one recorder, as NEST names it.

    Parameters
    ----------
    label : str
        The recorder's label; the model name is used when it is empty.
    model : str
    node_id : int
    extension : str
    vp : int
        The virtual process (always 0 here).

    Returns
    -------
    str
    """
    base = f"{OutputSettings.data_prefix}{label or model}-{node_id}-{vp}.{extension}"
    return os.path.join(OutputSettings.data_path, base) if OutputSettings.data_path else base


def model_file_name(extension):
    """What GetDefaults reports as ``filenames`` of an ascii recorder model (NEST: the path and
    prefix with the bare extension, as a model has no label, name or node id there)."""
    base = f"{OutputSettings.data_prefix}.{extension}"
    return os.path.join(OutputSettings.data_path, base) if OutputSettings.data_path else base


def _digits(precision):
    # C++ streams treat a negative precision as the default, 6
    return int(precision) if precision >= 0 else 6


def header(value_names, time_in_steps):
    """The column line of an ascii file (after the two comment lines)."""
    time_cols = ["time_step", "time_offset"] if time_in_steps else ["time_ms"]
    return "\t".join(["sender"] + time_cols + list(value_names)) + "\n"


def format_events(senders, steps, offsets, values, value_names, precision, time_in_steps,
                  grid):
    """Events as NEST's text lines (one per event, each ending in a newline).

    Parameters
    ----------
    senders, steps : ndarray of int
    offsets : ndarray of float or None
        Precise spike offsets in ms (time = step time - offset); None means all zero.
    values : dict of str to ndarray
    value_names : sequence of str
        Columns after the time, in this order.
    precision : int
    time_in_steps : bool
    grid : TimeGrid

    Returns
    -------
    str
    """
    n = len(senders)
    if n == 0:
        return ""
    p = _digits(precision)
    offsets = np.zeros(n) if offsets is None else np.asarray(offsets, dtype=np.float64)
    if time_in_steps:
        cols = [np.asarray(senders).tolist(), np.asarray(steps).tolist(), offsets.tolist()]
        fmt = f"%d\t%d\t%.{p}f"
    else:
        times = grid.to_ms(steps) - offsets
        cols = [np.asarray(senders).tolist(), times.tolist()]
        fmt = f"%d\t%.{p}f"
    for name in value_names:
        cols.append(np.asarray(values[name], dtype=np.float64).tolist())
        fmt += f"\t%.{p}f"
    row = fmt + "\n"
    return (row * n) % tuple(itertools.chain.from_iterable(zip(*cols)))


class TextSink:
    """Where one recorder's events go when they are not kept in memory.

    Parameters
    ----------
    stream : file-like
        An open text file (ascii) or standard output (screen).
    value_names : sequence of str
    precision : int
    time_in_steps : bool
    owns_stream : bool
        Close the stream at :meth:`close` (files) or only flush it (stdout).
    """

    def __init__(self, stream, value_names, precision, time_in_steps, owns_stream):
        self.stream = stream
        self.value_names = tuple(value_names)
        self.precision = precision
        self.time_in_steps = time_in_steps
        self.owns_stream = owns_stream

    def write(self, senders, steps, values, offsets, grid):
        self.stream.write(format_events(senders, steps, offsets, values, self.value_names,
                                        self.precision, self.time_in_steps, grid))

    def flush(self):
        if self.stream is not None and not getattr(self.stream, "closed", False):
            self.stream.flush()

    def close(self):
        if self.stream is None:
            return
        if self.owns_stream:
            self.stream.close()
        else:
            self.flush()
        self.stream = None


def open_ascii(path, value_names, precision, time_in_steps, overwrite):
    """Open (truncate) an ascii recording file and write its header.

    Raises
    ------
    RecordingFileExists
        The file exists and ``overwrite`` is False.
    RecordingIOError
        The file cannot be opened.
    """
    if os.path.exists(path) and not overwrite:
        raise RecordingFileExists(path)
    try:
        stream = open(path, "w")
    except OSError as error:
        raise RecordingIOError(f"The file '{path}' could not be opened for writing: "
                               f"{error.strerror}.") from None
    stream.write(f"# NEST version: {NEST_VERSION}\n"
                 f"# RecordingBackendASCII version: {ASCII_FORMAT_VERSION}\n")
    stream.write(header(value_names, time_in_steps))
    return TextSink(stream, value_names, precision, time_in_steps, owns_stream=True)


def read_ascii(paths):
    """The events of one or more ascii recording files, concatenated in the order given.

    Parameters
    ----------
    paths : str or sequence of str
        Files written by the ascii backend (e.g. a recorder's ``filenames``).

    Returns
    -------
    dict of str to ndarray
        One array per column, named as in the files' header (``sender``, ``time_ms`` or
        ``time_step``/``time_offset``, then the recorded values); senders and steps as int64.

    Raises
    ------
    RecordingIOError
        A file that cannot be read, lacks the header, or whose columns differ from the first.
    """
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    names, chunks = None, []
    for path in paths:
        try:
            with open(path) as stream:
                head = [stream.readline() for _ in range(3)]
                if not head[0].startswith("# NEST version") or not head[2].startswith("sender"):
                    raise RecordingIOError(f"'{path}' is not an ascii recording file (its first "
                                           "three lines are not the recording header).")
                cols = head[2].split()
                if names is not None and cols != names:
                    raise RecordingIOError(f"'{path}' has columns {cols}, the first file {names}.")
                names = cols
                data = np.loadtxt(stream, ndmin=2).reshape(-1, len(cols))
        except OSError as error:
            raise RecordingIOError(f"The file '{path}' could not be read: {error.strerror}.") \
                from None
        chunks.append(data)
    if names is None:
        raise RecordingIOError("No ascii recording files given.")
    data = np.concatenate(chunks)
    return {name: data[:, j].astype(np.int64) if name in ("sender", "time_step") else data[:, j]
            for j, name in enumerate(names)}


def open_screen(value_names, precision, time_in_steps):
    """A sink that prints events to standard output (the ``screen`` backend)."""
    return TextSink(_Stdout(), value_names, precision, time_in_steps, owns_stream=False)


class _Stdout:
    """Writes to whatever ``sys.stdout`` is at the time (so captured output works)."""

    closed = False

    def write(self, text):
        sys.stdout.write(text)

    def flush(self):
        sys.stdout.flush()
