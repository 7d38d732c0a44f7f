# MREMAP_FIXED: the target is unmapped first, as MAP_FIXED does. A call that fails after that
# point leaves the target unmapped.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "data")
mmap(0x100000100000, 32K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $t
# move onto the middle of another mapping: it is cut in two around the moved VMA
mremap($a, 16K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED, $t+8K) = $t+8K
load($t+8K, 4) = "data"
smaps($a) = NULL
smaps($t) = {start=$t, end=$t+8K, perms="r--p"}
smaps($t+8K) = {start=$t+8K, end=$t+24K, perms="rw-p", Rss=4}
smaps($t+24K) = {start=$t+24K, end=$t+32K, perms="r--p"}
# move and grow at once
mremap($t+8K, 16K, 32K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000200000) = 0x100000200000
smaps(0x100000200000) = {start=0x100000200000, end=0x100000208000, Rss=4}
# move and shrink at once: the tail is unmapped before the move
mremap(0x100000200000, 32K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000300000) = 0x100000300000
smaps(0x100000300000) = {start=0x100000300000, end=0x100000302000, Rss=4}
vma_count(0x100000200000, 0x100000210000) = 0
# part of a VMA, moved elsewhere in the same VMA's old place: it splits
mmap(0x100000400000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
store($s+4K, "s1")
mremap($s+4K, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, $s+16K) = $s+16K
load($s+16K, 2) = "s1"
vma_count($s, $s+32K) = 4
# partial effects: old_size 0 on a shared mapping with the target at old_address itself. The
# ranges do not overlap (the source is empty), so the target, which is the source, is unmapped;
# then there is no source left: EFAULT, and the mapping is gone.
mmap(0x100000500000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $sh
mremap($sh, 0, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, $sh) = -1 EFAULT (Bad address)
smaps($sh) = NULL
validate() = 0
