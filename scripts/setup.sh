#!/usr/bin/env bash
# Installs what building and testing Almoner needs, if missing: the C
# libraries (SQLite, OpenSSL libcrypto), pkg-config, time-zone data, the
# openssl CLI and Python's jsonschema/cryptography (independent checks in tests),
# and hledger and beancount, which the export tests run on `almoner export`.
set -euo pipefail

missing=()
for package in libsqlite3-dev libssl-dev pkg-config tzdata openssl python3 time hledger beancount; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys' 2>/dev/null; then
  # A python3 outside Debian's (pyenv, say) counts as present.
  missing=("${missing[@]/python3/}")
fi
packages=()
for package in "${missing[@]}"; do [ -n "$package" ] && packages+=("$package"); done
if [ ${#packages[@]} -gt 0 ]; then
  echo "setup: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${packages[@]}" >/dev/null
fi
if ! python3 -c 'import jsonschema, cryptography' 2>/dev/null; then
  echo "setup: installing Python jsonschema and cryptography"
  python3 -m pip install --quiet jsonschema cryptography 2>/dev/null \
    || (apt-get update -qq && apt-get install -y -qq python3-jsonschema python3-cryptography >/dev/null)
fi
command -v swift >/dev/null || { echo "setup: Swift 6.1 or later must be on PATH" >&2; exit 1; }
