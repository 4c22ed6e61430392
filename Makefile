# Fuzzing of the loaders (Tests/Fuzz/README.md). Building and testing the planner itself is
# plain `swift build` / `swift test` (README.md).
#
#   make fuzz                 every target for FUZZ_TIME seconds (60, as CI), FUZZ_JOBS at a time
#   make fuzz-long            about an hour of wall time for all targets, going on after findings
#   make fuzz TARGETS=plan FUZZ_TIME=600     one target, ten minutes
#   make fuzz-replay          the seeds and saved crashers through the replay driver (debug build)
#   make fuzz-seeds           rewrite Tests/Fuzz/corpus and Tests/Fuzz/dict (python3)

FUZZ_TIME ?= 60
FUZZ_TOTAL ?= 3600
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
TARGETS ?=
FUZZ_TARGETS = ledger staff experts scenario variant calendar executed plan roster

.PHONY: fuzz fuzz-long fuzz-build fuzz-replay fuzz-seeds

fuzz-build:
	Tests/Fuzz/fuzz.sh --build-only

fuzz:
	Tests/Fuzz/fuzz.sh --time $(FUZZ_TIME) --jobs $(FUZZ_JOBS) $(TARGETS)

fuzz-long:
	Tests/Fuzz/fuzz.sh --long --total $(FUZZ_TOTAL) --jobs $(FUZZ_JOBS) $(TARGETS)

fuzz-replay:
	swift build --product planner-fuzz
	@set -e; for t in $(or $(TARGETS),$(FUZZ_TARGETS)); do \
	  dirs=""; for k in corpus regressions; do [ -d Tests/Fuzz/$$k/$$t ] && dirs="$$dirs Tests/Fuzz/$$k/$$t"; done; \
	  SWIFT_BACKTRACE=enable=no .build/debug/planner-fuzz $$t --timeout 60 $$dirs 2>/dev/null; \
	done

fuzz-seeds:
	python3 Tests/Fuzz/seeds.py
