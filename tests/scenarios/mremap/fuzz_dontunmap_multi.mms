# Found by mmsim fuzz: a move-only MREMAP_FIXED|MREMAP_DONTUNMAP call leaves its source VMA in
# place; the multi-VMA walk must resume after that VMA's old end, not visit it again.
mmap(0x100000034000, 28K, PROT_READ, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED|MAP_POPULATE, -1, 0) = $a
mremap($a+20K, 4K, 4K, MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP, 0x100000008000) = 0x100000008000
smaps($a) = {start=$a, end=$a+28K, Rss=24}
smaps(0x100000008000) = {start=0x100000008000, end=0x100000009000, Rss=4}
# two VMAs and a hole, all kept mapped at the source
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
mmap($b+12K, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b+12K
store($b, "b")
mremap($b, 20K, 20K, MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP, 0x100000200000) = 0x100000200000
vma_count($b, $b+20K) = 2
vma_count(0x100000200000, 0x100000205000) = 2
load(0x100000200000, 1) = "b"
load($b, 1) = "\0"
validate() = 0
