#!/usr/bin/env bash
# Regenerates the frozen v1 entry/commit vectors and the old ledger file in
# Tests/Vectors/entries/ (see its README.md), then checks them with Python.
#
# The committed files are the source of truth: regenerate only to ADD vectors
# (a new entry kind, appended at the end of FrozenLedgerScript.buildLedger).
# On an unchanged format the rewrite is byte for byte, so afterwards
#     git diff --stat Tests/Vectors/entries
# must show no change to any existing entry; if it does, the format changed.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
ALMONER_WRITE_VECTORS=1 swift test --skip-build --filter FrozenVectorGenerator
python3 Tests/Vectors/entries/check.py
git status --short -- Tests/Vectors/entries
