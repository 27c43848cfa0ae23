"""Parallel execution: MPI processes (mpi.py), threads over a slice (_region.pyx)."""
