# MADV_PAGEOUT with too few swap slots: a 40 KiB swap file has 9, so 9 of 16 pages go out and the other 7 are
# activated (activate_locked_split:). reclaim_pages() puts each folio it kept back through the CPU's lru_add batch
# (folio_putback_lru()), so until the batch drains the folio is on no list: lru=0, active=1. MADV_COLD drains it.
swapon_file(40K) = 0
sysctl("vm.page-cluster", 0) = 0
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, 64K, 0x42)
madvise($a, 64K, MADV_POPULATE_WRITE) = 0
madvise($a, 64K, MADV_PAGEOUT) = 0
pageflags($a+60K) = {lru=0, active=1, referenced=0, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
smaps($a) = {Rss=28, Anonymous=28, Swap=36, SwapPss=36}
swapinfo() = {SwapFree=0}
madvise($a, 4K, MADV_COLD) = 0
pageflags($a+60K) = {lru=1, active=1, referenced=0, anon=1, swapbacked=1, swapcache=0, mlocked=0, mmap=1, zero=0}
load($a+60K, 1) = "B"
load($a, 1) = "B"
