#!/usr/bin/env bash
# The test command: installs what is missing, checks formatting, builds and
# runs every test. CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift format lint --strict --recursive Package.swift Sources Tests
# The domain builds alone, importing nothing it does not declare (GRDB's
# module sits in the same build folder, so only this check refuses it).
swift build --target AlmonerBooks --explicit-target-dependency-import-check error
swift build --build-tests
swift test --skip-build
