#!/usr/bin/env bash
# Runs one fuzz target for a while: fuzz/run.sh TARGET SECONDS
#
# TARGET is html, fold, pack or jsonl. The corpus starts from the seeds in
# fuzz/seeds/TARGET plus the project's own files (rules/*.yaml for pack, the
# bundled newsroom for html and fold); it grows in fuzz/corpus/TARGET, which
# is not committed. One job, one worker: the fuzzer takes one core. A
# crashing, hanging (over 10 s) or memory-hungry (over 2 GiB) input stops
# the run and is saved under fuzz/artifacts/TARGET.
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Built without a sanitizer: Clearance has no unsafe code, and debug
# assertions and overflow checks stay on.
set -euo pipefail
cd "$(dirname "$0")"

target=${1:?usage: fuzz/run.sh html|fold|pack|jsonl SECONDS}
seconds=${2:?usage: fuzz/run.sh html|fold|pack|jsonl SECONDS}
case "$target" in
    html | jsonl) max_len=65536 ;;
    fold) max_len=16384 ;;
    pack) max_len=16384 ;;
    *)
        echo "unknown target \`$target\` (html, fold, pack or jsonl)" >&2
        exit 2
        ;;
esac

corpus=corpus/$target
mkdir -p "$corpus" "artifacts/$target"
cp seeds/"$target"/* "$corpus"/
case "$target" in
    pack) cp ../rules/*.yaml "$corpus"/ ;;
    html) cp ../examples/newsroom/*/* "$corpus"/ ;;
    fold)
        # A fold input is a control byte, then the text.
        for f in ../examples/newsroom/*/*; do
            { printf '\0'; cat "$f"; } > "$corpus/newsroom-$(basename "$f")"
        done
        ;;
esac

status=0
cargo +nightly fuzz run --sanitizer none "$target" "$corpus" -- \
    -jobs=1 -workers=1 \
    -max_total_time="$seconds" \
    -max_len="$max_len" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -report_slow_units=1 \
    -print_final_stats=1 || status=$?
# With -jobs the fuzzer's own output goes to fuzz-0.log: show how it ended.
grep -E '^#[0-9]+' fuzz-0.log | tail -n 1
sed -n '/^Done /,$p' fuzz-0.log
if [ "$status" -ne 0 ]; then
    grep -E -A 20 "panicked|ERROR: libFuzzer|Slow unit|SUMMARY" fuzz-0.log | head -n 60
    echo "fuzzing $target failed (exit $status); see fuzz/fuzz-0.log and fuzz/artifacts/$target" >&2
fi
exit "$status"
