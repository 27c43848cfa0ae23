"""Neuron models: one Python block class per model, its update loop in Cython."""
