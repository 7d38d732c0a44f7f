# Swap entries across fork: the child's copy takes a reference to the slot and neither entry is exclusive any
# more, so SwapPss halves; pages shared with another process are not paged out (mapcount > 1) until each process
# has its own. A shared slot is freed only when both entries are gone. Measured on 6.18.
swapon_file(64M) = 0
sysctl("vm.page-cluster", 0) = 0
mmap(0x100000000000, 32K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, 32K, 0x22)
madvise($a, 16K, MADV_PAGEOUT) = 0
fork() = $c
smaps($a) = {Size=32, Rss=16, Pss=8, Pss_Dirty=8, Shared_Dirty=16, Referenced=16, Anonymous=16, Swap=16, SwapPss=8, VmFlags="rd wr mr mw me ac"}
[pid $c] smaps($a) = {Size=32, Rss=16, Pss=8, Pss_Dirty=8, Shared_Dirty=16, Anonymous=16, Swap=16, SwapPss=8, VmFlags="rd wr mr mw me ac"}
madvise($a, 32K, MADV_PAGEOUT) = 0
smaps($a) = {Size=32, Rss=16, Pss=8, Pss_Dirty=8, Shared_Dirty=16, Referenced=16, Anonymous=16, Swap=16, SwapPss=8, VmFlags="rd wr mr mw me ac"}
[pid $c] madvise($a, 32K, MADV_PAGEOUT) = 0
[pid $c] smaps($a) = {Size=32, Rss=16, Pss=8, Pss_Dirty=8, Shared_Dirty=16, Anonymous=16, Swap=16, SwapPss=8, VmFlags="rd wr mr mw me ac"}
load($a, 2) = "\"\""
[pid $c] store($a, "c")
[pid $c] load($a, 2) = "c\""
load($a, 2) = "\"\""
smaps($a) = {Size=32, Rss=20, Pss=12, Pss_Dirty=8, Shared_Dirty=16, Private_Clean=4, Referenced=20, Anonymous=20, Swap=12, SwapPss=6, VmFlags="rd wr mr mw me ac"}
[pid $c] smaps($a) = {Size=32, Rss=20, Pss=12, Pss_Dirty=12, Shared_Dirty=16, Private_Dirty=4, Referenced=4, Anonymous=20, Swap=12, SwapPss=6, VmFlags="rd wr mr mw me ac"}
store($a+4K, "p")
smaps($a) = {Size=32, Rss=24, Pss=16, Pss_Dirty=12, Shared_Dirty=16, Private_Clean=4, Private_Dirty=4, Referenced=24, Anonymous=24, Swap=8, SwapPss=4, VmFlags="rd wr mr mw me ac"}
[pid $c] smaps($a) = {Size=32, Rss=20, Pss=12, Pss_Dirty=12, Shared_Dirty=16, Private_Dirty=4, Referenced=4, Anonymous=20, Swap=12, SwapPss=8, VmFlags="rd wr mr mw me ac"}
pagemap($a+8K) = {present=0, swapped=1, file=0, exclusive=0, soft_dirty=0, uffd_wp=0, guard=0}
[pid $c] exit(0)
smaps($a) = {Size=32, Rss=24, Pss=24, Pss_Dirty=20, Private_Clean=4, Private_Dirty=20, Referenced=24, Anonymous=24, Swap=8, SwapPss=8, VmFlags="rd wr mr mw me ac"}
madvise($a, 32K, MADV_PAGEOUT) = 0
smaps($a) = {Size=32, Swap=32, SwapPss=32, VmFlags="rd wr mr mw me ac"}
madvise($a, 8K, MADV_DONTNEED) = 0
smaps($a) = {Size=32, Swap=24, SwapPss=24, VmFlags="rd wr mr mw me ac"}
status() = {VmSwap=24}
swapinfo() = {SwapTotal=65532, SwapFree=65508, SwapCached=24}
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $v
mincore($a, 32K, $v) = 0
load($v, 8) = "\0\0\x01\x01\x01\x01\x01\x01"
load($a, 1) = "\0"
load($a+8K, 4) = "\"\"\"\""
munmap($a, 32K) = 0
swapinfo() = {SwapTotal=65532, SwapFree=65532, SwapCached=0}
