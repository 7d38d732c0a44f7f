# mm_populate() drains the CPU's folio batches only after GUP ran on a VMA: MAP_POPULATE of a PROT_NONE mapping
# leaves a page MADV_FREE queued still waiting, not lazyfree yet (found by fuzz, seed 111). MADV_POPULATE_* drains
# even when it fails. Measured on 6.18.
mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = $a
touch($a, 4K, WRITE)
madvise($a, 4K, MADV_FREE) = 0
smaps($a) = {Private_Clean=4, LazyFree=0}
mmap(0x100000001000, 4K, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_POPULATE, -1, 0) = $a+4K
smaps($a) = {LazyFree=0}
madvise($a+4K, 4K, MADV_POPULATE_READ) = -1 EINVAL (Invalid argument)
smaps($a) = {LazyFree=4}
