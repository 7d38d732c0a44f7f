# Found by mmsim fuzz --userfaultfd (seed 12): UFFDIO_COPY, ZEROPAGE and CONTINUE look the destination VMA up
# with find_vma_and_prepare_anon(), which gives a private VMA an anon_vma before checking that it is registered.
# The ioctl fails with ENOENT, but the VMA now counts as faulted: mprotect() read-only keeps its VM_ACCOUNT
# (only an unfaulted anonymous VMA gives its commit back).
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
ioctl($u, UFFDIO_CONTINUE, {range={start=$a+12K, len=4K}, mode=0}) = -1 ENOENT (No such file or directory)
mprotect($a, 4K, PROT_READ) = 0
smaps($a) = {VmFlags="rd mr mw me ac"}
mprotect($b, 4K, PROT_READ) = 0
smaps($b) = {VmFlags="rd mr mw me"}
