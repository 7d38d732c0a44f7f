# fork() without UFFD_FEATURE_EVENT_FORK: the child's VMAs are not registered (pieces a registration split stay
# split), a page missing in the parent reads as zero in the child, and the inherited fd still serves the parent.
mmap(0x100000000000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $src
store($src, "from the child")
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a+4K, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
fork() = $c
[pid $c] vma_count($a, $a+12K) = 3
[pid $c] smaps($a+4K) = {VmFlags="rd wr mr mw me ac"}
[pid $c] load($a+4K, 1) = "\0"
read($u, ..., 32) = -1 EAGAIN (Resource temporarily unavailable)
smaps($a+4K) = {VmFlags="rd wr mr mw me um ac"}
# The child's copy of the fd acts on the parent's memory, reading src from the child's.
[pid $c] store($src, "CHILD's copy!!")
[pid $c] ioctl($u, UFFDIO_COPY, {dst=$a+4K, src=$src, len=4K, mode=0, copy=4096}) = 0
load($a+4K, 14) = "CHILD's copy!!"
