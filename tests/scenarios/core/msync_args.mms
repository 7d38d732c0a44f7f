# msync argument checks, their order, and holes.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).
#
# Order (sys_msync): unknown flag bits -> EINVAL; start unaligned -> EINVAL;
# MS_ASYNC together with MS_SYNC -> EINVAL; end wraps -> ENOMEM; len 0 -> 0;
# then the VMA walk: holes -> ENOMEM (the walk goes on over the rest).

mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "data")
# every valid flag combination on private anonymous memory is a successful no-op
msync($a, 16K, MS_SYNC) = 0
msync($a, 16K, MS_ASYNC) = 0
msync($a, 16K, MS_INVALIDATE) = 0
msync($a, 16K, 0) = 0
msync($a, 16K, MS_ASYNC|MS_SYNC) = -1 EINVAL (Invalid argument)
msync($a, 16K, 8) = -1 EINVAL (Invalid argument)
msync($a+1, 16K, MS_SYNC) = -1 EINVAL (Invalid argument)
# len 0 succeeds, even where nothing is mapped, but flags and alignment come first
msync($a, 0, MS_SYNC) = 0
msync(0x100000100000, 0, MS_SYNC) = 0
msync($a, 0, 8) = -1 EINVAL (Invalid argument)
msync($a+1, 0, MS_SYNC) = -1 EINVAL (Invalid argument)
# flags are checked before the range
msync(0x100000100000, 4K, MS_ASYNC|MS_SYNC) = -1 EINVAL (Invalid argument)
# unmapped ranges, partly or wholly, and wrapping ranges: ENOMEM
msync(0x100000100000, 4K, MS_SYNC) = -1 ENOMEM (Cannot allocate memory)
msync($a, 32K, MS_SYNC) = -1 ENOMEM (Cannot allocate memory)
msync($a, 32K, MS_ASYNC) = -1 ENOMEM (Cannot allocate memory)
msync($a-4K, 8K, MS_SYNC) = -1 ENOMEM (Cannot allocate memory)
msync($a, -4K, MS_SYNC) = -1 ENOMEM (Cannot allocate memory)
msync(0x800000000000, 4K, MS_SYNC) = -1 ENOMEM (Cannot allocate memory)
# len is rounded up to a page
msync($a, 1, MS_SYNC) = 0
# a hole inside the range
munmap($a+4K, 4K) = 0
msync($a, 16K, MS_SYNC) = -1 ENOMEM (Cannot allocate memory)
msync($a, 16K, 0) = -1 ENOMEM (Cannot allocate memory)
msync($a+8K, 8K, MS_SYNC) = 0
# msync never changes memory contents (shmem: nothing to write back, MS_INVALIDATE is a no-op)
memfd_create("ms", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000300000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
store($m, "x")
msync($m, 8K, MS_SYNC|MS_INVALIDATE) = 0
load($m, 1) = "x"
load($a, 4) = "data"
