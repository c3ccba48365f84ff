#!/usr/bin/env bash
# Benchmarks (release build), in one run on the same machine so the numbers
# compare: COUNT donations (default 1,000,000) across 35 communities are
# appended through the library in signed commits of 1,000; then the CLI's
# `verify ledger`, a month's `journal` of one community, the first `checkpoint create`,
# `statement create` of one community's quarter, `publish` of the whole log
# into an empty folder, one `donate`, the next `checkpoint create` and the
# supervisor's `audit` on that
# ledger; the same donations written as a CSV and imported with `almoner
# import donations` into a fresh ledger (rows/s); then ledger-cli, hledger
# and bean-check
# balancing the same transactions (written by `almoner-bench peers`).
# Each phase: wall time, peak RSS (/usr/bin/time -v), and the ratio of its
# time to ledger-cli's. Library verify and Merkle proofs follow.
#
# Usage: scripts/bench.sh [COUNT]. Stop other work on the machine first.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
communities=35
scripts/setup.sh
missing=()
for tool in ledger hledger bean-check; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: installing ledger hledger beancount"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq ledger hledger beancount >/dev/null
fi
swift build -c release --product almoner-bench 2>&1 | tail -1
swift build -c release --product almoner 2>&1 | tail -1
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ledger="$work/bench.db"
mkdir "$work/keys"

results=()
# run LABEL COMMAND...: times COMMAND, records "label ms rss-MB".
run() {
  local label=$1; shift
  local start end
  start=$(date +%s%N)
  /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/time.txt" || {
    echo "  $label failed:"; tail -5 "$work/out.txt" "$work/time.txt"; exit 1; }
  end=$(date +%s%N)
  local rss
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
  results+=("$label|$(( (end - start) / 1000000 ))|$(( rss / 1024 ))")
  printf '  %-34s %8d ms  %5d MB\n' "$label" $(( (end - start) / 1000000 )) $(( rss / 1024 ))
}

echo "== $count donations across $communities communities =="
run "almoner append (library)" "$bin/almoner-bench" append --ledger "$ledger" \
  --count "$count" --communities "$communities" --commit-size 1000 --keys "$work/keys"
ls -l "$ledger" | awk '{printf "  ledger file: %d MB\n", $5 / 1048576}'
run "almoner verify ledger" "$bin/almoner" verify ledger --ledger "$ledger"
run "almoner journal (one month)" "$bin/almoner" journal --ledger "$ledger" \
  --unit GA-S0-C0 --from 2026-11-01 --to 2026-11-30
# A district supervisor, to cosign the checkpoint statements and publish need.
"$bin/almoner" key new --name 监督员 --out "$work/keys/supervisor.pem" >/dev/null
"$bin/almoner" member add --ledger "$ledger" --unit GA --role supervisor --name 监督员 \
  --public-key "$work/keys/supervisor.pem.pub" --key "$work/keys/admin.pem" >/dev/null
run "almoner checkpoint create (first)" "$bin/almoner" checkpoint create --ledger "$ledger" \
  --key "$work/keys/admin.pem" --out "$work/cp.txt"
"$bin/almoner" checkpoint cosign "$work/cp.txt" --ledger "$ledger" \
  --key "$work/keys/supervisor.pem" >/dev/null
run "almoner statement create (quarter)" "$bin/almoner" statement create --ledger "$ledger" \
  --unit GA-S0-C0 --period 2026-Q3 --key "$work/keys/treasurer.pem" --out "$work/statement.json"
run "almoner publish (empty dir)" "$bin/almoner" publish --ledger "$ledger" "$work/public-log"
run "almoner donate (one, at $count)" "$bin/almoner" donate --ledger "$ledger" \
  --unit GA-S0-C0 --amount 10 --donor 张三 --key "$work/keys/treasurer.pem"
# The usual case: a checkpoint after the last one, rebuilt from the entries
# since it (a cosignature, a statement, a donation), not from genesis.
run "almoner checkpoint create (next)" "$bin/almoner" checkpoint create --ledger "$ledger" \
  --key "$work/keys/admin.pem" --out "$work/cp2.txt"
# The supervisor's audit of the whole ledger (exit 1 only means findings).
run "almoner audit" sh -c '"$0" audit --ledger "$1" --format json >"$2"; [ $? -le 1 ]' \
  "$bin/almoner" "$ledger" "$work/audit.json"
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print("  audit: %d entries, %d findings %s" % (r["entryCount"], len(r["findings"]), r["counts"]))' "$work/audit.json"

# The same donations as a CSV in the default layout, imported by the CLI
# into a fresh ledger with the same units and treasurer.
mkdir "$work/keys-import"
"$bin/almoner-bench" append --ledger "$work/import.db" --count 0 \
  --communities "$communities" --keys "$work/keys-import" >/dev/null
"$bin/almoner-bench" csv --count "$count" --communities "$communities" --out "$work/donations.csv"
ls -l "$work/donations.csv" | awk '{printf "  donations.csv: %d MB\n", $5 / 1048576}'
run "almoner import donations (CSV)" "$bin/almoner" import donations "$work/donations.csv" \
  --ledger "$work/import.db" --key "$work/keys-import/treasurer.pem"
head -1 "$work/out.txt" | sed 's/^/  /'
import_ms=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1 == "almoner import donations (CSV)" {print $2}')
echo "  import: $(( count * 1000 / (import_ms > 0 ? import_ms : 1) )) rows/s (target ≥ 100,000 rows/s, ≤ 100 MB)"

"$bin/almoner-bench" peers --count "$count" --communities "$communities" \
  --journal "$work/peers.ledger" --beancount "$work/peers.beancount"
run "ledger-cli bal" ledger -f "$work/peers.ledger" bal
run "hledger bal" hledger -f "$work/peers.ledger" bal
run "bean-check" bean-check "$work/peers.beancount"

echo
echo "| phase | time | peak RSS | time / ledger-cli |"
echo "| --- | --- | --- | --- |"
reference=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1 == "ledger-cli bal" {print $2}')
for row in "${results[@]}"; do
  IFS='|' read -r label ms rss <<<"$row"
  ratio=$(awk -v a="$ms" -v b="$reference" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '| %s | %d.%03d s | %d MB | %s |\n' "$label" $((ms / 1000)) $((ms % 1000)) "$rss" "$ratio"
done

echo
echo "== verify ledger (library) =="
"$bin/almoner-bench" verify --ledger "$ledger"
echo "== Merkle proofs (library) =="
"$bin/almoner-bench" proofs --ledger "$ledger" --count 1000
