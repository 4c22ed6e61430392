#!/usr/bin/env bash
# Builds planner-fuzz with libFuzzer and fuzzes the loaders (Tests/Fuzz/README.md).
#
#   Tests/Fuzz/fuzz.sh [--time S | --total S] [--jobs N] [--long] [--no-build | --build-only] [TARGET...]
#
#   --time S    seconds per target (default 60: what CI runs)
#   --total S   seconds of wall time for all the targets together, shared out among them
#               (--jobs at a time); `make fuzz-long` is --long --total 3600
#   --jobs N    targets fuzzed at the same time (default 1)
#   --long      keep going after a crash, a timeout or running out of memory (libFuzzer's
#               -fork=1 -ignore_crashes=1 …) and use value profiles: every finding is saved
#   --no-build  use the planner-fuzz already built in .build-fuzz
#   --build-only  build it and stop
#   TARGET      ledger staff experts scenario variant calendar executed plan roster (default: all)
#
# Exit 0 when no target crashed, hung (-timeout, default 10 s per input) or ran out of memory
# (-rss_limit_mb, default 2048); otherwise 1, after naming every reproducer. Environment:
# FUZZ_SCRATCH (default .build-fuzz), FUZZ_TIMEOUT, FUZZ_RSS_MB, FUZZ_FLAGS (more libFuzzer flags).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
fuzz_dir=Tests/Fuzz
scratch=${FUZZ_SCRATCH:-.build-fuzz}
per_target=60 total="" jobs=1 long=0 build=1 build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) per_target=$2; shift 2 ;;
    --total) total=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --long) long=1; shift ;;
    --no-build) build=0; shift ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 64 ;;
    *) targets+=("$1"); shift ;;
  esac
done

if [ "$build" = 1 ]; then
  echo "== building planner-fuzz with -sanitize=fuzzer into $scratch (release)" >&2
  start=$(date +%s)
  # lld: the system's gold dies with an internal error (dwarf_reader.cc) on this link.
  swift build -c release --scratch-path "$scratch" --product planner-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
    || { echo "fuzz.sh: the fuzz build failed" >&2; exit 2; }
  echo "== built in $(( $(date +%s) - start )) s" >&2
fi
bin="$root/$scratch/release/planner-fuzz"
[ -x "$bin" ] || { echo "fuzz.sh: $bin is missing (run without --no-build)" >&2; exit 2; }
[ "$build_only" = 0 ] || exit 0
[ ${#targets[@]} -gt 0 ] || read -r -a targets <<< "$("$bin" --list)"
if [ -n "$total" ]; then
  rounds=$(( (${#targets[@]} + jobs - 1) / jobs ))
  per_target=$(( total / rounds ))
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/$scratch/fuzz"
run_dir="$out/runs/$stamp"
mkdir -p "$run_dir"
echo "== ${#targets[@]} targets, ${per_target} s each, ${jobs} at a time; logs and findings in $run_dir" >&2

fuzz_one() {
  local t=$1
  local corpus="$out/corpus/$t" artifacts="$run_dir/$t"
  mkdir -p "$corpus" "$artifacts"
  local flags=(-max_total_time="$per_target" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}"
               -artifact_prefix="$artifacts/" -print_final_stats=1)
  [ -f "$fuzz_dir/dict/$t.dict" ] && flags+=(-dict="$fuzz_dir/dict/$t.dict")
  [ "$long" = 1 ] && flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -use_value_profile=1)
  # ${FUZZ_FLAGS} unquoted on purpose: several flags.
  # shellcheck disable=SC2086
  # New inputs go to the first folder (the working corpus, kept between runs); the seeds and
  # the regressions are read only.
  local seeds=("$fuzz_dir/corpus/$t")
  [ -d "$fuzz_dir/regressions/$t" ] && seeds+=("$fuzz_dir/regressions/$t")
  "$bin" "$t" "${flags[@]}" ${FUZZ_FLAGS:-} "$corpus" "${seeds[@]}" > "$run_dir/$t.log" 2>&1
  echo $? > "$run_dir/$t.status"
}

start=$(date +%s)
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  echo "-- $t" >&2
  fuzz_one "$t" &
  running=$((running + 1))
done
wait

failed=0
for t in "${targets[@]}"; do
  status=$(cat "$run_dir/$t.status" 2>/dev/null || echo 1)
  found=$(find "$run_dir/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) ! -name '*.trace' | sort)
  stats=$(grep -E '^stat::(number_of_executed_units|new_units_added)' "$run_dir/$t.log" | awk '{printf "%s ", $0}')
  if [ "$status" = 0 ] && [ -z "$found" ]; then
    echo "PASS $t  $stats" >&2
    continue
  fi
  failed=1
  echo "FAIL $t (libFuzzer exit $status); log: $run_dir/$t.log" >&2
  grep -E 'ERROR: libFuzzer|SUMMARY' "$run_dir/$t.log" | sort | uniq -c | head -10 | sed 's/^/    /' >&2
  for f in $found; do
    echo "  reproducer: $f" >&2
    # Run it once more (it must fail again) for its stack: the frames in Swift code, demangled
    # (a release build prints no Swift message; in --long mode the fuzzing log has no trace).
    timeout 120 "$bin" "$t" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" "$f" > "$f.trace" 2>&1
    awk '/^ *#[0-9]+ /{ if (seen && $1 == "#0") exit; seen = 1; print }' "$f.trace" \
      | grep -vE 'fuzzer::|__sanitizer|libc\.so|libc_start|libio/|_start ' | head -8 \
      | { swift demangle --simplified 2>/dev/null || cat; } | cut -c1-220 | sed 's/^ */      /' >&2
    echo "    replay:  swift run planner-fuzz $t $f" >&2
    echo "    keep it: cp $f $fuzz_dir/regressions/$t/   (replayed by FuzzRegressionTests once fixed)" >&2
  done
done
echo "== fuzzing took $(( $(date +%s) - start )) s" >&2
exit $failed
