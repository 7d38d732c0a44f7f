# MADV_POPULATE_READ and MADV_POPULATE_WRITE fault the range in page by page, as GUP does, and stop at the first
# page they cannot do, leaving the earlier ones populated: a hole is ENOMEM, an access the VMA does not allow
# (PROT_NONE, read-only for a write) EINVAL, a fault that would signal (past the end of a file, a guard marker)
# EFAULT. A write breaks COW and dirties shared pages. Measured on 6.18.
mmap(0x100000020000, 16K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $p
madvise($p, 16K, MADV_POPULATE_READ) = -1 EINVAL (Invalid argument)
madvise($p, 16K, MADV_POPULATE_WRITE) = -1 EINVAL (Invalid argument)
mprotect($p, 8K, PROT_READ) = 0
madvise($p, 16K, MADV_POPULATE_READ) = -1 EINVAL (Invalid argument)
pagemap($p+4K) = {present=1, exclusive=0}
smaps($p) = {Rss=0}
madvise($p, 8K, MADV_POPULATE_WRITE) = -1 EINVAL (Invalid argument)
mprotect($p, 8K, PROT_READ|PROT_WRITE) = 0
madvise($p+4K, 4K, MADV_GUARD_INSTALL) = 0
madvise($p, 8K, MADV_POPULATE_WRITE) = -1 EFAULT (Bad address)
smaps($p) = {Rss=4, Private_Dirty=4, Anonymous=4}
madvise($p, 8K, MADV_POPULATE_READ) = -1 EFAULT (Bad address)

# A hole stops it with ENOMEM, after the pages before it.
mmap(0x100000030000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $q
madvise($q, 24K, MADV_POPULATE_WRITE) = -1 ENOMEM (Cannot allocate memory)
smaps($q) = {Rss=8, Private_Dirty=8}
madvise($q-4K, 8K, MADV_POPULATE_READ) = -1 ENOMEM (Cannot allocate memory)

# Shared memory: the pages within the file are populated, the first past its end is EFAULT (SIGBUS).
memfd_create("m", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000040000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $s
madvise($s, 16K, MADV_POPULATE_READ) = -1 EFAULT (Bad address)
smaps($s) = {Rss=8, Private_Clean=8, Private_Dirty=0}
madvise($s, 16K, MADV_POPULATE_WRITE) = -1 EFAULT (Bad address)
smaps($s) = {Rss=8, Private_Clean=0, Private_Dirty=8}

# POPULATE_WRITE breaks COW: the child keeps the old page.
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
store($b, "b")
fork() = $e
madvise($b, 8K, MADV_POPULATE_WRITE) = 0
pagemap($b) = {present=1, exclusive=1}
[pid $e] load($b, 1) = "b"
[pid $e] pagemap($b) = {present=1, exclusive=1}
smaps($b) = {Rss=8, Private_Dirty=8, Anonymous=8}

# A poisoned page (UFFDIO_POISON) stops it with EHWPOISON, where an access gets SIGBUS (found by fuzz, seed 11204).
mmap(0x100000300000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $x
store($x, "a")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$x, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u, UFFDIO_POISON, {range={start=$x+4K, len=4K}, mode=0, updated=4096}) = 0
madvise($x, 8K, MADV_POPULATE_READ) = -1 EHWPOISON (Memory page has hardware error)
madvise($x, 8K, MADV_POPULATE_WRITE) = -1 EHWPOISON (Memory page has hardware error)
load($x+4K, 1) = SIGBUS {si_code=BUS_ADRERR, si_addr=$x+4K}
