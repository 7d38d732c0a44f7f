# capget() and capset() as kernel/capability.c and cap_capset() check them. The process starts with
# CAP_IPC_LOCK, CAP_SYS_RAWIO and CAP_SYS_PTRACE permitted, nothing effective or inheritable.
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=$main}, {permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE}) = 0
# an unknown version is EINVAL, except when the data pointer is NULL: that only asks for the version
capget({version=0x12345678, pid=0}, NULL) = 0
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, NULL) = 0
capget({version=0x12345678, pid=0}, {effective=0}) = -1 EINVAL (Invalid argument)
capset({version=0x12345678, pid=0}, {effective=0, permitted=0, inheritable=0}) = -1 EINVAL (Invalid argument)
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=-1}, {effective=0}) = -1 EINVAL (Invalid argument)
capget(NULL, NULL) = -1 EFAULT (Bad address)
capset(NULL, NULL) = -1 EFAULT (Bad address)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, NULL) = -1 EFAULT (Bad address)
# versions 1 and 2 are still accepted
capget({version=_LINUX_CAPABILITY_VERSION_1, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
capget({version=_LINUX_CAPABILITY_VERSION_2, pid=0}, {permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE}) = 0
# nothing outside the permitted set, and effective within the new permitted set
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE|1<<CAP_SYS_ADMIN, inheritable=0}) = -1 EPERM (Operation not permitted)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_RAWIO, permitted=1<<CAP_IPC_LOCK, inheritable=0}) = -1 EPERM (Operation not permitted)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=1<<CAP_SYS_ADMIN}) = -1 EPERM (Operation not permitted)
# inheritable within the permitted set is fine
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=1<<CAP_IPC_LOCK}) = 0
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {inheritable=1<<CAP_IPC_LOCK}) = 0
# bits past CAP_LAST_CAP are dropped without an error
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<63, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE|1<<63, inheritable=0}) = 0
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
# only the caller: pid 0 or its own pid
fork() = $c
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=$c}, {effective=0, permitted=0, inheritable=0}) = -1 EPERM (Operation not permitted)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=$c}, NULL) = -1 EPERM (Operation not permitted)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=$main}, {effective=1<<CAP_SYS_RAWIO, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
# capget may look at another process
[pid $c] capget({version=_LINUX_CAPABILITY_VERSION_3, pid=$main}, {effective=1<<CAP_SYS_RAWIO}) = 0
[pid $c] capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0}) = 0
[pid $c] exit_group(0)
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=$c}, {effective=0}) = -1 ESRCH (No such process)
# a version 1 header carries the low 32 bits only
capset({version=_LINUX_CAPABILITY_VERSION_1, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK, inheritable=0}) = 0
capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK, permitted=1<<CAP_IPC_LOCK, inheritable=0}) = 0
# CAP_SYS_RAWIO was dropped from the permitted set: it cannot come back
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = -1 EPERM (Operation not permitted)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=0, inheritable=0}) = 0
status() = {CapEff="0000000000000000", CapPrm="0000000000000000"}
