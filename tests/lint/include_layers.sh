#!/usr/bin/env bash
# Lint: the include edges allowed by house-style 2 ("layers only call downward"), by directory
# of the including file under src/. Project headers are included with quotes as "dir/file.h"
# ("app.h" for the composition root); third-party headers with the big dependencies stay in the
# one place that wraps them. Usage: bash include_layers.sh REPO_ROOT. Exit 0 = pass.
#
# Why queue/ may include svc/: workers record each send's outcome (message status, retries,
# conversation state) through svc/ so those business rules live in one place; svc/ in turn
# enqueues through queue/'s header. Neither may reach http/ or api/.
# A new directory under src/ fails until it gets a row in the table below.
set -u
root=${1:-.}
cd "$root" || { echo "include_layers: cannot cd to $root"; exit 2; }
[ -d src ] || { echo "include_layers: ok (no src/)"; exit 0; }

files=()
mapfile -d '' files < <(find src -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)
[ ${#files[@]} -eq 0 ] && { echo "include_layers: ok (no files)"; exit 0; }

out=$(grep -HnE '^[[:space:]]*#[[:space:]]*include' "${files[@]}" | awk '
BEGIN {
	# including layer -> layers it may include ("*" = anything)
	allow["core"] = " core "
	allow["config"] = " core config "
	allow["store"] = " core store "
	allow["meta"] = " core meta "
	allow["svc"] = " core config store meta queue svc "
	allow["queue"] = " core config store meta queue svc "
	allow["http"] = " core config http "
	allow["api"] = " core config svc http api store "
	allow["sim"] = " core http meta sim config "
	allow["cli"] = "*"
	allow["main"] = "*"
	allow["app"] = "*"
	bad = 0
}
function offend(msg) { printf "%s:%s: %s\n", file, line, msg; bad++ }
function layer_of(path,    p, n) {
	# src/core/buf.c -> core; src/app.c -> app; src/main.c -> main
	p = path
	sub(/^src\//, "", p)
	if (p ~ /\//) { sub(/\/.*/, "", p); return p }
	sub(/\.[ch]$/, "", p)
	return p
}
{
	# grep -Hn output: FILE:LINE:TEXT
	file = $0; sub(/:.*/, "", file)
	rest = substr($0, length(file) + 2)
	line = rest; sub(/:.*/, "", line)
	text = substr(rest, length(line) + 2)
	if (!match(text, /include[[:space:]]*[<"][^>"]*[>"]/)) { offend("malformed #include: " text); next }
	spec = substr(text, RSTART, RLENGTH)
	sub(/^include[[:space:]]*/, "", spec)
	quote = substr(spec, 1, 1)
	target = substr(spec, 2, length(spec) - 2)
	from = layer_of(file)

	if (quote == "<") {
		if (target ~ /^(core|config|store|meta|svc|queue|http|api|sim|cli)\// || target == "app.h")
			offend("project header <" target "> must be included with quotes")
		else if (target == "jansson.h" && file != "src/core/jsonw.h")
			offend("<jansson.h> only in src/core/jsonw.h (use core/jsonw.h)")
		else if (target == "microhttpd.h" && from != "http")
			offend("<microhttpd.h> only under src/http/")
		else if (target == "sqlite3.h" && file !~ /^src\/store\/store_sqlite/)
			offend("<sqlite3.h> only in src/store/store_sqlite*")
		else if (target == "libpq-fe.h" && file !~ /^src\/store\/store_pg/)
			offend("<libpq-fe.h> only in src/store/store_pg*")
		else if (target ~ /^curl\// && from != "meta" && from != "sim" && from != "cli")
			offend("<" target "> only under src/meta/, src/sim/ and src/cli/")
		next
	}

	# Quoted: a project header, spelled from src/.
	if (target ~ /(^|\/)\.\.?\//) { offend("\"" target "\": no relative paths; write \"dir/file.h\""); next }
	if (target == "app.h") to = "app"
	else if (target ~ /^[a-z_]+\/[A-Za-z0-9_]+\.h$/) { to = target; sub(/\/.*/, "", to) }
	else { offend("\"" target "\": quoted includes are project headers spelled \"dir/file.h\""); next }

	if (!(from in allow)) { offend("no include rule for src/" from "/ (add one to tests/lint/include_layers.sh)"); next }
	if (!(to in allow) && to != "app") { offend("\"" target "\": unknown layer " to "/"); next }

	if (from == "app" && to == "api" && target != "api/api_routes.h")
		offend("\"" target "\": src/app.* may include only api/api_routes.h from api/")
	else if (from == "store" && target == "core/jsonw.h")
		offend("\"core/jsonw.h\": the store knows no JSON")
	else if (from == "api" && to == "store" && target != "store/store.h")
		offend("\"" target "\": api/ may use only store/store.h (row types)")
	else if (allow[from] != "*" && index(allow[from], " " to " ") == 0)
		offend("\"" target "\": " from "/ may not include " to "/ (allowed:" allow[from] ")")
}
END { printf "TOTAL %d\n", bad }
')

total=$(printf '%s\n' "$out" | sed -n 's/^TOTAL //p')
printf '%s\n' "$out" | grep -v '^TOTAL ' | grep -v '^$'
if [ "${total:-1}" != "0" ]; then
	echo "include_layers: FAIL: ${total:-?} forbidden includes in ${#files[@]} files"
	exit 1
fi
echo "include_layers: ok (${#files[@]} files)"
