# mlockall(MCL_CURRENT) populates VMA by VMA and ignores errors (__mm_populate() with ignore_errors): a VMA whose
# populate stops at a guard marker keeps its unpopulated pages, and the VMAs after it are still populated.
# Measured on 6.18.
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
madvise($a+4K, 4K, MADV_GUARD_INSTALL) = 0
mmap(0x100000010000, 16K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
mmap(0x100000020000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
mlockall(MCL_CURRENT) = 0
smaps($a) = {Rss=4, Locked=4, VmFlags="rd wr mr mw me gu lo ac"}
smaps($b) = {Rss=0, Locked=0, VmFlags="rd mr mw me lo"}
smaps($c) = {Rss=16, Locked=16, VmFlags="rd wr mr mw me lo ac"}
munlockall() = 0
