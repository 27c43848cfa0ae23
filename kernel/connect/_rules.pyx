"""Compiled loops of the connection rules (see ``rules.py`` for validation and semantics).

Every function draws from the counter-based generator keyed by ``(seed, stream)``; the
counter names the *site* the draws are for:

- per-target rules (fixed_indegree, pairwise_bernoulli, symmetric_pairwise_bernoulli,
  pairwise_poisson): the target's node id,
- per-source rules (fixed_outdegree): the source's node id,
- fixed_total_number: the target's node id, after a multinomial split of N over the targets
  (drawn from site 0, the same on every process),

and the third counter word holds ``RULE_DOMAIN | tag << 24 | occurrence`` (the rule's tag, and
the how-many-th time the same id appears among the sites, 0 for unique ids). The draws for one
site therefore depend only on (seed, stream, site id, the pool it draws from and the rule's
parameters), never on which other sites are computed in the same call, thread or process.

The pool of a site (the sources of a target, the targets of a source) is the positions
0..n_pool-1 minus an *excluded* list (the positions holding the site's own node id when
autapses are not allowed). Excluded positions for row r are ``order[lo[r]:hi[r]]``, sorted
ascending; a draw picks a *valid index* v in [0, n_valid) and ``_map_valid`` turns it into a
position, so no draw is ever rejected for being an autapse.
"""
from libc.math cimport exp, fabs, floor, lgamma, log, log1p, sqrt
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, realloc

import numpy as np

cimport numpy as cnp
from cpython.pycapsule cimport PyCapsule_GetPointer, PyCapsule_New

from kernel.random.philox cimport (Stream, next_double, np_philox_stream_doubles, poisson,
                                   stream_init)

cdef uint32_t RULE_DOMAIN = 0xC0000000u

TAG_INDEGREE = 1
TAG_OUTDEGREE = 2
TAG_TOTAL = 3
TAG_BERNOULLI = 4
TAG_SYMMETRIC = 5
TAG_POISSON = 6
MAX_OCCURRENCE = (1 << 24) - 1


cdef inline uint32_t _word(uint32_t tag, uint32_t occurrence) noexcept nogil:
    return RULE_DOMAIN | (tag << 24) | occurrence


cdef inline int64_t _scaled_index(double u, int64_t n) noexcept nogil:
    """The integer in [0, n) of the uniform ``u`` in (0, 1) (n >= 1)."""
    cdef int64_t r = <int64_t>(u * <double>n)
    if r >= n:
        r = n - 1
    return r


cdef inline int64_t _uniform_index(Stream* st, int64_t n) noexcept nogil:
    """A uniform integer in [0, n) (n >= 1)."""
    return _scaled_index(next_double(st), n)


cdef inline int64_t _map_valid(int64_t v, const int64_t* excl, int64_t n_excl) noexcept nogil:
    """The v-th position of 0, 1, 2, ... that is not in ``excl`` (sorted ascending)."""
    cdef int64_t e
    for e in range(n_excl):
        if excl[e] <= v:
            v += 1
        else:
            break
    return v


cdef struct PairBuffer:
    int64_t* rows
    int64_t* cols
    int64_t n
    int64_t cap
    bint failed


cdef int64_t _initial_capacity(double expected) noexcept nogil:
    # the expected count plus 6 sigma, so one allocation suffices almost always; capped,
    # since the buffers grow by doubling anyway
    cdef double cap = expected * 1.02 + 6.0 * sqrt(expected) + 64.0
    if cap > 67108864.0:
        cap = 67108864.0
    return <int64_t>cap


cdef int _buf_init(PairBuffer* b, int64_t cap) noexcept nogil:
    if cap < 16:
        cap = 16
    b.n = 0
    b.cap = cap
    b.failed = False
    b.rows = <int64_t*>malloc(cap * sizeof(int64_t))
    b.cols = <int64_t*>malloc(cap * sizeof(int64_t))
    if b.rows == NULL or b.cols == NULL:
        b.failed = True
        return -1
    return 0


