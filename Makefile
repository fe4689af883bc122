# seca_nb: every target sets up .venv on first use (needs the package registries once) and
# reuses it afterwards, offline. The stamp depends on requirements.txt and the package metadata (setup.py, settings.ini).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.seca_nb-installed
# nothing the kit runs by default may reach a model hub
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup demo test lint test-nbs test-py test-slow check-sync bench bench-paper readme docs test-browser outputs clean-venv

setup: $(STAMP)

$(STAMP): requirements.txt setup.py settings.ini
	@echo "== setting up $(VENV) (first use; later runs reuse it offline)"
	@SECONDS=0; \
	$(PYTHON) -m venv $(VENV) && \
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt && \
	$(BIN)/pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e . && \
	echo "== installed in $${SECONDS}s; $(VENV) is $$(du -sh $(VENV) | cut -f1)"
	@touch $(STAMP)

## The main job
demo: $(STAMP)
	$(BIN)/seca_nb demo

## The test suite: notebooks in sync with the package and clean, notebook tests, then pytest
test: $(STAMP) check-sync lint test-nbs test-py

## The linter over the notebooks and the package (rules and the reasons for each: ruff.toml)
lint: $(STAMP)
	$(BIN)/ruff check --quiet nbs seca_nb
	$(BIN)/python tools/check_lines.py seca_nb
	@echo "== ruff: clean"

check-sync: $(STAMP)
	@tmp=$$(mktemp -d); cp -r seca_nb $$tmp/pkg; cp -r nbs $$tmp/nbs; \
	$(BIN)/nbdev_export; \
	if ! diff -r -x __pycache__ $$tmp/pkg seca_nb >/dev/null; then \
	  diff -r -x __pycache__ $$tmp/pkg seca_nb | head -40; \
	  echo "FAIL: nbdev_export changed seca_nb/: notebooks and package were out of sync (run nbdev_export and commit)"; exit 1; fi; \
	$(BIN)/nbdev_clean; \
	if ! diff -r $$tmp/nbs nbs >/dev/null; then \
	  diff -r $$tmp/nbs nbs | head -40; \
	  echo "FAIL: nbdev_clean changed nbs/: notebooks were not clean (run nbdev_clean and commit)"; exit 1; fi; \
	rm -rf $$tmp; echo "== notebooks and package in sync; notebooks clean"
	@$(BIN)/python tools/make_readme.py --check

test-nbs: $(STAMP)
	@# one torch thread per worker: two workers on two cores, no oversubscription
	@SECONDS=0; OMP_NUM_THREADS=1 $(BIN)/nbdev_test --n_workers 2 && echo "== nbdev_test passed in $${SECONDS}s"

test-py: $(STAMP)
	@# two workers (pytest-xdist), one torch thread each, as test-nbs: most tests start `seca_nb` processes
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q -n 2 tests

## The paper-scale end-to-end tests (ViT-B-16 at 224 px on fixtures; minutes on a CPU)
test-slow: $(STAMP)
	$(BIN)/python -m pytest -q --runslow -m slow tests

readme: $(STAMP)
	$(BIN)/python tools/make_readme.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

## One task of the paper's setting (ViT-B-16, random weights, 224 px, pool of 5), timed three ways; N=64 images here (about 20 min on 2 CPU cores), more on a GPU: make bench-paper ARGS='--n 640'
bench-paper: $(STAMP)
	$(BIN)/python bench/paper.py $(ARGS)

## The documentation site: notebooks executed as nbdev_test does, nbdev's doc processors, rendered offline to _site/
docs: $(STAMP)
	$(BIN)/python tools/build_site.py --out _site

## Saved outputs of the pages whose heavy cells (#| slow) the tests and the site skip
outputs: $(STAMP)
	$(BIN)/python tools/save_outputs.py nbs/15_tutorial_five_minutes.ipynb nbs/17_explain_seca.ipynb
	$(BIN)/nbdev_clean

## Real-browser tests (Debian's chromium + playwright-core from npm; no browser download):
## the tutorial in JupyterLab, then the built site
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
NODE_DEPS := tests/browser/node_modules/.installed

$(CHROMIUM):
	@echo "== installing Debian's chromium (the system browser the tests drive)"
	$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null

$(NODE_DEPS): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	@touch $@

test-browser: $(STAMP) $(CHROMIUM) $(NODE_DEPS) docs
	@SECONDS=0; $(BIN)/python tests/browser/run.py lab site && echo "== browser tests passed in $${SECONDS}s"

clean-venv:
	rm -rf $(VENV)
