#!/usr/bin/env bash
# Installs, with apt-get, exactly the Debian 12 packages Pixels needs to build and test that are
# not installed yet. Idempotent and silent when everything is present; uses sudo when not root.
set -euo pipefail

packages=(
  gcc make cmake pkg-config
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libcurl4-openssl-dev libsodium-dev
  libcmocka-dev
  clang-format
  clang libclang-rt-14-dev   # make test: the libFuzzer targets (tests/fuzz) need clang + its runtime
  chromium nodejs npm   # the dashboard's browser test (tests/e2e)
  wrk curl sqlite3      # make bench: load generator, setup calls, result queries
)

missing=()
for p in "${packages[@]}"; do
  # A node/npm already on PATH (e.g. a newer one installed outside apt) is good enough.
  if [[ ( "$p" == nodejs && -n "$(command -v node)" ) || ( "$p" == npm && -n "$(command -v npm)" ) ]]; then
    continue
  fi
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
