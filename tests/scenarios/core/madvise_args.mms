# madvise argument checks and their order.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).
#
# Order (do_madvise): unknown advice -> EINVAL; start unaligned -> EINVAL;
# start + PAGE_ALIGN(len) wraps -> EINVAL; len 0 -> 0; then the VMA walk:
# per-VMA errors (e.g. EINVAL for WIPEONFORK on shared memory), ENOMEM for holes.

mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
# unknown advice values
madvise($a, 4K, 77) = -1 EINVAL (Invalid argument)
madvise($a, 4K, -1) = -1 EINVAL (Invalid argument)
# unaligned start
madvise($a+1, 4K, MADV_DONTNEED) = -1 EINVAL (Invalid argument)
# len 0 is a successful no-op, but only after advice and alignment were checked
madvise($a, 0, MADV_DONTFORK) = 0
madvise(0x100000100000, 0, MADV_DONTNEED) = 0
madvise($a, 0, 77) = -1 EINVAL (Invalid argument)
madvise($a+1, 0, MADV_DONTNEED) = -1 EINVAL (Invalid argument)
# a wrapping range is EINVAL here (munmap: EINVAL too, mprotect: ENOMEM)
madvise($a, -4K, MADV_DONTNEED) = -1 EINVAL (Invalid argument)
# unknown advice wins over an unmapped range
madvise(0x100000100000, 4K, 77) = -1 EINVAL (Invalid argument)
# nothing mapped: ENOMEM (no TASK_SIZE check: the same beyond the user address space)
madvise(0x100000100000, 4K, MADV_DONTNEED) = -1 ENOMEM (Cannot allocate memory)
madvise(0x800000000000, 4K, MADV_DONTNEED) = -1 ENOMEM (Cannot allocate memory)
# range starting in a hole, or running past the end of the mapping: ENOMEM ...
madvise($a-4K, 8K, MADV_DONTFORK) = -1 ENOMEM (Cannot allocate memory)
madvise($a+8K, 16K, MADV_DONTFORK) = -1 ENOMEM (Cannot allocate memory)
# ... yet the mapped parts were still changed
smaps($a) = {start=$a, end=$a+4K, VmFlags="rd wr mr mw me dc ac"}
smaps($a+8K) = {start=$a+8K, end=$a+16K, VmFlags="rd wr mr mw me dc ac"}
smaps($a+4K) = {start=$a+4K, end=$a+8K, VmFlags="rd wr mr mw me ac"}
madvise($a, 16K, MADV_DOFORK) = 0
vma_count($a, $a+16K) = 1
# the length is rounded up: [a, a+4K)
madvise($a, 1, MADV_DONTFORK) = 0
smaps($a) = {start=$a, end=$a+4K}
# a per-VMA error stops the walk: the first VMA was changed, the shared one was not
mmap($a+16K, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+16K
madvise($a+4K, 16K, MADV_WIPEONFORK) = -1 EINVAL (Invalid argument)
smaps($a+4K) = {start=$a+4K, end=$a+16K, VmFlags="rd wr mr mw me ac wf"}
smaps($a+16K) = {VmFlags="rd wr sh mr mw me ms"}
