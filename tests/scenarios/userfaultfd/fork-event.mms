# UFFD_FEATURE_EVENT_FORK (needs CAP_SYS_PTRACE): fork() gives the child's registered VMAs a context of their own
# and sleeps until the monitor reads one FORK event per such context; reading it installs the new context's fd in
# the reader's table, the lowest free one, bound here from the message. The child does not run before that.
# Measured on 6.18: docs/kernel-notes-userfaultfd-events.md §4.
fork() = $m
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "\x11")
mmap(0x100000400000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
store($s, "\x5c")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_FORK => features=0, ioctls=0}) = -1 EPERM (Operation not permitted)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_FORK|UFFD_FEATURE_THREAD_ID}) = 0

# Nothing registered: no event, fork() returns at once.
fork() = $c0
[pid $c0] exit_group(0)

ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t
[pid $t] fork() <unfinished ...>
# While the event waits: POLLIN, and the filling ioctls are EAGAIN.
poll([{fd=$u, events=POLLIN, revents=POLLIN}], 1, 0) = 1
ioctl($u, UFFDIO_COPY, {dst=$a+4K, src=$a, len=4K, mode=0, copy=-11}) = -1 EAGAIN (Resource temporarily unavailable)
read($u, {event=UFFD_EVENT_FORK, fork={ufd=$cu}}, 32) = 32
[pid $t] <... fork resumed> = $c
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
# The child keeps the registration ("um"), under the new context, and the page populated before fork.
[pid $c] smaps($a) = {VmFlags="rd wr mr mw me um ac"}
[pid $c] load($a, 1) = "\x11"
# Its faults go to the new fd only, with its own tid.
[pid $c] load($a+4K, 1) <unfinished ...>
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
read($cu, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a+4K, feat={ptid=$c}}}, 32) = 32
# COPY through the new fd fills the child's memory from the caller's.
ioctl($cu, UFFDIO_COPY, {dst=$a+4K, src=$s, len=4K, mode=0, copy=4096}) = 0
[pid $c] <... load resumed> = "\x5c"
# The parent's own faults still go to its fd.
load($a+4K, 1) <unfinished ...>
[pid $t] read($u, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$a+4K, feat={ptid=$main}}}, 32) = 32
[pid $t] ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a+4K, len=4K}, mode=0, zeropage=4096}) = 0
<... load resumed> = "\0"
# MOVE between two mms is EINVAL, before anything is written to "move".
ioctl($cu, UFFDIO_MOVE, {dst=$a+8K, src=$s, len=4K, mode=0, move=0}) = -1 EINVAL (Invalid argument)

# Closing the new fd releases the child's registration: its missing pages are ordinary ones again.
close($cu) = 0
[pid $c] smaps($a) = {VmFlags="rd wr mr mw me ac"}
[pid $c] load($a+8K, 1) = "\0"
[pid $c] exit_group(0)

# Two contexts with EVENT_FORK: one FORK each, ordered by the lowest VMA each has registered, one at a time;
# each new fd is the lowest free when it is read.
mmap(0x100000800000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK|O_CLOEXEC) = $u2
ioctl($u2, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_FORK}) = 0
ioctl($u2, UFFDIO_REGISTER, {range={start=$b, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u2, UFFDIO_REGISTER, {range={start=$a, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = -1 EBUSY (Device or resource busy)
[pid $t] fork() <unfinished ...>
read($u2, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
read($u, {event=UFFD_EVENT_FORK, fork={ufd=$cu1}}, 32) = 32
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
read($u2, {event=UFFD_EVENT_FORK, fork={ufd=$cu2}}, 32) = 32
[pid $t] <... fork resumed> = $d
[pid $d] smaps($b) = {VmFlags="rd wr mr mw me um ac"}
[pid $d] load($b, 1) <unfinished ...>
read($cu1, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
read($cu2, {event=UFFD_EVENT_PAGEFAULT, pagefault={flags=0, address=$b}}, 32) = 32
ioctl($cu2, UFFDIO_ZEROPAGE, {range={start=$b, len=4K}, mode=0, zeropage=4096}) = 0
[pid $d] <... load resumed> = "\0"
[pid $d] exit_group(0)
close($cu1) = 0
close($cu2) = 0

# The new fds are the lowest free ones. (Without one, the read fails with EMFILE and the event stays queued: a unit
# test, since the kernel runner cannot read /proc under such an RLIMIT_NOFILE.)
[pid $t] fork() <unfinished ...>
read($u, {event=UFFD_EVENT_FORK, fork={ufd=5}}, 32) = 32
read($u2, {event=UFFD_EVENT_FORK, fork={ufd=6}}, 32) = 32
[pid $t] <... fork resumed> = $e
close(5) = 0
close(6) = 0

# A context released while its FORK waits (its last fd was another process's): fork goes on, and the child's VMAs
# lose the registration, flags only, without merging; the parent's merge back.
mmap(0x100000600000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $g
ioctl($u2, UFFDIO_REGISTER, {range={start=$g+4K, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
close($u) = 0
close($u2) = 0
[pid $t] fork() <unfinished ...>
[pid $e] close($u) = 0
smaps($a) = {VmFlags="rd wr mr mw me ac"}
[pid $e] close($u2) = 0
[pid $t] <... fork resumed> = $f
smaps($g) = {Size=12}
[pid $f] smaps($g+4K) = {Size=4, VmFlags="rd wr mr mw me ac"}
[pid $f] smaps($a) = {VmFlags="rd wr mr mw me ac"}
[pid $f] load($g+4K, 1) = "\0"
[pid $f] exit_group(0)
[pid $e] exit_group(0)

# The monitor closes its fd without reading: fork stays asleep, for the child's copy of the fd table holds the
# file too. A fatal signal ends it.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u3
ioctl($u3, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_FORK}) = 0
ioctl($u3, UFFDIO_REGISTER, {range={start=$a, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
[pid $t] fork() <unfinished ...>
close($u3) = 0
poll([{fd=$u3, events=POLLIN, revents=POLLNVAL}], 1, 0) = 1
[pid $m] kill($main, SIGKILL) = 0
[pid $t] <... fork resumed> = SIGKILL
