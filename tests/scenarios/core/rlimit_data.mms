# RLIMIT_DATA: limits "data" mappings (private + writable, not stack) and brk;
# setrlimit/prlimit64 argument checks.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

# setrlimit checks: cur > max, raising the hard limit unprivileged, unknown resource
setrlimit(RLIMIT_DATA, {rlim_cur=8K, rlim_max=4K}) = -1 EINVAL (Invalid argument)
setrlimit(99, {rlim_cur=4K, rlim_max=4K}) = -1 EINVAL (Invalid argument)
setrlimit(RLIMIT_DATA, NULL) = -1 EFAULT (Bad address)
prlimit64(0, 99, NULL, NULL) = -1 EINVAL (Invalid argument)
prlimit64(999999, RLIMIT_DATA, NULL, NULL) = -1 ESRCH (No such process)
prlimit64($main, RLIMIT_DATA, NULL, NULL) = 0
# one page of data in total: any new 8K data mapping is over the limit
setrlimit(RLIMIT_DATA, {rlim_cur=4K, rlim_max=RLIM_INFINITY}) = 0
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 ENOMEM (Cannot allocate memory)
# MAP_NORESERVE and MAP_STACK mappings are still data ...
mmap(0x100000020000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = -1 ENOMEM (Cannot allocate memory)
mmap(0x100000040000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_STACK, -1, 0) = -1 ENOMEM (Cannot allocate memory)
# ... and so are private writable file mappings
memfd_create("d", 0) = $fd
mmap(0x100000050000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = -1 ENOMEM (Cannot allocate memory)
# not data: read-only or exec private, shared, and MAP_GROWSDOWN (VM_STACK)
mmap(0x100000000000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000070000, 8K, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000070000
mmap(0x100000010000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000010000
mmap(0x100000060000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = 0x100000060000
mmap(0x100000030000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, -1, 0) = 0x100000030000
# making a private mapping writable is checked too (mprotect -> ENOMEM), and nothing changes
mprotect($a, 8K, PROT_READ|PROT_WRITE) = -1 ENOMEM (Cannot allocate memory)
smaps($a) = {start=$a, end=$a+8K, perms="r--p"}
# brk growth is refused: the unchanged break comes back
brk(0) = $b
brk($b+8K) = $b
# rlim_cur == 0 is special (a workaround for Valgrind): data mappings are then
# only limited by rlim_max; brk still fails
setrlimit(RLIMIT_DATA, {rlim_cur=0, rlim_max=RLIM_INFINITY}) = 0
mmap(0x100000080000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000080000
brk($b+8K) = $b
setrlimit(RLIMIT_DATA, {rlim_cur=0, rlim_max=4K}) = 0
mmap(0x100000090000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 ENOMEM (Cannot allocate memory)
# the hard limit cannot be raised again without CAP_SYS_RESOURCE
setrlimit(RLIMIT_DATA, {rlim_cur=4K, rlim_max=8K}) = -1 EPERM (Operation not permitted)
prlimit64(0, RLIMIT_DATA, {rlim_cur=4K, rlim_max=4K}, NULL) = 0
