# A compacting garbage collector's pause, as Android's userfaultfd GC does it (the MREMAP_DONTUNMAP
# widening patch, 2021): the Java heap lives in a memfd, so it is a shared mapping; in a
# stop-the-world pause the heap is mremap()ed with MREMAP_DONTUNMAP to a new place. The page tables
# move (no copying), the old range stays mapped, and because it is shared it still shows the
# heap's data: nothing is lost while the collector compacts from one view into the other.
# (With userfaultfd, the old range would be registered so that mutator accesses trap.)

# the heap: a 2 MiB memfd, mapped shared at a PMD-aligned address
memfd_create("java-heap", MFD_CLOEXEC) = $fd
ftruncate($fd, 2M) = 0
mmap(0x100000000000, 2M, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED_NOREPLACE, $fd, 0) = $heap
# the application allocates objects
store($heap, "object A: live")
store($heap+64K, "object B: garbage")
store($heap+1M, "object C: live")
touch($heap, 2M, WRITE)
smaps($heap) = {start=$heap, end=$heap+2M, perms="rw-s", Rss=2048}

# stop the world: move the heap's page tables to the collector's view in one step. Both addresses
# are 2 MiB-aligned, so one PMD entry moves (a whole PTE table), not 512 PTEs.
mremap($heap, 2M, 2M, MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP, 0x100040000000) = $from
vmstat() = {mremap_pmd_moved=1, mremap_pte_moved=0}

# the collector reads live objects through its view ...
load($from, 14) = "object A: live"
load($from+1M, 14) = "object C: live"
smaps($from) = {start=$from, end=$from+2M, perms="rw-s", Rss=2048}
# ... and the old range is still mapped: its page tables are empty, but a fault finds the same
# file pages, so the mutator (resuming) sees the same heap
smaps($heap) = {start=$heap, end=$heap+2M, perms="rw-s", Rss=0}
load($heap+1M, 14) = "object C: live"
# compaction: C is copied down over B's slot; both views see it at once
store($from+64K, "object C: live\0\0\0")
load($heap+64K, 17) = "object C: live\0\0\0"
# after the pause the collector drops its view; the heap stays
munmap($from, 2M) = 0
load($heap, 14) = "object A: live"
validate() = 0
