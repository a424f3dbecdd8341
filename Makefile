# news-etl: `make run` builds .venv and runs the pipeline on raw/; `make test` checks the Dagster
# definitions and runs the suite; `make ui` opens the Dagster UI (code location news_etl).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster_home
# Never reach for the network at run time (spaCy, Dagster telemetry).
export DAGSTER_DISABLE_TELEMETRY := 1
export HF_HUB_OFFLINE := 1
# dg (the Dagster project CLI, see [tool.dg] in pyproject.toml) expects the project's venv to be the active one.
DG := VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg

.PHONY: run test ui bench bench-clean bench-figures bench-figures-offtopic bench-isaf clean-warehouse venv

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: venv
	$(BIN)/news-etl run

test: venv
	$(DG) check defs
	$(BIN)/python -m pytest -q

ui: venv
	$(DG) dev --host 127.0.0.1 --port 3000

# Throughput and memory on generated corpora (SIZES="2000 10000" by default; takes long at 10,000).
# BENCH_ARGS="--bare-sizes 2000" skips the bare-spaCy comparison at the other sizes (it takes as
# long as the pipeline itself).
SIZES ?= 2000 10000
BENCH_ARGS ?=
bench: venv
	$(BIN)/python -m bench.throughput --sizes $(SIZES) $(BENCH_ARGS)

# Boilerplate removal vs trafilatura on AEB and WCXB, dev and holdout parts apart (split in
# bench/data/clean_split.json; AEB=/WCXB= paths override the data, CLEAN_ARGS="--limit 20" for a quick run).
# Measure-only sets that are not in ../shared (bench/l3s.py, dragnet.py, merged_sets.py say where to get
# them): SETS_CLEAN=aeb,wcxb,l3s,dragnet,cleanportaleval,mozilla,cleaneval L3S=DIR DRAGNET=DIR MERGED=DIR.
AEB ?= ../shared/benchmarks/aeb
WCXB ?= ../shared/benchmarks/wcxb-dev
L3S ?= ../shared/benchmarks/l3s-gn1
DRAGNET ?= ../shared/benchmarks/dragnet
MERGED ?= ../shared/benchmarks/html-cleaning-dataset-merged
SETS_CLEAN ?= aeb,wcxb
CLEAN_ARGS ?=
bench-clean: venv
	$(BIN)/python -m bench.clean_eval --aeb $(AEB) --wcxb $(WCXB) --l3s $(L3S) --dragnet $(DRAGNET) --merged $(MERGED) --sets $(SETS_CLEAN) --parts dev,holdout $(CLEAN_ARGS)

# Figure extraction on every labelled set (seeds and tests/data/figures_dev).
bench-figures: venv
	$(BIN)/python -m bench.figures

# Per-release sums of killed and detained figures against hand-coded ISAF press releases.
ISAF ?= ../shared/benchmarks/isaf-dev
bench-isaf: venv
	$(BIN)/python -m bench.isaf --data $(ISAF)

# Conflict figures found on general web pages (WCXB, dev and holdout parts; about 6 min).
bench-figures-offtopic: venv
	$(BIN)/python -m bench.figures_offtopic --wcxb $(WCXB)

clean-warehouse:
	rm -rf warehouse/news.duckdb warehouse/parquet warehouse/.lock warehouse/.*.tmp warehouse/.*.tmp.wal
