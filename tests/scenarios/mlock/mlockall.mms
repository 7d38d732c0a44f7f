# mlockall(MCL_CURRENT|MCL_FUTURE) locks what is mapped and every later mapping; munlockall undoes both.
mmap(0x100000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $a
# flag checks
mlockall(0) = -1 EINVAL (Invalid argument)
mlockall(MCL_ONFAULT) = -1 EINVAL (Invalid argument)
mlockall(8) = -1 EINVAL (Invalid argument)
# MCL_FUTURE alone: the existing mapping stays unlocked, a new one is locked and populated
mlockall(MCL_FUTURE) = 0
smaps($a) = {Locked=0}
mmap(0x100000100000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $b
smaps($b) = {Rss=8, Locked=8, VmFlags="rd wr mr mw me lo ac"}
# MCL_FUTURE|MCL_ONFAULT: new mappings are locked on fault
mlockall(MCL_FUTURE|MCL_ONFAULT) = 0
mmap(0x100000200000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $c
smaps($c) = {Rss=0, Locked=0, VmFlags="rd wr mr mw me lo lf ac"}
store($c, "x")
smaps($c) = {Rss=4, Locked=4}
# munlockall clears the locks on every VMA and def_flags
munlockall() = 0
smaps($b) = {Rss=8, Locked=0, VmFlags="rd wr mr mw me ac"}
smaps($c) = {Locked=0, VmFlags="rd wr mr mw me ac"}
mmap(0x100000300000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = $d
smaps($d) = {Rss=0, Locked=0}
status() = {VmLck=0}
validate()
