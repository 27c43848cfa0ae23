# Shared C types of the kernel. Every .pyx cimports its index and value types from here so that
# a change of width (e.g. 64-bit node ids) is made in one place.
from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t

ctypedef int32_t node_t      # node id (1-based, as in NEST) or local index in a block
ctypedef int64_t step_t      # absolute time in steps of the resolution
ctypedef int64_t conn_t      # index of a connection in a synapse table
ctypedef uint16_t delay_t    # delay in steps
ctypedef uint8_t channel_t   # input channel of the target node (receptor port)
ctypedef double real_t       # weights, currents, potentials


ctypedef struct RingView:
    # The input ring ring[slot, channel, column] as data[(slot * channels + channel) * width +
    # column]; a view may hold only some columns' values (a thread's part, see _region.pyx)
    real_t* data
    Py_ssize_t length, channels, width


cdef inline RingView ring_view(real_t[:, :, ::1] ring) noexcept nogil:
    cdef RingView v
    v.data = &ring[0, 0, 0]
    v.length, v.channels, v.width = ring.shape[0], ring.shape[1], ring.shape[2]
    return v


cdef inline real_t* ring_channel(const RingView* ring, Py_ssize_t slot, Py_ssize_t channel,
                                 Py_ssize_t first) noexcept nogil:
    # ring[slot, channel, first + i] is ring_channel(ring, slot, channel, first)[i]
    return ring.data + (slot * ring.channels + channel) * ring.width + first
