# munlock of the middle page of a locked VMA splits it in three; locking it again merges back to one.
mmap(0x100000000000, 12K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mlock($a, 12K) = 0
vma_count($a, $a+12K) = 1
status() = {VmLck=12}
munlock($a+4K, 4K) = 0
vma_count($a, $a+12K) = 3
smaps($a+4K) = {start=$a+4K, end=$a+8K, Rss=4, Locked=0, VmFlags="rd wr mr mw me ac"}
smaps($a+8K) = {start=$a+8K, end=$a+12K, Locked=4}
status() = {VmLck=8}
mlock($a+4K, 4K) = 0
vma_count($a, $a+12K) = 1
smaps($a) = {start=$a, end=$a+12K, Rss=12, Locked=12}
status() = {VmLck=12}
# the length is rounded up from the unaligned start: 12K from $a+1 reaches the hole after the VMA
munlock($a+1, 12K) = -1 ENOMEM (Cannot allocate memory)
munlock($a+1, 12K-1) = 0
smaps($a) = {start=$a, end=$a+12K, Rss=12, Locked=0, VmFlags="rd wr mr mw me ac"}
status() = {VmLck=0}
# munlock of a hole
munlock(0x100000300000, 4K) = -1 ENOMEM (Cannot allocate memory)
munlock($a, 0) = 0
validate()
