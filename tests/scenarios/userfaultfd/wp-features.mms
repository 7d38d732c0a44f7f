# Write-protect mode with UFFD_FEATURE_WP_UNPOPULATED, WP_ASYNC and SIGBUS; UFFDIO_COPY and ZEROPAGE in WP
# ranges; and what fork, mprotect, mremap and MADV_DONTNEED do to protections and markers. Measured on 6.18:
# docs/kernel-notes-userfaultfd-wp.md, sections A to C and E.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $src
store($src, "source")
store($a, "page0")
load($a+4K, 1) = "\0"
thread() = $t

# WP_UNPOPULATED: a page never touched gets a uffd-wp marker (pagemap: swapped and uffd_wp, no RSS).
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_WP_UNPOPULATED|UFFD_FEATURE_EXACT_ADDRESS}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=16K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
pagemap($a+8K) = {present=0, swapped=1, uffd_wp=1}
smaps($a) = {Rss=4}
# A read of a marker maps the zero page, still protected.
load($a+8K, 1) = "\0"
pagemap($a+8K) = {present=1, uffd_wp=1}
# A write to a marker: the page is allocated, protected, then the write traps (at the exact address here).
[pid $t] store($a+12K+7, "m") <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a+12K+7}}, 32) = 32
pagemap($a+12K) = {present=1, uffd_wp=1}
smaps($a) = {Rss=8}
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+12K, len=4K}, mode=0}) = 0
[pid $t] <... store resumed> = 0
# Unprotecting a marker removes it.
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+8K, len=8K}, mode=0}) = 0
pagemap($a+8K) = {present=1, uffd_wp=0}

# COPY in a WP range: MODE_WP installs a protected page, mode 0 an ordinary one; COPY replaces a marker.
# ZEROPAGE over a marker is EEXIST on anonymous memory.
munmap($a+8K, 8K) = 0
mmap($a+8K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = $a+8K
ioctl($u, UFFDIO_REGISTER, {range={start=$a+8K, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING|UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+8K, len=8K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+8K, len=4K}, mode=0, zeropage=-17}) = -1 EEXIST (File exists)
ioctl($u, UFFDIO_COPY, {dst=$a+8K, src=$src, len=4K, mode=UFFDIO_COPY_MODE_WP, copy=4096}) = 0
pagemap($a+8K) = {present=1, uffd_wp=1}
ioctl($u, UFFDIO_COPY, {dst=$a+12K, src=$src, len=4K, mode=0, copy=4096}) = 0
pagemap($a+12K) = {present=1, uffd_wp=0}
load($a+8K, 6) = "source"
[pid $t] store($a+8K, "S") <unfinished ...>
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a+8K}}, 32) = 32
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a+8K, len=4K}, mode=0}) = 0
[pid $t] <... store resumed> = 0
store($a+12K, "not trapped")
close($u) = 0

# fork() without EVENT_FORK: the child's VMA is not registered, its copies are not protected and markers are not
# copied; the parent keeps them.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $v
ioctl($v, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_WP_UNPOPULATED}) = 0
madvise($a+8K, 8K, MADV_DONTNEED) = 0
ioctl($v, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($v, UFFDIO_WRITEPROTECT, {range={start=$a, len=16K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
fork() = $c
[pid $c] smaps($a) = {VmFlags="rd wr mr mw me ac"}
[pid $c] pagemap($a) = {present=1, uffd_wp=0}
[pid $c] pagemap($a+8K) = {present=0, swapped=0, uffd_wp=0}
[pid $c] store($a, "child")
pagemap($a) = {present=1, uffd_wp=1}
pagemap($a+8K) = {present=0, swapped=1, uffd_wp=1}
# The child holds the fd too: it must go for close() to release the context.
kill($c, SIGKILL) = 0

# mprotect() keeps protections and markers, and does not make a protected page writable.
mprotect($a, 16K, PROT_READ) = 0
mprotect($a, 16K, PROT_READ|PROT_WRITE) = 0
smaps($a) = {VmFlags="rd wr mr mw me uw ac"}
pagemap($a) = {present=1, uffd_wp=1}
pagemap($a+8K) = {swapped=1, uffd_wp=1}
[pid $t] store($a, "p") <unfinished ...>
read($v, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a}}, 32) = 32
ioctl($v, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=0}) = 0
[pid $t] <... store resumed> = 0
ioctl($v, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0

# MADV_DONTNEED of anonymous memory drops everything, markers included.
madvise($a+8K, 4K, MADV_DONTNEED) = 0
pagemap($a+8K) = {present=0, swapped=0, uffd_wp=0}
store($a+8K, "w")

# An mremap move without EVENT_REMAP: the new VMA is not registered, the moved pages lose their protection and
# the markers are dropped; the part left behind keeps them.
mremap($a, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000200000) = 0x100000200000
smaps(0x100000200000) = {VmFlags="rd wr mr mw me ac"}
pagemap(0x100000200000) = {present=1, uffd_wp=0}
store(0x100000200000, "moved")
mremap($a+12K, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000300000) = 0x100000300000
pagemap(0x100000300000) = {present=0, swapped=0, uffd_wp=0}
pagemap($a+4K) = {present=1, uffd_wp=1}
close($v) = 0

# WP_ASYNC: the kernel resolves writes itself, no message: the store lands and the protection is gone.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $w
ioctl($w, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_WP_ASYNC}) = 0
ioctl($w, UFFDIO_REGISTER, {range={start=$a+4K, len=8K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
madvise($a+8K, 4K, MADV_DONTNEED) = 0
ioctl($w, UFFDIO_WRITEPROTECT, {range={start=$a+4K, len=8K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
pagemap($a+8K) = {swapped=1, uffd_wp=1}
store($a+4K, "async")
pagemap($a+4K) = {present=1, uffd_wp=0}
load($a+8K, 1) = "\0"
pagemap($a+8K) = {present=1, uffd_wp=1}
store($a+8K, "too")
pagemap($a+8K) = {present=1, uffd_wp=0}
read($w, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
close($w) = 0

# UFFD_FEATURE_SIGBUS: a write to a protected page is SIGBUS at the exact address; a read is not trapped.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $s
ioctl($s, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_SIGBUS}) = 0
ioctl($s, UFFDIO_REGISTER, {range={start=$a+4K, len=8K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($s, UFFDIO_WRITEPROTECT, {range={start=$a+4K, len=8K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
load($a+4K, 5) = "async"
store($a+4K+9, "b") = SIGBUS {si_code=BUS_ADRERR, si_addr=$a+4K+9}
pagemap($a+4K) = {present=1, uffd_wp=1}
