"""Connection delays in ms to steps in one pass (TimeGrid.delay_steps checks the result)."""
from libc.math cimport floor, isfinite, INFINITY

import numpy as np


def delay_steps_u16(const double[::1] delays, double steps_per_ms):
    """floor(d x steps_per_ms + 0.5) of each delay as uint16, with what TimeGrid.delay_steps
    needs to check them: the first non-finite delay's index (-1 if none; the scan stops
    there), the least step count and the index of its first delay, the largest step count
    and the largest delay. Counts outside 0 ... 65535 are stored as 0 (the caller raises)."""
    cdef Py_ssize_t i, n = delays.shape[0], nonfinite = -1, at_least = -1
    cdef double x, s, least = INFINITY, most = -INFINITY, longest = -INFINITY
    out = np.empty(n, dtype=np.uint16)
    cdef unsigned short[::1] steps = out
    with nogil:
        for i in range(n):
            x = delays[i]
            if not isfinite(x):
                nonfinite = i
                break
            s = floor(x * steps_per_ms + 0.5)
            if s < least:
                least, at_least = s, i
            if s > most:
                most = s
            if x > longest:
                longest = x
            steps[i] = <unsigned short>s if 0.0 <= s <= 65535.0 else 0
    return out, nonfinite, least, at_least, most, longest
