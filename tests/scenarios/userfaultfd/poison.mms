# UFFDIO_POISON: a poison marker on each empty page of a registered range; any access there is SIGBUS (BUS_ADRERR,
# the exact address: this kernel has no CONFIG_MEMORY_FAILURE). No UFFD_FEATURE_POISON is needed. Measured on 6.18:
# docs/kernel-notes-userfaultfd-wp.md, section F.
mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $src
store($src, "source")
store($a+20K, "present")
load($a+24K, 1) = "\0"
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
thread() = $t

# Checks: range and mode leave updated alone; outside a registered VMA ENOENT; not an empty PTE EEXIST.
ioctl($u, UFFDIO_POISON, {range={start=$a, len=4K}, mode=0, updated=-2}) = -1 ENOENT (No such file or directory)
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=32K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u, UFFDIO_POISON, {range={start=$a+1, len=4K}, mode=0, updated=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_POISON, {range={start=$a, len=4K}, mode=2, updated=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_POISON, {range={start=$a+28K, len=8K}, mode=0, updated=-2}) = -1 ENOENT (No such file or directory)
ioctl($u, UFFDIO_POISON, {range={start=$a+20K, len=4K}, mode=0, updated=-17}) = -1 EEXIST (File exists)
ioctl($u, UFFDIO_POISON, {range={start=$a+24K, len=4K}, mode=0, updated=-17}) = -1 EEXIST (File exists)
# Up to the first page that is not empty: EAGAIN with the count.
ioctl($u, UFFDIO_POISON, {range={start=$a+16K, len=8K}, mode=0, updated=4096}) = -1 EAGAIN (Resource temporarily unavailable)

ioctl($u, UFFDIO_POISON, {range={start=$a, len=8K}, mode=0, updated=8192}) = 0
pagemap($a) = {present=0, swapped=1, uffd_wp=0}
smaps($a) = {Rss=4}
load($a+5, 1) = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+5}
store($a+4K+9, "x") = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+4K+9}
ioctl($u, UFFDIO_POISON, {range={start=$a, len=4K}, mode=0, updated=-17}) = -1 EEXIST (File exists)
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a, len=4K}, mode=0, zeropage=-17}) = -1 EEXIST (File exists)
# A kernel access is EFAULT.
mincore($src, 4K, $a+4K) = -1 EFAULT (Bad address)

# A blocked fault woken by POISON gets SIGBUS; with DONTWAKE only once woken.
[pid $t] load($a+8K+3, 1) <unfinished ...>
ioctl($u, UFFDIO_POISON, {range={start=$a+8K, len=4K}, mode=0, updated=4096}) = 0
[pid $t] <... load resumed> = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+8K+3}
[pid $t] load($a+12K, 1) <unfinished ...>
ioctl($u, UFFDIO_POISON, {range={start=$a+12K, len=4K}, mode=UFFDIO_POISON_MODE_DONTWAKE, updated=4096}) = 0
# The first fault was woken before anyone read it: its message went with it.
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a+12K}}, 64) = 32
ioctl($u, UFFDIO_WAKE, {start=$a+12K, len=4K}) = 0
[pid $t] <... load resumed> = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+12K}

# fork() copies the poison; COPY replaces it; MADV_DONTNEED removes it (a MISSING fault then); unregistering keeps it.
fork() = $c
[pid $c] load($a, 1) = SIGBUS {si_code=BUS_ADRERR, si_addr=$a}
ioctl($u, UFFDIO_COPY, {dst=$a, src=$src, len=4K, mode=0, copy=4096}) = 0
load($a, 6) = "source"
[pid $c] pagemap($a) = {swapped=1}
madvise($a+4K, 4K, MADV_DONTNEED) = 0
pagemap($a+4K) = {present=0, swapped=0}
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+8K, len=4K}, mode=0}) = -1 ENOENT (No such file or directory)
ioctl($u, UFFDIO_UNREGISTER, {start=$a, len=32K}) = 0
load($a+8K, 1) = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+8K}
load($a+4K, 1) = "\0"

# shmem: a hole or a page the cache has but that is not mapped here can be poisoned (the cache keeps its data, which
# another mapping still reads); a mapped page is EEXIST, a page past the end of the file EFAULT. fork() does not copy
# the poison of a shared mapping, ZEROPAGE replaces it, MADV_DONTNEED removes it.
memfd_create("m", 0) = $fd
ftruncate($fd, 16K) = 0
mmap(0x100000200000, 20K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
mmap(0x100000300000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $n
store($n+4K, "cached")
store($m+8K, "mapped")
ioctl($u, UFFDIO_REGISTER, {range={start=$m, len=20K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u, UFFDIO_POISON, {range={start=$m, len=8K}, mode=0, updated=8192}) = 0
ioctl($u, UFFDIO_POISON, {range={start=$m+8K, len=4K}, mode=0, updated=-17}) = -1 EEXIST (File exists)
ioctl($u, UFFDIO_POISON, {range={start=$m+16K, len=4K}, mode=0, updated=-14}) = -1 EFAULT (Bad address)
load($m+4K, 1) = SIGBUS {si_code=BUS_ADRERR, si_addr=$m+4K}
load($n+4K, 6) = "cached"
fork() = $d
[pid $d] load($m+4K, 6) = "cached"
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$m, len=4K}, mode=0, zeropage=4096}) = 0
load($m, 1) = "\0"
madvise($m+4K, 4K, MADV_DONTNEED) = 0
load($m+4K, 6) = "cached"
