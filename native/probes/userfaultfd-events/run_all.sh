#!/bin/sh
# Build and run every probe (as root; each probe forks a root child and an
# unprivileged child itself). Outputs go to out/<probe>.out
cd "$(dirname "$0")"
mkdir -p out
for s in e*.c; do
  b=${s%.c}
  gcc -O0 -g -Wall -Wno-unused-function -pthread -o "$b" "$s" || exit 1
done
for b in e01_remap e02_unmap e03_remove e04_fork e05_queue e06_changing e07_move e08_poll; do
  timeout 600 ./$b > out/$b.out 2>&1
  echo "$b exit=$? $(./cmp.sh out/$b.out | tail -1)"
done
