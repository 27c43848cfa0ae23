"""Space: layers of positioned nodes, masks, spatial parameters and spatial connection rules."""
from .connect import SPATIAL_RULES, spatial_connect
from .layer import Layer, NotSpatial, attach, free_layer, grid_layer, layer_of, positions_of
from .masks import Anchored, Ball, Box, Combined, Doughnut, Ellipse, GridMask, Mask
from .parameters import Distance, Geometry, PairFunction, Position, Profile, is_spatial

__all__ = ["Anchored", "Ball", "Box", "Combined", "Distance", "Doughnut", "Ellipse", "Geometry",
           "GridMask", "Layer", "Mask", "NotSpatial", "PairFunction", "Position", "Profile",
           "SPATIAL_RULES", "attach", "free_layer", "grid_layer", "is_spatial", "layer_of",
           "positions_of", "spatial_connect"]
