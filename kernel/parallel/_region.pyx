"""Threads over a min_delay slice: neuron cores updated in parts, and the slice engine.

Threads own contiguous ranges of ring columns (Kernel.thread_bounds). A ThreadedCore's nodes
are updated part by part, one part per thread, and the parts' spikes merged into the order
one thread gives (by step, then node), so results do not depend on the number of threads.

The SliceEngine runs slices (several per call) in one parallel region. In every slice each
thread draws the Poisson input of its targets, sends the generators' currents to them and
updates its parts of the neuron blocks; the threads meet once; each then delivers the slice's
spikes (merged in canonical order, every thread for itself) to its own targets through every
static table. With several threads, each writes its ring columns in a ring of its own
(ThreadRings, kept by the kernel until its ring is read), so no two threads write the same
pages. Every ring entry gets its adds in the order of the one-thread update (generators'
deposits, then the tables in order, spikes in register order), so the sums are the same bits
for any number of threads. Waking sleeping threads costs tens of microseconds on a shared
machine, so a call pays for it once and a slice only for a meeting (meeting.h): a thread that
arrives first draws its part of the next slice's Poisson input while it waits, where the
deposits keep their order, then spins briefly (slices.MEETING_SPIN_SECONDS) and sleeps. On a
shared machine a core loses moments to other work, now to one thread, now to the other; the
time the other thread would wait then goes into its next slice.
"""
from cython.parallel cimport parallel, prange
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy

import numpy as np

from kernel._types cimport RingView, real_t, ring_view, step_t
from kernel.delivery._deliver cimport (TableParts, ThreadedTable, deliver_part,
                                       parallel_threads, unroll_flags)
from kernel.devices._generators cimport (CurrentRun, CurrentRuns, PoissonRun, PoissonRuns,
                                         current_run_part, poisson_run_part)

cdef extern from "meeting.h":
    ctypedef struct np_meeting:
        pass
    np_meeting* np_meeting_new() noexcept nogil
    void np_meeting_reset(np_meeting* m) noexcept nogil
    void np_meeting_arrive(np_meeting* m) noexcept nogil
    bint np_meeting_complete(np_meeting* m, int expected) noexcept nogil
    void np_meeting_wait(np_meeting* m, int expected, double spin_seconds) noexcept nogil
    int np_team_rank() noexcept nogil
    int np_team_size() noexcept nogil

# the columns of a piece of Poisson input drawn while a thread waits at a meeting (a few
# microseconds: how late that thread may notice that the others have arrived)
cdef enum:
    AHEAD_COLUMNS = 256

# tests: threads draw all of the next slice's Poisson input before they arrive at a meeting
# (where that is allowed), so that drawing ahead is exercised whatever the timing
cdef bint _draw_all_ahead = False


def set_draw_all_ahead(bint all_ahead):
    """Make threads draw the next slice's Poisson input before each meeting (tests); returns
    the previous setting."""
    global _draw_all_ahead
    previous, _draw_all_ahead = _draw_all_ahead, all_ahead
    return previous


ctypedef struct PoissonCursor:
    # how far a part's Poisson input of the next slice is drawn: runs before ``run`` and, of
    # that run, steps before ``lag`` and the columns before ``column`` (-1: none) of step lag
    Py_ssize_t run, lag
    long column


cdef object _fill_samples(Samples* s, const int[::1] rec_nodes,
                          const unsigned char[::1] flags, real_t[:, :, ::1] out):
    # the struct for a core's part function; returns what must stay alive while it is used
    row_of_step = np.cumsum(flags, dtype=np.int64) - 1
    cdef const long[::1] rows = row_of_step
    s.n_rec = rec_nodes.shape[0] if out.shape[0] > 0 else 0
    s.n_vars = out.shape[2]
    if s.n_rec == 0:
        s.rec_nodes, s.flags, s.row_of_step, s.out = NULL, NULL, NULL, NULL
        return None
    s.rec_nodes, s.flags, s.row_of_step = &rec_nodes[0], &flags[0], &rows[0]
    s.out = &out[0, 0, 0]
    return row_of_step


