# Two entry points that work on a fresh machine with python3, pip and make:
#   make demo   — set up and audit an example report
#   make test   — set up and run the whole test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test eval bench clean

$(BIN)/audit: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,pdf,docx,xlsx]'
	touch $(BIN)/audit

setup: $(BIN)/audit

demo: setup
	-$(BIN)/audit --no-llm examples/reports/example_narrative_mismatch.txt

test: setup
	$(BIN)/python -m pytest -q

eval: setup
	$(BIN)/python -m eval.run

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
