# Synthetic Data Lab. Two commands do everything on a fresh machine:
#   make serve   build the site with a self-hosted Python runtime and serve it on http://127.0.0.1:8000/
#   make test    install what is missing, then run the unit and the browser tests
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYODIDE := .cache/pyodide-0.27.7/synthlab-verified.json
BYTECODE := .cache/pyodide-0.27.7-bytecode/manifest.json
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve test test-unit test-e2e build build-pages venv chromium pyodide editor axe bench clean

serve: venv pyodide editor  ## build (self-hosted runtime) and serve on 127.0.0.1:8000, rebuilding on change
	SYNTHLAB_RUNTIME=local $(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

test: venv chromium pyodide editor axe  ## unit tests, then end-to-end tests in Chromium
	$(BIN)/pytest tests/unit -q
	$(BIN)/pytest tests/e2e -q

test-unit: venv
	$(BIN)/pytest tests/unit -q

test-e2e: venv chromium pyodide editor axe
	$(BIN)/pytest tests/e2e -q

build: venv pyodide editor  ## offline copy in site/ (runtime self-hosted; serve the folder over http)
	SYNTHLAB_RUNTIME=local $(BIN)/mkdocs build --strict -d site

build-pages: venv editor pyodide  ## the GitHub Pages build in site/ (runtime from the pinned CDN; bytecode compiled here)
	SYNTHLAB_RUNTIME=cdn $(BIN)/mkdocs build --strict -d site

bench: venv chromium pyodide editor  ## benchmarks, JSON in benchmarks/results/
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/engine.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/high_cardinality.py
	$(BIN)/python benchmarks/timings.py
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/exercises.py

venv: $(STAMP)
$(STAMP): pyproject.toml requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . -r requirements-dev.txt
	touch $(STAMP)

chromium:  ## Debian's Chromium (Playwright cannot download browsers here)
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

pyodide: $(PYODIDE) $(BYTECODE)  ## the verified runtime, and its pre-compiled bytecode (compiled with Node)
$(PYODIDE): tools/pyodide_dist.py | venv
	$(BIN)/python tools/pyodide_dist.py
$(BYTECODE): $(PYODIDE) tools/bytecode_dist.py tools/bytecode_compile.mjs
	$(BIN)/python tools/bytecode_dist.py

editor: .cache/editor/codemirror.mjs  ## the exercise editor: npm ci (lock-pinned) + esbuild, hash-checked
.cache/editor/codemirror.mjs: tools/editor/package-lock.json tools/editor/entry.mjs tools/editor/codemirror.sha256 tools/editor_dist.py
	$(PY) tools/editor_dist.py

clean:
	rm -rf site .cache/site-* benchmarks/results

axe:  ## axe-core for the accessibility tests (pinned, integrity-checked; tests only)
	$(BIN)/python tests/e2e/vendor/fetch_axe.py
