"""Spike delivery: ring buffers, connection tables, the spike register."""
