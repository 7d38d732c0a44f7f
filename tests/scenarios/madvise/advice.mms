# The rest of madvise's advice on this machine (6.18, KSM and THP built in, CONFIG_MEMORY_FAILURE off):
# MADV_HWPOISON and MADV_SOFT_OFFLINE are not valid advice (EINVAL even over a hole); MADV_COLLAPSE is EINVAL on every
# VMA; MADV_MERGEABLE sets "mg" on private VMAs and silently skips shared ones; MADV_DONTNEED_LOCKED zaps locked
# VMAs too, where MADV_DONTNEED is EINVAL; an unknown advice is EINVAL. Measured on 6.18.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
madvise($a, 4K, 99) = -1 EINVAL (Invalid argument)
madvise($a, 4K, MADV_HWPOISON) = -1 EINVAL (Invalid argument)
madvise($a, 4K, MADV_SOFT_OFFLINE) = -1 EINVAL (Invalid argument)
madvise(0x100000300000, 4K, MADV_HWPOISON) = -1 EINVAL (Invalid argument)
madvise($a, 4K, MADV_COLLAPSE) = -1 EINVAL (Invalid argument)
madvise(0x100000300000, 4K, MADV_COLLAPSE) = -1 ENOMEM (Cannot allocate memory)
madvise($a, 0, MADV_COLLAPSE) = 0
madvise($a, 4K, MADV_WILLNEED) = 0
madvise($a, 4K, MADV_MERGEABLE) = 0
smaps($a) = {start=$a, end=$a+4K, VmFlags="rd wr mr mw me ac mg"}
madvise($a, 4K, MADV_UNMERGEABLE) = 0
smaps($a) = {start=$a, end=$a+8K, VmFlags="rd wr mr mw me ac"}
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
madvise($s, 4K, MADV_MERGEABLE) = 0
smaps($s) = {start=$s, end=$s+8K, VmFlags="rd wr sh mr mw me ms"}
madvise(0x100000300000, 4K, MADV_MERGEABLE) = -1 ENOMEM (Cannot allocate memory)

store($a, "x")
store($a+4K, "y")
mlock($a+4K, 4K) = 0
madvise($a, 8K, MADV_DONTNEED) = -1 EINVAL (Invalid argument)
smaps($a) = {Rss=0}
madvise($a, 8K, MADV_DONTNEED_LOCKED) = 0
smaps($a+4K) = {Rss=0, Locked=0, VmFlags="rd wr mr mw me lo ac"}
status() = {VmLck=4}
store($a+4K, "z")
smaps($a+4K) = {Rss=4, Locked=4}
