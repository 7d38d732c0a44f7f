# MINOR faults: in a range registered for them, a page the shmem cache has but the page table lacks traps; a hole
# does not (it is allocated as usual). UFFDIO_CONTINUE maps the cached page.
memfd_create("m", 0) = $m
ftruncate($m, 16K) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $m, 0) = $a
mmap(0x100000010000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $m, 0) = $b
mmap(0x100000020000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $m, 0) = $p
store($b, "cached")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MINOR}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$p, len=16K}, mode=UFFDIO_REGISTER_MODE_MINOR}) = 0
# A hole is not a minor fault: the page is allocated, no message.
load($a+4K, 1) = "\0"
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
thread() = $t
[pid $t] load($a, 6) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_MINOR, address=$a}}, 32) = 32
ioctl($u, UFFDIO_CONTINUE, {range={start=$a, len=4K}, mode=0, mapped=4096}) = 0
[pid $t] <... load resumed> = "cached"
smaps($a) = {Rss=8, Shared_Dirty=4, Private_Clean=4}
# The errors: unaligned, bad mode, outside every registered VMA, a hole, a page already mapped.
ioctl($u, UFFDIO_CONTINUE, {range={start=$a+1, len=4K}, mode=0, mapped=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_CONTINUE, {range={start=$a, len=4K}, mode=4, mapped=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_CONTINUE, {range={start=$b, len=4K}, mode=0, mapped=-2}) = -1 ENOENT (No such file or directory)
ioctl($u, UFFDIO_CONTINUE, {range={start=$a+8K, len=4K}, mode=0, mapped=-14}) = -1 EFAULT (Bad address)
ioctl($u, UFFDIO_CONTINUE, {range={start=$a, len=8K}, mode=0, mapped=-17}) = -1 EEXIST (File exists)
# A private mapping of the file: the cached page is mapped read-only; a write then copies it (no fault message).
[pid $t] load($p, 6) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_MINOR, address=$p}}, 32) = 32
ioctl($u, UFFDIO_CONTINUE, {range={start=$p, len=4K}, mode=0, mapped=4096}) = 0
[pid $t] <... load resumed> = "cached"
store($p, "mine") = 0
load($b, 6) = "cached"
load($p, 6) = "mineed"
# CONTINUE needs shmem: on anonymous memory it is EINVAL.
mmap(0x100000030000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $anon
ioctl($u, UFFDIO_REGISTER, {range={start=$anon, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u, UFFDIO_CONTINUE, {range={start=$anon, len=4K}, mode=0, mapped=-22}) = -1 EINVAL (Invalid argument)
