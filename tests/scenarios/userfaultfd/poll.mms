# poll() of userfaultfds, strace's struct pollfd with the revents the kernel writes. A blocking userfaultfd, or one
# before UFFDIO_API, is always POLLERR; a nonblocking one is POLLIN while a fault or an event waits to be read (a
# fault read but not resolved no longer counts), and only POLLIN. A memfd is always readable and writable, a closed
# fd POLLNVAL, a negative one ignored. poll(-1) sleeps until a fault or an event comes. Measured on 6.18:
# docs/kernel-notes-userfaultfd-events.md, section 8.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
userfaultfd(UFFD_USER_MODE_ONLY) = $b
memfd_create("m", 0) = $fd
poll([{fd=$u, events=POLLIN, revents=POLLERR}], 1, 0) = 1
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_UNMAP}) = 0
ioctl($b, UFFDIO_API, {api=UFFD_API, features=0}) = 0
poll([{fd=$u, events=POLLIN, revents=0}, {fd=$b, events=POLLIN, revents=POLLERR}, {fd=$fd, events=POLLIN|POLLOUT, revents=POLLIN|POLLOUT}, {fd=99, events=POLLIN, revents=POLLNVAL}, {fd=-1, events=POLLIN, revents=0}], 5, 0) = 3
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t
thread() = $m
[pid $m] poll([{fd=$u, events=POLLIN}], 1, -1) <unfinished ...>
[pid $t] load($a, 1) <unfinished ...>
[pid $m] <... poll resumed> = 1
poll([{fd=$u, events=POLLOUT, revents=0}], 1, 0) = 0
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={address=$a}}, 32) = 32
poll([{fd=$u, events=POLLIN, revents=0}], 1, 0) = 0
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a, len=4K}, mode=0, zeropage=4096}) = 0
[pid $t] <... load resumed> = "\0"
[pid $t] munmap($a+8K, 4K) <unfinished ...>
poll([{fd=$u, events=POLLIN, revents=POLLIN}], 1, 0) = 1
read($u, {event=UFFD_EVENT_UNMAP, remove={start=$a+8K, end=$a+12K}}, 32) = 32
[pid $t] <... munmap resumed> = 0
poll(NULL, 1, 0) = -1 EFAULT (Bad address)
poll(NULL, 0, 0) = 0
