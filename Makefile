# paperfeed: `make run` serves real papers on a fresh machine, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED := ../shared/data
DAILY := $(SHARED)/arxiv-cs-daily-2026-dengwei
export PAPERFEED_DATA_DIR ?= $(CURDIR)/data
PYTEST_ARGS ?=
LIVE_CATEGORIES ?= cs.AI+cs.CL+cs.CV+cs.LG
PORT ?= $(or $(PAPERFEED_PORT),8000)

.PHONY: run test test-sqlite test-postgres lint bench install clean

$(BIN)/paperfeed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build on these machines; any other version pulls gigabytes.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/paperfeed

# The secret is made once and kept in the data directory (not in the repository).
$(PAPERFEED_DATA_DIR)/secret_key:
	mkdir -p $(PAPERFEED_DATA_DIR)
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

# `make run PORT=8001` serves on another port; Ctrl-C stops every process and exits 0.
run: install $(PAPERFEED_DATA_DIR)/secret_key
	LIVE_CATEGORIES=$(LIVE_CATEGORIES) PAPERFEED_PORT=$(PORT) scripts/run-local

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
	$(BIN)/lint-imports --no-cache

bench: install
	$(BIN)/python bench/import.py
	$(BIN)/pip install --quiet -e '.[bench]'
	nice $(BIN)/python bench/relevance.py
	nice $(BIN)/python bench/search.py
	nice $(BIN)/python bench/embedding.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/digests.py
	nice $(BIN)/python bench/recs.py
	$(BIN)/python bench/load.py
	nice $(BIN)/python bench/vectors.py
	$(BIN)/python bench/cluster.py
	$(BIN)/python bench/import.py --replicated 1000000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
