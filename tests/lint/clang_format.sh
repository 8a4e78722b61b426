#!/usr/bin/env bash
# Lint: every *.c / *.h under src/ tests/ tools/ bench/ is laid out exactly as .clang-format
# says (clang-format --dry-run --Werror). Usage: bash clang_format.sh REPO_ROOT. Exit 0 = pass.
# Fix offenders with: clang-format -i FILE
set -u
root=${1:-.}
cd "$root" || { echo "clang_format: cannot cd to $root"; exit 2; }
command -v clang-format >/dev/null || { echo "clang_format: FAIL: clang-format not installed"; exit 2; }
[ -f .clang-format ] || { echo "clang_format: FAIL: no .clang-format in $root"; exit 2; }

dirs=()
for d in src tests tools bench; do [ -d "$d" ] && dirs+=("$d"); done
files=()
if [ ${#dirs[@]} -gt 0 ]; then
	mapfile -d '' files < <(find "${dirs[@]}" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)
fi
if [ ${#files[@]} -eq 0 ]; then
	echo "clang_format: ok (no C files)"
	exit 0
fi

# One clang-format process per batch of files (xargs) keeps this well under a second; batches
# run one after another so their diagnostics never interleave.
report=$(printf '%s\0' "${files[@]}" | xargs -0 -n 64 clang-format --dry-run --Werror 2>&1)
mapfile -t bad < <(printf '%s\n' "$report" | grep -E '^[^ :]+:[0-9]+:[0-9]+: error:' | cut -d: -f1 | sort -u)
if [ ${#bad[@]} -gt 0 ]; then
	for f in "${bad[@]}"; do
		first=$(printf '%s\n' "$report" | grep -m1 -E "^$f:[0-9]+:[0-9]+: error:" | cut -d: -f2)
		echo "$f:$first: not clang-formatted (run: clang-format -i $f)"
	done
	echo "clang_format: FAIL: ${#bad[@]} of ${#files[@]} files need clang-format -i"
	exit 1
fi
if printf '%s\n' "$report" | grep -qiE 'error|warning'; then
	# clang-format itself failed (bad config, unreadable file): show it rather than pass.
	printf '%s\n' "$report" | head -20
	echo "clang_format: FAIL: clang-format reported problems"
	exit 1
fi
echo "clang_format: ok (${#files[@]} files)"
