from kernel._types cimport (RingView, channel_t, delay_t, node_t, real_t, ring_channel,
                             ring_view, step_t)

cdef int parallel_threads(Py_ssize_t n_parts, Py_ssize_t work) noexcept nogil

# How a target takes spikes on channel 0 (mirrors kernel/nodes.py).
cdef enum:
    TAKES_WEIGHT = 0
    TAKES_COUNT = 1
    TAKES_NOTHING = 2


ctypedef struct TableParts:
    # A static table split between threads. Thread p's connections of row (source) r are at
    # positions lo[p * n_rows + r] <= j < hi[p * n_rows + r], in row order; position j is
    # connection k = perm[j] (k = j when perm is NULL), whose target is targets[k]. The value
    # columns have one entry per connection, or one for all (stride 0).
    Py_ssize_t n_rows
    const long* lo
    const long* hi
    const int* targets
    const long* perm
    const real_t* weights
    const delay_t* delays
    const channel_t* receptors
    Py_ssize_t w_stride, d_stride, r_stride
    bint homogeneous
    const unsigned char* plain     # per row: every target adds weight x count, no lookup
    # homogeneous tables whose threads own at most 65536 columns each: position j holds the
    # target's column as an offset from its thread's first column, base[part] (targets that
    # take nothing left out); NULL: targets[k] as above
    const unsigned short* offsets
    const long* base


cdef class ThreadedTable:
    cdef TableParts parts
    cdef readonly Py_ssize_t n_parts
    cdef object _keep


cdef const unsigned char* unroll_flags(const unsigned char[::1] unrolls,
                                      Py_ssize_t n_rows) except? NULL


cdef void deliver_part(const RingView* ring, const TableParts* tp, Py_ssize_t part,
                       const int* senders, const long* stamps, const long* multiplicities,
                       Py_ssize_t n_events, const unsigned char[::1] target_kind,
                       const unsigned char[::1] neg_shift,
                       const unsigned char* unrolls) noexcept nogil


cdef inline real_t* event_entry(const RingView* ring, Py_ssize_t slot, channel_t channel,
                                node_t target, real_t weight, real_t multiplicity,
                                const unsigned char[::1] target_kind,
                                const unsigned char[::1] neg_shift,
                                real_t* amount) noexcept nogil:
    """The ring entry (in ``slot``) to which one spike event to ``target`` adds, and in
    ``amount`` what it adds; NULL for a target that takes nothing."""
    cdef unsigned char kind = target_kind[target]
    if kind == TAKES_NOTHING:
        return NULL
    if kind == TAKES_COUNT:
        amount[0] = multiplicity
    else:
        if weight < 0.0 and channel == 0:
            channel = channel + neg_shift[target]
        amount[0] = weight * multiplicity
    return ring_channel(ring, slot, channel, target)


cdef inline void deposit_event(const RingView* ring, step_t arrival, channel_t channel,
                               node_t target, real_t weight, real_t multiplicity,
                               const unsigned char[::1] target_kind,
                               const unsigned char[::1] neg_shift) noexcept nogil:
    """Add one spike event to the input ring of ``target`` for step ``arrival``."""
    cdef real_t amount
    cdef real_t* entry = event_entry(ring, arrival % ring.length, channel, target, weight,
                                     multiplicity, target_kind, neg_shift, &amount)
    if entry != NULL:
        entry[0] += amount


cdef inline void deposit_spike(real_t[:, :, ::1] ring, step_t arrival, channel_t channel,
                               node_t target, real_t weight, real_t multiplicity,
                               const unsigned char[::1] target_kind,
                               const unsigned char[::1] neg_shift) noexcept nogil:
    """``deposit_event`` into a whole ring."""
    cdef RingView view = ring_view(ring)
    deposit_event(&view, arrival, channel, target, weight, multiplicity, target_kind, neg_shift)
