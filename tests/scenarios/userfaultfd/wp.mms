# Write-protect mode on private anonymous memory: UFFDIO_WRITEPROTECT, the faults it makes, and what ends the
# protection. Measured on 6.18: docs/kernel-notes-userfaultfd-wp.md, sections A, B, C and E.
mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "page0")
load($a+4K, 1) = "\0"
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
thread() = $t

# Before UFFDIO_API, and on a range not registered for WP.
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = -1 ENOENT (No such file or directory)
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=32K}, mode=UFFDIO_REGISTER_MODE_WP, ioctls=1<<_UFFDIO_WAKE|1<<_UFFDIO_COPY|1<<_UFFDIO_ZEROPAGE|1<<_UFFDIO_WRITEPROTECT|1<<_UFFDIO_MOVE|1<<_UFFDIO_POISON}) = 0

# The checks: range, unknown mode bits, WP with DONTWAKE; the struct is never written back.
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+1, len=4K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=0}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=4}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=UFFDIO_WRITEPROTECT_MODE_WP|UFFDIO_WRITEPROTECT_MODE_DONTWAKE}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_WRITEPROTECT, NULL) = -1 EFAULT (Bad address)
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+64K, len=4K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = -1 ENOENT (No such file or directory)

# Protecting: present pages and the zero page get the uffd-wp bit; a page never touched stays empty (no
# WP_UNPOPULATED). The VMA is not split and VmFlags do not change.
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=16K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
vma_count($a, $a+32K) = 1
smaps($a) = {VmFlags="rd wr mr mw me uw ac"}
pagemap($a) = {present=1, exclusive=1, uffd_wp=1}
pagemap($a+4K) = {present=1, exclusive=0, uffd_wp=1}
pagemap($a+8K) = {present=0, swapped=0, uffd_wp=0}

# A read is never trapped; a write is, with WRITE|WP, at the page's address.
load($a, 5) = "page0"
[pid $t] store($a+0x123, "x") <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a}}, 32) = 32
# Protecting again does not wake it; waking it while protected makes it fault again.
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
ioctl($u, UFFDIO_WAKE, {start=$a, len=4K}) = 0
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a}}, 32) = 32
# Unprotecting wakes it, and the store lands.
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=0}) = 0
[pid $t] <... store resumed> = 0
load($a+0x123, 1) = "x"
pagemap($a) = {present=1, uffd_wp=0}

# DONTWAKE unprotects and leaves the writer asleep until UFFDIO_WAKE.
[pid $t] store($a+4K, "zero") <unfinished ...>
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+4K, len=4K}, mode=UFFDIO_WRITEPROTECT_MODE_DONTWAKE}) = 0
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a+4K}}, 32) = 32
ioctl($u, UFFDIO_WAKE, {start=$a+4K, len=4K}) = 0
[pid $t] <... store resumed> = 0
load($a+4K, 4) = "zero"
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)

# A page never touched was not protected: its write is not trapped.
store($a+8K, "free")
pagemap($a+8K) = {present=1, uffd_wp=0}

# A range of a WP VMA then one not registered for WP: ENOENT, but the part before was protected, and nothing woken.
store($a+28K, "late")
mmap($a+32K, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
store($b, "b")
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+24K, len=16K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = -1 ENOENT (No such file or directory)
pagemap($a+28K) = {present=1, uffd_wp=1}
pagemap($b) = {present=1, uffd_wp=0}
[pid $t] store($a+28K, "L") <unfinished ...>
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+24K, len=16K}, mode=0}) = -1 ENOENT (No such file or directory)
pagemap($a+28K) = {present=1, uffd_wp=0}
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a+28K}}, 32) = 32
ioctl($u, UFFDIO_WAKE, {start=$a+28K, len=4K}) = 0
[pid $t] <... store resumed> = 0

# UFFDIO_UNREGISTER clears the protection but does not wake a WP writer (MISSING ones it does).
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=8K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
[pid $t] store($a, "u") <unfinished ...>
ioctl($u, UFFDIO_UNREGISTER, {start=$a, len=32K}) = 0
smaps($a) = {VmFlags="rd wr mr mw me ac"}
pagemap($a) = {present=1, uffd_wp=0}
pagemap($a+4K) = {present=1, uffd_wp=0}
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a}}, 32) = 32
ioctl($u, UFFDIO_WAKE, {start=$a, len=4K}) = 0
[pid $t] <... store resumed> = 0
load($a, 1) = "u"

# close() of the last fd wakes a WP writer and clears the protection.
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=32K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=32K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
[pid $t] store($a+4K, "c") <unfinished ...>
close($u) = 0
[pid $t] <... store resumed> = 0
smaps($a) = {VmFlags="rd wr mr mw me ac"}
pagemap($a) = {present=1, uffd_wp=0}
