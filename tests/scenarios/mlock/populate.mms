# mlock() populates the range and locks it: every page resident and counted in Locked, VmLck and lo.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
smaps($a) = {Rss=0, Locked=0}
mlock($a, 16K) = 0
smaps($a) = {start=$a, end=$a+16K, Rss=16, Anonymous=16, Locked=16, VmFlags="rd wr mr mw me lo ac"}
status() = {VmLck=16}
# an unaligned start is rounded down and the length rounded up to cover it
mmap(0x100000100000, 16K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
mlock($b+100, 4K) = 0
vma_count($b, $b+16K) = 2
# read-only private memory is populated with the zero page, which is neither in Rss nor locked
smaps($b) = {start=$b, end=$b+8K, Rss=0, Locked=0, VmFlags="rd mr mw me lo"}
status() = {VmLck=24}
# locking a locked range again changes nothing
mlock($a, 16K) = 0
status() = {VmLck=24}
# a hole inside the range: ENOMEM, and the VMAs before the hole stay locked, but nothing is populated
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
munmap($c+4K, 4K) = 0
mlock($c, 8K) = -1 ENOMEM (Cannot allocate memory)
smaps($c) = {Rss=0, Locked=0, VmFlags="rd wr mr mw me lo ac"}
status() = {VmLck=28}
mlock(0x100000300000, 4K) = -1 ENOMEM (Cannot allocate memory)
# zero length
mlock($a, 0) = 0
validate()
