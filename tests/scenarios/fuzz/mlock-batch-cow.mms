# A page unmapped from a locked VMA waits in the CPU's mlock batch (munlock_vma_folio()), which holds a reference
# to it: a write fault on it in another process copies it instead of reusing it, until the batch drains (found by
# fuzz, seed 367). Measured on 6.18.
mlockall(MCL_FUTURE) = 0
mmap(0x10000003a000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_POPULATE, -1, 0) = $a
fork() = $c
# The parent's locked VMA shrinks: its last page is unmapped there and queued for munlock.
mremap($a, 12K, 8K, 0, 0) = $a
# The child's write copies the page (the batch's reference makes it look shared): the copy is not referenced yet.
[pid $c] store($a+8K, "so")
[pid $c] smaps($a) = {Rss=12, Referenced=12, Anonymous=12}
[pid $c] fork() = $d
[pid $d] smaps($a) = {Rss=12, Shared_Dirty=12, Referenced=8, Anonymous=12}
