# MADV_PAGEOUT of anonymous memory with a swap file on: each page mapped only here gets a swap slot, its PTE becomes a
# swap entry (smaps Swap, VmSwap, pagemap swapped=1) and it is written out. Writeback is asynchronous on a swap
# file, so a page just written stays in the swap cache (SwapCached, mincore 1) and faults back without I/O; a
# zero-filled page is not written at all (the device's zeromap) and leaves the cache at once. A read fault maps the
# page writable but clean and keeps the slot; a write fault frees it. Measured on 6.18.
swapon_file(64M) = 0
# No readahead: swapin_nr_pages() keeps machine-wide state that a scenario cannot reset on a real kernel.
sysctl("vm.page-cluster", 0) = 0
swapinfo() = {SwapTotal=65532, SwapFree=65532, SwapCached=0}
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap(0x100000100000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $v
store($a, 16K, 0x11)
store($a+16K, 16K, 0)
madvise($a, 64K, MADV_PAGEOUT) = 0
smaps($a) = {Size=64, Swap=32, SwapPss=32, VmFlags="rd wr mr mw me ac"}
status() = {VmSwap=32}
pagemap($a) = {present=0, swapped=1, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
pagemap($a+16K) = {present=0, swapped=1, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
pagemap($a+32K) = {present=0, swapped=0, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
swapinfo() = {SwapTotal=65532, SwapFree=65500, SwapCached=16}
mincore($a, 64K, $v) = 0
load($v, 16) = "\x01\x01\x01\x01\0\0\0\0\0\0\0\0\0\0\0\0"
load($a, 4) = "\x11\x11\x11\x11"
load($a+16K, 4) = "\0\0\0\0"
smaps($a) = {Size=64, Rss=8, Pss=8, Private_Clean=8, Referenced=8, Anonymous=8, Swap=24, SwapPss=24, VmFlags="rd wr mr mw me ac"}
pagemap($a) = {present=1, swapped=0, file=0, exclusive=1, soft_dirty=0, uffd_wp=0, guard=0}
mincore($a, 64K, $v) = 0
load($v, 16) = "\x01\x01\x01\x01\x01\0\0\0\0\0\0\0\0\0\0\0"
store($a+4K, "w")
smaps($a) = {Size=64, Rss=12, Pss=12, Pss_Dirty=4, Private_Clean=8, Private_Dirty=4, Referenced=12, Anonymous=12, Swap=20, SwapPss=20, VmFlags="rd wr mr mw me ac"}
swapinfo() = {SwapTotal=65532, SwapFree=65504, SwapCached=16}
# A page in the swap cache and mapped again, written in place: its slot stays until the page goes.
store($a, "x")
smaps($a) = {Size=64, Rss=12, Pss=12, Pss_Dirty=8, Private_Clean=4, Private_Dirty=8, Referenced=12, Anonymous=12, Swap=20, SwapPss=20, VmFlags="rd wr mr mw me ac"}
swapinfo() = {SwapTotal=65532, SwapFree=65504, SwapCached=16}
# Paging out a clean page still in the swap cache frees it from memory at once; the next access reads it back.
madvise($a+8K, 4K, MADV_POPULATE_READ) = 0
madvise($a+8K, 4K, MADV_PAGEOUT) = 0
mincore($a+8K, 4K, $v) = 0
load($v, 1) = "\0"
load($a+8K, 2) = "\x11\x11"
mincore($a+8K, 4K, $v) = 0
load($v, 1) = "\x01"
# munmap frees the slots and the swap cache.
munmap($a, 64K) = 0
swapinfo() = {SwapTotal=65532, SwapFree=65532, SwapCached=0}
# Locked VMAs: EINVAL, after the VMAs before them were done; pages mapped twice are left alone.
mmap(0x100000200000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $d
store($d, 16K, 1)
mlock($d+8K, 4K) = 0
madvise($d, 16K, MADV_PAGEOUT) = -1 EINVAL (Invalid argument)
madvise($d+12K, 4K, MADV_PAGEOUT) = 0
smaps($d) = {Size=8, Swap=8, SwapPss=8, VmFlags="rd wr mr mw me ac"}
smaps($d+12K) = {Size=4, Swap=4, SwapPss=4, VmFlags="rd wr mr mw me ac"}
