# Building and testing the planner itself is plain `swift build` / `swift test` (README.md).
#
#   make install PREFIX=/opt/planner     release build; PREFIX/bin/planner and its resource bundle
#                                        (models, focus items) in PREFIX/share/enforcement-planner
#   make uninstall PREFIX=/opt/planner   removes both
#   make check-imports                   every target declares the modules it imports (python3)
#   (CONFIG=debug installs the debug build; DESTDIR is prepended to every path, for packaging)
#
# Fuzzing of the loaders (Tests/Fuzz/README.md):
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

PREFIX ?= /usr/local
CONFIG ?= release
RESOURCES = enforcement-planner_PlannerResources.resources
SHARE = $(DESTDIR)$(PREFIX)/share/enforcement-planner

.PHONY: fuzz fuzz-long fuzz-build fuzz-replay fuzz-seeds install uninstall check-imports

# The binary finds its bundle beside it or in ../share/enforcement-planner (PlannerResources).
install:
	swift build -c $(CONFIG) --product planner
	@set -e; bin=$$(swift build -c $(CONFIG) --show-bin-path); \
	  test -d "$$bin/$(RESOURCES)/models" || { echo "no resource bundle in $$bin" >&2; exit 1; }; \
	  install -d "$(DESTDIR)$(PREFIX)/bin" "$(SHARE)"; \
	  install -m 755 "$$bin/planner" "$(DESTDIR)$(PREFIX)/bin/planner"; \
	  rm -rf "$(SHARE)/$(RESOURCES)"; \
	  cp -R "$$bin/$(RESOURCES)" "$(SHARE)/$(RESOURCES)"; \
	  echo "installed $(DESTDIR)$(PREFIX)/bin/planner and $(SHARE)/$(RESOURCES)"

check-imports:
	python3 Tests/check-imports.py

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/planner"
	rm -rf "$(SHARE)/$(RESOURCES)"
	-rmdir "$(SHARE)" 2>/dev/null

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
