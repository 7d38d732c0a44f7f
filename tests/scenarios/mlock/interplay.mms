# Locked ranges refuse MADV_DONTNEED (EINVAL) and msync(MS_INVALIDATE) (EBUSY); PROT_NONE memory can be locked.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mlock($a, 8K) = 0
madvise($a, 4K, MADV_DONTNEED) = -1 EINVAL (Invalid argument)
madvise($a+8K, 8K, MADV_DONTNEED) = 0
msync($a, 16K, MS_INVALIDATE) = -1 EBUSY (Device or resource busy)
msync($a+8K, 8K, MS_INVALIDATE) = 0
# MLOCK_ONFAULT is VM_LOCKED too
mlock2($a+8K, 4K, MLOCK_ONFAULT) = 0
madvise($a+8K, 4K, MADV_DONTNEED) = -1 EINVAL (Invalid argument)
# PROT_NONE: the VMA is locked and counted, but populating it fails (GUP's EFAULT, reported as ENOMEM)
mmap(0x100000100000, 16K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $n
mlock($n, 16K) = -1 ENOMEM (Cannot allocate memory)
smaps($n) = {Rss=0, Locked=0, VmFlags="mr mw me lo"}
status() = {VmLck=28}
# making it accessible afterwards populates the locked range
mprotect($n, 16K, PROT_READ|PROT_WRITE) = 0
smaps($n) = {Rss=16, Locked=16}
munlock($n, 16K) = 0
# MLOCK_ONFAULT never populates, so PROT_NONE is no error
mprotect($n, 16K, PROT_NONE) = 0
mlock2($n, 16K, MLOCK_ONFAULT) = 0
smaps($n) = {Rss=16, Locked=16, VmFlags="mr mw me lo lf ac"}
validate()
