# The commands the README names.  Each one sets up what it needs first.
PYTHON := .venv/bin/python
SPHINXOPTS ?= -W --keep-going -q

.PHONY: demo test docs bench setup setup-dev clean

# Judges the sample problem (a sinol package) with sio-judge: every solution
# on every test, points per group, and the expected scores.
demo: setup
	@.venv/bin/sio-judge examples/range-sums

test: setup-dev
	$(PYTHON) -m pytest

docs: setup-dev
	$(PYTHON) -m sphinx $(SPHINXOPTS) -b html docs docs/_build/html

bench: setup-dev
	@for script in benchmarks/[a-z]*.py; do \
	    echo "== $$script"; $(PYTHON) $$script || exit 1; \
	done

setup:
	@scripts/setup.sh

setup-dev:
	@scripts/setup.sh --dev

clean:
	rm -rf .venv docs/_build build *.egg-info
