"""Devices: stimulation generators and recorders, node models like any other."""
