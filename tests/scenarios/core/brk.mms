# brk: growing, shrinking, unaligned breaks, failures (which return the old break),
# the [heap] name, and the one-page gap brk keeps below the next mapping.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

brk(0) = $b
# nothing is mapped at the break yet
smaps($b) = NULL
brk($b+8K) = $b+8K
smaps($b) = {start=$b, end=$b+8K, perms="rw-p", name="[heap]", Rss=0, VmFlags="rd wr mr mw me ac"}
store($b, "heap")
# the break itself need not be page aligned; the VMA ends at the next page boundary
brk($b+8K+100) = $b+8K+100
smaps($b) = {start=$b, end=$b+12K, Size=12, Rss=4}
store($b+12K-1, "x")
load($b+12K, 1) = SIGSEGV
# shrinking unmaps whole pages above the new break; contents below survive
brk($b+4K) = $b+4K
smaps($b) = {start=$b, end=$b+4K}
load($b, 4) = "heap"
load($b+4K, 1) = SIGSEGV
# memory that comes back after a shrink is zeroed
brk($b+64K) = $b+64K
load($b+12K-1, 1) = "\0"
# invalid requests return the current break unchanged
brk($b-4K) = $b+64K
brk(1) = $b+64K
brk(-4K) = $b+64K
brk(0) = $b+64K
# shrinking back to the start removes the heap VMA altogether
brk($b) = $b
smaps($b) = NULL
# brk leaves at least one unmapped page below the next mapping
mmap($b+1M, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b+1M
brk($b+1M) = $b
brk($b+1M-4K+1) = $b
brk($b+1M-4K) = $b+1M-4K
brk($b+2M) = $b+1M-4K
smaps($b) = {start=$b, end=$b+1M-4K, name="[heap]"}
# an anonymous mapping placed right after the heap merges with it and is shown as [heap]
munmap($b+1M, 4K) = 0
mmap($b+1M-4K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b+1M-4K
vma_count($b, $b+1M+4K) = 1
smaps($b+1M) = {start=$b, end=$b+1M+4K, name="[heap]"}
# a heap VMA that no longer overlaps [start_brk, brk] loses the name
brk($b+4K) = $b+4K
smaps($b+1M) = {start=$b+1M-4K, end=$b+1M+4K, name=""}
