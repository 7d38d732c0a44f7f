# Found by mmsim fuzz (seed 14192): anon_vma_compatible() ignores the sticky flags as merges do. A VMA faulted
# beside one that holds guards (and so has an anon_vma, prepared by MADV_GUARD_INSTALL) shares that anon_vma, so
# when mprotect() makes their flags match they merge, the merged VMA keeping "gu".
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
madvise($a, 4K, MADV_GUARD_INSTALL) = 0
mmap($a, 4K, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_POPULATE, -1, 0) = $a
vma_count($a, $a+8K) = 2
mprotect($a, 4K, PROT_READ|PROT_WRITE) = 0
vma_count($a, $a+8K) = 1
smaps($a) = {start=$a, end=$a+8K, Rss=4, VmFlags="rd wr mr mw me gu ac"}
