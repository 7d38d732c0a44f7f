# The child's context acts on the child's mm: its munmap, MADV_DONTNEED and mremap send their events there, and
# a fork in the child, whose context has EVENT_FORK too, announces the grandchild's context there. Checked
# against 6.18.
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_FORK|UFFD_FEATURE_EVENT_REMAP|UFFD_FEATURE_EVENT_UNMAP|UFFD_FEATURE_EVENT_REMOVE}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t
[pid $t] fork() <unfinished ...>
read($u, {event=UFFD_EVENT_FORK, fork={ufd=$cu}}, 32) = 32
[pid $t] <... fork resumed> = $c
[pid $c] thread() = $ct
# The child's munmap sends UNMAP to the child's context, not the parent's.
[pid $ct] munmap($a+12K, 4K) <unfinished ...>
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
read($cu, {event=UFFD_EVENT_UNMAP, remove={start=$a+12K, end=$a+16K}}, 32) = 32
[pid $ct] <... munmap resumed> = 0
[pid $ct] madvise($a, 4K, MADV_DONTNEED) <unfinished ...>
read($cu, {event=UFFD_EVENT_REMOVE, remove={start=$a, end=$a+4K}}, 32) = 32
[pid $ct] <... madvise resumed> = 0
# A fork in the child: its context has EVENT_FORK too; the event goes to the child's context.
[pid $ct] fork() <unfinished ...>
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
read($cu, {event=UFFD_EVENT_FORK, fork={ufd=$gu}}, 32) = 32
[pid $ct] <... fork resumed> = $g
[pid $g] smaps($a) = {VmFlags="rd wr mr mw me um ac"}
[pid $g] load($a+4K, 1) <unfinished ...>
read($gu, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a+4K}}, 32) = 32
ioctl($gu, UFFDIO_ZEROPAGE, {range={start=$a+4K, len=4K}, mode=0, zeropage=4096}) = 0
[pid $g] <... load resumed> = "\0"
# The child's mremap: REMAP to the child's context.
[pid $ct] mremap($a, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100000) <unfinished ...>
read($cu, {event=UFFD_EVENT_REMAP, remap={from=$a, to=0x100000100000, len=4K}}, 32) = 32
read($cu, {event=UFFD_EVENT_UNMAP, remove={start=$a, end=$a+4K}}, 32) = 32
[pid $ct] <... mremap resumed> = 0x100000100000
