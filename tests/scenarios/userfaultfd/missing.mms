# MISSING faults of private anonymous memory: a thread that touches an empty registered page blocks; the monitor
# reads the fault and resolves it with UFFDIO_COPY or UFFDIO_ZEROPAGE, which wake it. Measured on 6.18:
# docs/kernel-notes-userfaultfd.md, sections 5 to 10.
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $src
store($src, "page one")
store($src+0x123, "e on")
store($src+4K, "page two")
store($a+20K, "present")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=64K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t
thread() = $t2

# A read fault: the thread blocks, and the message has the page's address, no flags and no thread id.
[pid $t] load($a+0x123, 4) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a, feat={ptid=0}}}, 32) = 32
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
ioctl($u, UFFDIO_COPY, {dst=$a, src=$src, len=4K, mode=0, copy=4096}) = 0
[pid $t] <... load resumed> = "e on"

# A write fault: UFFD_PAGEFAULT_FLAG_WRITE. Two faults pending: a 64-byte read returns both, oldest first.
[pid $t] store($a+4K, "mine") <unfinished ...>
[pid $t2] load($a+8K, 1) <unfinished ...>
read($u, [{event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE, address=$a+4K}}, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a+8K}}], 64) = 64
# ZEROPAGE resolves both: the store lands on a zero page's copy, the load reads zero.
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+4K, len=8K}, mode=0, zeropage=8192}) = 0
[pid $t] <... store resumed> = 0
[pid $t2] <... load resumed> = "\0"
load($a+4K, 4) = "mine"
smaps($a) = {Rss=12}

# DONTWAKE fills the page but leaves the faulting thread asleep until UFFDIO_WAKE.
[pid $t] load($a+12K, 4) <unfinished ...>
ioctl($u, UFFDIO_COPY, {dst=$a+12K, src=$src+4K, len=4K, mode=UFFDIO_COPY_MODE_DONTWAKE, copy=4096}) = 0
ioctl($u, UFFDIO_WAKE, {start=$a+12K, len=4K}) = 0
[pid $t] <... load resumed> = "page"

# Waking a fault whose page is still missing makes it fault again: a new message.
[pid $t] load($a+16K, 1) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={address=$a+16K}}, 32) = 32
ioctl($u, UFFDIO_WAKE, {start=$a+16K, len=4K}) = 0
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={address=$a+16K}}, 32) = 32

# The errors of UFFDIO_COPY. Validation leaves copy untouched; a page failure writes its -errno; a partial copy
# writes the bytes done and is EAGAIN.
ioctl($u, UFFDIO_COPY, {dst=$a+1, src=$src, len=4K, mode=0, copy=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_COPY, {dst=$a+16K, src=$src, len=4K, mode=4, copy=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_COPY, {dst=$a, src=$src, len=4K, mode=0, copy=-17}) = -1 EEXIST (File exists)
ioctl($u, UFFDIO_COPY, {dst=0x100000200000, src=$src, len=4K, mode=0, copy=-2}) = -1 ENOENT (No such file or directory)
ioctl($u, UFFDIO_COPY, {dst=$a+60K, src=$src, len=8K, mode=0, copy=-2}) = -1 ENOENT (No such file or directory)
ioctl($u, UFFDIO_COPY, {dst=$a+16K, src=0x100000300000, len=4K, mode=0, copy=-14}) = -1 EFAULT (Bad address)
ioctl($u, UFFDIO_COPY, {dst=$a+16K, src=$src, len=8K, mode=UFFDIO_COPY_MODE_WP, copy=-22}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_COPY, {dst=$a+16K, src=$src, len=8K, mode=0, copy=4096}) = -1 EAGAIN (Resource temporarily unavailable)
[pid $t] <... load resumed> = "p"
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+24K, len=4K}, mode=2, zeropage=0}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a, len=4K}, mode=0, zeropage=-17}) = -1 EEXIST (File exists)

# A page dropped with MADV_DONTNEED is missing again.
madvise($a, 4K, MADV_DONTNEED) = 0
[pid $t] load($a, 1) <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={address=$a}}, 32) = 32

# Closing the uffd wakes every blocked fault, which then completes as an ordinary fault: no SIGBUS.
[pid $t2] store($a+28K, "late") <unfinished ...>
close($u) = 0
[pid $t] <... load resumed> = "\0"
[pid $t2] <... store resumed> = 0
smaps($a) = {VmFlags="rd wr mr mw me ac"}
load($a+28K, 4) = "late"
