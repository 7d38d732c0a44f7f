# mmap argument checks and which errno wins when several are wrong.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall (/tmp/probe-golden/mmsrun, run unprivileged, no ASLR).
#
# Order on the kernel: offset alignment (arch sys_mmap) -> fd lookup EBADF and
# MAP_HUGETLB on a non-hugetlbfs file (ksys_mmap_pgoff) -> do_mmap: len==0 EINVAL,
# PAGE_ALIGN(len)==0 ENOMEM, pgoff overflow EOVERFLOW, get_unmapped_area
# (unaligned MAP_FIXED addr EINVAL, beyond TASK_SIZE ENOMEM), MAP_FIXED_NOREPLACE
# EEXIST, and only then the MAP_TYPE switch (EINVAL / EOPNOTSUPP).

# len 0
mmap(0x100000000000, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 EINVAL (Invalid argument)
# offset not page aligned (checked first, even for anonymous mappings)
mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 1) = -1 EINVAL (Invalid argument)
# MAP_FIXED / MAP_FIXED_NOREPLACE with an unaligned address
mmap(0x100000000001, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 EINVAL (Invalid argument)
mmap(0x100000000001, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EINVAL (Invalid argument)
# neither MAP_SHARED nor MAP_PRIVATE; both (= MAP_SHARED_VALIDATE) on anonymous memory; unknown type
mmap(0x100000000000, 4K, PROT_READ, MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 EINVAL (Invalid argument)
mmap(0x100000000000, 4K, PROT_READ, MAP_SHARED|MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 EINVAL (Invalid argument)
mmap(0x100000000000, 4K, PROT_READ, 0xf|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 EINVAL (Invalid argument)
# anonymous MAP_SHARED_VALIDATE is EINVAL even with an unknown flag: no EOPNOTSUPP without a file
mmap(0x100000000000, 4K, PROT_READ, MAP_SHARED_VALIDATE|MAP_ANONYMOUS|MAP_FIXED|0x800000, -1, 0) = -1 EINVAL (Invalid argument)
# plain MAP_SHARED / MAP_PRIVATE silently ignore unknown flag bits
mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|0x800000, -1, 0) = 0x100000000000
munmap(0x100000000000, 4K) = 0
# fd is ignored for MAP_ANONYMOUS, and so is the (aligned) offset
mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, 99, 4K) = 0x100000000000
munmap(0x100000000000, 4K) = 0
# bad fd: EBADF beats len 0 and a bad map type, but not an unaligned offset
mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_FIXED, -1, 0) = -1 EBADF (Bad file descriptor)
mmap(0x100000000000, 0, PROT_READ, MAP_PRIVATE|MAP_FIXED, 99, 0) = -1 EBADF (Bad file descriptor)
mmap(0x100000000000, 4K, PROT_READ, MAP_FIXED, 99, 0) = -1 EBADF (Bad file descriptor)
mmap(0x100000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_FIXED, 99, 1) = -1 EINVAL (Invalid argument)
# len that page-aligns to 0 (wraps) is ENOMEM, not EINVAL
mmap(0x100000000000, -1, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 ENOMEM (Cannot allocate memory)
# MAP_FIXED range crossing the top of the user address space (TASK_SIZE = 0x7ffffffff000)
mmap(0x7ffffffff000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 ENOMEM (Cannot allocate memory)
mmap(0x800000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 ENOMEM (Cannot allocate memory)
# MAP_SHARED cannot be combined with MAP_GROWSDOWN
mmap(0x100000000000, 4K, PROT_READ, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED|MAP_GROWSDOWN, -1, 0) = -1 EINVAL (Invalid argument)
# unknown prot bits (and PROT_GROWSDOWN) are ignored by mmap, unlike mprotect
mmap(0x100000000000, 4K, PROT_READ|0x10, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x100000000000
smaps(0x100000000000) = {start=0x100000000000, end=0x100000001000, perms="r--p", VmFlags="rd mr mw me"}
# MAP_FIXED_NOREPLACE over it: EEXIST wins over an invalid map type
mmap(0x100000000000, 4K, PROT_READ, MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)
# ... but not over len 0
mmap(0x100000000000, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EINVAL (Invalid argument)
vma_count(0x100000000000, 0x100000001000) = 1
