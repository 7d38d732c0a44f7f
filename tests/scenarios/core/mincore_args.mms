# mincore argument checks, their order, and partial results at a hole.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).
#
# Order (sys_mincore): start unaligned -> EINVAL; range not below TASK_SIZE
# (access_ok) -> ENOMEM; vector not below TASK_SIZE (access_ok) -> EFAULT;
# len 0 -> 0; then per chunk: VMA lookup (ENOMEM) before copy_to_user of the
# vector (EFAULT).

# $v receives the vectors
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $v
store($v, 16, 0x77)
mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "x")
mincore($a, 0, $v) = 0
mincore($a+1, 4K, $v) = -1 EINVAL (Invalid argument)
mincore($a+1, 0, $v) = -1 EINVAL (Invalid argument)
# unmapped range: ENOMEM, and it wins over a bad vector address
mincore(0x100000200000, 4K, $v) = -1 ENOMEM (Cannot allocate memory)
mincore(0x100000200000, 4K, 0x100000300000) = -1 ENOMEM (Cannot allocate memory)
mincore($a, -4K, $v) = -1 ENOMEM (Cannot allocate memory)
mincore(0x7ffffffff000, 8K, $v) = -1 ENOMEM (Cannot allocate memory)
mincore(0x800000000000, 0, $v) = -1 ENOMEM (Cannot allocate memory)
# ... but a vector address beyond the user address space is caught earlier
mincore(0x100000200000, 4K, 0x800000000000) = -1 EFAULT (Bad address)
# len 0 on an unmapped range with a NULL vector: nothing to do
mincore(0x100000200000, 0, 0) = 0
# bad vector: unmapped, NULL, or read-only
mincore($a, 4K, 0x100000300000) = -1 EFAULT (Bad address)
mincore($a, 4K, 0) = -1 EFAULT (Bad address)
mprotect($v, 16K, PROT_READ) = 0
mincore($a, 4K, $v) = -1 EFAULT (Bad address)
mprotect($v, 16K, PROT_READ|PROT_WRITE) = 0
# a hole: the entries before the hole are written, then ENOMEM
munmap($a+16K, 4K) = 0
store($v, 8, 0x77)
mincore($a, 32K, $v) = -1 ENOMEM (Cannot allocate memory)
load($v, 8) = "\x01\0\0\0wwww"
