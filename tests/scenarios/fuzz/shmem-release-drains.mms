# Removing pages from a shmem page cache (shmem_undo_range()'s folio_batch_release()) drains the CPU's folio batches:
# a page MADV_FREE queued becomes lazyfree when a shared mapping's file is released with its pages, at ftruncate
# and at MADV_REMOVE; not at MADV_DONTNEED of shmem, nor when a file without pages goes (found by fuzz, seeds 412
# and 429). Measured on 6.18.
mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $s
mmap(0x100000200000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $t
mmap(0x100000300000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $u
store($s, "s")
store($t, "t")
touch($a, 4K, WRITE)
madvise($a, 4K, MADV_FREE) = 0
madvise($s, 4K, MADV_DONTNEED) = 0
smaps($a) = {LazyFree=0}
munmap($u, 4K) = 0
smaps($a) = {LazyFree=0}
munmap($t, 4K) = 0
smaps($a) = {LazyFree=4}
memfd_create("m", 0) = $fd
ftruncate($fd, 16K) = 0
mmap(0x100000400000, 16K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $m
store($m, 16K, 1)
touch($a+4K, 4K, WRITE)
madvise($a+4K, 4K, MADV_FREE) = 0
ftruncate($fd, 16K) = 0
smaps($a) = {LazyFree=4}
ftruncate($fd, 12K) = 0
smaps($a) = {LazyFree=8}
touch($a+8K, 4K, WRITE)
madvise($a+8K, 4K, MADV_FREE) = 0
madvise($m, 4K, MADV_REMOVE) = 0
smaps($a) = {LazyFree=12}