cdef inline int _buf_push(PairBuffer* b, int64_t row, int64_t col) noexcept nogil:
    cdef int64_t* r
    cdef int64_t* c
    cdef int64_t cap
    if b.n == b.cap:
        cap = b.cap * 2
        r = <int64_t*>realloc(b.rows, cap * sizeof(int64_t))
        if r == NULL:
            b.failed = True
            return -1
        b.rows = r
        c = <int64_t*>realloc(b.cols, cap * sizeof(int64_t))
        if c == NULL:
            b.failed = True
            return -1
        b.cols = c
        b.cap = cap
    b.rows[b.n] = row
    b.cols[b.n] = col
    b.n += 1
    return 0


cnp.import_array()


cdef void _free_capsule(object capsule) noexcept:
    free(PyCapsule_GetPointer(capsule, NULL))


cdef object _adopt(int64_t* data, int64_t n):
    """A numpy array over ``data`` (n int64, malloc'd), which frees it when collected: the
    connections are not copied (a copy would double the rule's peak memory)."""
    cdef int64_t* shrunk = <int64_t*>realloc(data, max(n, 1) * sizeof(int64_t))
    if shrunk != NULL:
        data = shrunk
    cdef cnp.npy_intp dims = n
    try:
        capsule = PyCapsule_New(data, NULL, _free_capsule)
    except BaseException:
        free(data)
        raise
    arr = cnp.PyArray_SimpleNewFromData(1, &dims, cnp.NPY_INT64, data)
    cnp.set_array_base(arr, capsule)
    return arr


cdef object _buf_release(PairBuffer* b):
    """The buffer as two numpy arrays that own its memory (MemoryError if it overflowed)."""
    if b.failed:
        free(b.rows)
        free(b.cols)
        raise MemoryError("not enough memory for the connections of this rule")
    cdef int64_t* cols = b.cols
    try:
        rows = _adopt(b.rows, b.n)
    except BaseException:
        free(cols)
        raise
    return rows, _adopt(cols, b.n)


cdef const int64_t* _base(const int64_t[::1] a) noexcept:
    return &a[0] if a.shape[0] else NULL


cdef inline void _draw_row(Stream* st, int64_t n_pool, int64_t k, const int64_t* excl,
                           int64_t n_excl, bint multapses, int64_t r, int64_t* stamp,
                           int64_t* perm, double* uniforms, int32_t* out) noexcept nogil:
    """The k positions of one row (see fixed_degree), into out[0:k]; ``stamp`` marks the
    valid indices drawn for row ``r`` (any row number unique within the call). ``st`` is
    fresh (just initialised); ``uniforms`` has room for k + 1 doubles."""
    cdef int64_t n_valid = n_pool - n_excl, c, v, j, tmp
    if multapses:
        # the row's k draws at once (vectorized across Philox blocks), as _uniform_index
        # would take them one by one
        np_philox_stream_doubles(st.key0, st.key1, st.ctr0, st.ctr1, st.ctr2, k, uniforms)
        for c in range(k):
            out[c] = <int32_t>_map_valid(_scaled_index(uniforms[c], n_valid), excl, n_excl)
    elif 2 * k <= n_valid:
        c = 0
        while c < k:
            v = _uniform_index(st, n_valid)
            if stamp[v] != r:
                stamp[v] = r
                out[c] = <int32_t>_map_valid(v, excl, n_excl)
                c += 1
    else:
        for v in range(n_valid):
            perm[v] = v
        for c in range(k):
            j = c + _uniform_index(st, n_valid - c)
            tmp = perm[c]
            perm[c] = perm[j]
            perm[j] = tmp
            out[c] = <int32_t>_map_valid(perm[c], excl, n_excl)


