"""Build script: only cythonizes the kernel (all metadata lives in setup.cfg)."""
import glob
import os

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

COMPILER_DIRECTIVES = {
    "language_level": 3,
    "boundscheck": False,
    "wraparound": False,
    "cdivision": True,
    "initializedcheck": False,
    "nonecheck": False,
    "embedsignature": True,
}

extensions = [
    Extension(
        "*",
        ["kernel/**/*.pyx"],
        include_dirs=[numpy.get_include(), "kernel/random"],
        # the C headers the modules include: a change to one rebuilds them
        depends=sorted(glob.glob("kernel/**/*.h", recursive=True)),
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        # OpenMP for local_num_threads (prange); no FMA contraction, so every build and
        # every instruction-set clone computes the same bits
        extra_compile_args=["-O3", "-fopenmp", "-ffp-contract=off"],
        extra_link_args=["-fopenmp"],
    )
]

setup(
    ext_modules=cythonize(
        extensions,
        compiler_directives=COMPILER_DIRECTIVES,
        nthreads=int(os.environ.get("NEUROPIL_BUILD_JOBS", "2")),
    ),
)