cdef Py_ssize_t _merge_parts(int nsteps, Py_ssize_t stride, Py_ssize_t n_parts,
                             const long* bounds, const Py_ssize_t* counts, const int* part_node,
                             const int* part_lag, const long* part_mult, int* out_node,
                             int* out_lag, long* out_mult) noexcept nogil:
    # Part c's spikes start at part_*[bounds[c] * stride], in step order: merged by step, then
    # part (parts cover ascending nodes), they are in one-thread order. Multiplicities are
    # merged when out_mult is not NULL: from part_mult, or ones when that is NULL.
    cdef Py_ssize_t c, lag, pos, total = 0
    cdef Py_ssize_t* cursor = <Py_ssize_t*>malloc(max(n_parts, 1) * sizeof(Py_ssize_t))
    for c in range(n_parts):
        cursor[c] = 0
    for lag in range(nsteps):
        for c in range(n_parts):
            pos = bounds[c] * stride + cursor[c]
            while cursor[c] < counts[c] and part_lag[pos] == lag:
                out_node[total] = part_node[pos]
                out_lag[total] = <int>lag
                if out_mult != NULL:
                    out_mult[total] = 1 if part_mult == NULL else part_mult[pos]
                total += 1
                cursor[c] += 1
                pos += 1
    free(cursor)
    return total


cdef void _copy_columns(const RingView* src, RingView* dst, Py_ssize_t c0,
                        Py_ssize_t c1) noexcept nogil:
    # columns c0 <= c < c1 of every slot and channel (two views of one ring's shape)
    cdef Py_ssize_t row
    for row in range(src.length * src.channels):
        memcpy(dst.data + row * dst.width + c0, src.data + row * src.width + c0,
               (c1 - c0) * sizeof(real_t))


cdef class ThreadRings:
    """Each thread's ring columns in a ring of its own, from the engine's first call that
    runs on several threads until the kernel's ring is read (Kernel.ring stores them back).

    On this shared machine two cores writing apart in the same pages were at times a third
    slower than in separate ones (NEST's buffers are per thread). The rings outlive a Run,
    so that a loop of short Simulate calls does not copy the whole ring in and out each time.

    Parameters
    ----------
    bounds : ndarray of int64
        The threads' ring columns, bounds[t] <= column < bounds[t + 1].
    shape : tuple of int
        The shape of the kernel's ring.
    """
    cdef readonly object bounds, shape
    cdef readonly bint loaded
    cdef Py_ssize_t n_parts
    cdef RingView* views
    cdef object _arrays

    def __cinit__(self, bounds, shape):
        self.bounds = np.array(bounds, dtype=np.int64)
        self.shape = tuple(shape)
        self.n_parts = self.bounds.shape[0] - 1
        self.views = <RingView*>malloc(max(self.n_parts, 1) * sizeof(RingView))
        if self.views == NULL:
            raise MemoryError()
        self.loaded = False

    def __dealloc__(self):
        free(self.views)

    def serves(self, bounds, shape):
        """Whether these rings fit a ring of ``shape`` split at ``bounds``."""
        return tuple(shape) == self.shape and np.array_equal(bounds, self.bounds)

    cdef RingView* load(self, real_t[:, :, ::1] ring):
        # the parts' views, their columns copied from ``ring`` unless they hold them already
        cdef RingView rv = ring_view(ring)
        cdef const long[::1] b = self.bounds
        cdef real_t[:, :, ::1] part
        cdef Py_ssize_t p
        if self.loaded:
            return self.views
        if self._arrays is None:
            # zeroed: a page is backed only once the part's thread writes it
            self._arrays = [np.zeros(self.shape) for _ in range(self.n_parts)]
            for p in range(self.n_parts):
                part = self._arrays[p]
                self.views[p] = ring_view(part)
        for p in prange(self.n_parts, nogil=True, num_threads=self.n_parts, schedule="static",
                        chunksize=1):
            _copy_columns(&rv, &self.views[p], b[p], b[p + 1])
        self.loaded = True
        return self.views

    def store(self, real_t[:, :, ::1] ring):
        """Copy the threads' columns back into ``ring`` (the kernel's), if they are here."""
        cdef RingView rv = ring_view(ring)
        cdef const long[::1] b = self.bounds
        cdef Py_ssize_t p
        if not self.loaded:
            return
        for p in prange(self.n_parts, nogil=True, num_threads=self.n_parts, schedule="static",
                        chunksize=1):
            _copy_columns(&self.views[p], &rv, b[p], b[p + 1])
        self.loaded = False


