# mremap keeps a lock: growing a VM_LOCKED mapping populates the new tail, growing a VM_LOCKONFAULT one does not
# (the reason VM_LOCKONFAULT is a sticky VMA flag). locked_vm grows with both.
mmap(0x100000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
mlock($a, 8K) = 0
mremap($a, 8K, 16K, 0, 0) = $a
smaps($a) = {start=$a, end=$a+16K, Rss=16, Locked=16, VmFlags="rd wr mr mw me lo ac"}
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
store($b, "x")
mlock2($b, 8K, MLOCK_ONFAULT) = 0
mremap($b, 8K, 16K, 0, 0) = $b
smaps($b) = {start=$b, end=$b+16K, Rss=4, Locked=4, VmFlags="rd wr mr mw me lo lf ac"}
status() = {VmLck=32}
# a move keeps lock-on-fault too, and touching the moved range locks as it faults
mremap($b, 16K, 16K, MREMAP_MAYMOVE|MREMAP_FIXED, 0x100000200000) = 0x100000200000
store(0x100000200000+12K, "y")
smaps(0x100000200000) = {Rss=8, Locked=8, VmFlags="rd wr mr mw me lo lf ac"}
status() = {VmLck=32}
validate()
