# A swapped-out page faulted back into a locked VMA leaves the swap cache at once (should_try_to_free_swap()) and,
# its only copy now in memory, is dirty (folio_free_swap()), though the fault was a read (found by fuzz, seed 430).
# Measured on 6.18.
swapon_file(4M) = 0
sysctl("vm.page-cluster", 0) = 0
mmap(0x100000022000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = $a
touch($a+12K, 4K, WRITE)
store($a+12K, "data")
madvise($a+8K, 8K, MADV_PAGEOUT) = 0
swapinfo() = {SwapFree=4088, SwapCached=4}
mlock2($a, 16K, MLOCK_ONFAULT) = 0
load($a+12K, 4) = "data"
smaps($a) = {Rss=4, Private_Clean=0, Private_Dirty=4, Swap=0, Locked=4}
swapinfo() = {SwapFree=4092, SwapCached=0}
# A write fault after a major fault frees the slot as well (found by fuzz, seed 378).
munlock($a, 16K) = 0
madvise($a+12K, 4K, MADV_PAGEOUT) = 0
madvise($a+12K, 4K, MADV_POPULATE_READ) = 0
madvise($a+12K, 4K, MADV_PAGEOUT) = 0
swapinfo() = {SwapFree=4088, SwapCached=0}
store($a+12K, "w")
swapinfo() = {SwapFree=4092, SwapCached=0}
load($a+12K, 4) = "wata"
