#!/usr/bin/env bash
# Lint: size limits from house-style 10. Every src/**/*.c has at most 600 lines; every function
# body in src/ at most 80 lines (hard limit; more than 60 is counted as a warning only).
# A function is found the Linux-brace way: a `{` alone at column 0 opens its body and the
# next `}` at column 0 closes it; the length reported is the lines strictly between them.
# Usage: bash file_size.sh REPO_ROOT. Exit 0 = pass.
set -u
root=${1:-.}
cd "$root" || { echo "file_size: cannot cd to $root"; exit 2; }
MAX_FILE=600
MAX_FUNC=80
WARN_FUNC=60

files=()
[ -d src ] && mapfile -d '' files < <(find src -type f -name '*.c' -print0 | sort -z)
if [ ${#files[@]} -eq 0 ]; then
	echo "file_size: ok (no .c files in src/)"
	exit 0
fi

# Prints "FILE file:lines" for long files, "FUNC file:line name length" for long functions
# and "WARN ..." for functions over the soft limit.
out=$(awk -v max_file=$MAX_FILE -v max_func=$MAX_FUNC -v warn_func=$WARN_FUNC '
function finish_file() {
	if (file != "" && lines > max_file)
		printf "FILE %s: %d lines (max %d)\n", file, lines, max_file
}
FNR == 1 { finish_file(); file = FILENAME; lines = 0; open = 0; name = "?"; name_line = 0 }
{ lines = FNR }
/^[A-Za-z_].*\(/ && !open {
	# Remember the most recent column-0 line with a parenthesis: the function signature.
	s = $0
	sub(/\(.*/, "", s)
	n = split(s, parts, /[^A-Za-z0-9_]+/)
	name = parts[n] != "" ? parts[n] : "?"
	name_line = FNR
}
/^\{/ && !open { open = 1; start = FNR; next }
/^\}/ && open {
	open = 0
	len = FNR - start - 1
	if (len > max_func)
		printf "FUNC %s:%d: %s() body is %d lines (max %d)\n", file, name_line ? name_line : start, name, len, max_func
	else if (len > warn_func)
		printf "WARN %s:%d: %s() body is %d lines (house style: about %d)\n", file, name_line ? name_line : start, name, len, warn_func
	name_line = 0
}
END { finish_file() }
' "${files[@]}")

fail=$(printf '%s\n' "$out" | grep -E '^(FILE|FUNC) ' | cut -d' ' -f2-)
warn=$(printf '%s\n' "$out" | grep -E '^WARN ' | cut -d' ' -f2-)
nfail=0
nwarn=0
[ -n "$fail" ] && nfail=$(printf '%s\n' "$fail" | wc -l)
[ -n "$warn" ] && nwarn=$(printf '%s\n' "$warn" | wc -l)
[ -n "$fail" ] && printf '%s\n' "$fail"
[ -n "$warn" ] && printf 'warning: %s\n' "$warn"
if [ "$nfail" -gt 0 ]; then
	echo "file_size: FAIL: $nfail over the limit ($MAX_FILE lines per file, $MAX_FUNC per function); $nwarn functions over $WARN_FUNC lines (warning)"
	exit 1
fi
echo "file_size: ok (${#files[@]} files); warning: $nwarn functions over $WARN_FUNC lines"
