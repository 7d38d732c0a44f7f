# Features that change how a fault is delivered: UFFD_FEATURE_THREAD_ID and UFFD_FEATURE_EXACT_ADDRESS change the
# message; UFFD_FEATURE_SIGBUS makes the fault SIGBUS at once. And a monitor thread asleep in read().
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $src
store($src, "data")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_THREAD_ID|UFFD_FEATURE_EXACT_ADDRESS}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t
[pid $t] store($a+0x456, "w") <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE, address=$a+0x456, feat={ptid=$t}}}, 32) = 32
ioctl($u, UFFDIO_COPY, {dst=$a, src=$src, len=4K, mode=0, copy=4096}) = 0
[pid $t] <... store resumed> = 0
load($a, 4) = "data"
load($a+0x456, 1) = "w"

# SIGBUS instead of a message: si_addr is the exact address, and nothing is queued.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $b
ioctl($b, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_SIGBUS}) = 0
ioctl($b, UFFDIO_REGISTER, {range={start=$a+8K, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
load($a+8K+0x123, 1) = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+8K+0x123}
[pid $t] store($a+12K+1, "x") = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+12K+1}
read($b, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
ioctl($b, UFFDIO_ZEROPAGE, {range={start=$a+8K, len=4K}, mode=0, zeropage=4096}) = 0
load($a+8K, 1) = "\0"

# A monitor thread asleep in read() on a blocking uffd wakes with the message of the next fault.
userfaultfd(UFFD_USER_MODE_ONLY) = $w
ioctl($w, UFFDIO_API, {api=UFFD_API, features=0}) = 0
mmap(0x100000010000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
ioctl($w, UFFDIO_REGISTER, {range={start=$c, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $monitor
[pid $monitor] read($w, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$c}}, 32) <unfinished ...>
[pid $t] load($c, 1) <unfinished ...>
[pid $monitor] <... read resumed> = 32
[pid $monitor] ioctl($w, UFFDIO_COPY, {dst=$c, src=$src, len=4K, mode=0, copy=4096}) = 0
[pid $t] <... load resumed> = "d"
