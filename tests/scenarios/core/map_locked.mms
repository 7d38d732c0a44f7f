# MAP_LOCKED: populated and "lo" at mmap time, RLIMIT_MEMLOCK (EAGAIN / EPERM),
# and the calls that refuse locked memory.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = $l
# all pages are faulted in (write-faulted: real pages) and locked
smaps($l) = {Rss=16, Anonymous=16, Locked=16, VmFlags="rd wr mr mw me lo ac"}
# read-only private anonymous memory is populated with the zero page: nothing counted
mmap(0x100000010000, 16K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = $r
smaps($r) = {Rss=0, Locked=0, VmFlags="rd mr mw me lo"}
# PROT_NONE is not populated, but becomes so when mprotect makes it accessible
mmap(0x100000020000, 16K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = $n
smaps($n) = {Rss=0, VmFlags="mr mw me lo"}
mprotect($n, 16K, PROT_READ|PROT_WRITE) = 0
smaps($n) = {Rss=16, Locked=16, VmFlags="rd wr mr mw me lo ac"}
# shared anonymous memory can be locked too
mmap(0x100000030000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = $s
smaps($s) = {Rss=16, Locked=16, VmFlags="rd wr sh mr mw me ms lo"}
# locked memory refuses MADV_DONTNEED and MS_INVALIDATE
madvise($l, 4K, MADV_DONTNEED) = -1 EINVAL (Invalid argument)
msync($l, 4K, MS_INVALIDATE) = -1 EBUSY (Device or resource busy)
msync($s, 4K, MS_INVALIDATE) = -1 EBUSY (Device or resource busy)
msync($l, 4K, MS_SYNC) = 0
# a fork child does not inherit VM_LOCKED
fork() = $c
[pid $c] smaps($l) = {Rss=16, Locked=0, VmFlags="rd wr mr mw me ac"}
[pid $c] madvise($l, 4K, MADV_DONTNEED) = 0
# unlock everything (locked_vm counts whole VMAs: 4 x 16K), then limit locked memory to 64K
munmap(0x100000000000, 256K) = 0
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=64K, rlim_max=64K}) = 0
mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = 0x100000000000
mmap(0x100000010000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = 0x100000010000
# over the limit: EAGAIN (the check counts the whole request, even PROT_NONE ...)
mmap(0x100000020000, 4K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = -1 EAGAIN (Resource temporarily unavailable)
# ... and even when MAP_FIXED would replace locked pages one for one
mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_LOCKED, -1, 0) = -1 EAGAIN (Resource temporarily unavailable)
smaps(0x100000000000) = {start=0x100000000000, end=0x100000008000, Locked=32}
munmap(0x100000000000, 8K) = 0
mmap(0x100000020000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = 0x100000020000
# a zero limit: MAP_LOCKED is not allowed at all (EPERM), checked before the map type
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=0, rlim_max=0}) = 0
mmap(0x100000040000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = -1 EPERM (Operation not permitted)
mmap(0x100000040000, 4K, PROT_READ|PROT_WRITE, MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = -1 EPERM (Operation not permitted)
# ... but after EEXIST and len 0
mmap(0x100000010000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = -1 EEXIST (File exists)
mmap(0x100000040000, 0, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_LOCKED, -1, 0) = -1 EINVAL (Invalid argument)
