# Two commands on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

TS     := common/translations/shareimg_zh_CN.ts
QM     := $(TS:.ts=.qm)
# Where tr() strings live: `make ts` refreshes the .ts from them.
TR_SOURCES := app_provider/window.py app_provider/cli.py app_provider/playback.py app_provider/controls.py app_provider/drops.py app_consumer/window.py app_consumer/status.py app_consumer/details.py app_consumer/sources_panel.py app_consumer/source_rows.py app_consumer/network_panel.py app_consumer/network_reception.py common/qt/steplog.py common/ui/translations.py common/ui/glossary.py common/ui/sharing_window.py common/ui/steps_dock.py common/ui/key_dialog.py common/ui/file_dialogs.py common/ui/teach_dock.py common/ui/teach_log.py common/ui/segment_picture.py common/ui/mistakes.py common/ui/mistake_run.py common/ui/step_notes.py app_provider/lesson.py app_consumer/lesson.py

.PHONY: demo test lint clean ts install-desktop screenshots

# order.c is compiled by the install (pyproject.toml, ext-modules): a change to it installs again.
$(STAMP): pyproject.toml common/native/order.c
	tools/system-deps.sh build test
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,network]'
	touch $@

# The .ts from the tr() strings, then the compiled .qm that the wheel ships (both in git; a test
# checks that the .qm is the .ts compiled).
ts: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $(TR_SOURCES) -ts $(TS) -target-language zh_CN -no-obsolete -locations none
	$(VENV)/bin/pyside6-lrelease -silent $(TS) -qm $(QM)

demo: $(STAMP)
	tools/system-deps.sh gui
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "make demo: no display here; run it in a desktop session (or: xvfb-run -s '-screen 0 1366x768x24' make demo)" >&2; \
	  exit 1; fi
	$(VENV)/bin/shareimg-demo $(ARGS)

# ruff (style, and "no widgets below common/ui/"), the layers contract (pyproject's [tool.importlinter]),
# then mypy (pyproject's [tool.mypy]).  mypy cannot follow setuptools' editable finder, which maps the
# folders onto the package shareimg, so it reads a tree of links that names them as the install does:
# common/'s entries, and the apps and assets under their package names.  Made again on every run, so
# that a folder added to common/ is checked too.
TYPECHECK := build/typecheck
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	rm -rf $(TYPECHECK)/shareimg
	mkdir -p $(TYPECHECK)/shareimg
	for entry in common/*; do ln -s ../../../$$entry $(TYPECHECK)/shareimg/; done
	ln -s ../../../app_provider $(TYPECHECK)/shareimg/provider
	ln -s ../../../app_consumer $(TYPECHECK)/shareimg/consumer
	ln -s ../../../app_bridge $(TYPECHECK)/shareimg/bridge
	ln -s ../../../assets $(TYPECHECK)/shareimg/assets
	cd $(TYPECHECK) && PYTHONPATH=. ../../$(VENV)/bin/lint-imports --no-cache --config ../../pyproject.toml
	cd $(TYPECHECK) && ../../$(VENV)/bin/mypy --config-file ../../pyproject.toml -p shareimg

test: $(STAMP) lint
	tools/system-deps.sh build test
	tools/system-deps.sh --optional interop gui windows cross
	# A hang in C (a Qt call waiting with the GIL held) would stop pytest-timeout too.
	timeout -k 10 600 $(PY) -m pytest

clean:
	rm -rf $(VENV) build *.egg-info

# The windows section also runs them on Xvfb: installed here as root, else that part says it skipped.
.PHONY: bench
# The peers it compares with (iceoryx2, pyzmq) are a benchmark extra: only this target installs them;
# --network needs the network extra (zenoh, simplejpeg) too.
bench: $(STAMP)
	tools/system-deps.sh --optional gui xvfb
	$(PY) -m pip install -q --disable-pip-version-check -e '.[bench,network]'
	$(PY) benchmarks/bench.py $(ARGS)

# The list of sources: the cost of a look, how soon it follows providers, the Sources panel's CPU.
.PHONY: bench-sources
bench-sources: $(STAMP)
	$(PY) benchmarks/sources.py $(ARGS)

# Menu entries and the icon for the current user; Exec points into this checkout's venv.
APPS_DIR  := $(HOME)/.local/share/applications
ICONS_DIR := $(HOME)/.local/share/icons/hicolor/scalable/apps
install-desktop: $(STAMP)
	mkdir -p $(APPS_DIR) $(ICONS_DIR)
	for app in provider consumer; do \
	  sed 's|@BIN@|$(abspath $(VENV))/bin|' assets/shareimg-$$app.desktop > $(APPS_DIR)/shareimg-$$app.desktop; \
	done
	cp assets/shareimg.svg $(ICONS_DIR)/shareimg.svg
	@echo "installed shareimg-provider.desktop and shareimg-consumer.desktop into $(APPS_DIR)"

# Both windows under Xvfb with the sample image, in English and in Chinese, and the Sources panel, into docs/.
screenshots: $(STAMP)
	tools/system-deps.sh gui screenshots
	tools/screenshots.sh $(VENV)/bin/shareimg-demo docs
	xvfb-run -a -s '-screen 0 1280x800x24' $(PY) tools/screenshot_sources.py docs/screenshot-sources.png
	for lang in en zh_CN; do xvfb-run -a -s "-screen 0 1366x768x24" sh -c "openbox & sleep 1; $(PY) tools/screenshot_teach.py docs/screenshot-teach-$$lang.png --lang $$lang"; done
