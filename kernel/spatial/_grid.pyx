"""Compiled neighbour search of spatial connections: pool nodes binned in a cell grid.

For every driver, the cells overlapping the mask's bounding box (moved to the driver) are
visited and each pool node in them is tested against the mask, for the common masks (box,
ball, doughnut, each possibly anchored); other masks are tested by their bounding box here
and exactly in Python. In periodic layers the offset pool - driver is taken to the image
nearest to the mask's middle (only one image can lie in a mask that fits the layer).

``ppos`` holds the pool positions sorted by cell (``members[m]`` is the pool index of row m).

``bound_pairs`` bounds each driver's pairs by the sizes of the cells it visits (cheap);
``fill_pairs`` writes the pairs of a range of drivers into arrays of that size, trimmed.
"""
from libc.math cimport floor
from libc.stdint cimport int64_t

import numpy as np

DEF MAXD = 3

KIND_BBOX = 0
KIND_BOX = 1
KIND_BALL = 2
KIND_DOUGHNUT = 3


cdef struct Grid:
    int dim
    bint wrap
    int64_t nc[MAXD]
    double origin[MAXD]
    double width[MAXD]
    double ext[MAXD]
    double lo[MAXD]
    double hi[MAXD]
    double mid[MAXD]
    int kind
    double mp[8]


cdef inline bint _inside(const Grid* g, const double* e) noexcept nogil:
    cdef int k
    cdef double r2 = 0.0, t
    if g.kind == 1:      # box: mp[0:d] lower left, mp[3:3+d] upper right
        for k in range(g.dim):
            if e[k] < g.mp[k] or e[k] > g.mp[3 + k]:
                return False
        return True
    if g.kind == 2 or g.kind == 3:   # ball / doughnut: mp[0:d] center, mp[3] r^2, mp[4] inner^2
        for k in range(g.dim):
            t = e[k] - g.mp[k]
            r2 += t * t
        if r2 > g.mp[3]:
            return False
        return g.kind == 2 or r2 > g.mp[4]
    for k in range(g.dim):          # bounding box only
        if e[k] < g.lo[k] or e[k] > g.hi[k]:
            return False
    return True


cdef inline bint _cells(const Grid* g, const double* dp, int64_t* c0, int64_t* c1,
                        bint* every) noexcept nogil:
    """The range of cells (c0..c1 per dimension, unwrapped) a driver's mask box covers;
    ``every[k]`` when a periodic dimension is covered whole. False if it misses the grid."""
    cdef int k
    for k in range(MAXD):
        c0[k] = 0
        c1[k] = 0
        every[k] = False
    for k in range(g.dim):
        c0[k] = <int64_t>floor((dp[k] + g.lo[k] - g.origin[k]) / g.width[k])
        c1[k] = <int64_t>floor((dp[k] + g.hi[k] - g.origin[k]) / g.width[k])
        if g.wrap:
            if c1[k] - c0[k] + 1 >= g.nc[k]:
                c0[k] = 0
                c1[k] = g.nc[k] - 1
                every[k] = True
        else:
            if c0[k] < 0:
                c0[k] = 0
            if c1[k] > g.nc[k] - 1:
                c1[k] = g.nc[k] - 1
            if c0[k] > c1[k]:
                return False
    return True


cdef inline int64_t _cell_index(const Grid* g, const int64_t* c) noexcept nogil:
    cdef int64_t cc, cell = 0
    cdef int k
    for k in range(g.dim):
        cc = c[k] % g.nc[k]
        if cc < 0:
            cc += g.nc[k]
        cell = cell * g.nc[k] + cc
    return cell


cdef inline bint _cell_misses(const Grid* g, const int64_t* c, const double* base) noexcept nogil:
    """Whether a cell lies wholly outside a ball / doughnut (offsets e = position - base)."""
    cdef double r2 = 0.0, lo, hi, t
    cdef int k
    if g.kind != 2 and g.kind != 3:
        return False
    for k in range(g.dim):
        lo = g.origin[k] + g.width[k] * <double>c[k] - base[k] - g.mp[k]
        hi = lo + g.width[k]
        t = lo if lo > 0.0 else (-hi if hi < 0.0 else 0.0)
        r2 += t * t
    return r2 > g.mp[3] * (1.0 + 1e-9)


