#!/usr/bin/env bash
# Benchmarks (release build): appends N donations (default 1,000,000) through
# the library in signed commits of 1,000, then verifies the ledger through
# the library and through the CLI. Reports entries/s and peak RSS of each
# phase (/usr/bin/time -v). Usage: scripts/bench.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
scripts/setup.sh
swift build -c release --product almoner-bench 2>&1 | tail -1
swift build -c release --product almoner 2>&1 | tail -1
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ledger="$work/bench.db"

run() {
  local label=$1; shift
  /usr/bin/time -v "$@" 2>"$work/time.txt"
  local rss
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
  echo "  $label peak RSS: $((rss / 1024)) MB"
}

echo "== append $count donations (commits of 1,000) =="
run append "$bin/almoner-bench" append --ledger "$ledger" --count "$count" --commit-size 1000
ls -l "$ledger" | awk '{printf "  ledger file: %d MB\n", $5 / 1048576}'
echo "== verify ledger (library) =="
run verify "$bin/almoner-bench" verify --ledger "$ledger"
echo "== Merkle proofs (library) =="
"$bin/almoner-bench" proofs --ledger "$ledger" --count 1000
echo "== almoner verify ledger (CLI, wall clock) =="
start=$(date +%s%N)
run "CLI verify" "$bin/almoner" verify ledger --ledger "$ledger" >/dev/null
end=$(date +%s%N)
echo "  CLI verify: $(( (end - start) / 1000000 )) ms"
