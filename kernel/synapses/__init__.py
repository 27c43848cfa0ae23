"""Synapse models: parameters of connections (the tables live in kernel/delivery)."""
