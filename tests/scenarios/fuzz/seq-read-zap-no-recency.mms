# Found by mmsim fuzz (seed 368): unmapping a young page-cache PTE marks the folio accessed only where
# vma_has_recency(): not in a VMA under MADV_SEQUENTIAL or MADV_RANDOM. A fork child that still maps the page
# (with its PTE made old by fork) then sees Referenced=0.
memfd_create("m", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $a
touch($a+4K, 4K, WRITE)
touch($a, 4K, READ)
madvise($a, 4K, MADV_SEQUENTIAL) = 0
fork() = $c
munmap($a, 4K) = 0
[pid $c] smaps($a) = {Rss=4, Referenced=0, VmFlags="rd wr mr mw me sr ac"}
