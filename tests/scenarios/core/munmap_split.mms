# munmap: argument checks, partial unmaps, splitting, holes.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, 32K, 0x5a)
# argument checks: unaligned start, zero length, range leaving the user address space
munmap($a+1, 4K) = -1 EINVAL (Invalid argument)
munmap($a, 0) = -1 EINVAL (Invalid argument)
munmap($a, -4K) = -1 EINVAL (Invalid argument)
munmap(0x7ffffffff000, 8K) = -1 EINVAL (Invalid argument)
munmap(0x800000000000, 4K) = -1 EINVAL (Invalid argument)
# unmapping where nothing is mapped succeeds
munmap(0x100000100000, 4K) = 0
# the length is rounded up to a page: this removes [a, a+4K)
munmap($a, 1) = 0
smaps($a) = NULL
load($a, 1) = SIGSEGV
smaps($a+4K) = {start=$a+4K, end=$a+32K, Rss=28}
# a hole in the middle splits the VMA into two
munmap($a+12K, 4K) = 0
vma_count($a, $a+32K) = 2
smaps($a+4K) = {start=$a+4K, end=$a+12K, Size=8, Rss=8}
smaps($a+16K) = {start=$a+16K, end=$a+32K, Size=16, Rss=16}
load($a+8K, 1) = "Z"
load($a+12K, 1) = SIGSEGV
load($a+16K, 1) = "Z"
# trimming the tail
munmap($a+28K, 4K) = 0
smaps($a+16K) = {start=$a+16K, end=$a+28K}
# a range spanning holes and several VMAs is fine; only what it covers goes away
munmap($a+8K, 12K) = 0
vma_count($a, $a+32K) = 2
smaps($a+4K) = {start=$a+4K, end=$a+8K, Rss=4}
smaps($a+20K) = {start=$a+20K, end=$a+28K, Rss=8}
# unmapping everything, holes included
munmap($a, 32K) = 0
vma_count($a, $a+32K) = 0
# the range is free again: MAP_FIXED_NOREPLACE succeeds and memory is fresh
mmap($a, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
load($a+8K, 1) = "\0"
