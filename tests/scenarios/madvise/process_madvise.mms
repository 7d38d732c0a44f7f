# pidfd_open() and process_madvise(), checked in 6.18's order: flags, the iovec array (more than UIO_MAXIOV
# entries EINVAL, unreadable EFAULT), the pidfd (EBADF, also for another kind of file; ESRCH once its process is
# gone), PTRACE_MODE_READ access to another process (EACCES: the target's permitted capabilities must be within
# the caller's effective set, or CAP_SYS_PTRACE), the advice (EINVAL), then for another process only COLD,
# PAGEOUT, WILLNEED and COLLAPSE (EINVAL) with CAP_SYS_NICE (EPERM). The result is the sum of the iov_len of the
# ranges done before the first failure, or its error when the first fails. Measured on 6.18.
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
touch($a, 64K, WRITE) = 0
pidfd_open($main, 0) = $self
pidfd_open($main, 1) = -1 EINVAL (Invalid argument)
pidfd_open(0, 0) = -1 EINVAL (Invalid argument)
pidfd_open(-1, 0) = -1 EINVAL (Invalid argument)
pidfd_open(99999, 0) = -1 ESRCH (No such process)
pidfd_open($main, PIDFD_NONBLOCK) = $nb
thread() = $t
pidfd_open($t, 0) = -1 ENOENT (No such file or directory)
pidfd_open($t, PIDFD_THREAD) = $pt

process_madvise($self, [{iov_base=$a, iov_len=4K}, {iov_base=$a+8K, iov_len=4K}], 2, MADV_DONTNEED, 0) = 8192
smaps($a) = {Rss=56}
process_madvise($self, [{iov_base=$a, iov_len=4K}], 1, MADV_DONTNEED, 1) = -1 EINVAL (Invalid argument)
process_madvise($self, NULL, 1, MADV_DONTNEED, 0) = -1 EFAULT (Bad address)
process_madvise($self, NULL, 0, MADV_DONTNEED, 0) = 0
process_madvise($self, NULL, 1025, MADV_DONTNEED, 0) = -1 EINVAL (Invalid argument)
process_madvise($self, [{iov_base=$a, iov_len=4K}], 1, 99, 0) = -1 EINVAL (Invalid argument)
# An invalid advice is found at the first range that is not empty: with none, there is nothing wrong.
process_madvise($self, [{iov_base=$a, iov_len=0}], 1, 99, 0) = 0
process_madvise($self, NULL, 0, 99, 0) = 0
process_madvise(99, NULL, 0, 99, 0) = -1 EBADF (Bad file descriptor)
process_madvise(99, [{iov_base=$a, iov_len=4K}], 1, MADV_DONTNEED, 0) = -1 EBADF (Bad file descriptor)
memfd_create("m", 0) = $fd
process_madvise($fd, [{iov_base=$a, iov_len=4K}], 1, MADV_DONTNEED, 0) = -1 EBADF (Bad file descriptor)
# process_madvise looks the pidfd up as a thread group: a thread's pidfd finds none, the leader's works.
process_madvise($pt, [{iov_base=$a+4K, iov_len=4K}], 1, MADV_DONTNEED, 0) = -1 ESRCH (No such process)
pidfd_open($main, PIDFD_THREAD) = $pm
process_madvise($pm, [{iov_base=$a+4K, iov_len=4K}], 1, MADV_DONTNEED, 0) = 4096
# The result counts the unrounded lengths done; an unaligned range stops the vector; empty ones are skipped.
process_madvise($self, [{iov_base=$a+1, iov_len=4K}], 1, MADV_DONTNEED, 0) = -1 EINVAL (Invalid argument)
process_madvise($self, [{iov_base=$a, iov_len=100}, {iov_base=$a+1, iov_len=4K}], 2, MADV_DONTNEED, 0) = 100
process_madvise($self, [{iov_base=$a, iov_len=0}, {iov_base=$a+4K, iov_len=0}], 2, MADV_DONTNEED, 0) = 0
# A range over a hole is done where mapped, then stops the vector with ENOMEM.
store($a+60K, "x")
process_madvise($self, [{iov_base=$a, iov_len=4K}, {iov_base=$a+60K, iov_len=8K}, {iov_base=$a+8K, iov_len=4K}], 3, MADV_DONTNEED, 0) = 4096
smaps($a+60K) = {Rss=48}
process_madvise($self, [{iov_base=0x100000200000, iov_len=4K}], 1, MADV_DONTNEED, 0) = -1 ENOMEM (Cannot allocate memory)
process_madvise($self, [{iov_base=$a, iov_len=4K}], 1, MADV_COLLAPSE, 0) = -1 EINVAL (Invalid argument)
process_madvise($self, [{iov_base=$a, iov_len=4K}], 1, MADV_GUARD_INSTALL, 0) = 4096
pagemap($a) = {guard=1}

# Another process: the ptrace access check first, then the advice, then CAP_SYS_NICE, which no process holds.
fork() = $c
pidfd_open($c, 0) = $pc
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, MADV_DONTNEED, 0) = -1 EACCES (Permission denied)
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, MADV_WILLNEED, 0) = -1 EACCES (Permission denied)
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, 99, 0) = -1 EACCES (Permission denied)
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, MADV_DONTNEED, 0) = -1 EINVAL (Invalid argument)
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, MADV_WILLNEED, 0) = -1 EPERM (Operation not permitted)
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, MADV_COLD, 0) = -1 EPERM (Operation not permitted)
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, 99, 0) = -1 EINVAL (Invalid argument)
# CAP_SYS_PTRACE alone passes the access check.
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, MADV_WILLNEED, 0) = -1 EPERM (Operation not permitted)
# So does a target with nothing permitted.
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
[pid $c] capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0, permitted=0, inheritable=0}) = 0
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, MADV_PAGEOUT, 0) = -1 EPERM (Operation not permitted)
# The pidfd outlives its process: ESRCH, and poll() says it is gone.
[pid $c] exit_group(0)
process_madvise($pc, [{iov_base=$a, iov_len=4K}], 1, MADV_WILLNEED, 0) = -1 ESRCH (No such process)
poll([{fd=$pc, events=POLLIN, revents=POLLIN|POLLHUP}, {fd=$self, events=POLLIN, revents=0}], 2, 0) = 1
read($pc, ..., 32) = -1 EINVAL (Invalid argument)
mmap(0x100000400000, 4K, PROT_READ, MAP_SHARED, $pc, 0) = -1 ENODEV (No such device)
close($pc) = 0

# The vector holds MAX_RW_COUNT (0x7ffff000) bytes at most: longer lengths are cut to fit, later ones to zero.
mmap(0x100001000000, 3G, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = $big
process_madvise($self, [{iov_base=$big, iov_len=0x80001000}], 1, MADV_NORMAL, 0) = 0x7ffff000
process_madvise($self, [{iov_base=$big, iov_len=1G}, {iov_base=$big, iov_len=1G}, {iov_base=$big, iov_len=4K}], 3, MADV_NORMAL, 0) = 0x7ffff000
process_madvise($self, [{iov_base=$big, iov_len=0x7ffff000}, {iov_base=$big+1, iov_len=4K}], 2, MADV_NORMAL, 0) = 0x7ffff000
