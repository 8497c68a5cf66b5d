#!/bin/sh
# The core library never prints to stdout/stderr, never exits and never
# parses options: only the report layer writes, onto a FILE * it is given.
# Usage: check_core_pure.sh SRC/CORE
dir=${1:?usage: check_core_pure.sh DIR}
bad=$(grep -rnE --include='*.c' --include='*.h' \
	'\b(printf|puts|putchar|exit|_exit|abort|getopt|getopt_long|perror)[[:space:]]*\(|\b(stdout|stderr)\b' \
	"$dir" 2>/dev/null | grep -vE '^\S+:[0-9]+:\s*(\*|/\*)')
if [ -n "$bad" ]; then
	echo "core code must not print or exit:"
	echo "$bad"
	exit 1
fi
echo "core is free of printf/exit/getopt/stdout"
exit 0
