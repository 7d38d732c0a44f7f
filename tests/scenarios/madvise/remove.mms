# MADV_REMOVE punches a hole in the shmem file behind a shared mapping: every mapping of those pages loses them
# (reads give zeros again), except private copy-on-write copies. EACCES on a private mapping of the file, EINVAL on
# private anonymous memory and on locked VMAs; a read-only shared mapping of a memfd opened read-write is fine. A
# userfaultfd asking for REMOVE events hears of it first. Measured on 6.18.
memfd_create("m", 0) = $fd
ftruncate($fd, 16K) = 0
mmap(0x100000040000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $s
mmap(0x100000050000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $r
store($s, "shared")
store($s+4K, "second")
load($r, 6) = "shared"
store($r+4K, "private")
madvise($r, 8K, MADV_REMOVE) = -1 EACCES (Permission denied)
madvise($s+4K, 4K, MADV_REMOVE) = 0
load($r+4K, 7) = "private"
load($s+4K, 1) = "\0"
madvise($s, 16K, MADV_REMOVE) = 0
load($r, 6) = "\0\0\0\0\0\0"
load($s, 1) = "\0"
smaps($s) = {Rss=4, Pss=2, Shared_Clean=4}

mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
madvise($a, 4K, MADV_REMOVE) = -1 EINVAL (Invalid argument)
mmap(0x100000060000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $sa
store($sa, "x")
madvise($sa, 8K, MADV_REMOVE) = 0
load($sa, 1) = "\0"
mlock($sa, 4K) = 0
madvise($sa, 8K, MADV_REMOVE) = -1 EINVAL (Invalid argument)
mmap(0x100000070000, 8K, PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $ro
madvise($ro, 4K, MADV_REMOVE) = 0
madvise(0x100000300000, 4K, MADV_REMOVE) = -1 ENOMEM (Cannot allocate memory)

# With UFFD_FEATURE_EVENT_REMOVE the caller sleeps until the REMOVE event is read, then the hole is punched.
store($s+8K, "kept until read")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_REMOVE}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$s, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t
[pid $t] madvise($s+8K, 8K, MADV_REMOVE) <unfinished ...>
load($s+8K, 4) = "kept"
read($u, {event=UFFD_EVENT_REMOVE, remove={start=$s+8K, end=$s+16K}}, 32) = 32
[pid $t] <... madvise resumed> = 0
[pid $t] load($s+8K, 1) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$s+8K}}, 32) = 32
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$s+8K, len=4K}, mode=0, zeropage=4096}) = 0
[pid $t] <... load resumed> = "\0"
