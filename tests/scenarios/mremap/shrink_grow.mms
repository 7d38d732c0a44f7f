# mremap without MREMAP_FIXED: shrink in place, grow in place when the range after the VMA is free,
# otherwise fail (no MREMAP_MAYMOVE) or move. Contents survive every move.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "head")
store($a+12K, "tail")
# shrink: the tail is unmapped, in place
mremap($a, 16K, 8K, 0, 0) = $a
smaps($a) = {start=$a, end=$a+8K, Rss=4}
load($a+12K, 1) = SIGSEGV
# same size: nothing happens
mremap($a, 8K, 8K, 0, 0) = $a
# grow in place over the free range after it
mremap($a, 8K, 32K, 0, 0) = $a
smaps($a) = {start=$a, end=$a+32K, Rss=4}
# a mapping in the way: without MREMAP_MAYMOVE growth fails
mmap($a+32K, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+32K
mremap($a, 32K, 64K, 0, 0) = -1 ENOMEM (Cannot allocate memory)
# with it, the VMA moves to a free range chosen as mmap(NULL) would, data and all
mremap($a, 32K, 64K, MREMAP_MAYMOVE, 0) = $b
smaps($a) = NULL
smaps($b) = {start=$b, end=$b+64K, Rss=4, Anonymous=4}
load($b, 4) = "head"
# growing a range that ends inside the VMA cannot be done in place: it moves
mremap($b, 16K, 24K, MREMAP_MAYMOVE, 0) = $c
load($c, 4) = "head"
smaps($b+16K) = {start=$b+16K, end=$b+64K}
# old_size running past the VMA: EFAULT when growing or moving
mremap($c, 32K, 48K, MREMAP_MAYMOVE, 0) = -1 EFAULT (Bad address)
# shrinking may run past the VMA and over holes: it is a munmap of the tail
mremap($a+32K, 1M, 0x1000, 0, 0) = $a+32K
# no VMA at old_address
mremap($a+64K, 4K, 8K, MREMAP_MAYMOVE, 0) = -1 EFAULT (Bad address)
validate() = 0
