# krutt: the README's commands. Everything runs from a local virtualenv made on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/krutt init
	$(BIN)/krutt demo
	$(BIN)/krutt serve --host 127.0.0.1 --port 8000 --with-worker

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -p no:django tests/domain tests/services tests/importers

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Collect the msgids of the whole package (the core marks them with gettext_noop) into
# src/krutt/web/locale, then compile; both .po and .mo are committed.
messages: $(STAMP)
	cd src/krutt && ../../$(BIN)/django-admin makemessages --locale nb --locale en --no-obsolete --add-location file --settings krutt.web.settings
	cd src/krutt/web && ../../../$(BIN)/django-admin compilemessages --settings krutt.web.settings

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
