#!/bin/sh
# Build and run every probe (as root; each probe forks a root child and an
# unprivileged child itself). Outputs go to out/<probe>.out
cd "$(dirname "$0")"
mkdir -p out
for s in p*.c; do
  b=${s%.c}
  gcc -O0 -g -w -pthread -o "$b" "$s" || exit 1
done
for b in p01_create p02_api p03_register p04_unregister p05_copy p05b_kernelfault p05c_copy_order \
         p06_zeropage p07_wake p08_faults p09_sigbus p10_missing_semantics p11_poll p12_fork; do
  timeout 60 ./$b > out/$b.out 2>&1
  echo "$b exit=$?"
done
