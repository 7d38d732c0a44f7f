# Found by mmsim fuzz --userfaultfd (seed 923): a shared mapping registered for uffd-wp wants write notification
# (vma_wants_writenotify()), so a read fault maps its page-cache page read-only even without a uffd-wp bit. The
# write that follows takes a write fault, which marks the page dirty, and so every mapping of it sees it dirty.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
fork() = $c
[pid $c] touch($a, 8K, READ) = 0
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a+4K, len=4K}, mode=UFFDIO_REGISTER_MODE_WP}) = 0
load($a+4K, 1) = "\0"
pagemap($a+4K) = {present=1, uffd_wp=0}
touch($a, 8K, WRITE) = 0
[pid $c] smaps($a) = {Shared_Clean=0, Shared_Dirty=8}
