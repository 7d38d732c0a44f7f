# mlock2(MLOCK_ONFAULT) marks the VMA lo and lf and populates nothing; pages faulted in later are locked.
mmap(0x100000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
store($a, "present before")
mlock2($a, 64K, MLOCK_ONFAULT) = 0
# the page already present is locked at once, nothing else is faulted in
smaps($a) = {start=$a, end=$a+64K, Rss=4, Locked=4, VmFlags="rd wr mr mw me lo lf ac"}
status() = {VmLck=64}
store($a+20K, "x")
touch($a+40K, 8K, WRITE)
smaps($a) = {Rss=16, Locked=16}
# read faults map the zero page, which is never locked
touch($a+56K, 4K, READ)
smaps($a) = {Rss=16, Locked=16}
# mlock() over it turns it into a plain locked VMA, which populates
mlock($a, 64K) = 0
smaps($a) = {Rss=64, Locked=64, VmFlags="rd wr mr mw me lo ac"}
# and mlock2(MLOCK_ONFAULT) on part of it splits it again
mlock2($a, 16K, MLOCK_ONFAULT) = 0
vma_count($a, $a+64K) = 2
smaps($a) = {end=$a+16K, Locked=16, VmFlags="rd wr mr mw me lo lf ac"}
status() = {VmLck=64}
# unknown flags
mlock2($a, 4K, 2) = -1 EINVAL (Invalid argument)
mlock2($a, 4K, 0xffffffff) = -1 EINVAL (Invalid argument)
mlock2($a, 4K, 0) = 0
validate()
