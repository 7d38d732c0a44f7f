# Found by mmsim fuzz --userfaultfd (seeds 14, 20): mremap() may move several VMAs at once (MREMAP_FIXED, same
# size), gaps after the first allowed, but not a VMA registered with a userfaultfd (vma_multi_allowed()): it
# must be the whole range, with no other VMA and no gap after it, else EFAULT. Unregistered, the same move works.
userfaultfd(UFFD_USER_MODE_ONLY|O_NONBLOCK) = $u
ioctl($u, UFFDIO_API, {api=UFFD_API, features=0}) = 0
mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
ioctl($u, UFFDIO_REGISTER, {range={start=$a, len=8K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
mremap($a, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100000) = -1 EFAULT (Bad address)
mremap($a, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100000) = 0x100000100000
mremap(0x100000100000, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, $a) = $a

# A registered VMA after an ordinary one: the first moves, then the move stops at the registered one.
mmap(0x100000200000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
mmap(0x100000201000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
ioctl($u, UFFDIO_REGISTER, {range={start=$c, len=4K}, mode=UFFDIO_REGISTER_MODE_MISSING}) = 0
mremap($b, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000300000) = -1 EFAULT (Bad address)
vma_count($b, $b+8K) = 1
vma_count(0x100000300000, 0x100000302000) = 1
