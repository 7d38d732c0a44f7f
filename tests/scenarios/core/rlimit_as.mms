# RLIMIT_AS: mmap/brk fail with ENOMEM once total_vm would exceed the limit;
# MAP_FIXED over existing pages only counts the net growth.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).
# (Assumes the process starts with well under 1 GiB of address space.)

setrlimit(RLIMIT_AS, {rlim_cur=32G, rlim_max=RLIM_INFINITY}) = 0
# PROT_NONE + MAP_NORESERVE: no memory commitment, but it still counts against RLIMIT_AS
mmap(0x100000000000, 31G, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = $a
smaps($a) = {start=$a, end=$a+31G, Size=32505856, Rss=0}
mmap(0x110000000000, 1G, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = -1 ENOMEM (Cannot allocate memory)
smaps(0x110000000000) = NULL
# small mappings of any kind still fit
mmap(0x110000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x110000000000
mmap(0x110000100000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x110000100000
# replacing the 31G mapping in place adds nothing: allowed
mmap($a, 31G, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_NORESERVE, -1, 0) = $a
# growing it by 1G while replacing it is not
mmap($a, 32G, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_NORESERVE, -1, 0) = -1 ENOMEM (Cannot allocate memory)
# the failed MAP_FIXED left the old mapping alone
smaps($a) = {start=$a, end=$a+31G, perms="r--p"}
# munmap and mprotect are not limited
munmap($a+16G, 4K) = 0
vma_count($a, $a+31G) = 2
mprotect($a, 16K, PROT_READ|PROT_WRITE) = 0
# a limit below current usage: every new mapping fails, even a MAP_FIXED one
# that replaces pages one for one (total_vm + 0 is already over the limit)
setrlimit(RLIMIT_AS, {rlim_cur=0, rlim_max=RLIM_INFINITY}) = 0
mmap(0x120000000000, 4K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 ENOMEM (Cannot allocate memory)
mmap($a, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = -1 ENOMEM (Cannot allocate memory)
memfd_create("as", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x120000000000, 4K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = -1 ENOMEM (Cannot allocate memory)
# brk fails the same way: it returns the unchanged break
brk(0) = $b
brk($b+4K) = $b
# but argument errors are still reported first
mmap(0x120000000000, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EINVAL (Invalid argument)
mmap(0x120000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_FIXED_NOREPLACE, 99, 0) = -1 EBADF (Bad file descriptor)
mmap(0x120000000000, 4K, PROT_READ, MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EINVAL (Invalid argument)
mmap($a, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = -1 EEXIST (File exists)
# existing memory keeps working
store($a, "still")
load($a, 5) = "still"
munmap($a, 31G) = 0
