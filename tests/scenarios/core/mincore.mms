# mincore residency vectors: private anon (zero page), MADV_DONTNEED, shmem and
# memfd page-cache residency, and a vector inside the queried range.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

# $v receives the vectors
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $v
store($v, 16, 0x77)
mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "x")
# a page that was only read maps the zero page: it counts as resident
load($a+8K, 1) = "\0"
mincore($a, 32K, $v) = 0
load($v, 9) = "\x01\0\x01\0\0\0\0\0w"
# len is rounded up to whole pages
store($v, 2, 0x77)
mincore($a, 1, $v) = 0
load($v, 2) = "\x01w"
# MADV_DONTNEED makes private anonymous pages non-resident
madvise($a, 16K, MADV_DONTNEED) = 0
mincore($a, 4K, $v) = 0
load($v, 1) = "\0"
# the vector is computed before it is stored: a vector inside the queried range sees its page as absent
mincore($a, 8K, $a+4K) = 0
load($a+4K, 2) = "\0\0"
# shmem: residency is the page cache, not the page tables (another process's page counts; DONTNEED does not clear it)
mmap(0x100000400000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
store($s, "s")
fork() = $c
[pid $c] store($s+4K, "c")
madvise($s, 4K, MADV_DONTNEED) = 0
mincore($s, 16K, $v) = 0
load($v, 4) = "\x01\x01\0\0"
# a private, PROT_NONE file mapping still reports the file's cached pages
memfd_create("mc", 0) = $fd
ftruncate($fd, 16K) = 0
mmap(0x100000500000, 16K, PROT_NONE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $p
mmap(0x100000600000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
store($m+4K, "m")
mincore($p, 16K, $v) = 0
load($v, 4) = "\0\x01\0\0"
