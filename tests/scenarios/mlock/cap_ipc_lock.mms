# CAP_IPC_LOCK lifts RLIMIT_MEMLOCK. The process starts with it permitted but not effective (as a program with
# file capabilities cap_ipc_lock,cap_sys_rawio,cap_sys_ptrace=p would), so it is unprivileged until capset() raises it.
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=16K, rlim_max=16K}) = 0
mlock($a, 32K) = -1 ENOMEM (Cannot allocate memory)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
# beyond the limit: mlock, mlock2(MLOCK_ONFAULT), MAP_LOCKED and the growth of a locked mapping all succeed
mlock($a, 32K) = 0
mlock2($a+32K, 16K, MLOCK_ONFAULT) = 0
status() = {VmLck=48}
smaps($a) = {start=$a, end=$a+32K, Rss=32, Locked=32, VmFlags="rd wr mr mw me lo ac"}
smaps($a+32K) = {start=$a+32K, end=$a+48K, Rss=0, Locked=0, VmFlags="rd wr mr mw me lo lf ac"}
mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED|MAP_FIXED_NOREPLACE, -1, 0) = $b
smaps($b) = {Rss=32, Locked=32}
mremap($b, 32K, 64K, 0, 0) = $b
smaps($b) = {end=$b+64K, Rss=64, Locked=64}
status() = {VmLck=112}
# a zero limit: can_do_mlock() still says yes
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=0, rlim_max=16K}) = 0
mlock($a+48K, 4K) = 0
mlockall(MCL_FUTURE) = 0
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
smaps($c) = {Rss=8, Locked=8, VmFlags="rd wr mr mw me lo ac"}
munlockall() = 0
# the child inherits the capability sets; it does not inherit the locks
fork() = $child
[pid $child] capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE}) = 0
[pid $child] status() = {VmLck=0}
[pid $child] mlock($a, 16K) = 0
# dropping it from the effective set (still permitted) makes the limits apply again, and it can be raised again
mlock($b, 64K) = 0
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
mlock($a, 4K) = -1 EPERM (Operation not permitted)
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=16K, rlim_max=16K}) = 0
mlock($a, 4K) = -1 ENOMEM (Cannot allocate memory)
mmap(0x100000300000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED|MAP_FIXED_NOREPLACE, -1, 0) = -1 EAGAIN (Resource temporarily unavailable)
mremap($b, 64K, 68K, 0, 0) = -1 EAGAIN (Resource temporarily unavailable)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
mlock($a, 4K) = 0
status() = {VmLck=68}
# the child drops CAP_IPC_LOCK from its permitted set: gone for good
[pid $child] capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_SYS_RAWIO, inheritable=0}) = 0
[pid $child] capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = -1 EPERM (Operation not permitted)
[pid $child] mlock($a+16K, 4K) = -1 EPERM (Operation not permitted)
validate()