cdef int64_t _visit(const Grid* g, const double* dp, const double[:, ::1] ppos,
                    const int64_t[::1] cell_start, const int64_t[::1] members,
                    int64_t* out, int64_t drv, int64_t* out_drv, double* out_e) noexcept nogil:
    """Write the pool nodes inside the mask around driver ``dp``; return how many."""
    cdef int64_t c0[MAXD]
    cdef int64_t c1[MAXD]
    cdef int64_t c[MAXD]
    cdef int64_t cc, cell, j, m, n = 0
    cdef double e[MAXD]
    cdef double sh[MAXD]
    cdef double base[MAXD]
    cdef bint every[MAXD]
    cdef bint cull = True
    cdef int k
    if not _cells(g, dp, c0, c1, every):
        return 0
    for k in range(g.dim):
        if every[k]:       # nearest images per node: cell offsets do not apply
            cull = False
    c[0] = c0[0]
    while c[0] <= c1[0]:
        c[1] = c0[1]
        while c[1] <= c1[1]:
            c[2] = c0[2]
            while c[2] <= c1[2]:
                cell = _cell_index(g, c)
                for k in range(g.dim):
                    cc = c[k] % g.nc[k]
                    if cc < 0:
                        cc += g.nc[k]
                    # the image this cell stands for (whole extents), so the driver moves once
                    # per cell; a dimension visited whole takes each node's nearest image
                    sh[k] = -<double>((c[k] - cc) // g.nc[k]) * g.ext[k] if g.wrap else 0.0
                    base[k] = dp[k] + sh[k]
                if cull and _cell_misses(g, c, dp):
                    c[2] += 1
                    continue
                for m in range(cell_start[cell], cell_start[cell + 1]):
                    j = members[m]
                    for k in range(g.dim):
                        if every[k]:
                            e[k] = ppos[m, k] - dp[k]
                            e[k] = ppos[m, k] - (dp[k] + g.ext[k] * floor(
                                (e[k] - g.mid[k]) / g.ext[k] + 0.5))
                        else:
                            e[k] = ppos[m, k] - base[k]
                    if _inside(g, e):
                        out[n] = j
                        out_drv[n] = drv
                        for k in range(g.dim):
                            out_e[n * g.dim + k] = e[k]
                        n += 1
                c[2] += 1
            c[1] += 1
        c[0] += 1
    return n


cdef Grid _grid(int dim, bint wrap, nc, origin, width, ext, lo, hi, int kind, mp):
    cdef Grid g
    cdef int k
    g.dim = dim
    g.wrap = wrap
    g.kind = kind
    for k in range(MAXD):
        g.nc[k] = 1
        g.origin[k] = 0.0
        g.width[k] = 1.0
        g.ext[k] = 1.0
        g.lo[k] = 0.0
        g.hi[k] = 0.0
        g.mid[k] = 0.0
    for k in range(dim):
        g.nc[k] = nc[k]
        g.origin[k] = origin[k]
        g.width[k] = width[k]
        g.ext[k] = ext[k]
        g.lo[k] = lo[k]
        g.hi[k] = hi[k]
        g.mid[k] = 0.5 * (lo[k] + hi[k])
    for k in range(8):
        g.mp[k] = mp[k] if k < len(mp) else 0.0
    return g


cdef int64_t _bound(const Grid* g, const double* dp,
                    const int64_t[::1] cell_start) noexcept nogil:
    """Pool nodes in the cells a driver visits: an upper bound of its pairs."""
    cdef int64_t c0[MAXD]
    cdef int64_t c1[MAXD]
    cdef int64_t c[MAXD]
    cdef int64_t cell, n = 0
    cdef bint every[MAXD]
    if not _cells(g, dp, c0, c1, every):
        return 0
    c[0] = c0[0]
    while c[0] <= c1[0]:
        c[1] = c0[1]
        while c[1] <= c1[1]:
            c[2] = c0[2]
            while c[2] <= c1[2]:
                cell = _cell_index(g, c)
                n += cell_start[cell + 1] - cell_start[cell]
                c[2] += 1
            c[1] += 1
        c[0] += 1
    return n


def bound_pairs(const double[:, ::1] dpos, const double[:, ::1] ppos,
                const int64_t[::1] cell_start, const int64_t[::1] members, bint wrap, nc, origin,
                width, ext, lo, hi, int kind, mp):
    """For each driver, the pool nodes in the cells it visits (an upper bound of its pairs,
    cheap: cell sizes only)."""
    cdef Grid g = _grid(dpos.shape[1], wrap, nc, origin, width, ext, lo, hi, kind, mp)
    cdef Py_ssize_t i, n = dpos.shape[0]
    counts = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] cnt = counts
    with nogil:
        for i in range(n):
            cnt[i] = _bound(&g, &dpos[i, 0], cell_start)
    return counts


def fill_pairs(const double[:, ::1] dpos, const double[:, ::1] ppos,
               const int64_t[::1] cell_start, const int64_t[::1] members, bint wrap, nc,
               origin, width, ext, lo, hi, int kind, mp, Py_ssize_t start, Py_ssize_t stop,
               int64_t total):
    """(driver index, pool index, offset pool - driver) of the pairs of drivers start..stop-1
    (at most ``total``, a bound from :func:`bound_pairs`); the offsets are taken to the image
    nearest the mask's middle."""
    cdef Grid g = _grid(dpos.shape[1], wrap, nc, origin, width, ext, lo, hi, kind, mp)
    cdef Py_ssize_t i
    cdef int64_t pos = 0
    d_idx = np.empty(total, dtype=np.int64)
    p_idx = np.empty(total, dtype=np.int64)
    cdef int64_t[::1] dv = d_idx
    cdef int64_t[::1] pv = p_idx
    offsets = np.empty((total, g.dim), dtype=np.float64)
    cdef double[:, ::1] ev = offsets
    if total == 0:
        return d_idx, p_idx, offsets
    with nogil:
        for i in range(start, stop):
            pos += _visit(&g, &dpos[i, 0], ppos, cell_start, members, &pv[pos], i, &dv[pos],
                          &ev[pos, 0])
    return d_idx[:pos], p_idx[:pos], offsets[:pos]
