#!/usr/bin/env bash
# The test command: installs what is missing, checks formatting, builds and
# runs every test. CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift format lint --strict --recursive Package.swift Sources Tests
swift build --build-tests
swift test --skip-build
