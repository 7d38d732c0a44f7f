# MADV_GUARD_INSTALL and MADV_GUARD_REMOVE: guard markers in the page tables, SIGSEGV (SEGV_MAPERR) on access, no
# VMA split. Installing zaps what was mapped (anonymous contents are lost, shmem data stays in the file) and marks
# the whole VMA with the sticky VmFlag "gu", which stays after removal and is kept by merges, splits, mprotect and
# mremap. Measured on 6.18.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "abc")
madvise($a, 8K, MADV_GUARD_INSTALL) = 0
smaps($a) = {start=$a, end=$a+16K, Rss=0, VmFlags="rd wr mr mw me gu ac"}
pagemap($a) = {present=0, swapped=1, uffd_wp=0, guard=1}
status() = {VmSwap=0}
load($a, 1) = SIGSEGV {si_code=SEGV_MAPERR, si_addr=$a}
store($a+4K, "x") = SIGSEGV {si_code=SEGV_MAPERR, si_addr=$a+4K}
# MADV_DONTNEED keeps guards; installing again is harmless.
madvise($a, 4K, MADV_DONTNEED) = 0
madvise($a, 8K, MADV_GUARD_INSTALL) = 0
pagemap($a) = {present=0, swapped=1, guard=1}
madvise($a, 16K, MADV_GUARD_REMOVE) = 0
smaps($a) = {start=$a, end=$a+16K, VmFlags="rd wr mr mw me gu ac"}
pagemap($a) = {present=0, swapped=0, guard=0}
load($a, 3) = "\0\0\0"
# Not on an mlocked VMA (the earlier VMAs of the range are done); removing is allowed there.
mlock($a+8K, 4K) = 0
madvise($a+8K, 4K, MADV_GUARD_INSTALL) = -1 EINVAL (Invalid argument)
madvise($a, 16K, MADV_GUARD_INSTALL) = -1 EINVAL (Invalid argument)
pagemap($a+4K) = {guard=1}
pagemap($a+12K) = {guard=0}
madvise($a, 16K, MADV_GUARD_REMOVE) = 0
pagemap($a+4K) = {guard=0}
munlock($a+8K, 4K) = 0
vma_count($a, $a+16K) = 1

# "gu" is sticky: a VMA without it merges into one with it, either way round.
mmap(0x100000010000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
madvise($b, 4K, MADV_GUARD_INSTALL) = 0
mmap(0x100000011000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b+4K
mmap(0x10000000f000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b-4K
smaps($b) = {start=$b-4K, end=$b+8K, VmFlags="rd wr mr mw me gu ac"}
mprotect($b, 4K, PROT_READ) = 0
smaps($b+4K) = {start=$b+4K, end=$b+8K, VmFlags="rd wr mr mw me gu ac"}
mprotect($b, 4K, PROT_READ|PROT_WRITE) = 0
vma_count($b-4K, $b+8K) = 1

# fork copies the markers (a VMA that may hold guards has its page tables copied, shmem ones too); mprotect and
# mremap keep them; munmap drops them with the VMA.
mmap(0x100000020000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
madvise($c+4K, 4K, MADV_GUARD_INSTALL) = 0
memfd_create("m", 0) = $fd
ftruncate($fd, 16K) = 0
mmap(0x100000030000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $s
store($s, "data")
store($s+4K, "more")
madvise($s+4K, 4K, MADV_GUARD_INSTALL) = 0
pagemap($s+4K) = {present=0, swapped=1, file=0, guard=1}
smaps($s) = {VmFlags="rd wr sh mr mw me ms gu"}
fork() = $k
[pid $k] pagemap($c+4K) = {present=0, swapped=1, guard=1}
[pid $k] smaps($c) = {VmFlags="rd wr mr mw me gu ac"}
[pid $k] load($c+4K, 1) = SIGSEGV {si_code=SEGV_MAPERR, si_addr=$c+4K}
[pid $k] pagemap($s+4K) = {guard=1}
[pid $k] pagemap($s) = {present=1, file=1}
[pid $k] exit_group(0)
madvise($s+4K, 4K, MADV_GUARD_REMOVE) = 0
load($s+4K, 4) = "more"
mprotect($c, 16K, PROT_READ) = 0
pagemap($c+4K) = {guard=1}
mremap($c, 16K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100000) = 0x100000100000
pagemap(0x100000101000) = {present=0, swapped=1, guard=1}
smaps(0x100000100000) = {perms="r--p", VmFlags="rd mr mw me gu ac"}
munmap(0x100000100000, 8K) = 0
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000100000
pagemap(0x100000101000) = {swapped=0, guard=0}
smaps(0x100000100000) = {VmFlags="rd wr mr mw me ac"}

# Holes: ENOMEM, as for every advice that walks VMAs.
madvise(0x100000300000, 4K, MADV_GUARD_INSTALL) = -1 ENOMEM (Cannot allocate memory)
madvise(0x100000300000, 4K, MADV_GUARD_REMOVE) = -1 ENOMEM (Cannot allocate memory)
