"""Parallel execution: MPI processes (mpi.py)."""
