# Quick start: `make demo` and `make test` on a fresh machine (they create .venv themselves).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.neuropil-installed
SOURCES := $(shell find kernel nest_compat nest pynn_backend pyNN -name '*.py' -o -name '*.pyx' -o -name '*.pxd' -o -name '*.h' 2>/dev/null)
PYTEST_ARGS ?=

.PHONY: all venv install demo test test-slow bench clean

all: install

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Build requirements first, then the package without build isolation, so the Cython
# kernel compiles against the venv's numpy and nothing is fetched twice.
$(STAMP): $(PY) pyproject.toml setup.cfg setup.py $(SOURCES)
	$(PY) -m pip install -q "setuptools>=64" wheel "Cython>=3.0,<3.4" "numpy>=2.0,<3"
	$(PY) -m pip install -q --no-build-isolation ".[test,plot,mpi]"
	touch $(STAMP)

venv install: $(STAMP)

demo: $(STAMP)
	cd examples && MPLBACKEND=Agg ../$(PY) demo.py

test: $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-slow: $(STAMP)
	$(VENV)/bin/pytest -m slow $(PYTEST_ARGS)

# Our nest and the real NEST (../.venv-nest or $NEST_PYTHON) side by side; ratios printed,
# raw numbers in benchmarks/results.json, plotted into docs/performance.png.
bench: $(STAMP)
	$(PY) benchmarks/run.py brunel connect_rules --save benchmarks/results.json
	$(PY) benchmarks/run.py hpc_benchmark --save benchmarks/results.json -- --scale 0.02 --threads 1 --seed 6
	$(PY) benchmarks/run.py microcircuit --save benchmarks/results.json -- --scale 0.1 --threads 1
	$(PY) benchmarks/run.py coba --save benchmarks/results.json
	MPLBACKEND=Agg $(PY) benchmarks/plot.py benchmarks/results.json docs/performance.png

clean:
	rm -rf build $(VENV) *.egg-info
	find kernel -name '*.so' -delete -o -name '*.cpp' -delete -o -name '*.c' -delete
