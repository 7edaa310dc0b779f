# Two commands do everything on a fresh Debian/Ubuntu machine with Python 3.11:
#   make        set up (system libraries, .venv) and build everything into dist/
#   make test   set up for tests (adds Chromium) and run the test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: all build setup setup-test test lint bench clean

all: build

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@

setup:
	bash scripts/system-deps.sh build
	$(MAKE) $(VENV)/.installed

setup-test:
	bash scripts/system-deps.sh test
	$(MAKE) $(VENV)/.installed-test

build: setup
	$(PY) build.py

test: setup-test
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder -q

lint: setup-test
	$(VENV)/bin/ruff check connections tests bench build.py
	$(VENV)/bin/mypy

bench: setup-test  # bench/run.py copies the project with the tests' helper
	$(PY) bench/run.py

clean:
	rm -rf dist .cache build/staging
