#!/bin/sh
# Build and run every probe as root (each forks a root and an unprivileged child). Outputs in out/.
cd "$(dirname "$0")"
mkdir -p out
for s in q*.c; do b=${s%%_*}; gcc -O0 -g -w -pthread -o "$b" "$s" || exit 1; done
for s in q*.c; do b=${s%%_*}; timeout 120 ./$b > out/${s%.c}.out 2>&1; echo "$b exit=$? $(./cmp.sh out/${s%.c}.out | tail -1)"; done
