# mmap without MAP_FIXED: top-down placement (relative to the first result),
# hole reuse, and address hints.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(NULL, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $x
# the next mapping goes directly below the previous one ...
mmap(NULL, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $x-8K
# ... and merges with it when the flags match (the VMA may also extend above $x
# if whatever lies above is compatible, so only the lower end is checked)
vma_count($x-8K, $x+8K) = 1
smaps($x) = {start=$x-8K}
mmap(NULL, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $x-16K
vma_count($x-16K, $x+8K) = 2
# the highest hole that fits is used first
munmap($x-8K, 4K) = 0
mmap(NULL, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $x-24K
mmap(NULL, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $x-8K
# [x-24K, x-4K) is now one read-only VMA
smaps($x-8K) = {start=$x-24K, end=$x-4K, perms="r--p"}
# a free hint is honoured; an unaligned hint is rounded down
mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x100000000000
mmap(0x100000010001, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x100000010000
# a hint that overlaps an existing mapping is ignored (nothing is replaced)
mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $h
smaps(0x100000000000) = {start=0x100000000000, end=0x100000001000, perms="r--p"}
smaps($h) = {perms="rw-p"}
# a hint whose range would overlap is ignored too
mmap(0x10000000f000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $i
vma_count(0x10000000f000, 0x100000011000) = 1
# a hint adjacent to a mapping with the same flags merges with it
mmap(0x100000001000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x100000001000
smaps(0x100000000000) = {start=0x100000000000, end=0x100000002000}
