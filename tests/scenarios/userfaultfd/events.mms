# Non-cooperative events: REMAP (mremap), UNMAP (munmap, MAP_FIXED, mremap), REMOVE (MADV_DONTNEED) for a context
# that asked for them. The caller sleeps until the monitor reads each event; events come one at a time, after every
# pending fault; while one is in flight, the filling ioctls are EAGAIN. Measured on 6.18:
# docs/kernel-notes-userfaultfd-events.md.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "page0")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_REMAP|UFFD_FEATURE_EVENT_UNMAP|UFFD_FEATURE_EVENT_REMOVE}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t
thread() = $f

# mremap: REMAP once the move is done (the new VMA keeps the registration), then the UNMAP of the source.
[pid $t] mremap($a, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100000) <unfinished ...>
smaps(0x100000100000) = {VmFlags="rd wr mr mw me um ac"}
load(0x100000100000, 5) = "page0"
# mmap_changing: the filling ioctls are EAGAIN (-EAGAIN written), WRITEPROTECT too; WAKE and REGISTER are not.
ioctl($u, UFFDIO_COPY, {dst=$a+8K, src=0x100000100000, len=4K, mode=0, copy=-11}) = -1 EAGAIN (Resource temporarily unavailable)
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+8K, len=4K}, mode=0, zeropage=-11}) = -1 EAGAIN (Resource temporarily unavailable)
ioctl($u, UFFDIO_WRITEPROTECT, NULL) = -1 EAGAIN (Resource temporarily unavailable)
ioctl($u, UFFDIO_COPY, NULL) = -1 EFAULT (Bad address)
ioctl($u, UFFDIO_WAKE, {start=$a, len=4K}) = 0
read($u, {event=UFFD_EVENT_REMAP, remap={from=$a, to=0x100000100000, len=8K}}, 32) = 32
read($u, {event=UFFD_EVENT_UNMAP, remove={start=$a, end=$a+8K}}, 32) = 32
[pid $t] <... mremap resumed> = 0x100000100000
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+8K, len=4K}, mode=0, zeropage=4096}) = 0

# munmap: the range asked for, rounded up to pages, not clipped to the VMA.
[pid $t] munmap(0x100000100000, 3K) <unfinished ...>
read($u, {event=UFFD_EVENT_UNMAP, remove={start=0x100000100000, end=0x100000101000}}, 64) = 32
[pid $t] <... munmap resumed> = 0

# A fault pending before the event is read first.
[pid $t] munmap($a+12K, 8K) <unfinished ...>
[pid $f] load(0x100000101000, 1) <unfinished ...>
read($u, [{event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=0x100000101000}}, {event=UFFD_EVENT_UNMAP, remove={start=$a+12K, end=$a+20K}}], 96) = 64
[pid $t] <... munmap resumed> = 0
ioctl($u, UFFDIO_ZEROPAGE, {range={start=0x100000101000, len=4K}, mode=0, zeropage=4096}) = 0
[pid $f] <... load resumed> = "\0"

# MAP_FIXED over a registered VMA unmaps it: UNMAP, then mmap returns.
[pid $t] mmap($a+8K, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) <unfinished ...>
read($u, {event=UFFD_EVENT_UNMAP, remove={start=$a+8K, end=$a+12K}}, 32) = 32
[pid $t] <... mmap resumed> = $a+8K
smaps($a+8K) = {VmFlags="rd wr mr mw me ac"}

# MADV_DONTNEED: a REMOVE per registered VMA, clipped to it, sent before that VMA is zapped: its pages are still
# there while the caller sleeps. An unregistered VMA is zapped without one.
mmap(0x100000200000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
mmap(0x100000204000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
touch($b, 16K, WRITE)
touch($c, 8K, READ)
ioctl($u, UFFDIO_REGISTER, {range={start=$b+8K, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
[pid $t] madvise($b, 24K, MADV_DONTNEED) <unfinished ...>
smaps($b) = {Rss=0}
smaps($b+8K) = {Rss=8}
read($u, {event=UFFD_EVENT_REMOVE, remove={start=$b+8K, end=$b+16K}}, 32) = 32
smaps($b+8K) = {Rss=0}
read($u, {event=UFFD_EVENT_REMOVE, remove={start=$c, end=$c+8K}}, 32) = 32
[pid $t] <... madvise resumed> = 0
# The range goes before the monitor reads the REMOVE: the zap finds no VMA there, ENOMEM.
[pid $t] madvise($c, 8K, MADV_DONTNEED) <unfinished ...>
ioctl($u, UFFDIO_UNREGISTER, {start=$c, len=8K}) = 0
munmap($c, 8K) = 0
read($u, {event=UFFD_EVENT_REMOVE, remove={start=$c, end=$c+8K}}, 32) = 32
[pid $t] <... madvise resumed> = -1 ENOMEM (Cannot allocate memory)

# A locked VMA is EINVAL before any event. (mlock() cannot populate the registered pages: its GUP faults are
# kernel-mode, EFAULT with UFFD_USER_MODE_ONLY, and mlock reports ENOMEM; the VMA is locked all the same.)
mlock($b+8K, 4K) = -1 ENOMEM (Cannot allocate memory)
madvise($b+8K, 4K, MADV_DONTNEED) = -1 EINVAL (Invalid argument)

# close() of the last fd releases a caller whose event was not read: it returns as if it had been.
[pid $t] munmap($b+8K, 4K) <unfinished ...>
close($u) = 0
[pid $t] <... munmap resumed> = 0
smaps($b+12K) = {VmFlags="rd wr mr mw me ac"}

# A caller killed while its event waits takes the event with it.
fork() = $child
[pid $child] mmap(0x100000300000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $dm
[pid $child] userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $v
[pid $child] ioctl($v, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_UNMAP}) = 0
[pid $child] ioctl($v, UFFDIO_REGISTER, {range={start=$dm, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
[pid $child] fork() = $g
[pid $child] munmap($dm, 4K) <unfinished ...>
kill($child, SIGKILL) = 0
[pid $child] <... munmap resumed> = SIGKILL
[pid $g] read($v, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
