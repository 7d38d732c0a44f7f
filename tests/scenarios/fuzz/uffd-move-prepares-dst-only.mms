# Found by mmsim fuzz --userfaultfd (seeds 7025, 7209 and others): UFFDIO_MOVE looks the destination VMA up with
# find_vma_and_prepare_anon(), which gives a private VMA an anon_vma even when the move then fails, but never a
# shared one; the source VMA is only looked up. A shared VMA with an anon_vma would have its page tables copied
# by fork() (Pss halves); a source VMA with one would not merge back with its neighbours.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
ioctl($u, UFFDIO_MOVE, {dst=$s, src=$s+4K, len=4K, mode=0, move=-22}) = -1 EINVAL (Invalid argument)
touch($s, 4K, READ)
fork() = $c
smaps($s) = {Rss=4, Pss=4}

mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
ioctl($u, UFFDIO_REGISTER, {range={start=$a+8K, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
vma_count($a, $a+32K) = 4
# dst $a+8K (prepared), src in the VMA at $a+12K (not): too long for the dst VMA, EINVAL.
ioctl($u, UFFDIO_MOVE, {dst=$a+8K, src=$a+16K, len=8K, mode=0, move=-22}) = -1 EINVAL (Invalid argument)
ioctl($u, UFFDIO_UNREGISTER, {start=$a, len=32K}) = 0
vma_count($a, $a+32K) = 1
