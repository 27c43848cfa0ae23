"""PyNN 0.13 backend on the Neuropil kernel (``import pyNN.neuropil as sim``).

Not implemented yet: importing works, using it raises NotImplementedError with a pointer to
the NEST face, which is complete for the models Neuropil has.
"""


def setup(*args, **kwargs):
    """Placeholder until the PyNN backend lands."""
    raise NotImplementedError(
        "pyNN.neuropil is not implemented yet; use `import nest` (Neuropil's NEST face) for now.")
