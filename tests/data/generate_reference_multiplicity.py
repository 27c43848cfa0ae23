#!/usr/bin/env python
"""Regenerate tests/data/ref_multiplicity.json: potentials behind spikes of multiplicity > 1.

Run with the interpreter of a venv that has the real NEST 3.10.0 (PyPI) installed, from the
repository root:

    /work/.venv-nest/bin/python tests/data/generate_reference_multiplicity.py

The networks are in tests/multiplicity_refdata.py (shared with the test); the script only
drives NEST through its public Python API and stores the voltmeter's V_m of each case as
JSON floats (which read back to the same bits), and the events a weight recorder got where
there is one. It takes about a second.
"""
import os
import sys

import nest
from generate_reference import dump, header

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import multiplicity_refdata as ref  # noqa: E402


def main():
    runs = {name: ref.run(nest, name) for name in ref.CASES}
    dump("ref_multiplicity.json",
         dict(header(), generator="tests/data/generate_reference_multiplicity.py",
              V_m={name: v for name, (v, _) in runs.items()},
              weight_events={name: n for name, (_, n) in runs.items() if n is not None}))


if __name__ == "__main__":
    main()
