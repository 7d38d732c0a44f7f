# The usual shape of a userfaultfd monitor (as in the kernel's selftests): a thread sleeps in a blocking read(),
# a fault wakes it with the message, and the monitor resolves the fault. The read is written as strace cuts it
# short ("read(3,  <unfinished ...>"); its resumed line gives the rest of its arguments, the message included.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
userfaultfd(UFFD_USER_MODE_ONLY) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_THREAD_ID}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $monitor
thread() = $mutator

# The monitor waits first; the fault wakes it.
[pid $monitor] read($u,  <unfinished ...>
[pid $mutator] store($a+4K, "data") <unfinished ...>
[pid $monitor] <... read resumed>{event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE, address=$a+4K, feat={ptid=$mutator}}}, 32) = 32
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+4K, len=4K}, mode=0, zeropage=4096}) = 0
[pid $mutator] <... store resumed> = 0
load($a+4K, 4) = "data"

# A fault pending before the read: the read returns at once.
[pid $mutator] load($a+8K, 1) <unfinished ...>
[pid $monitor] read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a+8K, feat={ptid=$mutator}}}, 32) = 32
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+8K, len=4K}, mode=0, zeropage=4096}) = 0
[pid $mutator] <... load resumed> = "\0"

# The read is cut short before its fd too, and a 64-byte read takes what is pending when it wakes.
[pid $monitor] read( <unfinished ...>
[pid $mutator] load($a+12K, 1) <unfinished ...>
[pid $monitor] <... read resumed>$u, {event=UFFD_EVENT_PAGEFAULT, pagefault={address=$a+12K}}, 64) = 32
ioctl($u, UFFDIO_WAKE, {start=$a+12K, len=4K}) = 0
[pid $monitor] read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={address=$a+12K}}, 32) = 32
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+12K, len=4K}, mode=0, zeropage=4096}) = 0
[pid $mutator] <... load resumed> = "\0"
