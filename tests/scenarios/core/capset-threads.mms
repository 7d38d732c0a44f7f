# Credentials are per thread, as Linux keeps them (struct cred of each task): capset() changes the calling thread's
# sets only, names the caller by its tid, and a new thread or a fork child starts with its creator's sets.
# capget() of a tid reads that thread's; /proc/PID/status shows the leader's.
thread() = $t
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
[pid $t] capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=$t}, {effective=0}) = 0
[pid $t] capget({version=_LINUX_CAPABILITY_VERSION_3, pid=$main}, {effective=1<<CAP_IPC_LOCK}) = 0
[pid $t] capset({version=_LINUX_CAPABILITY_VERSION_3, pid=$main}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = -1 EPERM (Operation not permitted)
[pid $t] capset({version=_LINUX_CAPABILITY_VERSION_3, pid=$t}, {effective=1<<CAP_SYS_RAWIO, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
thread() = $u
[pid $u] capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK}) = 0
[pid $t] fork() = $c
[pid $c] capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_RAWIO}) = 0
[pid $u] fork() = $d
[pid $d] capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK}) = 0
[pid $t] status() = {CapEff="0000000000004000"}
# What a check sees is the calling thread's: mlock() past RLIMIT_MEMLOCK needs CAP_IPC_LOCK.
setrlimit(RLIMIT_MEMLOCK, {rlim_cur=0, rlim_max=0}) = 0
mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
[pid $t] mlock($a, 4K) = -1 EPERM (Operation not permitted)
[pid $u] mlock($a, 4K) = 0
