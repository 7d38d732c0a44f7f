# MADV_FREE and MADV_COLD. FREE makes each page's PTE clean and old at once, and queues the folio to become lazyfree
# (smaps LazyFree) when the CPU's batch drains: when 31 folios wait, or at the next COLD, PAGEOUT or FREE. A page
# written again is no longer lazyfree; reclaim (here MADV_PAGEOUT) discards the others, which then read as zeros.
# FREE on a swapped-out page frees its slot. COLD makes PTEs old and clears PG_referenced. Measured on 6.18.
swapon_file(64M) = 0
sysctl("vm.page-cluster", 0) = 0
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, 64K, 0x33)
madvise($a, 64K, MADV_FREE) = 0
smaps($a) = {Size=64, Rss=64, Pss=64, Private_Clean=64, Anonymous=64, VmFlags="rd wr mr mw me ac"}
pagemap($a) = {present=1, swapped=0, file=0, exclusive=1, soft_dirty=0, uffd_wp=0, guard=0}
store($a+4K, "w")
madvise($a, 4K, MADV_COLD) = 0
smaps($a) = {Size=64, Rss=64, Pss=64, Pss_Dirty=4, Private_Clean=60, Private_Dirty=4, Referenced=4, Anonymous=64, LazyFree=60, VmFlags="rd wr mr mw me ac"}
load($a+8K, 1) = "3"
smaps($a) = {Size=64, Rss=64, Pss=64, Pss_Dirty=4, Private_Clean=60, Private_Dirty=4, Referenced=8, Anonymous=64, LazyFree=60, VmFlags="rd wr mr mw me ac"}
madvise($a, 64K, MADV_PAGEOUT) = 0
smaps($a) = {Size=64, Rss=4, Pss=4, Pss_Dirty=4, Private_Dirty=4, Referenced=4, Anonymous=4, VmFlags="rd wr mr mw me ac"}
load($a, 2) = "\0\0"
load($a+4K, 2) = "w3"
load($a+8K, 2) = "\0\0"
smaps($a) = {Size=64, Rss=4, Pss=4, Pss_Dirty=4, Private_Dirty=4, Referenced=4, Anonymous=4, VmFlags="rd wr mr mw me ac"}
swapinfo() = {SwapTotal=65532, SwapFree=65532, SwapCached=0}
# 40 pages: the batch fills at 31.
mmap(0x100000100000, 160K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
store($b, 160K, 0x44)
madvise($b, 160K, MADV_FREE) = 0
smaps($b) = {Size=160, Rss=160, Pss=160, Private_Clean=160, Anonymous=160, LazyFree=124, VmFlags="rd wr mr mw me ac"}
madvise($b, 4K, MADV_PAGEOUT) = 0
smaps($b) = {Size=160, Rss=156, Pss=156, Private_Clean=156, Anonymous=156, LazyFree=156, VmFlags="rd wr mr mw me ac"}
madvise($b+64K, 32K, MADV_PAGEOUT) = 0
smaps($b) = {Size=160, Rss=124, Pss=124, Private_Clean=124, Anonymous=124, LazyFree=124, VmFlags="rd wr mr mw me ac"}
# Swapped-out pages: FREE gives their slots back.
mmap(0x100000200000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $e
store($e, 16K, 0x45)
madvise($e, 16K, MADV_PAGEOUT) = 0
smaps($e) = {Size=16, Swap=16, SwapPss=16, VmFlags="rd wr mr mw me ac"}
swapinfo() = {SwapTotal=65532, SwapFree=65516, SwapCached=16}
madvise($e, 8K, MADV_FREE) = 0
smaps($e) = {Size=16, Swap=8, SwapPss=8, VmFlags="rd wr mr mw me ac"}
swapinfo() = {SwapTotal=65532, SwapFree=65524, SwapCached=8}
load($e, 2) = "\0\0"
load($e+8K, 2) = "EE"
# COLD
mmap(0x100000300000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $d
store($d, 16K, 1)
smaps($d) = {Size=16, Rss=16, Pss=16, Pss_Dirty=16, Private_Dirty=16, Referenced=16, Anonymous=16, VmFlags="rd wr mr mw me ac"}
madvise($d, 16K, MADV_COLD) = 0
smaps($d) = {Size=16, Rss=16, Pss=16, Pss_Dirty=16, Private_Dirty=16, Anonymous=16, VmFlags="rd wr mr mw me ac"}
load($d, 1) = "\x01"
smaps($d) = {Size=16, Rss=16, Pss=16, Pss_Dirty=16, Private_Dirty=16, Referenced=4, Anonymous=16, VmFlags="rd wr mr mw me ac"}
# FREE is for anonymous private memory only; locked VMAs refuse COLD, PAGEOUT and FREE.
memfd_create("m", 0) = $fd
ftruncate($fd, 8K) = 0
mmap(0x100000400000, 8K, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $s
madvise($s, 8K, MADV_FREE) = -1 EINVAL (Invalid argument)
mmap(0x100000500000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED_NOREPLACE, $fd, 0) = $q
madvise($q, 8K, MADV_FREE) = -1 EINVAL (Invalid argument)
mlock($d, 4K) = 0
madvise($d, 16K, MADV_COLD) = -1 EINVAL (Invalid argument)
madvise($d, 16K, MADV_PAGEOUT) = -1 EINVAL (Invalid argument)
madvise($d, 16K, MADV_FREE) = -1 EINVAL (Invalid argument)
