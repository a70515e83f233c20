#!/usr/bin/env bash
# Side-by-side benchmark: `clearance check` with the built-in packs against
# ripgrep searching the same phrase list over the same files, in one run so
# both see the same machine state. Prints each run, the median wall times,
# their ratio and the peak memory of each.
#
# A third command, the floor, is Clearance doing only ripgrep's job: one
# rule that looks for any of the same phrases in each article's body. It
# reads, decodes, splits and folds every file and runs the phrase automaton,
# and nothing else, so it is the least a check can cost.
#
#   bench/run.sh                     # 100,000 articles (~500 MB), seed 1, 3 runs
#   FILES=20000 RUNS=5 bench/run.sh  # a smaller corpus
#
# Needs: cargo, GNU time (/usr/bin/time; Debian package `time`). ripgrep is
# used from PATH, or installed from crates.io into target/bench-tools.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-100000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
CORPUS=${CORPUS:-target/bench-corpus-$FILES-$SEED}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time is needed at $TIME (apt-get install time)" >&2; exit 2; }

cargo build --quiet --release --example corpus
cargo build --quiet --release
CLEARANCE=target/release/clearance
if [ ! -d "$CORPUS" ]; then
    target/release/examples/corpus "$CORPUS" "$FILES" "$SEED"
fi
# The same articles as one JSON-lines dump: a stream checked on all cores.
DUMP=$CORPUS.jsonl
if [ ! -f "$DUMP" ]; then
    target/release/examples/corpus --jsonl "$DUMP" "$FILES" "$SEED"
fi
RG=$(command -v rg || true)
if [ -z "$RG" ]; then
    [ -x target/bench-tools/bin/rg ] || cargo install --quiet --locked ripgrep --root target/bench-tools
    RG=target/bench-tools/bin/rg
fi
PHRASES=target/bench-phrases.txt
"$CLEARANCE" rules phrases > "$PHRASES"
FLOOR=target/bench-floor.yaml
{
    printf 'pack: floor\ntitle: the phrase list alone\nrules:\n'
    printf '  - id: any-phrase\n    severity: info\n    message: none of the phrases\n'
    printf '    scope: body\n    require:\n      phrases:\n'
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/        - "/' -e 's/$/"/' "$PHRASES"
} > "$FLOOR"

# A legal team's house pack: 500 regex rules written with the README's word
# boundary, `(?:^|[^\p{L}])(…)`, over the phrases (each regex's literal is a
# phrase, and past the list a phrase with a number after it), next to the
# built-in packs; and the same 500 literals as phrase rules. The regex pack
# must cost what its literals cost.
HOUSE_RE=target/bench-house-regex.yaml
HOUSE_PH=target/bench-house-phrases.yaml
awk -v mode=regex -f bench/house.awk "$PHRASES" > "$HOUSE_RE"
awk -v mode=phrases -f bench/house.awk "$PHRASES" > "$HOUSE_PH"

# Warm the page cache so both tools read from memory.
"$RG" -c -F -f "$PHRASES" "$CORPUS" > /dev/null || true

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -a ct cm rt rm ft hr hp jt st
for i in $(seq "$RUNS"); do
    "$TIME" -f "%e %M" -o target/bench-rg.time "$RG" -c -F -i -f "$PHRASES" "$CORPUS" > /dev/null || true
    "$TIME" -f "%e %M" -o target/bench-cl.time "$CLEARANCE" check --no-config --format summary --fail-on none "$CORPUS" > target/bench-summary.txt
    "$TIME" -f "%e %M" -o target/bench-floor.time "$CLEARANCE" check --no-config --no-default-packs --pack "$FLOOR" --format summary --fail-on none "$CORPUS" > /dev/null
    "$TIME" -f "%e %M" -o target/bench-house-re.time "$CLEARANCE" check --no-config --pack "$HOUSE_RE" --format summary --fail-on none "$CORPUS" > /dev/null
    "$TIME" -f "%e %M" -o target/bench-house-ph.time "$CLEARANCE" check --no-config --pack "$HOUSE_PH" --format summary --fail-on none "$CORPUS" > /dev/null
    "$TIME" -f "%e %M" -o target/bench-dump.time "$CLEARANCE" check --no-config --format summary --fail-on none "$DUMP" > /dev/null
    "$TIME" -f "%e %M" -o target/bench-stdin.time sh -c "\"$CLEARANCE\" check --no-config --format jsonl --fail-on none --stdin-format jsonl - < \"$DUMP\" > /dev/null"
    read -r t m < target/bench-dump.time; jt+=("$t")
    read -r t m < target/bench-stdin.time; st+=("$t")
    read -r t m < target/bench-house-re.time; hr+=("$t")
    read -r t m < target/bench-house-ph.time; hp+=("$t")
    read -r t m < target/bench-rg.time; rt+=("$t"); rm+=("$m")
    read -r t m < target/bench-cl.time; ct+=("$t"); cm+=("$m")
    read -r t m < target/bench-floor.time; ft+=("$t")
    echo "run $i: clearance ${ct[-1]} s (${cm[-1]} KB), ripgrep ${rt[-1]} s (${rm[-1]} KB), floor ${ft[-1]} s, house regex ${hr[-1]} s, house phrases ${hp[-1]} s, one dump ${jt[-1]} s, stdin stream ${st[-1]} s"
done
c=$(printf '%s\n' "${ct[@]}" | median)
r=$(printf '%s\n' "${rt[@]}" | median)
f=$(printf '%s\n' "${ft[@]}" | median)
h=$(printf '%s\n' "${hr[@]}" | median)
hph=$(printf '%s\n' "${hp[@]}" | median)
j=$(printf '%s\n' "${jt[@]}" | median)
sj=$(printf '%s\n' "${st[@]}" | median)
cmax=$(printf '%s\n' "${cm[@]}" | sort -n | tail -1)
rmax=$(printf '%s\n' "${rm[@]}" | sort -n | tail -1)
tail -1 target/bench-summary.txt
echo "corpus: $FILES files, $(du -sh "$CORPUS" | cut -f1), $(wc -l < "$PHRASES") phrases, $(nproc) cores"
awk -v c="$c" -v r="$r" -v f="$f" -v h="$h" -v hp="$hph" -v cm="$cmax" -v rm="$rmax" -v j="$j" -v sj="$sj" 'BEGIN {
    printf "median wall time: clearance %.2f s, ripgrep %.2f s, ratio %.1fx\n", c, r, c / r
    printf "floor (the phrase list alone): %.2f s, %.1fx ripgrep\n", f, f / r
    printf "house pack, 500 regex rules: %.2f s, %.1fx ripgrep, %.2fx the same 500 literals as phrases (%.2f s)\n", h, h / r, h / hp, hp
    printf "one JSON-lines dump of the same articles: %.2f s, %.2fx the folder; on standard input, streamed (--format jsonl): %.2f s, %.2fx\n", j, j / c, sj, sj / c
    printf "peak RSS: clearance %.0f MB, ripgrep %.0f MB\n", cm / 1024, rm / 1024
}'
