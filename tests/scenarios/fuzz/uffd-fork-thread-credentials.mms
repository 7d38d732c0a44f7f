# Found by mmsim fuzz --userfaultfd --capabilities (seed 561): credentials are per thread. The thread that forks
# while waiting for a FORK event kept the CAP_SYS_PTRACE it was created with, though the main thread's capset()
# dropped it since; the child, forked by that thread, starts with that thread's sets.
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_FORK}) = 0
mmap(0x100000042000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
thread() = $t
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
[pid $t] fork() <unfinished ...>
read($u, {event=UFFD_EVENT_FORK, fork={ufd=$f}}, 32) = 32
[pid $t] <... fork resumed> = $c
close($f) = 0
[pid $c] fork() = $d
[pid $d] capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK}) = 0
