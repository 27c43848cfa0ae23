# Shared C types of the kernel. Every .pyx cimports its index and value types from here so that
# a change of width (e.g. 64-bit node ids) is made in one place.
from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t

ctypedef int32_t node_t      # node id (1-based, as in NEST) or local index in a block
ctypedef int64_t step_t      # absolute time in steps of the resolution
ctypedef int64_t conn_t      # index of a connection in a synapse table
ctypedef uint16_t delay_t    # delay in steps
ctypedef uint8_t channel_t   # input channel of the target node (receptor port)
ctypedef double real_t       # weights, currents, potentials
