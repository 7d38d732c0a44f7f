# Merging after a move, as copy_vma() does it: an unfaulted VMA takes pgoff from its new
# address and merges; a faulted one keeps its pgoff (its pages' anon_vma index).
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "faulted")
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $u
# unfaulted moved next to a faulted one: merges (it adopts the anon_vma)
mremap($u, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, $a+8K) = $a+8K
vma_count($a, $a+16K) = 1
store($a+8K, "u")
# a faulted VMA moved away keeps its pgoff: next to an unfaulted one it does not merge
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $n
mremap($a, 16K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED, $n+8K) = $n+8K
vma_count($n, $n+24K) = 2
load($n+8K, 7) = "faulted"
# moved back to where it came from, next to a mapping there, it merges again
mmap($a+16K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+16K
mremap($n+8K, 16K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED, $a) = $a
vma_count($a, $a+24K) = 1
load($a+8K, 1) = "u"
# two faulted VMAs with different anon_vmas stay apart
mmap(0x100000300000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
store($b, "b")
mremap($b, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, $a+24K) = $a+24K
vma_count($a, $a+32K) = 2
# unfaulted moved just below itself merges with itself
mmap(0x100000400000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
mremap($c+4K, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, $c-4K) = $c-4K
vma_count($c-8K, $c+8K) = 1
smaps($c) = {start=$c-4K, end=$c+4K}
validate() = 0
