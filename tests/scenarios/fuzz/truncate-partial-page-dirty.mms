# Found by mmsim fuzz (seed 105): shrinking a memfd to a size inside a page zeroes the tail of that page and
# marks it dirty (shmem_undo_range() calls folio_mark_dirty() on the partial folio), even when only a read
# fault ever mapped it. ftruncate() to the same size does it again: shmem_setattr() truncates unless it grows.
memfd_create("m", 0) = $fd
ftruncate($fd, 20K) = 0
mmap(0x100000000000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 16K) = $a
touch($a, 4K, READ)
smaps($a) = {Rss=4, Private_Clean=4, Private_Dirty=0}
ftruncate($fd, 18981) = 0
smaps($a) = {Rss=4, Private_Clean=0, Private_Dirty=4}
load($a+2596, 2) = "\0\0"
