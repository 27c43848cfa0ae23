"""Input/output of recorded data: Neo conversion and file formats (shared by both faces)."""
