# bench/bench.mk - benchmark and relevance-evaluation targets; the main
# Makefile includes this file.  See bench/README.md.
#
#   make bench              Reuters + Wikipedia, 3 runs (< 20 min on 2 cores);
#                           appends to bench/RESULTS.md
#   make bench QUICK=1      Reuters only, 1 run, 100 latency queries
#                           (< 3 min); prints, does not append
#   make eval               relevance: cranfield, medline, cacm, npl;
#                           appends to bench/RESULTS.md
#   make bench-smoke        200 Reuters articles, 20 queries, medline eval,
#                           the evaluator's unit check (< 60 s; make check)
#
# Variables: TSEARCH (the binary; default $(CURDIR)/tsearch, skipped with a
# message while it does not exist; TSEARCH=none measures the peers only),
# BENCH_DIR (scratch folder for corpora,
# indexes and runs; default /tmp/tsearch-bench), BENCH_NEEDS (targets to
# build first, e.g. the tsearch binary's; default none).

BENCH_SRC := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
TSEARCH ?= $(CURDIR)/tsearch
BENCH_DIR ?= /tmp/tsearch-bench
BENCH_NEEDS ?=
BENCH_PY := /usr/bin/python3
BENCH_ENV = TSEARCH='$(if $(filter none,$(TSEARCH)),none,$(abspath $(TSEARCH)))' \
	BENCH_DIR='$(BENCH_DIR)'

ifneq ($(filter-out 0 no,$(QUICK)),)
BENCH_CORPORA := reuters
BENCH_FLAGS := --quick --no-append
else
BENCH_CORPORA := reuters wikipedia
BENCH_FLAGS :=
endif

.PHONY: bench eval bench-smoke bench-deps bench-test-evaluate

bench-deps:
	@sh $(BENCH_SRC)/ensure-deps

bench: bench-deps $(BENCH_NEEDS)
	$(BENCH_ENV) $(BENCH_PY) $(BENCH_SRC)/prepare $(BENCH_CORPORA)
	$(BENCH_ENV) $(BENCH_PY) $(BENCH_SRC)/make-queries $(BENCH_CORPORA)
	$(BENCH_ENV) $(BENCH_PY) $(BENCH_SRC)/run-bench $(BENCH_FLAGS) $(BENCH_CORPORA)

eval: bench-deps $(BENCH_NEEDS)
	$(BENCH_ENV) $(BENCH_PY) $(BENCH_SRC)/eval

bench-test-evaluate:
	@sh $(BENCH_SRC)/test-evaluate.sh

bench-smoke: bench-deps bench-test-evaluate $(BENCH_NEEDS)
	$(BENCH_ENV) $(BENCH_PY) $(BENCH_SRC)/prepare --smoke reuters eval
	$(BENCH_ENV) $(BENCH_PY) $(BENCH_SRC)/make-queries --smoke --count 20 reuters
	$(BENCH_ENV) $(BENCH_PY) $(BENCH_SRC)/run-bench --smoke
	$(BENCH_ENV) $(BENCH_PY) $(BENCH_SRC)/eval --smoke
