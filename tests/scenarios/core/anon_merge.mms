# Merging of adjacent private anonymous VMAs: unfaulted vs faulted, anon_vma
# compatibility, anon_vma reuse by neighbours, and fork.
# Checked against Linux 6.18 (x86_64) with a C program that issues each
# statement as the real syscall / CPU access (/tmp/probe-golden/mmsrun, unprivileged, no ASLR).

# unfaulted + unfaulted with equal flags: one VMA
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap($a+8K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+8K
vma_count($a, $a+16K) = 1
# faulted + new unfaulted neighbour: still merges (the new one adopts the anon_vma)
store($a, "a")
mmap($a+16K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+16K
vma_count($a, $a+24K) = 1
smaps($a) = {start=$a, end=$a+24K, Rss=4}
# different VmFlags never merge: MAP_NORESERVE drops "ac"
mmap($a+24K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_NORESERVE, -1, 0) = $a+24K
vma_count($a, $a+32K) = 2
smaps($a+24K) = {start=$a+24K, end=$a+32K, VmFlags="rd wr mr mw me nr"}

# two VMAs faulted separately (different anon_vmas), then made equal: no merge.
# They must not be neighbours when faulted: a fault reuses a neighbour's anon_vma
# when the two differ only in rd/wr/ex (find_mergeable_anon_vma).
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
mmap($b+12K, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b+12K
store($b, "x")
store($b+12K, "y")
mmap($b+8K, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b+8K
vma_count($b, $b+16K) = 3
# now all flags are equal, but only the lower pair can merge (the gap VMA had no anon_vma)
mprotect($b+8K, 4K, PROT_READ|PROT_WRITE) = 0
vma_count($b, $b+16K) = 2
smaps($b) = {start=$b, end=$b+12K, Rss=4}
smaps($b+12K) = {start=$b+12K, end=$b+16K, Rss=4}

# a neighbour differing only in protection shares the anon_vma when it faults ...
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
store($c, "x")
mprotect($c, 8K, PROT_READ) = 0
mmap($c+8K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c+8K
store($c+8K, "y")
vma_count($c, $c+16K) = 2
# ... so making the protections equal merges them
mprotect($c, 8K, PROT_READ|PROT_WRITE) = 0
vma_count($c, $c+16K) = 1
smaps($c) = {start=$c, end=$c+16K, Rss=8, Anonymous=8}
# ... but a neighbour differing in another flag (here "dc") gets its own anon_vma
mmap(0x100000300000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $d
madvise($d, 8K, MADV_DONTFORK) = 0
store($d, "x")
mmap($d+8K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $d+8K
store($d+8K, "y")
madvise($d, 8K, MADV_DOFORK) = 0
vma_count($d, $d+16K) = 2

# after fork, the child's inherited faulted VMA cannot absorb a new unfaulted neighbour
mmap(0x100000400000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $e
store($e, "e")
fork() = $k
[pid $k] mmap($e+8K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $e+8K
[pid $k] vma_count($e, $e+16K) = 2
# the parent's VMA (single anon_vma chain entry) still can
mmap($e+8K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $e+8K
vma_count($e, $e+16K) = 1
