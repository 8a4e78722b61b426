#!/bin/sh
# Runs the dashboard browser test. Needs PIXELS_BIN (the built pixels binary), Node >= 20
# and Chromium at /usr/bin/chromium (or PIXELS_CHROMIUM). Installs playwright-core from
# package-lock.json on first use or when the lock file changed. Exit code = the test's.
set -eu
cd "$(dirname "$0")"
stamp=node_modules/.package-lock.json
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
	npm ci --no-audit --no-fund
fi
exec node --test dashboard.test.mjs
