#!/usr/bin/env bash
# Lint: no call to a banned function (house-style 5) in src/ tests/ tools/ bench/, and no
# system(), rand() or srand() in src/. Comments and string literals are ignored; a call is the
# whole word followed by "(" and not a member (x.f( or x->f( are fine). src/core/banned.h, which
# defines the bans, is exempt. Usage: bash banned.sh REPO_ROOT. Exit 0 = pass.
set -u
root=${1:-.}
cd "$root" || { echo "banned: cannot cd to $root"; exit 2; }
BANNED='strcpy|strcat|strncpy|sprintf|vsprintf|strtok|gets|atoi|atol|gmtime|localtime'
SRC_ONLY='system|rand|srand'

dirs=()
for d in src tests tools bench; do [ -d "$d" ] && dirs+=("$d"); done
files=()
if [ ${#dirs[@]} -gt 0 ]; then
	mapfile -d '' files < <(find "${dirs[@]}" -type f \( -name '*.c' -o -name '*.h' \) \
		! -path src/core/banned.h -print0 | sort -z)
fi
[ ${#files[@]} -eq 0 ] && { echo "banned: ok (no files)"; exit 0; }

out=$(awk -v banned="$BANNED" -v src_only="$SRC_ONLY" '
FNR == 1 { in_comment = 0 }
{
	s = $0
	# Blank out comments (also multi-line ones) and string/char literals so prose and
	# messages such as "replaces atoi(" are not calls.
	t = ""
	i = 1
	n = length(s)
	while (i <= n) {
		c = substr(s, i, 1)
		if (in_comment) {
			if (substr(s, i, 2) == "*/") { in_comment = 0; i += 2 } else i++
			continue
		}
		if (substr(s, i, 2) == "/*") { in_comment = 1; i += 2; t = t " "; continue }
		if (substr(s, i, 2) == "//") break
		if (c == "\"" || c == "\047") {
			q = c
			i++
			while (i <= n && substr(s, i, 1) != q) { if (substr(s, i, 1) == "\\") i++; i++ }
			i++
			t = t " \"\" "
			continue
		}
		t = t c
		i++
	}
	gsub(/->/, ".", t)
	names = banned
	if (FILENAME ~ /^src\//) names = names "|" src_only
	re = "(^|[^A-Za-z0-9_.])(" names ")[ \t]*\\("
	while (match(t, re)) {
		call = substr(t, RSTART, RLENGTH)
		t = substr(t, RSTART + RLENGTH)
		sub(/^[^A-Za-z_]/, "", call)
		sub(/[ \t]*\($/, "", call)
		printf "%s:%d: %s() is banned: %s\n", FILENAME, FNR, call, $0
	}
}
' "${files[@]}")

if [ -n "$out" ]; then
	printf '%s\n' "$out"
	echo "banned: FAIL: $(printf '%s\n' "$out" | wc -l) banned calls (use snprintf, str_copy*, str_parse_i64, gmtime_r, sec_random*)"
	exit 1
fi
echo "banned: ok (${#files[@]} files)"
