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

# pytest exits 5 when it collected no tests: that is a failure, said plainly.
test: setup
	@$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

eval: setup
	$(BIN)/python -m eval.run

# The OCR benchmark (bench/ocr_bench.py) runs only where the ocr extra is installed.
bench: setup
	$(BIN)/python bench/run.py
	@if $(BIN)/python -c "import rapidocr, onnxruntime" 2>/dev/null; then $(BIN)/python bench/ocr_bench.py; \
	else echo "make bench: ocr extra not installed (pip install -e '.[ocr]'): OCR benchmark skipped"; fi

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