def fixed_degree(int64_t n_pool, int64_t k, const int64_t[::1] site_ids,
                 const uint32_t[::1] occurrence, const int64_t[::1] order,
                 const int64_t[::1] lo, const int64_t[::1] hi, bint multapses,
                 uint64_t seed, uint32_t stream, uint32_t tag):
    """``k`` positions out of each row's pool: the rows of fixed_indegree / fixed_outdegree.

    With multapses, the k positions are independent and uniform over the row's valid pool.
    Without, they are a uniformly random *ordered* sample without replacement (every order
    equally likely, as with NEST's draw-and-reject loop): rejection with a marker array when
    k <= n_valid / 2 (at most ~1.4 k draws), a partial Fisher-Yates shuffle otherwise (k
    draws, O(n_valid) set-up, which is O(k) there).

    Parameters
    ----------
    n_pool : int
        Size of the pool (number of sources for fixed_indegree).
    k : int
        Degree; the caller has checked k <= n_valid of every row when not ``multapses`` and
        n_valid >= 1 when k > 0.
    site_ids, occurrence : arrays, one entry per row
        Counter site (node id of the row) and occurrence number of that id.
    order, lo, hi : int64 arrays
        Excluded positions of row r: ``order[lo[r]:hi[r]]``, ascending.

    Returns
    -------
    ndarray of int32, shape (len(site_ids), k): pool positions, row by row in draw order
    (int32 since a pool holds node ids, which are int32: half the memory of a Connect).
    """
    cdef Py_ssize_t n_rows = site_ids.shape[0]
    out = np.empty((n_rows, k), dtype=np.int32)
    if n_rows == 0 or k == 0:
        return out
    cdef int32_t[:, ::1] o = out
    stamp_arr = np.full(max(n_pool, 1), -1, dtype=np.int64)
    perm_arr = np.empty(max(n_pool, 1), dtype=np.int64)
    uniforms_arr = np.empty(k + 1, dtype=np.float64)
    cdef int64_t[::1] stamp = stamp_arr
    cdef int64_t[::1] perm = perm_arr
    cdef double[::1] uniforms = uniforms_arr
    cdef const int64_t* ord_p = _base(order)
    cdef Py_ssize_t r
    cdef int64_t n_excl
    cdef Stream st
    with nogil:
        for r in range(n_rows):
            stream_init(&st, seed, stream, <uint64_t>site_ids[r], _word(tag, occurrence[r]))
            n_excl = hi[r] - lo[r]
            _draw_row(&st, n_pool, k, ord_p + lo[r] if n_excl > 0 else NULL, n_excl,
                      multapses, r, &stamp[0], &perm[0], &uniforms[0], &o[r, 0])
    return out


def fixed_degree_kept(int64_t n_pool, int64_t k, const int64_t[::1] site_ids,
                      const uint32_t[::1] occurrence, const int64_t[::1] order,
                      const int64_t[::1] lo, const int64_t[::1] hi, bint multapses,
                      uint64_t seed, uint32_t stream, uint32_t tag,
                      const uint8_t[::1] keep):
    """The draws of :func:`fixed_degree` that land on kept pool positions only.

    Every row is drawn (the rows are sources, and a process keeps the connections to its own
    targets, which any source may choose), but only the kept ones are stored: memory is that
    of the kept connections, and each keeps its index ``r * k + c`` in the whole call.

    Parameters
    ----------
    keep : uint8 array, one entry per pool position
        Non-zero for the positions whose connections are kept.

    Returns
    -------
    (index, cols) : int64 arrays; ``index // k`` is the row, ``cols`` the pool position.
    """
    cdef Py_ssize_t n_rows = site_ids.shape[0]
    cdef PairBuffer buf
    cdef double share = 0.0
    cdef Py_ssize_t i
    for i in range(keep.shape[0]):
        share += keep[i] != 0
    _buf_init(&buf, _initial_capacity(<double>n_rows * <double>k * share /
                                      <double>max(n_pool, 1)))
    if n_rows == 0 or k == 0:
        return _buf_release(&buf)
    stamp_arr = np.full(max(n_pool, 1), -1, dtype=np.int64)
    perm_arr = np.empty(max(n_pool, 1), dtype=np.int64)
    row_arr = np.empty(k, dtype=np.int32)
    uniforms_arr = np.empty(k + 1, dtype=np.float64)
    cdef int64_t[::1] stamp = stamp_arr
    cdef int64_t[::1] perm = perm_arr
    cdef double[::1] uniforms = uniforms_arr
    cdef int32_t[::1] row = row_arr
    cdef const int64_t* ord_p = _base(order)
    cdef Py_ssize_t r
    cdef int64_t c, n_excl
    cdef Stream st
    with nogil:
        for r in range(n_rows):
            if buf.failed:
                break
            stream_init(&st, seed, stream, <uint64_t>site_ids[r], _word(tag, occurrence[r]))
            n_excl = hi[r] - lo[r]
            _draw_row(&st, n_pool, k, ord_p + lo[r] if n_excl > 0 else NULL, n_excl,
                      multapses, r, &stamp[0], &perm[0], &uniforms[0], &row[0])
            for c in range(k):
                if keep[row[c]]:
                    _buf_push(&buf, r * k + c, row[c])
    return _buf_release(&buf)


