# merge-and-split.mms: how VMAs split and merge (mm/vma.c), and why two VMAs with the same
# flags can stay apart.

# Two separate mmap calls next to each other make one VMA: the second extends the first.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mmap($a+8K, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a+8K
vma_count($a, $a+16K) = 1

# mprotect of the middle splits it in three; making it equal again merges them back.
store($a, "data")
mprotect($a+4K, 4K, PROT_READ) = 0
vma_count($a, $a+16K) = 3
mprotect($a+4K, 4K, PROT_READ|PROT_WRITE) = 0
vma_count($a, $a+16K) = 1
load($a, 4) = "data"

# Faulted memory belongs to an anon_vma. A page faulted in a VMA that differs from its neighbour only in
# rd/wr/ex reuses the neighbour's anon_vma, so they can still merge later ...
mmap(0x100000100000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $p
mmap($p+4K, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $p+4K
store($p, "p")
mprotect($p+4K, 4K, PROT_READ|PROT_WRITE) = 0
store($p+4K, "q")
vma_count($p, $p+8K) = 1

# ... but two VMAs faulted while apart have different anon_vmas, and those never merge:
mmap(0x100000200000, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $x
mmap($x+4K, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE|MAP_STACK, -1, 0) = $x+4K
vma_count($x, $x+8K) = 2
store($x, "x")
store($x+4K, "y")
madvise($x+4K, 4K, MADV_HUGEPAGE) = 0
smaps($x+4K) = {VmFlags="rd wr mr mw me ac hg"}
# MAP_STACK set VM_NOHUGEPAGE ("nh"); MADV_HUGEPAGE swapped it for "hg". The flags still differ from $x's.
madvise($x+4K, 4K, MADV_NORMAL) = 0
vma_count($x, $x+8K) = 2

# munmap of a page in the middle leaves two VMAs.
munmap($a+4K, 4K) = 0
vma_count($a, $a+16K) = 2
smaps($a+8K) = {start=$a+8K, end=$a+16K}
