# Found by mmsim fuzz --userfaultfd (seed 2119): dropping uffd-wp protection (here by releasing the context)
# rewrites the range's PTEs with the VMA's page protection, which in a shared VMA registered for WP is read-only.
# A clean page mapped writable before the registration is read-only afterwards: the next write takes a fault and
# marks the page dirty, as every mapping of it sees.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mlock($a, 8K) = 0
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a+4K, len=4K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
close($u) = 0
store($a+4K, "x")
fork() = $c
[pid $c] load($a, 1) = "\0"
[pid $c] smaps($a) = {Rss=8, Shared_Clean=4, Shared_Dirty=4}