def bernoulli_rows(int64_t n_pool, double p, const int64_t[::1] site_ids,
                   const uint32_t[::1] occurrence, const int64_t[::1] order,
                   const int64_t[::1] lo, const int64_t[::1] hi,
                   uint64_t seed, uint32_t stream, uint32_t tag,
                   const uint8_t[::1] keep_rows=None, const uint8_t[::1] keep_cols=None):
    """Each valid pool position of each row independently with probability p.

    Geometric skipping: the gap to the next chosen position is Geometric(p), one uniform
    per *chosen* position (plus one per row), so the cost is O(rows + connections).
    With ``keep_rows`` and ``keep_cols`` (uint8, one per row / pool position), only the
    pairs with a kept row or a kept column are stored (the draws are the same).

    Returns
    -------
    (rows, cols) : int64 arrays; rows ascending, cols ascending within a row.
    """
    cdef Py_ssize_t n_rows = site_ids.shape[0]
    cdef const int64_t* ord_p = _base(order)
    cdef const int64_t* excl
    cdef Py_ssize_t r
    cdef int64_t v, n_excl, n_valid
    cdef double lq, gap, u
    cdef Stream st
    cdef PairBuffer buf
    cdef bint filtered = keep_rows is not None
    cdef bint row_kept = True
    cdef int64_t col
    _buf_init(&buf, _initial_capacity(p * <double>n_rows * <double>n_pool))
    if p <= 0.0 or n_rows == 0:
        return _buf_release(&buf)
    lq = log1p(-p) if p < 1.0 else 0.0
    with nogil:
        for r in range(n_rows):
            if buf.failed:
                break
            n_excl = hi[r] - lo[r]
            excl = ord_p + lo[r] if n_excl > 0 else NULL
            n_valid = n_pool - n_excl
            if filtered:
                row_kept = keep_rows[r] != 0
            if p >= 1.0:
                for v in range(n_valid):
                    col = _map_valid(v, excl, n_excl)
                    if row_kept or keep_cols[col]:
                        _buf_push(&buf, r, col)
                continue
            stream_init(&st, seed, stream, <uint64_t>site_ids[r], _word(tag, occurrence[r]))
            v = -1
            while True:
                u = next_double(&st)
                gap = floor(log(u) / lq)
                if gap >= <double>(n_valid - 1 - v):
                    break
                v += 1 + <int64_t>gap
                col = _map_valid(v, excl, n_excl)
                if (row_kept or keep_cols[col]) and _buf_push(&buf, r, col) != 0:
                    break
    return _buf_release(&buf)


