# A shmem page paged out, faulted back in by a write and paged out again goes to swap both times. On the kernel the
# second time is deterministic only once every CPU's folio batches are drained first: the end of the first write
# runs on the CPU that takes the I/O interrupt, whose lru_move_tail batch then holds a reference that makes reclaim
# keep the page (unmapped, in the page cache). The kernel target drains before each MADV_PAGEOUT (found by fuzz,
# seed 5156; 7 runs of 10 diverged before). Measured on 6.18.
swapon_file(4M) = 0
sysctl("vm.page-cluster", 0) = 0
memfd_create("fuzz0", 0) = $fd
ftruncate($fd, 4K) = 0
mmap(0x10000001a000, 4K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $a
store($a, "hl")
madvise($a, 4K, MADV_PAGEOUT) = 0
smaps($a) = {Rss=0, Swap=4}
store($a+0x29, 1, 0x98)
smaps($a) = {Rss=4, Swap=0}
madvise($a, 4K, MADV_PAGEOUT) = 0
smaps($a) = {Rss=0, Swap=4}
load($a, 2) = "hl"
load($a+0x29, 1) = "\x98"
