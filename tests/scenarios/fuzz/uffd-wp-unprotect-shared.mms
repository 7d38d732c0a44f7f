# Found by mmsim fuzz --userfaultfd (seeds 2119, 6006): a shared VMA registered for uffd-wp wants write
# notification, so its page protection is read-only. Dropping uffd-wp protection (WRITEPROTECT mode 0,
# UNREGISTER, the context's release) and mprotect() rewrite the PTEs with that protection, and
# vma_wants_manual_pte_write_upgrade() then asks for no upgrade: every page is read-only afterwards, dirty ones
# too, and the next write takes a fault that marks the page dirty, as every mapping of it sees. A page nothing
# rewrote keeps the writable PTE UFFDIO_ZEROPAGE gave it.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
fork() = $c
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=16K}, mode=UFFDIO_REGISTER_MODE_MISSING|UFFDIO_REGISTER_MODE_WP}) = 0
ioctl($u, UFFDIO_ZEROPAGE, {range={start=$a, len=16K}, mode=0, zeropage=16384}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0
ioctl($u, UFFDIO_WRITEPROTECT, {range={start=$a, len=4K}, mode=0}) = 0
mprotect($a+4K, 4K, PROT_READ) = 0
mprotect($a+4K, 4K, PROT_READ|PROT_WRITE) = 0
[pid $c] load($a, 1) = "\0"
[pid $c] smaps($a) = {Rss=16, Shared_Clean=16, Shared_Dirty=0}
store($a, "x")
[pid $c] smaps($a) = {Shared_Clean=12, Shared_Dirty=4}
store($a+4K, "x")
[pid $c] smaps($a) = {Shared_Clean=8, Shared_Dirty=8}
store($a+8K, "x")
[pid $c] smaps($a) = {Shared_Clean=8, Shared_Dirty=8}
# The release does the same to what is left.
close($u) = 0
store($a+12K, "x")
[pid $c] smaps($a) = {Shared_Clean=4, Shared_Dirty=12}