def poisson_rows(int64_t n_pool, double mu, const int64_t[::1] site_ids,
                 const uint32_t[::1] occurrence, const int64_t[::1] order,
                 const int64_t[::1] lo, const int64_t[::1] hi,
                 uint64_t seed, uint32_t stream, uint32_t tag):
    """Poisson(mu) connections for each valid (row, pool position) pair.

    Per row: the total T ~ Poisson(mu * n_valid), then T positions uniform over the valid
    pool. Given T, independent Poisson counts over the n_valid pairs are multinomial with
    equal cell probabilities, so this is the same distribution as one Poisson(mu) draw per
    pair, without visiting the (many) empty pairs when mu is small.

    Returns
    -------
    (rows, cols) : int64 arrays; rows ascending, cols in draw order within a row.
    """
    cdef Py_ssize_t n_rows = site_ids.shape[0]
    cdef const int64_t* ord_p = _base(order)
    cdef const int64_t* excl
    cdef Py_ssize_t r
    cdef int64_t n_excl, n_valid
    cdef Stream st
    cdef PairBuffer buf
    _buf_init(&buf, _initial_capacity(mu * <double>n_rows * <double>n_pool))
    if mu <= 0.0 or n_rows == 0:
        return _buf_release(&buf)
    with nogil:
        for r in range(n_rows):
            if buf.failed:
                break
            n_excl = hi[r] - lo[r]
            excl = ord_p + lo[r] if n_excl > 0 else NULL
            n_valid = n_pool - n_excl
            if n_valid <= 0:
                continue
            stream_init(&st, seed, stream, <uint64_t>site_ids[r], _word(tag, occurrence[r]))
            _push_uniform(&buf, &st, r, poisson(&st, mu * <double>n_valid), excl, n_excl,
                          n_valid)
    return _buf_release(&buf)


cdef inline void _push_uniform(PairBuffer* buf, Stream* st, int64_t r, int64_t total,
                               const int64_t* excl, int64_t n_excl,
                               int64_t n_valid) noexcept nogil:
    """``total`` positions of row r, each uniform over its valid pool."""
    cdef int64_t t
    for t in range(total):
        if _buf_push(buf, r, _map_valid(_uniform_index(st, n_valid), excl, n_excl)) != 0:
            break


def counted_rows(const int64_t[::1] counts, const int64_t[::1] site_ids,
                 const uint32_t[::1] occurrence, int64_t n_pool, const int64_t[::1] order,
                 const int64_t[::1] lo, const int64_t[::1] hi,
                 uint64_t seed, uint32_t stream, uint32_t tag):
    """``counts[r]`` positions for each row r, each uniform over the row's valid pool.

    The sources of fixed_total_number's targets, once :func:`multinomial` has split N over
    the targets. The caller has checked that a row with a count has a valid pool.

    Returns
    -------
    (rows, cols) : int64 arrays; rows ascending, cols in draw order within a row.
    """
    cdef Py_ssize_t n_rows = site_ids.shape[0], r
    cdef const int64_t* ord_p = _base(order)
    cdef int64_t n_excl, total = 0
    cdef Stream st
    cdef PairBuffer buf
    for r in range(n_rows):
        total += counts[r]
    _buf_init(&buf, total)
    with nogil:
        for r in range(n_rows):
            if buf.failed:
                break
            if counts[r] == 0:
                continue
            n_excl = hi[r] - lo[r]
            stream_init(&st, seed, stream, <uint64_t>site_ids[r], _word(tag, occurrence[r]))
            _push_uniform(&buf, &st, r, counts[r], ord_p + lo[r] if n_excl > 0 else NULL,
                          n_excl, n_pool - n_excl)
    return _buf_release(&buf)


