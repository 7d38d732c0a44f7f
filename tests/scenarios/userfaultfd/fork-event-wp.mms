# fork() with UFFD_FEATURE_EVENT_FORK of VMAs registered for WP: the child's copies stay protected, PTE bits and
# markers included, and shared memory's PTEs are copied too (vma_needs_copy() for a uffd-wp VMA), while without
# EVENT_FORK the child faults them in again. Measured on 6.18: docs/kernel-notes-userfaultfd-wp.md, "fork() with
# EVENT_FORK".
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
store($a, "page0")
load($a+4K, 1) = "\0"
store($s, "shared")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_FORK|UFFD_FEATURE_WP_UNPOPULATED}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$s, len=8K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=16K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$s, len=8K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
thread() = $t
[pid $t] fork() <unfinished ...>
read($u, {event=UFFD_EVENT_FORK, fork={ufd=$cu}}, 32) = 32
[pid $t] <... fork resumed> = $c

[pid $c] smaps($a) = {VmFlags="rd wr mr mw me uw ac"}
[pid $c] pagemap($a) = {present=1, exclusive=0, uffd_wp=1}
[pid $c] pagemap($a+4K) = {present=1, uffd_wp=1}
[pid $c] pagemap($a+8K) = {present=0, swapped=1, uffd_wp=1}
[pid $c] smaps($s) = {Rss=4, VmFlags="rd wr sh mr mw me ms uw"}
[pid $c] pagemap($s) = {present=1, uffd_wp=1}
[pid $c] pagemap($s+4K) = {present=0, uffd_wp=1}

# The child's writes trap on its own fd; the parent's stay on the original one.
[pid $c] store($a, "child") <unfinished ...>
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
read($cu, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a}}, 32) = 32
ioctl($cu, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=0}) = 0
[pid $c] <... store resumed> = 0
[pid $c] store($a+8K, "marker") <unfinished ...>
read($cu, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a+8K}}, 32) = 32
ioctl($cu, UFFDIO_WRITEPROTECT, {range={start=$a+8K, len=4K}, mode=0}) = 0
[pid $c] <... store resumed> = 0
[pid $c] store($s, "S") <unfinished ...>
read($cu, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$s}}, 32) = 32
ioctl($cu, UFFDIO_WRITEPROTECT, {range={start=$s, len=4K}, mode=0}) = 0
[pid $c] <... store resumed> = 0
load($s, 6) = "Shared"
load($a, 5) = "page0"
pagemap($a) = {present=1, uffd_wp=1}
[pid $t] store($a, "P") <unfinished ...>
read($cu, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=UFFD_PAGEFAULT_FLAG_WRITE|UFFD_PAGEFAULT_FLAG_WP, address=$a}}, 32) = 32
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=0}) = 0
[pid $t] <... store resumed> = 0
[pid $c] load($a, 5) = "child"

# Closing the child's fd clears its protections: PTE bits and markers go, writes are ordinary.
close($cu) = 0
[pid $c] smaps($a) = {VmFlags="rd wr mr mw me ac"}
[pid $c] pagemap($a+4K) = {present=1, uffd_wp=0}
[pid $c] pagemap($a+12K) = {present=0, swapped=0, uffd_wp=0}
[pid $c] store($a+4K, "free")
[pid $c] exit_group(0)
