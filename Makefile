# paperfeed: `make run` serves real papers on a fresh machine, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED := ../shared/data
DAILY := $(SHARED)/arxiv-cs-daily-2026-dengwei
export PAPERFEED_DATA_DIR ?= $(CURDIR)/data
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres lint bench install clean

$(BIN)/paperfeed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/paperfeed

# The secret is made once and kept in the data directory (not in the repository).
$(PAPERFEED_DATA_DIR)/secret_key:
	mkdir -p $(PAPERFEED_DATA_DIR)
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

run: install $(PAPERFEED_DATA_DIR)/secret_key
	PAPERFEED_SECRET_KEY=$$(cat $(PAPERFEED_DATA_DIR)/secret_key) sh -c '\
	  set -e; \
	  $(BIN)/paperfeed migrate --no-input -v 0; \
	  if [ -n "$$PAPERFEED_IMPORT" ]; then $(BIN)/paperfeed import $$PAPERFEED_IMPORT; \
	  elif [ -d "$(DAILY)/daily" ]; then $(BIN)/paperfeed import --quiet $(DAILY)/daily; \
	  else echo "no PAPERFEED_IMPORT and no $(DAILY): starting with an empty store"; fi; \
	  exec $(BIN)/paperfeed serve 127.0.0.1:8000'

test: install
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	@echo "== tests on SQLite"
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL"
	scripts/with-postgres $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check paperfeed tests bench
	$(BIN)/ruff format --check paperfeed tests bench
	$(BIN)/mypy paperfeed

bench: install
	$(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