cdef int64_t _binomial(Stream* st, int64_t n, double p) noexcept nogil:
    """A Binomial(n, p) draw: inversion for a mean below 10, else Hormann's BTRS (transformed
    rejection with squeeze, 1993), exact for every n and p."""
    cdef bint flip = p > 0.5
    cdef double q, s, a, r, u, v, us, spq, b, alpha, lpq, h, vr, c
    cdef int64_t x, m, k
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if flip:
        p = 1.0 - p
    q = 1.0 - p
    if <double>n * p < 10.0:
        s = p / q
        a = <double>(n + 1) * s
        r = exp(<double>n * log1p(-p))
        u = next_double(st)
        x = 0
        while u > r and x < n:
            u -= r
            x += 1
            r *= a / <double>x - s
    else:
        spq = sqrt(<double>n * p * q)
        b = 1.15 + 2.53 * spq
        a = -0.0873 + 0.0248 * b + 0.01 * p
        c = <double>n * p + 0.5
        alpha = (2.83 + 5.1 / b) * spq
        lpq = log(p / q)
        m = <int64_t>floor(<double>(n + 1) * p)
        h = lgamma(<double>m + 1.0) + lgamma(<double>(n - m) + 1.0)
        vr = 0.92 - 4.2 / b
        while True:
            u = next_double(st) - 0.5
            v = next_double(st)
            us = 0.5 - fabs(u)
            k = <int64_t>floor((2.0 * a / us + b) * u + c)
            if k < 0 or k > n:
                continue
            if us >= 0.07 and v <= vr:
                x = k
                break
            v = log(v * alpha / (a / (us * us) + b))
            if v <= h - lgamma(<double>k + 1.0) - lgamma(<double>(n - k) + 1.0) + \
                    <double>(k - m) * lpq:
                x = k
                break
    return n - x if flip else x


def multinomial(int64_t n, const int64_t[::1] weights, uint64_t seed, uint32_t stream,
                uint32_t tag):
    """Counts of ``n`` draws over cells with probabilities proportional to ``weights``.

    Conditional binomials, cell by cell, from one counter site (0 of the stream's ``tag``
    word), so every process draws the same counts. O(cells), independent of n.
    """
    cdef Py_ssize_t n_cells = weights.shape[0], i
    counts = np.zeros(n_cells, dtype=np.int64)
    cdef int64_t[::1] out = counts
    cdef double left = 0.0
    cdef int64_t rest = n
    cdef Stream st
    for i in range(n_cells):
        left += <double>weights[i]
    with nogil:
        stream_init(&st, seed, stream, 0, _word(tag, 0))
        for i in range(n_cells):
            if rest == 0 or left <= 0.0:
                break
            if <double>weights[i] >= left:
                out[i] = rest
            else:
                out[i] = _binomial(&st, rest, <double>weights[i] / left)
            rest -= out[i]
            left -= <double>weights[i]
    return counts


def all_pairs(int64_t n_pre, const int64_t[::1] order, const int64_t[::1] lo,
              const int64_t[::1] hi):
    """Every (source, target) pair except the excluded ones; targets vary slowest.

    Parameters
    ----------
    n_pre : int
        Number of sources.
    order, lo, hi : int64 arrays, one lo/hi entry per target
        Excluded source positions of target j: ``order[lo[j]:hi[j]]`` (ascending).

    Returns
    -------
    (pre_pos, post_pos) : int64 arrays
    """
    cdef Py_ssize_t n_post = lo.shape[0]
    cdef Py_ssize_t j
    cdef int64_t i, e, n_excl, m = 0, total = 0
    for j in range(n_post):
        total += n_pre - (hi[j] - lo[j])
    pre = np.empty(total, dtype=np.int64)
    post = np.empty(total, dtype=np.int64)
    if total == 0:
        return pre, post
    cdef int64_t[::1] pr = pre
    cdef int64_t[::1] po = post
    cdef const int64_t* ord_p = _base(order)
    cdef const int64_t* excl
    with nogil:
        for j in range(n_post):
            n_excl = hi[j] - lo[j]
            excl = ord_p + lo[j] if n_excl > 0 else NULL
            e = 0
            for i in range(n_pre):
                if e < n_excl and excl[e] == i:
                    e += 1
                    continue
                pr[m] = i
                po[m] = j
                m += 1
    return pre, post