cdef class ThreadedCore:
    """A neuron core whose nodes can be updated in parts (see NeuronPart in _region.pxd)."""

    def __cinit__(self):
        self.current_input = True

    cdef NeuronPart part_function(self):
        return NULL

    cdef void* part_state(self):
        return NULL

    cdef Py_ssize_t size(self):
        return 0

    cdef bint multiple_spikes(self):
        return False

    def update(self, real_t[:, :, ::1] ring, int first, step_t t0, int nsteps,
               int[::1] spk_node, int[::1] spk_lag, const int[::1] rec_nodes,
               const unsigned char[::1] sample_flags, real_t[:, :, ::1] sample_out,
               const long[::1] bounds=None, long[::1] spk_mult=None):
        """Advance all nodes by ``nsteps`` steps; return the number of spikes emitted, listed
        in spk_node / spk_lag (and their multiplicities in ``spk_mult``, which a core whose
        nodes may spike several times a step needs) by step, then node.

        ``bounds`` (local indices, ascending, first 0 and last n) splits the nodes between
        threads; each thread updates its part for all steps.
        """
        cdef Py_ssize_t n = self.size(), n_parts, c
        if n == 0:
            return 0
        if spk_mult is None and self.multiple_spikes():
            raise ValueError(f"{type(self).__name__} needs spk_mult for its multiplicities")
        cdef long* mult_out = NULL if spk_mult is None else &spk_mult[0]
        if bounds is None:
            bounds = np.array([0, n], dtype=np.int64)
        n_parts = bounds.shape[0] - 1
        cdef RingView rv = ring_view(ring)
        cdef Samples samples
        keep = _fill_samples(&samples, rec_nodes, sample_flags, sample_out)
        cdef NeuronPart part = self.part_function()
        cdef void* state = self.part_state()
        if n_parts == 1:
            return part(state, &rv, first, t0, nsteps, 0, n, &spk_node[0], &spk_lag[0],
                        mult_out, &samples)
        if self._scratch is None or self._scratch[0].shape[1] < n * nsteps:
            self._scratch = (np.empty((2, n * nsteps), dtype=np.int32),
                             np.empty(n * nsteps, dtype=np.int64))
        cdef int[:, ::1] scratch = self._scratch[0]
        cdef long[::1] scratch_mult = self._scratch[1]
        counts_arr = np.zeros(n_parts, dtype=np.intp)
        cdef Py_ssize_t[::1] counts = counts_arr
        for c in prange(n_parts, nogil=True, schedule="static", chunksize=1,
                        num_threads=parallel_threads(n_parts, n * nsteps)):
            counts[c] = part(state, &rv, first, t0, nsteps, bounds[c], bounds[c + 1],
                             &scratch[0, bounds[c] * nsteps], &scratch[1, bounds[c] * nsteps],
                             &scratch_mult[bounds[c] * nsteps], &samples)
        with nogil:
            n = _merge_parts(nsteps, nsteps, n_parts, &bounds[0], &counts[0], &scratch[0, 0],
                             &scratch[1, 0], &scratch_mult[0], &spk_node[0], &spk_lag[0],
                             mult_out)
        return n


cdef class SolverCore(ThreadedCore):
    """A ThreadedCore of neurons integrated by an ODE solver.

    Its part is its ``_part`` method (the core is its own part state: the solver's time
    dwarfs what local pointers would save). A node can fail: its part stops there and
    records the step in ``fail_steps`` and the cause in ``fail_codes`` (-1 and 0: none), so
    the parts may hold several failures; ``failed``, ``failure_step`` and ``fail_code`` name
    the one the one-thread update meets first (by step, then node).
    """

    cdef NeuronPart part_function(self):
        return _solver_core_part

    cdef void* part_state(self):
        return <void*>self

    cdef Py_ssize_t _part(self, const RingView* ring, Py_ssize_t first, step_t t0, int nsteps,
                          Py_ssize_t i0, Py_ssize_t i1, int* spk_node, int* spk_lag,
                          long* spk_mult, const Samples* samples) noexcept nogil:
        return 0

    cdef bint part_failed(self, Py_ssize_t i0, Py_ssize_t i1) noexcept nogil:
        """Whether a node i0 <= i < i1 has failed (its part then updates nothing more)."""
        cdef Py_ssize_t i
        for i in range(i0, i1):
            if self.fail_steps[i] >= 0:
                return True
        return False

    def reset_failures(self):
        """Size the failure records for the nodes, none failed."""
        self.fail_steps = np.full(self.size(), -1, dtype=np.int_)
        self.fail_codes = np.zeros(self.size(), dtype=np.int32)

    def _first_failure(self):
        steps = np.asarray(self.fail_steps)
        bad = np.flatnonzero(steps >= 0)
        if not bad.size:
            return -1, -1
        i = int(bad[np.argmin(steps[bad])])
        return i, int(steps[i])

    @property
    def failed(self):
        """Local index of the node that failed first, or -1 (set -1 to forget failures)."""
        return self._first_failure()[0]

    @failed.setter
    def failed(self, value):
        if value != -1:
            raise ValueError("failed can only be cleared (-1)")
        self.reset_failures()

    @property
    def failure_step(self):
        """The step of that failure, or -1."""
        return self._first_failure()[1]

    @property
    def fail_code(self):
        """The cause of that failure (the core's code), or 0."""
        i = self.failed
        return int(self.fail_codes[i]) if i >= 0 else 0


