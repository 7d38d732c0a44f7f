# A userfaultfd outlives the process that made it when a fork child holds it. Its mm is gone: REGISTER and
# UNREGISTER fail in mmget_not_zero() with ENOMEM, COPY and ZEROPAGE with ESRCH (the result field untouched), a
# second API handshake with EINVAL; WAKE still succeeds and read() finds nothing. Measured on 6.18
# (docs/kernel-notes-userfaultfd-events.md, "A uffd whose mm owner has exited").
fork() = $c
[pid $c] mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
[pid $c] userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
[pid $c] ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
[pid $c] ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
[pid $c] fork() = $g
[pid $c] exit_group(0) = ?
[pid $g] ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING, ioctls=0}) = -1 ENOMEM (Cannot allocate memory)
[pid $g] ioctl($u, UFFDIO_UNREGISTER, {start=$a, len=8K}) = -1 ENOMEM (Cannot allocate memory)
[pid $g] ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a, len=4K}, mode=0, zeropage=0}) = -1 ESRCH (No such process)
[pid $g] ioctl($u, UFFDIO_COPY, {dst=$a, src=$a, len=4K, mode=0, copy=0}) = -1 ESRCH (No such process)
[pid $g] ioctl($u, UFFDIO_WAKE, {start=$a, len=4K}) = 0
[pid $g] ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = -1 EINVAL (Invalid argument)
[pid $g] read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
# The grandchild's own copy of the registered VMA was never registered.
[pid $g] smaps($a) = {VmFlags="rd wr mr mw me ac"}
