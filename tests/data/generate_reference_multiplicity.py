#!/usr/bin/env python
"""Regenerate tests/data/ref_multiplicity.json: potentials behind spikes of multiplicity > 1.

Run with the interpreter of a venv that has the real NEST 3.10.0 (PyPI) installed, from the
repository root:

    /work/.venv-nest/bin/python tests/data/generate_reference_multiplicity.py

The networks are in tests/multiplicity_refdata.py (shared with the test); the script only
drives NEST through its public Python API and stores the voltmeter's V_m of each case as
JSON floats (which read back to the same bits). It takes about a second.
"""
import datetime
import json
import os
import sys

import nest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import multiplicity_refdata as ref  # noqa: E402

nest.verbosity = nest.VerbosityLevel.QUIET


def main():
    out = {"generator": "tests/data/generate_reference_multiplicity.py",
           "nest_version": nest.__version__,
           "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
           "V_m": {name: ref.run(nest, name) for name in ref.CASES}}
    path = os.path.join(HERE, "ref_multiplicity.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