cdef Py_ssize_t _solver_core_part(void* state, const RingView* ring, Py_ssize_t first,
                                  step_t t0, int nsteps, Py_ssize_t i0, Py_ssize_t i1,
                                  int* spk_node, int* spk_lag, long* spk_mult,
                                  const Samples* samples) noexcept nogil:
    # a SolverCore's NeuronPart: the state is the core itself (borrowed)
    return (<SolverCore>state)._part(ring, first, t0, nsteps, i0, i1, spk_node, spk_lag,
                                     spk_mult, samples)

ctypedef struct NeuronTask:
    NeuronPart part
    void* state
    Py_ssize_t first            # ring column of node 0
    int first_id                # node id of node 0
    long* last_spike            # per node: stamp of its last spike
    const long* bounds          # thread p's nodes bounds[p] <= i < bounds[p + 1]
    # two buffers, for even and odd slices: a thread updates slice s + 1 into one while the
    # others may still be merging slice s from the other
    int* part_node[2]           # thread p's spikes from part_*[b][bounds[p] * max_steps]
    int* part_lag[2]
    long* part_mult[2]          # NULL for a core whose spikes are single
    Py_ssize_t* counts[2]       # per thread
    Samples samples


cdef class SliceEngine:
    """A network's slices, several in one parallel region (see the module docstring).

    A thread that reaches a slice's meeting before the others draws its part of the next
    slice's Poisson input while it waits, when no table's delay reaches the slots that input
    fills (the deposits every ring entry gets keep their order); the rest is drawn in the next
    slice as usual.

    Parameters
    ----------
    neurons : list of (ThreadedCore, ring column of node 0, id of node 0, last_spike array,
        thread bounds as local indices)
    poisson : list of PoissonRuns
    currents : list of CurrentRuns
        Current generators; their currents never share a ring entry with spikes (an input
        channel takes one or the other), so they keep their order among themselves only.
    tables : list of ThreadedTable
        The static tables, in delivery order.
    bounds : ndarray of int64
        The threads' ring columns, bounds[t] <= column < bounds[t + 1].
    max_steps : int
        The longest update (min_delay in steps).
    spike_reach : int
        The longest delay (steps) of the tables' connections from the neurons; -1: unknown
        (no Poisson input is drawn ahead).
    spin_seconds : float
        How long a thread spins at a meeting before it sleeps (< 0: until the meeting;
        slices.meeting_spin_seconds).
    """
    cdef NeuronTask* tasks
    cdef Py_ssize_t n_tasks, n_runs, n_currents, n_tables, n_parts, max_steps
    # neuron steps, Poisson draws and currents sent a step
    cdef readonly Py_ssize_t work_per_step
    cdef PoissonRun* runs
    cdef CurrentRun* currents
    cdef const TableParts** tables
    cdef const long* bounds
    cdef object _bounds
    # whether a neuron task lists spikes with multiplicities (else every spike is single)
    cdef bint multiple
    # the spikes of the slices of a run call, gathered by thread 0
    cdef int* out_ids
    cdef long* out_stamps
    cdef long* out_mults
    cdef Py_ssize_t out_size, out_capacity
    cdef bint out_failed
    cdef object _keep
    # each part's view of the kernel's ring, when no ThreadRings hold the columns
    cdef RingView* part_views
    cdef np_meeting* meeting
    cdef double spin_seconds
    # whether threads draw Poisson input ahead, and per part how far they did
    cdef readonly bint lookahead
    cdef PoissonCursor* ahead

    def __cinit__(self, neurons, poisson, currents, tables, const long[::1] bounds,
                  int max_steps, int spike_reach, double spin_seconds):
        cdef Py_ssize_t j, b, n_total = 0, n_drawn, n_sent = 0
        cdef ThreadedCore core
        cdef ThreadedTable table
        cdef PoissonRuns runs
        cdef CurrentRuns sources
        cdef long[::1] last, lb
        cdef Py_ssize_t[:, :, ::1] counts
        cdef int[:, :, ::1] spikes
        cdef long[:, ::1] mults
        self.n_parts = bounds.shape[0] - 1
        self.max_steps = max_steps
        self.n_tasks, self.n_tables = len(neurons), len(tables)
        self.n_runs = sum(r.n for r in poisson)
        self.n_currents = sum(r.n for r in currents)
        self.tasks = <NeuronTask*>malloc(max(self.n_tasks, 1) * sizeof(NeuronTask))
        self.runs = <PoissonRun*>malloc(max(self.n_runs, 1) * sizeof(PoissonRun))
        self.currents = <CurrentRun*>malloc(max(self.n_currents, 1) * sizeof(CurrentRun))
        self.tables = <const TableParts**>malloc(max(self.n_tables, 1) * sizeof(void*))
        self.part_views = <RingView*>malloc(self.n_parts * sizeof(RingView))
        self.ahead = <PoissonCursor*>malloc(self.n_parts * sizeof(PoissonCursor))
        self.meeting = np_meeting_new()
        if self.tasks == NULL or self.runs == NULL or self.currents == NULL or \
                self.tables == NULL or self.part_views == NULL or self.ahead == NULL or \
                self.meeting == NULL:
            raise MemoryError()
        self.spin_seconds = spin_seconds
        for j in range(self.n_parts):
            self.ahead[j].run, self.ahead[j].lag, self.ahead[j].column = 0, 0, -1
        self._bounds = np.asarray(bounds)
        keep = [self._bounds]
        self.bounds = &bounds[0]
        counts = np.zeros((max(self.n_tasks, 1), 2, self.n_parts), dtype=np.intp)
        keep.append(counts.base)
        for j, (core, first, first_id, last_spike, local_bounds) in enumerate(neurons):
            n = core.size()
            last, lb = last_spike, np.ascontiguousarray(local_bounds, dtype=np.int64)
            spikes = np.empty((2, 2, max(n * max_steps, 1)), dtype=np.int32)
            keep += [core, last_spike, lb.base, spikes.base]
            self.tasks[j].part = core.part_function()
            self.tasks[j].state = core.part_state()
            self.tasks[j].first, self.tasks[j].first_id = first, first_id
            self.tasks[j].last_spike = &last[0]
            self.tasks[j].bounds = &lb[0]
            if core.multiple_spikes():
                mults = np.empty((2, max(n * max_steps, 1)), dtype=np.int64)
                keep.append(mults.base)
                self.multiple = True
            for b in range(2):
                self.tasks[j].part_node[b] = &spikes[b, 0, 0]
                self.tasks[j].part_lag[b] = &spikes[b, 1, 0]
                self.tasks[j].part_mult[b] = &mults[b, 0] if core.multiple_spikes() else NULL
                self.tasks[j].counts[b] = &counts[j, b, 0]
            self.tasks[j].samples.n_rec = 0
            n_total += n
        j = 0
        n_drawn = 0         # Poisson trains drawn a step
        for runs in poisson:
            keep.append(runs)
            for k in range(runs.n):
                self.runs[j] = runs.runs[k]
                n_drawn += runs.runs[k].n
                j += 1
        j = 0
        for sources in currents:
            keep.append(sources)
            for k in range(sources.n):
                self.currents[j] = sources.runs[k]
                n_sent += sources.runs[k].n
                j += 1
        for j, table in enumerate(tables):
            keep.append(table)
            self.tables[j] = &table.parts
        # a slice's spikes reach slots up to its last step + spike_reach; the next slice's
        # Poisson deposits start at its first step + the shortest run delay
        self.lookahead = self.n_runs > 0 and self.n_parts > 1 and 0 <= spike_reach <= \
            min([self.runs[k].delay for k in range(self.n_runs)])
        # neuron steps, Poisson draws and currents sent a step: whether a slice is worth
        # waking the threads
        self.work_per_step = n_total + n_drawn + n_sent
        self._keep = keep

    def __dealloc__(self):
        free(self.tasks)
        free(self.runs)
        free(self.currents)
        free(self.tables)
        free(self.part_views)
        free(self.ahead)
        free(self.meeting)
        free(self.out_ids)
        free(self.out_stamps)
        free(self.out_mults)

    def run(self, real_t[:, :, ::1] ring, ThreadRings rings, const long[::1] starts,
            const int[::1] lengths, const unsigned char[::1] target_kind,
            const unsigned char[::1] neg_shift, const unsigned char[::1] unrolls,
            const unsigned char[::1] listened,
            samples=None, currents=()):
        """Update, and deliver, the slices of steps starts[s] ... starts[s] + lengths[s] - 1
        (each at most max_steps long, one after the other); return the spikes of their
        register whose senders are ``listened`` to (a flag per node id: those recorders
        record) as (senders, stamps, multiplicities) in canonical order, slice after slice
        (multiplicities None when every spike is single).

        ``unrolls``: which senders' spikes of multiplicity m arrive as m spikes (see
        kernel.delivery._deliver.deliver), a flag per node id.

        ``samples``: per neuron task (rec_nodes, flags, out) from Recording.sample_buffers
        for the call's steps, or None when nothing samples the block. ``currents``: per
        CurrentRuns (in the engine's order), the generators' currents of the call's steps,
        (generators, steps) float arrays.

        With several threads, each thread's ring columns are in ``rings`` (the kernel's
        ThreadRings for these bounds, loaded from ``ring`` here if they do not hold them yet)
        and stay there after the call: only the threads' own columns are ever written.
        """
        cdef Py_ssize_t j, s, n_slices = starts.shape[0], most = 0
        if not rings.serves(self._bounds, (ring.shape[0], ring.shape[1], ring.shape[2])):
            raise ValueError("the thread rings must be split at the engine's bounds and have "
                             "the ring's shape")
        cdef Py_ssize_t rows = 0
        for j in range(self.n_tables):
            rows = max(rows, self.tables[j].n_rows)
        cdef const unsigned char* unroll = unroll_flags(unrolls, rows)
        for s in range(n_slices):
            most = max(most, lengths[s])
        if most > self.max_steps:
            raise ValueError(f"slices must be at most {self.max_steps} steps, not {most}")
        alive = []      # what the samples' and currents' structs point into
        cdef const real_t[:, ::1] amplitudes
        cdef Py_ssize_t g, row = 0
        for values in currents:
            amplitudes = np.ascontiguousarray(values, dtype=np.float64)
            alive.append(amplitudes)
            if amplitudes.shape[1] < starts[n_slices - 1] + lengths[n_slices - 1] - starts[0]:
                raise ValueError("the currents must cover the call's steps")
            for g in range(amplitudes.shape[0]):
                if row + g >= self.n_currents:
                    raise ValueError("more currents than the engine's current generators")
                self.currents[row + g].amplitude = &amplitudes[g, 0]
                self.currents[row + g].t_first = starts[0]
            row += amplitudes.shape[0]
        if row != self.n_currents:
            raise ValueError(f"currents for {row} generators, not {self.n_currents}")
        for j in range(self.n_tasks):
            self.tasks[j].samples.n_rec = 0
        if samples is not None:
            for j, buffers in enumerate(samples):
                if buffers is not None:
                    rec_nodes, flags, out = buffers
                    alive.append(_fill_samples(&self.tasks[j].samples, rec_nodes, flags, out))
        cdef RingView rv = ring_view(ring)
        cdef int tid, nth, p
        cdef Py_ssize_t n_reg
        cdef int* reg_ids
        cdef int* reg_lags
        cdef long* reg_stamps
        cdef long* reg_mults
        # threads meet once a slice, spinning briefly (kernel/__init__.py): a meeting costs
        # about a tenth of waking them for a parallel region, so a slice needs that much less
        # work to be worth sharing
        cdef int threads = parallel_threads(self.n_parts, self.work_per_step * most * 10)
        cdef RingView* prv = self.part_views
        if threads > 1 or rings.loaded:
            prv = rings.load(ring)
        else:
            for p in range(self.n_parts):
                self.part_views[p] = rv
        cdef bint ahead
        self.out_size, self.out_failed = 0, False
        np_meeting_reset(self.meeting)
        with nogil, parallel(num_threads=threads):
            tid = np_team_rank()
            nth = np_team_size()
            for s in range(n_slices):
                p = tid
                while p < self.n_parts:
                    self._generate(&prv[p], starts[s], lengths[s], p, s & 1,
                                   starts[s] - starts[0])
                    p = p + nth
                if nth > 1:
                    ahead = self.lookahead and s + 1 < n_slices
                    if ahead and _draw_all_ahead:
                        while self._draw_ahead(prv, tid, nth, starts[s + 1], lengths[s + 1]):
                            pass
                    np_meeting_arrive(self.meeting)
                    while not np_meeting_complete(self.meeting, (s + 1) * nth):
                        if not ahead or not self._draw_ahead(prv, tid, nth, starts[s + 1],
                                                             lengths[s + 1]):
                            np_meeting_wait(self.meeting, (s + 1) * nth, self.spin_seconds)
                # every thread merges the slice's spikes into a register of its own
                n_reg = self._spike_count(s & 1)
                reg_ids = <int*>malloc(max(n_reg, 1) * sizeof(int))
                reg_lags = <int*>malloc(max(n_reg, 1) * sizeof(int))
                reg_stamps = <long*>malloc(max(n_reg, 1) * sizeof(long))
                reg_mults = <long*>malloc(max(n_reg, 1) * sizeof(long)) if self.multiple \
                    else NULL
                if reg_ids == NULL or reg_lags == NULL or reg_stamps == NULL or \
                        (self.multiple and reg_mults == NULL):
                    self.out_failed = True      # (the slice's spikes are lost: raised below)
                    n_reg = 0
                else:
                    self._register(starts[s], lengths[s], s & 1, reg_ids, reg_stamps,
                                   reg_lags, reg_mults)
                p = tid
                while p < self.n_parts:
                    for j in range(self.n_tables):
                        deliver_part(&prv[p], self.tables[j], p, reg_ids, reg_stamps,
                                     reg_mults, n_reg, target_kind, neg_shift, unroll)
                    p = p + nth
                if tid == 0:
                    self._gather(reg_ids, reg_stamps, reg_mults, n_reg, listened)
                free(reg_ids)
                free(reg_lags)
                free(reg_stamps)
                free(reg_mults)
        if self.out_failed:
            raise MemoryError("no memory for the spike register of a slice")
        n = self.out_size
        mults = None
        if self.multiple:
            mults = np.array(<long[:n]>self.out_mults) if n else np.zeros(0, np.int64)
        return (np.array(<int[:n]>self.out_ids) if n else np.zeros(0, np.int32),
                np.array(<long[:n]>self.out_stamps) if n else np.zeros(0, np.int64), mults)

    cdef void _gather(self, const int* ids, const long* stamps, const long* mults,
                      Py_ssize_t n, const unsigned char[::1] listened) noexcept nogil:
        # append a slice's register spikes whose senders are listened to (mults NULL: all
        # single) to the run's spikes
        cdef Py_ssize_t k, capacity, kept = 0, n_listened = listened.shape[0]
        cdef int* more_ids
        cdef long* more_stamps
        cdef long* more_mults
        if n == 0 or self.out_failed:
            return
        if self.out_size + n > self.out_capacity:
            capacity = max(2 * self.out_capacity, self.out_size + n)
            more_ids = <int*>realloc(self.out_ids, capacity * sizeof(int))
            if more_ids != NULL:
                self.out_ids = more_ids
            more_stamps = <long*>realloc(self.out_stamps, capacity * sizeof(long))
            if more_stamps != NULL:
                self.out_stamps = more_stamps
            more_mults = self.out_mults
            if mults != NULL:
                more_mults = <long*>realloc(self.out_mults, capacity * sizeof(long))
                if more_mults != NULL:
                    self.out_mults = more_mults
            if more_ids == NULL or more_stamps == NULL or (mults != NULL and more_mults == NULL):
                self.out_failed = True
                return
            self.out_capacity = capacity
        for k in range(n):
            if ids[k] >= n_listened or not listened[ids[k]]:
                continue
            self.out_ids[self.out_size + kept] = ids[k]
            self.out_stamps[self.out_size + kept] = stamps[k]
            if mults != NULL:
                self.out_mults[self.out_size + kept] = mults[k]
            kept += 1
        self.out_size += kept

    cdef void _generate(self, const RingView* rv, step_t t0, int nsteps,
                        Py_ssize_t p, int b, Py_ssize_t lag0) noexcept nogil:
        # thread p's share of the slice: Poisson deposits and currents into its ring columns
        # (future slots only), then its nodes of every neuron block (this slice's slots),
        # spikes into buffer b; the slice starts lag0 steps into the call (its samples)
        cdef Py_ssize_t j, s, i0
        cdef NeuronTask* task
        cdef Samples samples
        self._draw_rest(rv, p, t0, nsteps)
        for j in range(self.n_currents):
            current_run_part(&self.currents[j], rv, t0, nsteps, self.bounds[p],
                             self.bounds[p + 1])
        for j in range(self.n_tasks):
            task = &self.tasks[j]
            i0 = task.bounds[p] * self.max_steps
            samples = task.samples      # the call's samples, seen from this slice
            if samples.n_rec:
                samples.flags += lag0
                samples.row_of_step += lag0
            task.counts[b][p] = task.part(task.state, rv, task.first, t0, nsteps,
                                          task.bounds[p], task.bounds[p + 1],
                                          &task.part_node[b][i0], &task.part_lag[b][i0],
                                          NULL if task.part_mult[b] == NULL
                                          else &task.part_mult[b][i0], &samples)
            for s in range(i0, i0 + task.counts[b][p]):
                task.last_spike[task.part_node[b][s]] = t0 + 1 + task.part_lag[b][s]

    cdef void _draw_rest(self, const RingView* rv, Py_ssize_t p, step_t t0,
                         int nsteps) noexcept nogil:
        # part p's Poisson input of the slice that was not drawn ahead, in the order of the
        # runs, then of the steps (each ring entry gets its deposits in that order)
        cdef PoissonCursor* c = &self.ahead[p]
        cdef long lo = self.bounds[p], hi = self.bounds[p + 1]
        cdef Py_ssize_t j = c.run
        if j < self.n_runs and (c.lag > 0 or c.column >= 0):
            if c.column >= 0:
                poisson_run_part(&self.runs[j], rv, t0 + c.lag, 1, c.column, hi)
                c.lag += 1
            if c.lag < nsteps:
                poisson_run_part(&self.runs[j], rv, t0 + c.lag, nsteps - <int>c.lag, lo, hi)
            j += 1
        for j in range(j, self.n_runs):
            poisson_run_part(&self.runs[j], rv, t0, nsteps, lo, hi)
        c.run, c.lag, c.column = 0, 0, -1

    cdef bint _draw_ahead(self, const RingView* prv, int tid, int nth, step_t t0,
                          int nsteps) noexcept nogil:
        # a piece of the Poisson input of the slice t0 ... t0 + nsteps - 1 for a part of
        # thread tid (parts tid, tid + nth, ...); False when all of it is drawn
        cdef Py_ssize_t p = tid
        cdef PoissonCursor* c
        cdef const PoissonRun* run
        cdef long a, b, e
        while p < self.n_parts:
            c = &self.ahead[p]
            while c.run < self.n_runs:
                run = &self.runs[c.run]
                a = max(self.bounds[p], run.g0)
                b = min(self.bounds[p + 1], run.g0 + run.n)
                if c.lag < nsteps and a < b:
                    if c.column < a:
                        c.column = a
                    e = min(c.column + AHEAD_COLUMNS, b)
                    poisson_run_part(run, &prv[p], t0 + c.lag, 1, c.column, e)
                    c.column = e
                    if e == b:
                        c.lag, c.column = c.lag + 1, -1
                    return True
                c.run, c.lag, c.column = c.run + 1, 0, -1
            p = p + nth
        return False

    cdef Py_ssize_t _spike_count(self, int b) noexcept nogil:
        cdef Py_ssize_t j, p, n = 0
        for j in range(self.n_tasks):
            for p in range(self.n_parts):
                n += self.tasks[j].counts[b][p]
        return n

    cdef void _register(self, step_t t0, int nsteps, int b, int* ids, long* stamps,
                        int* lags, long* mults) noexcept nogil:
        # the slice's spikes (buffer b) in canonical order (block, stamp, sender); the merge
        # lists (node, step), then they are turned into (id, stamp); their multiplicities
        # into mults unless it is NULL
        cdef Py_ssize_t j, s, n, total = 0
        cdef NeuronTask* task
        for j in range(self.n_tasks):
            task = &self.tasks[j]
            n = _merge_parts(nsteps, self.max_steps, self.n_parts, task.bounds,
                             task.counts[b], task.part_node[b], task.part_lag[b],
                             task.part_mult[b], &ids[total], &lags[total],
                             NULL if mults == NULL else &mults[total])
            for s in range(total, total + n):
                ids[s] = task.first_id + ids[s]
            total += n
        for s in range(total):
            stamps[s] = t0 + 1 + lags[s]
