# Found by mmsim fuzz: the tail of an unfaulted VMA moved (DONTUNMAP) to just after the VMA. The
# copy takes pgoff from its new address, so it merges into its own source, which now runs past
# the range; the multi-VMA walk stops at the range's end.
mmap(0x100000031000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mremap($a+16K, 16K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP, $a+32K) = $a+32K
smaps($a) = {start=$a, end=$a+48K}
# the same without DONTUNMAP: the source part is unmapped again, the VMA moved up by a hole
mmap(0x100000100000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
mremap($b+16K, 16K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED, $b+32K) = $b+32K
smaps($b) = {start=$b, end=$b+16K}
smaps($b+32K) = {start=$b+32K, end=$b+48K}
# faulted, it keeps its pgoff and does not merge
mmap(0x100000200000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
store($c+16K, "c")
mremap($c+16K, 16K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP, $c+32K) = $c+32K
vma_count($c, $c+48K) = 2
load($c+32K, 1) = "c"
validate() = 0
