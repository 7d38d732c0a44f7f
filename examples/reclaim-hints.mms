# A userspace memory manager (a runtime's heap, a cache) telling the kernel what it can take back, as seed 004's
# users do: cold data is paged out with one process_madvise(MADV_PAGEOUT) over scattered runs, freed objects are
# MADV_FREE'd (lazily reclaimable, cheap to reuse), and a MADV_COLD hint lets the LRU age the rest. Swap is a 64 MiB
# file here, readahead off so the run is the same on every kernel. Run it with `mmsim run`, `mmsim run --kernel`
# (as root) or `mmsim diff`.
swapon_file(64M) = 0
sysctl("vm.page-cluster", 0) = 0

# A 64 KiB heap, every page written.
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $heap
store($heap, 64K, 0x42)
smaps($heap) = {Rss=64, Anonymous=64, Swap=0}

# Three cold runs go out in one call through a pidfd of the process itself.
pidfd_open($main, 0) = $self
process_madvise($self, [{iov_base=$heap, iov_len=8K}, {iov_base=$heap+16K, iov_len=8K}, {iov_base=$heap+32K, iov_len=8K}], 3, MADV_PAGEOUT, 0) = 24576
smaps($heap) = {Rss=40, Swap=24, SwapPss=24}
status() = {VmSwap=24}
pagemap($heap) = {present=0, swapped=1}
# Written out, the pages stay in the swap cache for a while: reading one back costs no I/O.
swapinfo() = {SwapFree=65508, SwapCached=24}
load($heap, 2) = "BB"
smaps($heap) = {Rss=44, Swap=20}

# Freed objects: the manager keeps the range mapped but lets the kernel drop the pages whenever it needs memory.
madvise($heap+48K, 16K, MADV_FREE) = 0
# MADV_COLD drains the CPU's batch (so the pages are lazyfree now) and marks the remaining heap as cold.
madvise($heap+8K, 8K, MADV_COLD) = 0
smaps($heap) = {LazyFree=16, Referenced=20}
# Reusing one freed object: the write makes that page the manager's again.
store($heap+48K, "reuse")
smaps($heap) = {LazyFree=12}
# Under reclaim (here asked for), the untouched lazyfree pages are dropped, not written: they read as zeros.
madvise($heap+48K, 16K, MADV_PAGEOUT) = 0
load($heap+48K, 5) = "reuse"
load($heap+52K, 1) = "\0"
smaps($heap) = {Rss=32, Swap=20, LazyFree=0}
munmap($heap, 64K) = 0
swapinfo() = {SwapFree=65532, SwapCached=0}
