#!/usr/bin/env bash
# Lint: module form (house-style 3 and 10). Every src/**/*.h is guarded by
# PIXELS_<DIR>_<FILE>_H (#ifndef/#define as its first directives, #endif last; PIXELS_APP_H for
# src/app.h); every src .c includes its own header first (a .c without a same-named header, i.e.
# one part of a module split by responsibility, includes a header of its own directory first);
# every src C file opens with a comment. Usage: bash headers.sh REPO_ROOT. Exit 0 = pass.
set -u
root=${1:-.}
cd "$root" || { echo "headers: cannot cd to $root"; exit 2; }

# .c files (paths from the repo root) exempt from the first-include rule. src/main.c is always
# exempt. Keep this empty unless a real case appears.
NO_OWN_HEADER=()

[ -d src ] || { echo "headers: ok (no src/)"; exit 0; }
files=()
mapfile -d '' files < <(find src -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)
[ ${#files[@]} -eq 0 ] && { echo "headers: ok (no files)"; exit 0; }

bad=()
offend() { bad+=("$1"); }

for f in "${files[@]}"; do
	first=$(head -n1 -- "$f")
	case "$first" in
	'/*'* | '//'*) ;;
	*) offend "$f:1: must open with a comment saying what it is for" ;;
	esac

	# Directives with their line numbers, whitespace after '#' squeezed out.
	directives=$(grep -nE '^[[:space:]]*#' -- "$f" | sed -E 's/^([0-9]+):[[:space:]]*#[[:space:]]*/\1:#/')

	case "$f" in
	*.h)
		rel=${f#src/}
		guard="PIXELS_$(printf '%s' "${rel%.h}" | tr 'a-z/.-' 'A-Z___')_H"
		[ -n "$directives" ] || directives="1:(none)"
		d1=$(printf '%s\n' "$directives" | sed -n 1p)
		d2=$(printf '%s\n' "$directives" | sed -n 2p)
		dl=$(printf '%s\n' "$directives" | sed -n '$p')
		if [ "${d1#*:}" != "#ifndef $guard" ] || [ "${d2#*:}" != "#define $guard" ]; then
			offend "$f:${d1%%:*}: include guard must be #ifndef/#define $guard as the first directives"
		elif [ "${dl#*:}" != "#endif" ] && [ "${dl#*:#endif }" = "$dl" ]; then
			offend "$f:${dl%%:*}: the last directive must be the guard's #endif"
		fi
		;;
	*.c)
		[ "$f" = src/main.c ] && continue
		skip=0
		for a in "${NO_OWN_HEADER[@]+"${NO_OWN_HEADER[@]}"}"; do [ "$a" = "$f" ] && skip=1; done
		[ $skip = 1 ] && continue
		rel=${f#src/}
		own="${rel%.c}.h"
		inc=$(printf '%s\n' "$directives" | grep -m1 -E '^[0-9]+:#include')
		if [ -f "src/$own" ]; then
			if [ "${inc#*:}" != "#include \"$own\"" ]; then
				offend "$f:${inc%%:*}: first #include must be its own header \"$own\" (found: ${inc#*:})"
			fi
			continue
		fi
		# Part of a module split by responsibility (cmd_serve.c implements cli/cli.h): its
		# first include is the header it implements, from its own directory.
		dir=${rel%/*}
		[ "$dir" = "$rel" ] && dir=""
		if ! printf '%s' "${inc#*:}" | grep -qE "^#include \"${dir:+$dir/}[A-Za-z0-9_]+\.h\"$"; then
			offend "$f:${inc%%:*}: has no header of its own, so its first #include must be the header it implements from src/${dir:+$dir/} (found: ${inc#*:})"
		fi
		;;
	esac
done

if [ ${#bad[@]} -gt 0 ]; then
	printf '%s\n' "${bad[@]}"
	echo "headers: FAIL: ${#bad[@]} problems in ${#files[@]} files"
	exit 1
fi
echo "headers: ok (${#files[@]} files)"
