# Copy-on-write sharing with a forked child survives a move, in either process.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "parent")
fork() = $c
mremap($a, 8K, 8K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000100000) = 0x100000100000
# still shared: one page, mapped twice
smaps(0x100000100000) = {Rss=4, Pss=2}
[pid $c] smaps($a) = {Rss=4, Pss=2}
[pid $c] mremap($a, 8K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000200000) = 0x100000200000
[pid $c] store(0x100000200000, "child")
load(0x100000100000, 6) = "parent"
[pid $c] load(0x100000200000, 6) = "childt"
smaps(0x100000100000) = {Rss=4, Pss=4}
# the child's VMA came from fork: an unfaulted neighbour does not merge with it
[pid $c] mmap(0x100000204000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000204000
[pid $c] vma_count(0x100000200000, 0x100000205000) = 2
# nor does moving an unfaulted VMA next to it
[pid $c] mmap(0x100000300000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x100000300000
[pid $c] munmap(0x100000204000, 4K) = 0
[pid $c] mremap(0x100000300000, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000204000) = 0x100000204000
[pid $c] vma_count(0x100000200000, 0x100000205000) = 2
validate() = 0
