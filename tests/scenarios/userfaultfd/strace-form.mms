# A userfaultfd session as strace 6.1 prints it on this machine: feature and ioctl bits it has no name for in hex
# (0x1e000, 0x120), lengths in hex, read()'s buffer as the bytes read, octal escapes and all (strace does not
# decode struct uffd_msg), and poll()'s ready entries after its value. Here a fault at 0x100000000000 (event
# 0x12), then the FORK event of a forking thread, whose new fd (4) is the word at offset 8. Checked against 6.18.
mmap(0x100000000000, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000000000
capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_SYS_PTRACE, permitted=1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO|1<<CAP_SYS_PTRACE, inheritable=0}) = 0
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = 3
ioctl(3, UFFDIO_API, {api=0xaa, features=UFFD_FEATURE_EVENT_FORK => features=UFFD_FEATURE_PAGEFAULT_FLAG_WP|UFFD_FEATURE_EVENT_FORK|UFFD_FEATURE_EVENT_REMAP|UFFD_FEATURE_EVENT_REMOVE|UFFD_FEATURE_MISSING_HUGETLBFS|UFFD_FEATURE_MISSING_SHMEM|UFFD_FEATURE_EVENT_UNMAP|UFFD_FEATURE_SIGBUS|UFFD_FEATURE_THREAD_ID|UFFD_FEATURE_MINOR_HUGETLBFS|UFFD_FEATURE_MINOR_SHMEM|UFFD_FEATURE_EXACT_ADDRESS|UFFD_FEATURE_WP_HUGETLBFS_SHMEM|0x1e000, ioctls=1<<_UFFDIO_REGISTER|1<<_UFFDIO_UNREGISTER|1<<_UFFDIO_API}) = 0
ioctl(3, UFFDIO_REGISTER, {range={start=0x100000000000, len=0x1000}, mode=UFFDIO_REGISTER_MODE_MISSING, ioctls=1<<_UFFDIO_WAKE|1<<_UFFDIO_COPY|1<<_UFFDIO_ZEROPAGE|0x120}) = 0
poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)
thread() = $t
[pid $t] load(0x100000000000, 1) <unfinished ...>
poll([{fd=3, events=POLLIN}, {fd=99, events=POLLIN}], 2, 0) = 2 ([{fd=3, revents=POLLIN}, {fd=99, revents=POLLNVAL}])
read(3, "\22\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\20\0\0\0\0\0\0\0\0\0\0", 64) = 32
ioctl(3, UFFDIO_ZEROPAGE, {range={start=0x100000000000, len=0x1000}, mode=0, zeropage=0x1000}) = 0
[pid $t] <... load resumed> = "\0"
[pid $t] fork( <unfinished ...>
read(3, "\23\0\0\0\0\0\0\0\4\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 64) = 32
[pid $t] <... fork resumed>) = $c
read(4, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
