# kitgen — the two commands a fresh clone needs: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench golden audit clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Installs the locked dependency set (requirements.lock) that the tests and the audit check.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]' -c requirements.lock
	touch $(STAMP)

# The sample project's documents into output/: every job ad and interview kit (build), and the
# offer letters of examples/candidates.csv (--allow-past-date keeps the demo working after the
# example start dates have passed), and the debrief of examples/scorecards.
demo: $(STAMP)
	$(BIN)/kitgen validate
	$(BIN)/kitgen list
	$(BIN)/kitgen build
	$(BIN)/kitgen offers examples/candidates.csv --allow-past-date
	$(BIN)/kitgen debrief directeur-ecommerce --level confirme --candidate "Camille Durand" \
		examples/scorecards/sarah-benali.yaml examples/scorecards/marc-petit.yaml -f pdf,docx,json

test: $(STAMP)
	$(BIN)/python -m pytest

# Regenerate the golden HTML files under tests/golden/ after an intended template change.
golden: $(STAMP)
	$(BIN)/python tests/golden/regenerate.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Online vulnerability audit of the locked set (needs PyPI's JSON API or OSV; see tools/advisories.toml
# for the offline floors that `make test` always checks).
audit: $(STAMP)
	$(BIN)/pip install -q pip-audit
	$(BIN)/pip-audit -r requirements.lock

clean:
	rm -rf $(VENV) output/*/
