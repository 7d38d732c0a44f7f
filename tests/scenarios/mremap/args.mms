# mremap argument checks, in check_mremap_params()'s order, then check_prep_vma()'s.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
# unknown flag bits, before anything else
mremap($a+1, 4K, 8K, 8, 0) = -1 EINVAL (Invalid argument)
# old_address misaligned
mremap($a+1, 4K, 8K, MREMAP_MAYMOVE, 0) = -1 EINVAL (Invalid argument)
# new_size 0, or one that PAGE_ALIGN() wraps to 0, or beyond TASK_SIZE
mremap($a, 4K, 0, MREMAP_MAYMOVE, 0) = -1 EINVAL (Invalid argument)
mremap($a, 4K, 0xffffffffffffffff, MREMAP_MAYMOVE, 0) = -1 EINVAL (Invalid argument)
mremap($a, 4K, 0x800000000000, MREMAP_MAYMOVE, 0) = -1 EINVAL (Invalid argument)
# new_address is ignored without FIXED or DONTUNMAP, even a bad one
mremap($a, 4K, 4K, 0, 0x123) = $a
# with FIXED: the target must fit below TASK_SIZE and be aligned
mremap($a, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7ffffffff000) = -1 EINVAL (Invalid argument)
mremap($a, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100001) = -1 EINVAL (Invalid argument)
# FIXED or DONTUNMAP need MAYMOVE
mremap($a, 4K, 4K, MREMAP_FIXED, 0x100000100000) = -1 EINVAL (Invalid argument)
mremap($a, 4K, 4K, MREMAP_DONTUNMAP, 0x100000100000) = -1 EINVAL (Invalid argument)
# DONTUNMAP may not resize
mremap($a, 4K, 8K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP, 0x100000100000) = -1 EINVAL (Invalid argument)
# source and target may not overlap
mremap($a, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, $a+4K) = -1 EINVAL (Invalid argument)
mremap($a+8K, 4K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, $a+4K) = -1 EINVAL (Invalid argument)
# nothing mapped at old_address
mremap(0x100000100000, 4K, 8K, MREMAP_MAYMOVE, 0) = -1 EFAULT (Bad address)
# old_size 0 on a private mapping: refused
mremap($a, 0, 8K, MREMAP_MAYMOVE, 0) = -1 EINVAL (Invalid argument)
# unaligned sizes are rounded up: 4K to 8K cannot grow in place inside the VMA
mremap($a, 1, 4097, 0, 0) = -1 ENOMEM (Cannot allocate memory)
mremap($a+12K, 1, 4097, 0, 0) = $a+12K
smaps($a) = {start=$a, end=$a+20K}
# none of the failures changed anything
vma_count($a, $a+1M) = 1