def every_pair_ids(const int[::1] pre_ids, const int[::1] post_ids):
    """Source and target ids of all pairs, sources varying slowest (int32, one pass)."""
    cdef Py_ssize_t n_pre = pre_ids.shape[0], n_post = post_ids.shape[0], i, j, m = 0
    sources = np.empty(n_pre * n_post, dtype=np.int32)
    targets = np.empty(n_pre * n_post, dtype=np.int32)
    cdef int[::1] s = sources
    cdef int[::1] t = targets
    with nogil:
        for i in range(n_pre):
            for j in range(n_post):
                s[m] = pre_ids[i]
                t[m] = post_ids[j]
                m += 1
    return sources, targets


def gather_ids(const int[::1] ids, const int[:, ::1] positions, out=None):
    """``ids[positions]`` flattened, as int32 (numpy would first copy int32 positions to int64).

    ``out`` (int32, positions' shape or flat) receives the ids; it may be ``positions``
    itself, as each position is read only before its own slot is written.
    """
    cdef Py_ssize_t n_rows = positions.shape[0], k = positions.shape[1], r, c, m = 0
    out = np.empty(n_rows * k, dtype=np.int32) if out is None else out.reshape(-1)
    cdef int[::1] o = out
    with nogil:
        for r in range(n_rows):
            for c in range(k):
                o[m] = ids[positions[r, c]]
                m += 1
    return out


cdef inline uint64_t _mix64(uint64_t x) noexcept nogil:
    x ^= x >> 30
    x *= 0xBF58476D1CE4E5B9ULL
    x ^= x >> 27
    x *= 0x94D049BB133111EBULL
    return x ^ (x >> 31)


def shuffled_index(const int64_t[::1] index, int64_t n, uint64_t seed, uint32_t stream):
    """A keyed pseudo-random permutation of 0..n-1, applied to ``index``.

    fixed_total_number makes its connections target by target; NEST's order is the draw
    order, in which targets come at random. The permutation (a 4-round Feistel network on
    the smallest even-bit domain >= n, cycle-walking back into [0, n)) gives each
    connection its place in that order from its target-major index alone, so every process
    computes the places of its own connections.
    """
    out = np.empty(index.shape[0], dtype=np.int64)
    cdef int64_t[::1] o = out
    cdef int half = 1
    while (<uint64_t>1 << (2 * half)) < <uint64_t>n:
        half += 1
    cdef uint64_t mask = (<uint64_t>1 << half) - 1
    cdef uint64_t key = _mix64(seed ^ (<uint64_t>stream << 32) ^ 0x5DEECE66DULL)
    cdef uint64_t x, left, right, tmp
    cdef Py_ssize_t i
    cdef int r
    with nogil:
        for i in range(index.shape[0]):
            x = <uint64_t>index[i]
            while True:
                left = x >> half
                right = x & mask
                for r in range(4):
                    tmp = right
                    right = left ^ (_mix64(key + <uint64_t>r * 0x9E3779B97F4A7C15ULL + right)
                                    & mask)
                    left = tmp
                x = (left << half) | right
                if x < <uint64_t>n:
                    break
            o[i] = <int64_t>x
    return out


def row_sites(const int64_t[::1] row_ids, const int64_t[::1] rows):
    """``row_ids[rows[c]] << 32 | j`` for connection c, the j-th of its row (``rows``
    ascending): the Parameter value sites of a per-target rule's connections, in one pass."""
    out = np.empty(rows.shape[0], dtype=np.uint64)
    cdef uint64_t[::1] o = out
    cdef Py_ssize_t c
    cdef uint64_t j = 0
    with nogil:
        for c in range(rows.shape[0]):
            if c > 0 and rows[c] != rows[c - 1]:
                j = 0
            o[c] = (<uint64_t>row_ids[rows[c]] << 32) | j
            j += 1
    return out
