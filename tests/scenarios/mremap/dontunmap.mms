# MREMAP_DONTUNMAP: the pages move, the source stays mapped. Private anonymous memory reads zero
# at the source afterwards; shared anonymous and memfd mappings still show the file's data there.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "private")
mremap($a, 8K, 8K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP, 0x100000100000) = 0x100000100000
load(0x100000100000, 7) = "private"
load($a, 7) = "\0\0\0\0\0\0\0"
smaps($a) = {start=$a, end=$a+8K, Rss=0, VmFlags="rd wr mr mw me ac"}
smaps(0x100000100000) = {Rss=4, Anonymous=4}
# without FIXED, new_address is a hint; a taken hint means mmap(NULL)'s choice
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
store($s, "shared")
mremap($s, 8K, 8K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP, 0x100000300000) = 0x100000300000
load(0x100000300000, 6) = "shared"
load($s, 6) = "shared"
store($s+4K, "back")
load(0x100000301000, 4) = "back"
# a memfd: both places map the same file pages
memfd_create("heap", 0) = $fd
ftruncate($fd, 16K) = 0
mmap(0x100000400000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
store($m+8K, "object")
mremap($m, 16K, 16K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP|MREMAP_FIXED, 0x100000500000) = 0x100000500000
load($m+8K, 6) = "object"
load(0x100000502000, 6) = "object"
smaps($m) = {perms="rw-s", Rss=4}
# a size change, or no MAYMOVE: EINVAL
mremap($m, 16K, 8K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP, 0) = -1 EINVAL (Invalid argument)
mremap($m, 16K, 16K, MREMAP_DONTUNMAP, 0) = -1 EINVAL (Invalid argument)
# part of a VMA: the moved part leaves a hole in the page tables only
mremap($a+4K, 4K, 4K, MREMAP_MAYMOVE|MREMAP_DONTUNMAP, 0x100000600000) = 0x100000600000
vma_count($a, $a+8K) = 1
validate() = 0
