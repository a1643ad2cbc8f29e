# Two commands on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint clean

$(STAMP): pyproject.toml
	tools/system-deps.sh test
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

demo: $(STAMP)
	tools/system-deps.sh gui
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "make demo: no display here; run it in a desktop session (or: xvfb-run -s '-screen 0 1300x700x24' make demo)" >&2; \
	  exit 1; fi
	$(VENV)/bin/shareimg-demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(STAMP) lint
	tools/system-deps.sh test
	tools/system-deps.sh --optional interop
	$(PY) -m pytest

clean:
	rm -rf $(VENV) build *.egg-info

.PHONY: bench
bench: $(STAMP)
	$(PY) benchmarks/bench.py $(ARGS)
