# MADV_DONTNEED: private anonymous memory reads back zeros; shared anonymous and
# memfd MAP_SHARED memory keeps its data; MAP_PRIVATE of a memfd drops its COW copies.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, 16K, 0x61)
smaps($a) = {Rss=16, Anonymous=16}
madvise($a+4K, 4K, MADV_DONTNEED) = 0
# the VMA is unchanged (no split), only the page is gone
vma_count($a, $a+16K) = 1
smaps($a) = {start=$a, end=$a+16K, Rss=12, Anonymous=12}
load($a+4K, 2) = "\0\0"
load($a, 1) = "a"
# the length is rounded up to whole pages
madvise($a+8K, 1, MADV_DONTNEED) = 0
load($a+8K+4K-1, 1) = "\0"
load($a+12K, 1) = "a"
# a hole in the range: every mapped part is still zapped, then ENOMEM
munmap($a+8K, 4K) = 0
madvise($a, 16K, MADV_DONTNEED) = -1 ENOMEM (Cannot allocate memory)
load($a, 1) = "\0"
load($a+12K, 1) = "\0"
# (those reads only mapped the zero page)
smaps($a) = {start=$a, end=$a+8K, Rss=0}
# PROT_NONE memory can be zapped too
mprotect($a, 4K, PROT_NONE) = 0
madvise($a, 4K, MADV_DONTNEED) = 0
smaps($a) = {start=$a, end=$a+4K, Rss=0}

# shared anonymous memory: the data lives in shmem, DONTNEED only drops the mapping
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
store($s, "shared")
madvise($s, 8K, MADV_DONTNEED) = 0
smaps($s) = {Rss=0}
load($s, 6) = "shared"
smaps($s) = {Rss=4}

# memfd: MAP_SHARED keeps data; MAP_PRIVATE loses its private copy and sees the file again
memfd_create("dn", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
mmap(0x100000300000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $p
store($m, "file")
store($p, "priv")
smaps($p) = {Rss=4, Anonymous=4}
madvise($p, 8K, MADV_DONTNEED) = 0
smaps($p) = {Rss=0, Anonymous=0}
load($p, 4) = "file"
madvise($m, 8K, MADV_DONTNEED) = 0
smaps($m) = {Rss=0}
load($m, 4) = "file"
