# process_madvise(MADV_DONTNEED) over a vector whose middle range is registered with a userfaultfd asking for
# REMOVE events: the ranges before it are done, the caller sleeps until the REMOVE is read, then the rest of the
# vector goes on; the result counts every range. Checked against 6.18.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
touch($a, 16K, WRITE) = 0
touch($b, 8K, WRITE) = 0
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=UFFD_FEATURE_EVENT_REMOVE}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a+8K, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
pidfd_open($main, 0) = $p
thread() = $t
[pid $t] process_madvise($p, [{iov_base=$b, iov_len=4K}, {iov_base=$a+4K, iov_len=8K}, {iov_base=$b+4K, iov_len=4K}], 3, MADV_DONTNEED, 0) <unfinished ...>
smaps($b) = {Rss=4}
smaps($a) = {Rss=4}
read($u, {event=UFFD_EVENT_REMOVE, remove={start=$a+8K, end=$a+12K}}, 32) = 32
[pid $t] <... process_madvise resumed> = 16384
smaps($b) = {Rss=0}
smaps($a+8K) = {Rss=4}
